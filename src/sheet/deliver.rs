//! A signed sheet on its way to the workplace: rendered once (DOCX and
//! PDF, off the async runtime), stored, and queued in the outbox for every
//! officer of the member's workplace, the member and whoever signed it (the
//! secretary; the deputy or the ward for the secretary's own sheet). A
//! delivery that fails for good is reported to the signer.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    build::{self, Context, SignedContent, criterion_label, evidence_lines, level_label},
    docx::{SheetDocument, render_docx},
    pdf::render_pdf,
};
use crate::{
    domain::{Lang, sheet::Criterion},
    store::{
        Pool,
        documents::Document,
        outbox::{self, Fallback, GiveUp, Notice, Payload},
        sheets::{self, Delivery},
    },
    t,
};

/// Telegram's limit on a caption.
const MAX_CAPTION: usize = 1000;

/// The form as it was signed: the cited decisions only, counted over the
/// period as it was when signed.
pub fn document_of(ctx: &Context, content: &SignedContent, code: &str, tz: Tz) -> SheetDocument {
    let frozen = as_signed(ctx, content, tz);
    build::document(content, evidence_lines(Lang::Vi, &frozen), code, tz)
}

/// The sheet's context as it was signed: the cited decisions only, counted
/// over the period as it was on the day of signing (not as of today: a
/// report approved since, or a clock set back, changes nothing shown).
pub fn as_signed(ctx: &Context, content: &SignedContent, tz: Tz) -> Context {
    let mut frozen = ctx.clone();
    // Short or full as signed, whatever the member's exemption is now.
    frozen.member.exempt_reason = content.exempt.clone();
    frozen
        .cited
        .retain(|c| content.evidence.iter().any(|e| e.report_id == c.id));
    if let Some(introduced) = content.introduced {
        frozen.introduced = crate::domain::schedule::Period::of(introduced);
    }
    let signed_on = content.signed_at.with_timezone(&tz).date_naive();
    frozen.evidence = build::evidence_for(&frozen, signed_on, frozen.introduced, &frozen.cited);
    // attendance: the meetings as signed (none in sheets signed before).
    frozen.meetings = content.meetings.clone();
    build::count_meetings(&mut frozen.evidence, &frozen.meetings);
    frozen
}

/// The start of a yearly sheet's file name, and of a sheet on request's,
/// in `lang` (stored in Vietnamese, the language of the sheet itself).
fn name_starts(lang: Lang) -> [String; 2] {
    // The request's first: the yearly one's starts it in Vietnamese.
    [
        t!(lang, "sheet-file-request"),
        t!(lang, "sheet-file-yearly"),
    ]
}

/// A signed sheet's file name as stored (in Vietnamese, the language of
/// the sheet itself); [`name_in`] gives it in a reader's language.
pub fn file_name(content: &SignedContent, extension: &str) -> String {
    let [request_name, yearly_name] = name_starts(Lang::Vi);
    if let Some(request) = &content.request {
        return format!(
            "{request_name}{}-{}.{extension}",
            request.id,
            crate::domain::file_slug(&content.member)
        );
    }
    format!(
        "{yearly_name}{}-{}.{extension}",
        content.year,
        crate::domain::file_slug(&content.member)
    )
}

/// A signed sheet's file name (as [`file_name`] stores it) in `lang`: the
/// words of the name are the reader's, the year or request, the member's
/// name and the extension as stored. A name of another shape is kept.
pub fn name_in(lang: Lang, stored: &str) -> String {
    if lang == Lang::Vi {
        return stored.to_string();
    }
    name_starts(Lang::Vi)
        .iter()
        .zip(name_starts(lang))
        .find_map(|(vi, theirs)| {
            stored
                .strip_prefix(vi.as_str())
                .map(|rest| format!("{theirs}{rest}"))
        })
        .unwrap_or_else(|| stored.to_string())
}

