//! What a typed text shows to the one who reads it.

/// Characters that show nothing: zero-width spaces and joiners, direction
/// marks and overrides, the word joiner and its kin, the byte-order mark,
/// the soft hyphen, fillers (Hangul, Braille blank) and variation
/// selectors. A text made only of these (and spaces) is empty to a reader,
/// though not to `str::trim`.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Control characters other than the line break, the carriage return and
/// the tab: a NUL, a bell, an escape. No keyboard types them and no reader
/// sees them (a text of them shows nothing, or boxes), and the XML of a
/// document refuses most of them.
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// `s` without the spaces, invisible characters and stray control
/// characters at either end (those inside, such as the joiners of an
/// emoji, stay).
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || is_invisible(c) || is_stray_control(c))
}

/// `s` without its stray control characters ([`is_stray_control`]), kept
/// as it is when it has none.
pub fn without_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_stray_control) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !is_stray_control(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `s` without any invisible character (for names, which never need one).
pub fn visible(s: &str) -> String {
    s.chars().filter(|&c| !is_invisible(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_trimmed_like_spaces() {
        for blank in [
            "\u{200B}",
            " \u{200B}\u{FEFF} ",
            "\u{2060}\u{00AD}",
            "\u{3164}",
            "\u{2800}\n",
        ] {
            assert_eq!(trim(blank), "", "{blank:?}");
        }
        assert_eq!(trim("\u{200B} Dọn vệ sinh \u{200E}"), "Dọn vệ sinh");
        // A NUL, a bell, an escape show nothing either.
        assert_eq!(trim("\u{0}\u{7} \u{1B}"), "");
        assert_eq!(
            without_controls("Dọn\u{0} vệ\u{7F} sinh\n"),
            "Dọn vệ sinh\n"
        );
        // Inside, a joiner stays (an emoji sequence needs it).
        assert_eq!(trim("👨\u{200D}👩"), "👨\u{200D}👩");
        assert_eq!(visible("Khối\u{200B} 5"), "Khối 5");
    }
}
