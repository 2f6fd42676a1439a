//! Localised text. Every user-facing string lives in `locales/{vi,en}/lienhe.ftl`;
//! use [`t!`](crate::t) to format one (message ids are checked when compiling).

use std::sync::LazyLock;

use i18n_embed::{LanguageLoader, fluent::FluentLanguageLoader};
use rust_embed::RustEmbed;

use crate::domain::Lang;

#[derive(RustEmbed)]
#[folder = "locales/"]
struct Localizations;

fn load(lang: Lang) -> FluentLanguageLoader {
    let fallback: unic_langid::LanguageIdentifier = "vi".parse().expect("valid language id");
    let loader = FluentLanguageLoader::new("lienhe", fallback);
    let wanted: unic_langid::LanguageIdentifier = lang.code().parse().expect("valid language id");
    loader
        .load_languages(&Localizations, &[wanted])
        .expect("embedded locale files load");
    // Telegram shows the isolation marks as stray characters.
    loader.set_use_isolating(false);
    loader
}

static VI: LazyLock<FluentLanguageLoader> = LazyLock::new(|| load(Lang::Vi));
static EN: LazyLock<FluentLanguageLoader> = LazyLock::new(|| load(Lang::En));

pub fn loader(lang: Lang) -> &'static FluentLanguageLoader {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// Formats a localised message: `t!(lang, "id")` or `t!(lang, "id", name = value, …)`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal) => {
        i18n_embed_fl::fl!($crate::i18n::loader($lang), $id)
    };
    ($lang:expr, $id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($crate::i18n::loader($lang), $id, $($args)*)
    };
}