/// [`file_name`] in `lang` ([`name_in`]).
pub fn file_name_in(lang: Lang, content: &SignedContent, extension: &str) -> String {
    name_in(lang, &file_name(content, extension))
}

/// A stored document of a signed sheet as its reader in `lang` gets it:
/// under a file name in their language, stored (and uploaded) once per
/// language and then sent by its own file id (Telegram keeps a file's
/// name with its id).
pub async fn document_in(pool: &Pool, doc: Document, lang: Lang) -> anyhow::Result<Document> {
    let name = name_in(lang, &doc.file_name);
    if name == doc.file_name {
        return Ok(doc);
    }
    Ok(crate::store::documents::named_copy(pool, doc.id, &name)
        .await?
        .unwrap_or(doc))
}

/// A signed sheet's content, code and context (as of the day it was signed).
pub async fn signed(
    pool: &Pool,
    sheet: &sheets::Sheet,
    tz: Tz,
) -> anyhow::Result<Option<(SignedContent, String, Context)>> {
    let (Some(text), Some(code)) = (&sheet.content, &sheet.code) else {
        return Ok(None);
    };
    let content: SignedContent = serde_json::from_str(text)?;
    let signed_on = content.signed_at.with_timezone(&tz).date_naive();
    let Some(ctx) = build::for_sheet(pool, sheet, signed_on, tz).await? else {
        return Ok(None);
    };
    Ok(Some((content, code.clone(), ctx)))
}

/// Renders the DOCX and the PDF off the async runtime.
pub async fn render(
    ctx: &Context,
    content: &SignedContent,
    code: &str,
    tz: Tz,
) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let doc = document_of(ctx, content, code, tz);
    tokio::task::spawn_blocking(move || -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
        Ok((render_docx(&doc)?, render_pdf(&doc)?))
    })
    .await?
}

fn summary(lang: Lang, content: &SignedContent, code: &str) -> String {
    let role = super::build::signer_role_label(lang, content.signer_role);
    let head = match &content.request {
        None => t!(
            lang,
            "sheet-delivered-officer",
            name = content.member.as_str(),
            year = content.year,
            cell = content.cell.as_str(),
            ward = content.ward.as_str(),
            signer = content.signer.as_str(),
            role = role,
            code = code
        ),
        Some(r) => t!(
            lang,
            "request-delivered-officer",
            name = content.member.as_str(),
            reason = r.label(lang),
            from = crate::domain::dates::format_dmy(r.from),
            to = crate::domain::dates::format_dmy(r.to),
            cell = content.cell.as_str(),
            ward = content.ward.as_str(),
            signer = content.signer.as_str(),
            role = role,
            code = code
        ),
    };
    // The short version (an exempt member's) has no criteria.
    if content.exempt.is_some() {
        return head;
    }
    let criteria: Vec<String> = Criterion::ALL
        .iter()
        .map(|c| {
            let level = content.criteria[c.index()]
                .map(|l| level_label(lang, *c, l))
                .unwrap_or_default();
            format!("• {}: {}", criterion_label(lang, *c), level)
        })
        .collect();
    format!("{head}\n{}", criteria.join("\n"))
}

fn text(text: String) -> Payload {
    Payload {
        text,
        ..Payload::default()
    }
}

/// `caption` of `reason`, the reason cut (with "…") to what the rest of
/// the caption leaves of Telegram's limit.
fn with_reason_within(reason: &str, caption: impl Fn(&str) -> String) -> String {
    use crate::telegram::send::{clip_to, units};
    let room = MAX_CAPTION.saturating_sub(units(&caption("")));
    caption(&clip_to(reason, room))
}

fn document(id: i64, caption: String) -> Payload {
    Payload {
        text: crate::telegram::send::clip_to(&caption, MAX_CAPTION),
        document: Some(id),
        ..Payload::default()
    }
}

