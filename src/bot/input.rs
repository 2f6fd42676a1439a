//! Reading free text from a message: the text, or why it will not do.

use std::borrow::Cow;

use teloxide::types::{Message, MessageEntityKind, MessageEntityRef};

use crate::{
    domain::{Lang, membership::TextError},
    t,
};

/// The message's text, cleaned by `clean`; or, as the error, what to tell
/// the user (not text at all, empty, too long).
pub fn text(
    lang: Lang,
    msg: &Message,
    clean: impl Fn(&str) -> Result<String, TextError>,
) -> Result<String, String> {
    text_explained(lang, msg, clean, problem)
}

/// Like [`text`], with the step's own words for an empty or long text.
pub fn text_explained(
    lang: Lang,
    msg: &Message,
    clean: impl Fn(&str) -> Result<String, TextError>,
    explain: fn(Lang, TextError) -> String,
) -> Result<String, String> {
    if only_mentions(msg) {
        return Err(t!(lang, "error-only-mention"));
    }
    match with_links(msg).as_deref().map(clean) {
        Some(Ok(text)) => Ok(text),
        Some(Err(err)) => Err(explain(lang, err)),
        None => Err(not_text(lang, msg)),
    }
}

/// What to tell a user whose message has no text where a text is asked: a
/// photo or file with a caption is told that the caption is not read here
/// (only a report keeps photos, and takes a caption as its description);
/// anything else (a sticker, a voice message, a location…), to send text.
pub fn not_text(lang: Lang, msg: &Message) -> String {
    match msg.caption() {
        Some(caption) if !caption.trim().is_empty() => t!(lang, "error-caption-not-read"),
        _ => t!(lang, "error-expect-text"),
    }
}

/// Refuses a forwarded message (someone else's words) where the user's own
/// details (their name, their phone) are asked: they type those themselves.
pub fn own(lang: Lang, msg: &Message) -> Result<(), String> {
    match msg.forward_origin() {
        Some(_) => Err(t!(lang, "error-forwarded-own")),
        None => Ok(()),
    }
}

/// [`text`] of a message that must be the user's own words (see [`own`]).
pub fn own_text(
    lang: Lang,
    msg: &Message,
    clean: impl Fn(&str) -> Result<String, TextError>,
) -> Result<String, String> {
    own(lang, msg)?;
    text(lang, msg, clean)
}

/// A text that is only mentions of somebody (`@someone`, or a name linked
/// to a user): outside them, no letter nor digit. It says nothing of its own.
fn only_mentions(msg: &Message) -> bool {
    let (Some(text), Some(entities)) = (msg.text(), msg.parse_entities()) else {
        return false;
    };
    let mut rest = text.to_owned();
    let mut mentions: Vec<(usize, usize)> = entities
        .iter()
        .filter(|e| {
            matches!(
                e.kind(),
                MessageEntityKind::Mention | MessageEntityKind::TextMention { .. }
            )
        })
        .map(|e| (e.start(), e.end()))
        .collect();
    if mentions.is_empty() {
        return false;
    }
    mentions.sort_unstable();
    for (start, end) in mentions.into_iter().rev() {
        rest.replace_range(start..end, " ");
    }
    !rest.chars().any(char::is_alphanumeric)
}

/// Why a typed text was refused.
pub fn problem(lang: Lang, err: TextError) -> String {
    match err {
        TextError::Empty => t!(lang, "error-empty-text"),
        TextError::TooLong { max } => {
            t!(lang, "error-too-long", max = crate::i18n::count(lang, max))
        }
        TextError::NotAName => t!(lang, "error-not-a-name"),
        TextError::NotAWorkplace => t!(lang, "error-not-a-workplace"),
    }
}

/// The message's text with the address of every link hidden behind words
/// ("xem tại đây" linked to a document, formatted in the app or pasted from
/// a web page) written after those words, in brackets: read as plain text,
/// the words alone would lose it. Other formatting is not kept.
pub fn with_links(msg: &Message) -> Option<Cow<'_, str>> {
    let text = msg.text()?;
    Some(linked(text, msg.parse_entities().unwrap_or_default()))
}

/// [`with_links`] for a caption (a photo's, taken as a report's
/// description).
pub fn caption_with_links(msg: &Message) -> Option<Cow<'_, str>> {
    let caption = msg.caption()?;
    Some(linked(
        caption,
        msg.parse_caption_entities().unwrap_or_default(),
    ))
}

/// `text` with the address of each link of `entities` hidden behind words
/// written after them, in brackets.
fn linked<'a>(text: &'a str, entities: Vec<MessageEntityRef<'a>>) -> Cow<'a, str> {
    let mut links: Vec<(usize, &str)> = entities
        .into_iter()
        .filter_map(|e| match e.kind() {
            MessageEntityKind::TextLink { url } if !e.text().contains(url.as_str()) => {
                Some((e.end(), url.as_str()))
            }
            _ => None,
        })
        .collect();
    if links.is_empty() {
        return Cow::Borrowed(text);
    }
    links.sort_by_key(|(end, _)| *end);
    let mut out =
        String::with_capacity(text.len() + links.iter().map(|l| l.1.len() + 3).sum::<usize>());
    let mut at = 0;
    for (end, url) in links {
        out.push_str(&text[at..end]);
        out.push_str(" (");
        out.push_str(url);
        out.push(')');
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}