/// A count as the language writes it: thousands grouped with a full stop
/// in Vietnamese ("1.000"), a comma in English ("1,000"). Fluent itself
/// writes "1000", which reads differently from the "1.000" of a fixed
/// text in the same dialogue.
pub fn count(lang: Lang, n: usize) -> String {
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// The message ids defined for a language (for the parity test and tools).
pub fn message_ids(lang: Lang) -> Vec<String> {
    let file = format!("{}/lienhe.ftl", lang.code());
    let data = Localizations::get(&file).expect("locale file is embedded");
    let text = std::str::from_utf8(&data.data).expect("locale file is UTF-8");
    let mut ids: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-', '.', '*', '[', '}']))
        .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_string()))
        .filter(|id| !id.is_empty())
        .collect();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_as_each_language_writes_them() {
        assert_eq!(count(Lang::Vi, 1000), "1.000");
        assert_eq!(count(Lang::En, 1000), "1,000");
        assert_eq!(count(Lang::Vi, 999), "999");
        assert_eq!(count(Lang::Vi, 1_234_567), "1.234.567");
        assert_eq!(count(Lang::En, 0), "0");
        // The fixed text asking for a description and the error for a long
        // one now write the limit alike.
        let asked = t!(Lang::Vi, "ask-description");
        let refused = t!(
            Lang::Vi,
            "error-description-too-long",
            max = count(Lang::Vi, 1000)
        );
        assert!(
            asked.contains("1.000") && refused.contains("1.000"),
            "{refused}"
        );
    }

    #[test]
    fn both_languages_have_the_same_message_ids() {
        let vi = message_ids(Lang::Vi);
        let en = message_ids(Lang::En);
        let only_vi: Vec<_> = vi.iter().filter(|id| !en.contains(id)).collect();
        let only_en: Vec<_> = en.iter().filter(|id| !vi.contains(id)).collect();
        assert!(
            only_vi.is_empty() && only_en.is_empty(),
            "only in vi: {only_vi:?}; only in en: {only_en:?}"
        );
        assert!(vi.len() > 20);
    }

    /// No "0 months" in either language's early warning.
    #[test]
    fn the_early_warning_says_no_month_in_words() {
        let warn =
            |lang, months: i64| crate::t!(lang, "reminder-at-risk", year = 2026, months = months);
        assert!(warn(Lang::Vi, 0).contains("đồng chí chưa có tháng nào có hoạt động"));
        assert!(warn(Lang::Vi, 1).contains("đồng chí mới có 1 tháng có hoạt động"));
        assert!(warn(Lang::En, 0).contains("in no month so far"));
    }

    /// What a new secretary finds waiting names only what there is: no
    /// "0 join requests and 1 report".
    #[test]
    fn what_waits_for_a_new_secretary_names_only_what_there_is() {
        let waiting = |lang, joins: usize, reports: usize| {
            crate::t!(
                lang,
                "secretary-items-waiting",
                joins = joins,
                reports = reports
            )
        };
        for (joins, reports, vi, en) in [
            (0, 1, "có 1 báo cáo chờ", "decision: 1 report."),
            (0, 3, "có 3 báo cáo chờ", "decision: 3 reports."),
            (
                2,
                0,
                "có 2 yêu cầu tham gia chờ",
                "decision: 2 join requests.",
            ),
            (
                1,
                0,
                "có 1 yêu cầu tham gia chờ",
                "decision: 1 join request.",
            ),
            (
                1,
                1,
                "có 1 yêu cầu tham gia và 1 báo cáo chờ",
                "1 join request and 1 report.",
            ),
            (
                2,
                5,
                "có 2 yêu cầu tham gia và 5 báo cáo chờ",
                "2 join requests and 5 reports.",
            ),
        ] {
            let (in_vi, in_en) = (
                waiting(Lang::Vi, joins, reports),
                waiting(Lang::En, joins, reports),
            );
            assert!(in_vi.contains(vi), "{in_vi}");
            assert!(in_en.contains(en), "{in_en}");
        }
    }

    /// English counts agree with their nouns ("rescheduled once", "1 member",
    /// not "1 times", "1 members").
    #[test]
    fn english_plurals_agree() {
        let postponed = |count: i64| crate::t!(Lang::En, "meeting-status-postponed", count = count);
        assert_eq!(postponed(1), "rescheduled once");
        assert_eq!(postponed(2), "rescheduled 2 times");
        assert!(crate::t!(Lang::En, "meeting-sent", count = 1).contains("to 1 member."));
        assert!(
            crate::t!(Lang::En, "attendance-closed-done", count = 1)
                .contains("1 member present has")
        );
        assert!(crate::t!(Lang::En, "forget-kept-roles", count = 1).contains("1 role ("));
        let at_risk =
            |months: i64| crate::t!(Lang::En, "reminder-at-risk", year = 2026, months = months);
        assert!(at_risk(0).contains("in no month so far"));
        assert!(at_risk(1).contains("in only one month so far"));
        let signed = crate::t!(Lang::En, "sheet-signed-done", code = "X", officers = 1);
        assert!(signed.contains("sent to the officer of"), "{signed}");
        let mydata = crate::t!(
            Lang::En,
            "mydata-caption",
            members = 1,
            reports = 1,
            n = 1,
            count = 1
        );
        assert!(
            mydata.contains("1 membership, 1 report and their decisions, 1 comment sheet and 1 meeting invitation."),
            "{mydata}"
        );
        let pending = crate::t!(
            Lang::En,
            "pending-header",
            cell = "Tổ 5",
            joins = 1,
            reports = 2
        );
        assert!(
            pending.ends_with("1 join request and 2 reports."),
            "{pending}"
        );
        let namesake = crate::t!(
            Lang::En,
            "namesake-introduced",
            name = "Lê Văn An",
            month = "03/2026"
        );
        assert!(
            namesake.ends_with("(introduced to the cell in 03/2026)"),
            "{namesake}"
        );
        let cell = crate::t!(Lang::En, "digest-cell", cell = "Tổ 5", members = 1);
        assert!(cell.ends_with("1 member"), "{cell}");
        let roster = crate::t!(
            Lang::En,
            "roster-imported",
            workplace = "X",
            count = 2,
            people = "2"
        );
        assert!(roster.contains("now has 2 people."), "{roster}");
    }

    #[test]
    fn no_isolation_marks_and_languages_differ() {
        let vi = crate::t!(Lang::Vi, "cancelled");
        let en = crate::t!(Lang::En, "cancelled");
        assert_ne!(vi, en);
        let with_arg = crate::t!(Lang::En, "join-approved", cell = "Tổ 5");
        assert!(with_arg.contains("Tổ 5"));
        assert!(!with_arg.contains('\u{2068}') && !with_arg.contains('\u{2069}'));
    }

    /// What a message reads from outside itself: the variables the code
    /// must pass and the messages and terms it refers to.
    #[derive(Default)]
    struct Uses {
        variables: std::collections::BTreeSet<String>,
        messages: Vec<(String, Option<String>)>,
        terms: Vec<(String, Option<String>)>,
    }

    fn uses_in_pattern(pattern: &fluent_syntax::ast::Pattern<&str>, uses: &mut Uses) {
        use fluent_syntax::ast::PatternElement;
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                uses_in_expression(expression, uses);
            }
        }
    }

    fn uses_in_expression(expression: &fluent_syntax::ast::Expression<&str>, uses: &mut Uses) {
        use fluent_syntax::ast::Expression;
        match expression {
            Expression::Select { selector, variants } => {
                uses_in_inline(selector, uses);
                for variant in variants {
                    uses_in_pattern(&variant.value, uses);
                }
            }
            Expression::Inline(inline) => uses_in_inline(inline, uses),
        }
    }

    fn uses_in_inline(inline: &fluent_syntax::ast::InlineExpression<&str>, uses: &mut Uses) {
        use fluent_syntax::ast::InlineExpression;
        let arguments = |arguments: &fluent_syntax::ast::CallArguments<&str>, uses: &mut Uses| {
            for positional in &arguments.positional {
                uses_in_inline(positional, uses);
            }
            for named in &arguments.named {
                uses_in_inline(&named.value, uses);
            }
        };
        match inline {
            InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
            InlineExpression::VariableReference { id } => {
                uses.variables.insert(id.name.to_string());
            }
            InlineExpression::FunctionReference {
                arguments: args, ..
            } => arguments(args, uses),
            InlineExpression::MessageReference { id, attribute } => uses.messages.push((
                id.name.to_string(),
                attribute.as_ref().map(|a| a.name.to_string()),
            )),
            InlineExpression::TermReference {
                id,
                attribute,
                arguments: args,
            } => {
                uses.terms.push((
                    id.name.to_string(),
                    attribute.as_ref().map(|a| a.name.to_string()),
                ));
                if let Some(args) = args {
                    arguments(args, uses);
                }
            }
            InlineExpression::Placeable { expression } => uses_in_expression(expression, uses),
        }
    }

    /// For every message and every attribute of one ("id" or "id.attr"),
    /// the variables it needs from the code (a message it refers to is
    /// formatted with the same variables, so its own count too); panics on
    /// a syntax error (Fluent drops the entry, and the user would see its
    /// id) and on a reference to a message or term the file lacks.
    fn variables_by_message(
        lang: Lang,
    ) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        use fluent_syntax::ast::Entry;
        use std::collections::{BTreeMap, BTreeSet};
        let file = format!("{}/lienhe.ftl", lang.code());
        let data = Localizations::get(&file).expect("locale file is embedded");
        let text = std::str::from_utf8(&data.data).expect("locale file is UTF-8");
        let resource = fluent_syntax::parser::parse(text)
            .unwrap_or_else(|(_, errors)| panic!("{file} does not parse: {errors:?}"));
        let mut uses: BTreeMap<String, Uses> = BTreeMap::new();
        let mut defined: BTreeSet<(bool, String, Option<String>)> = BTreeSet::new();
        for entry in &resource.body {
            let (is_term, id, value, attributes) = match entry {
                Entry::Message(m) => (false, m.id.name, m.value.as_ref(), &m.attributes),
                Entry::Term(t) => (true, t.id.name, Some(&t.value), &t.attributes),
                _ => continue,
            };
            let mut parts = vec![(None, value)];
            parts.extend(attributes.iter().map(|a| (Some(a.id.name), Some(&a.value))));
            for (attribute, pattern) in parts {
                let Some(pattern) = pattern else { continue };
                defined.insert((is_term, id.to_string(), attribute.map(str::to_string)));
                let mut found = Uses::default();
                uses_in_pattern(pattern, &mut found);
                if !is_term {
                    let key = match attribute {
                        None => id.to_string(),
                        Some(attribute) => format!("{id}.{attribute}"),
                    };
                    uses.insert(key, found);
                } else {
                    // A term's variables are its own parameters; check
                    // only what it refers to.
                    found.variables.clear();
                    uses.insert(
                        format!(
                            "-{id}{}",
                            attribute.map(|a| format!(".{a}")).unwrap_or_default()
                        ),
                        found,
                    );
                }
            }
        }
        for (key, found) in &uses {
            for (id, attribute) in &found.messages {
                assert!(
                    defined.contains(&(false, id.clone(), attribute.clone())),
                    "{file}: {key} refers to the message {id}{} it lacks",
                    attribute
                        .as_ref()
                        .map(|a| format!(".{a}"))
                        .unwrap_or_default()
                );
            }
            for (id, attribute) in &found.terms {
                assert!(
                    defined.contains(&(true, id.clone(), attribute.clone())),
                    "{file}: {key} refers to the term -{id}{} it lacks",
                    attribute
                        .as_ref()
                        .map(|a| format!(".{a}"))
                        .unwrap_or_default()
                );
            }
        }
        fn gather(
            key: &str,
            uses: &BTreeMap<String, Uses>,
            seen: &mut BTreeSet<String>,
            into: &mut BTreeSet<String>,
        ) {
            if !seen.insert(key.to_string()) {
                return;
            }
            if let Some(found) = uses.get(key) {
                into.extend(found.variables.iter().cloned());
                for (id, attribute) in &found.messages {
                    let referred = match attribute {
                        None => id.clone(),
                        Some(attribute) => format!("{id}.{attribute}"),
                    };
                    gather(&referred, uses, seen, into);
                }
            }
        }
        uses.keys()
            .filter(|key| !key.starts_with('-'))
            .map(|key| {
                let mut variables = BTreeSet::new();
                gather(key, &uses, &mut BTreeSet::new(), &mut variables);
                (key.clone(), variables)
            })
            .collect()
    }

    /// A variable one language uses and the other does not is one the code
    /// passes for one language only: the other reader sees "{$name}" or
    /// nothing where the name, date or count should be.
    #[test]
    fn both_languages_use_the_same_variables_in_every_message() {
        let vi = variables_by_message(Lang::Vi);
        let en = variables_by_message(Lang::En);
        let keys: std::collections::BTreeSet<_> = vi.keys().chain(en.keys()).collect();
        let differing: Vec<String> = keys
            .into_iter()
            .filter(|key| vi.get(*key) != en.get(*key))
            .map(|key| format!("{key}: vi {:?}, en {:?}", vi.get(key), en.get(key)))
            .collect();
        assert!(differing.is_empty(), "{}", differing.join("\n"));
        assert!(vi.values().any(|variables| !variables.is_empty()));
    }

    /// Every message, formatted as the bot formats it with each variable it
    /// uses given (once as a count, once as a name), comes out without a
    /// Fluent error in both languages.
    #[test]
    fn every_message_formats_without_error_in_both_languages() {
        let mut failures = Vec::new();
        for lang in [Lang::Vi, Lang::En] {
            for (key, variables) in variables_by_message(lang) {
                let (id, attribute) = match key.split_once('.') {
                    Some((id, attribute)) => (id, Some(attribute)),
                    None => (key.as_str(), None),
                };
                for as_count in [true, false] {
                    let mut args = fluent::FluentArgs::new();
                    for variable in &variables {
                        if as_count {
                            args.set(variable.clone(), 2);
                        } else {
                            args.set(variable.clone(), "Tổ 5");
                        }
                    }
                    let formatted =
                        loader(lang).with_fluent_message_and_bundle(id, |message, bundle| {
                            let pattern = match attribute {
                                None => message.value(),
                                Some(attribute) => {
                                    message.get_attribute(attribute).map(|a| a.value())
                                }
                            };
                            let pattern = pattern.expect("the part the syntax walk found");
                            let mut errors = Vec::new();
                            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                            (text.to_string(), errors)
                        });
                    match formatted {
                        None => failures.push(format!("{lang:?} {key}: not loaded")),
                        Some((text, errors)) if !errors.is_empty() => {
                            failures.push(format!("{lang:?} {key}: {errors:?} in {text:?}"))
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Each thing has one name in a language's messages: an invite link is
    /// "đường liên kết" (not also "đường dẫn"), a report is numbered "số"
    /// / "no." (not also "#"), a sheet is "lập" (not also "soạn"), the bot
    /// asks with "đề nghị" (not "hãy"), and the English file speaks to a
    /// person, not to a "comrade".
    #[test]
    fn each_thing_has_one_name_in_each_language() {
        let other_names: [(Lang, &str, &str); 6] = [
            (Lang::Vi, "đường dẫn", "đường liên kết"),
            (Lang::Vi, "báo cáo #", "báo cáo số"),
            (Lang::Vi, "soạn", "lập phiếu"),
            (Lang::Vi, "hãy ", "đề nghị đồng chí"),
            (Lang::En, "report #", "report no."),
            (Lang::En, "comrade", "the member, or their name"),
        ];
        let mut found = Vec::new();
        for (lang, other, name) in other_names {
            let file = format!("{}/lienhe.ftl", lang.code());
            let data = Localizations::get(&file).expect("locale file is embedded");
            let text = std::str::from_utf8(&data.data).expect("locale file is UTF-8");
            for (n, line) in text.lines().enumerate() {
                if !line.starts_with('#') && line.to_lowercase().contains(other) {
                    found.push(format!(
                        "{file}:{}: «{other}» where the file says «{name}»: {line}",
                        n + 1
                    ));
                }
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    /// A code that matches no sheet tells the reader where to find the
    /// right one, in both languages.
    #[test]
    fn an_unknown_verification_code_says_where_the_code_is() {
        let vi = crate::t!(Lang::Vi, "verify-not-found");
        let en = crate::t!(Lang::En, "verify-not-found");
        assert!(vi.contains("in ở cuối phiếu"), "{vi}");
        assert!(en.contains("printed at the foot of the sheet"), "{en}");
    }

    /// A check-in code or a /sheet name that matches nothing says what to
    /// do next, in both languages.
    #[test]
    fn a_code_or_name_that_matches_nothing_says_what_to_do_next() {
        let checkin = |lang| crate::t!(lang, "checkin-unknown");
        assert!(
            checkin(Lang::Vi).contains("quét mã QR đang hiển thị tại cuộc họp"),
            "{}",
            checkin(Lang::Vi)
        );
        assert!(
            checkin(Lang::En).contains("scan the QR code shown at the meeting"),
            "{}",
            checkin(Lang::En)
        );
        let sheet = |lang| crate::t!(lang, "sheet-not-found", name = "Nguyễn Văn An");
        assert!(
            sheet(Lang::Vi).ends_with("Đề nghị kiểm tra lại họ tên."),
            "{}",
            sheet(Lang::Vi)
        );
        assert!(
            sheet(Lang::En).ends_with("Please check the name."),
            "{}",
            sheet(Lang::En)
        );
    }

    /// The `t!` calls in the source that pass no variable at all, by id:
    /// the macro checks the variables a call passes against the Vietnamese
    /// message, but not a call that passes none.
    fn ids_formatted_without_variables() -> std::collections::BTreeSet<String> {
        fn rust_files(dir: &std::path::Path, into: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("source directory is readable") {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    rust_files(&path, into);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    into.push(path);
                }
            }
        }
        let mut files = Vec::new();
        rust_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut ids = std::collections::BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("source file is UTF-8");
            let bytes = text.as_bytes();
            for (at, _) in text.match_indices("t!(") {
                let word_before =
                    at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
                let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
                if word_before || text[line_start..at].trim_start().starts_with("//") {
                    continue;
                }
                // The call's arguments, split at its own top-level commas.
                let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
                let mut parts = vec![String::new()];
                for c in text[at + 3..].chars() {
                    if in_string {
                        parts.last_mut().expect("a part").push(c);
                        match c {
                            _ if escaped => escaped = false,
                            '\\' => escaped = true,
                            '"' => in_string = false,
                            _ => {}
                        }
                        continue;
                    }
                    match c {
                        '"' => in_string = true,
                        '(' | '[' | '{' => depth += 1,
                        ')' | ']' | '}' if depth == 0 => break,
                        ')' | ']' | '}' => depth -= 1,
                        ',' if depth == 0 => {
                            parts.push(String::new());
                            continue;
                        }
                        _ => {}
                    }
                    parts.last_mut().expect("a part").push(c);
                }
                let parts: Vec<&str> = parts.iter().map(|p| p.trim()).collect();
                let without_variables = match parts.as_slice() {
                    [_, id] | [_, id, ""] => Some(id),
                    _ => None,
                };
                let literal = without_variables
                    .and_then(|id| id.strip_prefix('"'))
                    .and_then(|id| id.strip_suffix('"'));
                if let Some(id) = literal {
                    ids.insert(id.to_string());
                }
            }
        }
        ids
    }

    /// A message formatted with no variable uses none, in either language:
    /// otherwise its reader would see "{$name}" where a name belongs.
    #[test]
    fn messages_the_code_formats_without_variables_use_none() {
        let ids = ids_formatted_without_variables();
        assert!(
            ids.contains("cancelled") && ids.len() > 100,
            "{}",
            ids.len()
        );
        let mut wrong = Vec::new();
        for lang in [Lang::Vi, Lang::En] {
            let variables = variables_by_message(lang);
            for id in &ids {
                match variables.get(id) {
                    Some(used) if !used.is_empty() => {
                        wrong.push(format!("{lang:?} {id} uses {used:?}"))
                    }
                    Some(_) => {}
                    None => wrong.push(format!("{lang:?} {id}: no such message")),
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