/// To each officer of a delivery the summary, the DOCX and the PDF (the
/// signer is told if one cannot be delivered).
fn officer_notices(d: &Delivery, content: &SignedContent, code: &str) -> Vec<Notice> {
    let mut out = Vec::new();
    for (i, officer) in d.officers.iter().enumerate() {
        let failed = |lang: Lang| match &content.request {
            None => t!(
                lang,
                "sheet-delivery-failed",
                name = content.member.as_str(),
                year = content.year,
                code = code
            ),
            Some(r) => t!(
                lang,
                "request-delivery-failed",
                name = content.member.as_str(),
                reason = r.label(lang),
                code = code
            ),
        };
        let fallback = signer_told(d, failed);
        for mut payload in [
            text(summary(officer.lang, content, code)),
            document(d.docx, String::new()),
            document(d.pdf, String::new()),
        ] {
            payload.fallback = fallback.clone();
            payload.officer_of = d.workplaces.clone();
            // An officer of the workplace it is addressed to (not of one
            // the member left this year).
            payload.sheet = (i < d.to_workplace).then_some(d.sheet);
            out.push(Notice {
                chat_id: officer.user_id,
                payload,
            });
        }
    }
    out
}

/// What is queued when a copy cannot be delivered: `text` to the signer,
/// or to whoever decides for the cell when it is given up, should the
/// signer have left its committee meanwhile (in each language, for the
/// one who gets it).
fn signer_told(d: &Delivery, text: impl Fn(Lang) -> String) -> Option<Fallback> {
    d.signer.map(|s| Fallback {
        chat_id: s.user_id,
        text: text(s.lang),
        committee_of: Some(d.cell),
        texts: Lang::ALL
            .iter()
            .map(|&lang| (lang.code().to_string(), text(lang)))
            .collect(),
    })
}

/// Every message of a delivery: to each officer the summary, the DOCX and
/// the PDF ([`officer_notices`]); to the member and the signer the two
/// documents.
fn notices(d: &Delivery, content: &SignedContent, code: &str) -> Vec<Notice> {
    let mut out = officer_notices(d, content, code);
    let member = d.member;
    let caption = match &content.request {
        // No officer of the workplace to receive it: the member is not
        // told it went there (a workplace left this year may get a copy).
        _ if d.to_workplace == 0 => t!(member.lang, "sheet-copy-member-kept", code = code),
        None => t!(
            member.lang,
            "sheet-copy-member",
            year = content.year,
            code = code
        ),
        // A reason typed at its longest, of wide characters, would push
        // the code out of the caption: it is shortened (the document
        // carries it whole).
        Some(r) => with_reason_within(&r.label(member.lang), |reason| {
            t!(
                member.lang,
                "request-copy-member",
                reason = reason,
                code = code
            )
        }),
    };
    // Not reaching them (they blocked the bot): the signer (or whoever
    // decides for the cell) is told, once for both documents; the copy is
    // sent again when the member comes back (`outbox::resend_own_sheets_in`).
    let missed = |lang: Lang| {
        t!(
            lang,
            "sheet-member-copy-failed",
            name = content.member.as_str(),
            code = code
        )
    };
    let fallback = signer_told(d, missed);
    for payload in [document(d.docx, caption), document(d.pdf, String::new())] {
        out.push(Notice {
            chat_id: member.user_id,
            payload: Payload {
                fallback: fallback.clone(),
                ..payload
            },
        });
    }
    // The signer's copy, unless they got it as an officer too.
    let signer = d
        .signer
        .filter(|s| !d.officers.iter().any(|o| o.user_id == s.user_id));
    if let Some(signer) = signer {
        for id in [d.docx, d.pdf] {
            out.push(Notice {
                chat_id: signer.user_id,
                payload: document(id, String::new()),
            });
        }
    }
    out
}

/// Renders a signed sheet and queues its deliveries, once. Returns how many
/// officers it goes to, or `None` if it was queued before.
pub async fn queue(
    pool: &Pool,
    sheet_id: i64,
    tz: Tz,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<usize>> {
    let Some(sheet) = sheets::get(pool, sheet_id).await? else {
        return Ok(None);
    };
    let Some((content, code, ctx)) = signed(pool, &sheet, tz).await? else {
        return Ok(None);
    };
    queue_signed(pool, sheet_id, &ctx, &content, &code, tz, now).await
}

/// [`queue`] for a sheet whose content and context are at hand (just signed).
pub async fn queue_signed(
    pool: &Pool,
    sheet_id: i64,
    ctx: &Context,
    content: &SignedContent,
    code: &str,
    tz: Tz,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<usize>> {
    let (docx, pdf) = render(ctx, content, code, tz).await?;
    let delivery = sheets::queue_delivery(
        pool,
        sheet_id,
        (&file_name(content, "docx"), &docx),
        (&file_name(content, "pdf"), &pdf),
        (now, tz),
        |d| notices(d, content, code),
    )
    .await?;
    Ok(delivery.map(|d| d.to_workplace))
}

/// A signed sheet's copy to an officer of the workplace it is addressed
/// to did not reach them for good: `row` (its id, the officer, how) is
/// given up, and on request the sheet goes to the workplace's other
/// officers instead, the signer told so; nobody else of the workplace
/// getting it, the signer is told it was not delivered (`fallback`). All
/// in one transaction ([`sheets::not_delivered`]). Returns whether the row
/// was still queued (and is given up now).
pub async fn not_delivered(
    pool: &Pool,
    sheet_id: i64,
    row: (i64, i64, GiveUp<'_>),
    fallback: Option<&Fallback>,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let (id, officer, how) = row;
    let content = match sheets::get(pool, sheet_id).await? {
        Some(sheets::Sheet {
            content: Some(signed),
            code: Some(code),
            ..
        }) => Some((serde_json::from_str::<SignedContent>(&signed)?, code)),
        _ => None,
    };
    let Some((content, code)) = content else {
        return Ok(outbox::give_up(pool, (id, officer), how, fallback, None, now).await?);
    };
    let code = code.as_str();
    let given = sheets::not_delivered(pool, sheet_id, (id, officer, how), fallback, now, |d| {
        let mut out = officer_notices(d, &content, code);
        if let (Some(signer), Some(r)) = (d.signer, &content.request) {
            out.push(Notice {
                chat_id: signer.user_id,
                payload: text(t!(
                    signer.lang,
                    "request-delivery-rerouted",
                    name = content.member.as_str(),
                    reason = r.label(signer.lang),
                    code = code,
                    officers = d.officers.len()
                )),
            });
        }
        out
    })
    .await?;
    Ok(given.is_some())
}

/// Queues the deliveries of every signed sheet that has none (the process
/// stopped between signing and queuing). Returns how many were queued.
pub async fn catch_up(pool: &Pool, tz: Tz, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut queued = 0;
    for id in sheets::undelivered(pool).await? {
        if queue(pool, id, tz, now).await?.is_some() {
            tracing::info!(sheet = id, "queued the deliveries of a signed sheet");
            queued += 1;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored name in each language: the words translated, the year or
    /// the request, the member's name and the extension kept.
    #[test]
    fn a_stored_file_name_reads_in_each_language() {
        for (stored, english) in [
            (
                "phieu-nhan-xet-2026-Nguyễn-Văn-An.docx",
                "comment-sheet-2026-Nguyễn-Văn-An.docx",
            ),
            (
                "phieu-nhan-xet-theo-yeu-cau-12-Nguyễn-Văn-An.pdf",
                "comment-on-request-12-Nguyễn-Văn-An.pdf",
            ),
            ("something-else.pdf", "something-else.pdf"),
        ] {
            assert_eq!(name_in(Lang::Vi, stored), stored);
            assert_eq!(name_in(Lang::En, stored), english);
        }
    }
}
