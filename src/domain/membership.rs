//! Membership of a residence cell: names, phones and the join request.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_WORKPLACE_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    Pending,
    Approved,
    Rejected,
    Left,
}

impl MembershipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Pending => "pending",
            MembershipStatus::Approved => "approved",
            MembershipStatus::Rejected => "rejected",
            MembershipStatus::Left => "left",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => MembershipStatus::Pending,
            "approved" => MembershipStatus::Approved,
            "rejected" => MembershipStatus::Rejected,
            "left" => MembershipStatus::Left,
            _ => return None,
        })
    }
}

/// Exemption from residence meetings (guidance 33-HD/BTCTW).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    /// Army and police living in barracks.
    Barracks,
    /// Rotated cadres living in official housing.
    OfficialHousing,
    /// Full-time study of 12 months or more.
    FullTimeStudy,
    /// Students studying away from home.
    StudentAway,
}

impl Exemption {
    pub const ALL: [Exemption; 4] = [
        Exemption::Barracks,
        Exemption::OfficialHousing,
        Exemption::FullTimeStudy,
        Exemption::StudentAway,
    ];

    /// As stored and as typed by the operator.
    pub fn code(self) -> &'static str {
        match self {
            Exemption::Barracks => "barracks",
            Exemption::OfficialHousing => "official-housing",
            Exemption::FullTimeStudy => "full-time-study",
            Exemption::StudentAway => "student-away",
        }
    }

    pub fn parse(s: &str) -> Option<Exemption> {
        Exemption::ALL.into_iter().find(|e| e.code() == s.trim())
    }
}

/// Why a membership ended (issue 8: members move and change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    /// Moved to another cell through its invite link (set on approval).
    Moved,
    /// Left the cell's area.
    LeftArea,
    /// Retired from work.
    Retired,
    /// Party activity transferred elsewhere.
    Transferred,
}

impl EndReason {
    /// The reasons a secretary may choose on a member's card.
    pub const CHOSEN_BY_SECRETARY: [EndReason; 3] = [
        EndReason::LeftArea,
        EndReason::Retired,
        EndReason::Transferred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Moved => "moved",
            EndReason::LeftArea => "left_area",
            EndReason::Retired => "retired",
            EndReason::Transferred => "transferred",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            EndReason::Moved,
            EndReason::LeftArea,
            EndReason::Retired,
            EndReason::Transferred,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// The longest reason a secretary may type when ending a membership.
pub const MAX_END_NOTE_CHARS: usize = 500;

/// A secretary's reason for ending a membership: trimmed, not empty, bounded.
pub fn clean_end_note(input: &str) -> Result<String, TextError> {
    clean_text(input, MAX_END_NOTE_CHARS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong {
        max: usize,
    },
    /// Not a person's full name (see [`clean_full_name`]).
    NotAName,
    /// Not a workplace's name: no letter at all (see [`clean_workplace`]).
    NotAWorkplace,
}

/// Drops stray control characters (a NUL, a bell: nobody types or sees
/// them), trims (spaces and invisible characters: a text of zero-width
/// spaces is empty), normalises to NFC (Vietnamese keyboards send both
/// composed and decomposed letters) and checks a free text of at most
/// `max` characters.
pub fn clean_text(input: &str, max: usize) -> Result<String, TextError> {
    let input = super::text::without_controls(input);
    let text: String = super::text::trim(&input).nfc().collect();
    let text = text.as_str();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(text.to_string())
}

/// A one-line free text (a workplace's name): line breaks, tabs and other
/// control characters become spaces, invisible characters (zero-width,
/// direction overrides) go, whitespace is collapsed; then [`clean_text`].
/// Shown on a line of a card, it cannot start a line of its own that looks
/// like the bot's.
pub fn clean_line(input: &str, max: usize) -> Result<String, TextError> {
    let visible = super::text::visible(input);
    let words = visible.split(|c: char| c.is_whitespace() || c.is_control());
    let line = words
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    clean_text(&line, max)
}

/// The name of a workplace a member types (one not registered): one line
/// ([`clean_line`]) with a letter at least. Digits or punctuation alone
/// ("123", "11/2026", "...": a month or a phone typed at the wrong
/// question) name no workplace: neither the cell nor the workplace's
/// officer could tell which one it is.
pub fn clean_workplace(input: &str) -> Result<String, TextError> {
    let name = clean_line(input, MAX_WORKPLACE_CHARS)?;
    if !name.chars().any(char::is_alphabetic) {
        return Err(TextError::NotAWorkplace);
    }
    Ok(name)
}

/// A person's full name: one line, whitespace collapsed, NFC; at least two
/// words (family and given name), each a letter followed by letters (an
/// apostrophe, hyphen or full stop inside: "H'Hen Niê", "Nguyễn V. An");
/// no digits or symbols. Each word's first letter is capitalised, as the
/// name is written on an official sheet ("nguyễn văn an" is "Nguyễn Văn
/// An"; "NGUYỄN VĂN AN" stays as typed).
pub fn clean_full_name(input: &str) -> Result<String, TextError> {
    // Characters nobody sees, copied along with a name from another app or
    // a document (a zero-width space, a direction mark, a soft hyphen),
    // would make it "no name" while it reads as one: a name never needs one.
    let visible = super::text::visible(input);
    let collapsed = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = clean_text(&collapsed, MAX_NAME_CHARS)?;
    let is_word = |w: &str| {
        w.chars().next().is_some_and(char::is_alphabetic)
            && w.chars().all(|c| {
                c.is_alphabetic()
                    || unicode_normalization::char::is_combining_mark(c)
                    || matches!(c, '\'' | '\u{2019}' | '-' | '.')
            })
    };
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() < 2 || !words.iter().all(|w| is_word(w)) {
        return Err(TextError::NotAName);
    }
    Ok(words
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + chars.as_str()
        })
        .collect::<Vec<_>>()
        .join(" "))
}

/// The key two names are compared by: NFC, lower case, single spaces, no
/// invisible characters (a name copied from elsewhere often has some).
pub fn name_key(name: &str) -> String {
    let visible = super::text::visible(name);
    let collapsed = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.nfc().collect::<String>().to_lowercase()
}

/// The key a typed search is matched by: `name_key` without accents
/// ("Sở Tư pháp" and "so tu phap" fold alike; "đ" folds to "d").
pub fn name_fold(name: &str) -> String {
    name_key(name)
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The items whose name `typed` names: those whose whole name it is (with
/// its accents, else without: "nguyen van an"), else those whose name
/// contains it (likewise). A whole name typed is never lost among the
/// longer names that contain it ("Nguyễn Văn An" among the "Nguyễn Văn
/// Anh"s).
pub fn named<T: Clone>(items: &[T], typed: &str, name: impl Fn(&T) -> &str) -> Vec<T> {
    let (key, fold) = (name_key(typed), name_fold(typed));
    let tiers: [&dyn Fn(&str) -> bool; 4] = [
        &|n| name_key(n) == key,
        &|n| name_fold(n) == fold,
        &|n| name_key(n).contains(&key),
        &|n| name_fold(n).contains(&fold),
    ];
    for tier in tiers {
        let found: Vec<T> = items.iter().filter(|i| tier(name(i))).cloned().collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Accepts a typed phone number and returns it in one form, whichever way
/// it was written: a Vietnamese number as rosters are read
/// ([`normalize_phone`](super::roster::normalize_phone): "+84 912 345 678",
/// "(091) 234-5678" and "0912.345.678" are all `0912345678`); another
/// country's, written with "+" (or "00") and 9 to 15 digits, as "+" and
/// its digits. Characters some apps paste along unseen are dropped.
pub fn clean_phone(input: &str) -> Option<String> {
    let input = super::text::visible(input);
    let input = input.trim();
    if let Some(national) = super::roster::normalize_phone(input) {
        return Some(national);
    }
    let rest = input
        .strip_prefix('+')
        .or_else(|| input.strip_prefix("00"))?;
    if !rest.chars().all(|c| {
        c.is_ascii_digit() || matches!(c, ' ' | '.' | '(' | ')') || super::roster::is_dash(c)
    }) {
        return None;
    }
    // The trunk 0 some write in brackets after the country ("+44 (0)20 …")
    // is not dialled from abroad: no part of the number.
    let digits: String = rest
        .replace("(0)", "")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    // A Vietnamese number that is none (a digit too many, say).
    (!digits.starts_with("84") && (9..=15).contains(&digits.len())).then(|| format!("+{digits}"))
}

/// A phone number shared as a Telegram contact (international, with or
/// without its "+"), in the form [`clean_phone`] gives a typed one; as it
/// came if it reads as none.
pub fn contact_phone(shared: &str) -> String {
    let digits = shared.trim().trim_start_matches('+');
    clean_phone(&format!("+{digits}")).unwrap_or_else(|| shared.trim().to_string())
}

/// Where the member works: a registered workplace, or a name they typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkplaceChoice {
    Registered { id: i64, name: String },
    Other { name: String },
}

impl WorkplaceChoice {
    pub fn name(&self) -> &str {
        match self {
            WorkplaceChoice::Registered { name, .. } | WorkplaceChoice::Other { name } => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_name_comes_before_the_names_containing_it() {
        let names = ["Nguyễn Văn Anh", "Nguyễn Văn An", "Nguyễn Văn Ân", "Lê An"];
        let by = |typed: &str| named(&names, typed, |n| n);
        assert_eq!(by("nguyễn văn an"), ["Nguyễn Văn An"]);
        assert_eq!(by("nguyen van an"), ["Nguyễn Văn An", "Nguyễn Văn Ân"]);
        // Accents typed count first; without them, they are folded.
        assert_eq!(by("Văn A"), ["Nguyễn Văn Anh", "Nguyễn Văn An"]);
        assert_eq!(by("văn â"), ["Nguyễn Văn Ân"]);
        assert_eq!(by("an"), ["Nguyễn Văn Anh", "Nguyễn Văn An", "Lê An"]);
        assert!(by("Trần").is_empty());
    }

    #[test]
    fn a_one_line_text_keeps_no_line_break_or_invisible_character() {
        let typed = "Công an phường\n✉️ Được giới thiệu bởi:\r\tSở\u{202E} Tư\u{200B} pháp\u{0007}";
        assert_eq!(
            clean_line(typed, 200),
            Ok("Công an phường \u{2709} Được giới thiệu bởi: Sở Tư pháp".into())
        );
        assert_eq!(
            clean_line("\u{200B}\n \u{202E}", 200),
            Err(TextError::Empty)
        );
        // Names copied with invisible characters match the stored name.
        assert_eq!(
            name_key("Sở Tư\u{200B} pháp\u{FEFF}"),
            name_key("sở tư pháp")
        );
        assert_eq!(
            name_fold("Nguyễn Văn\u{200E} An"),
            name_fold("nguyen van an")
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            clean_full_name("  Nguyễn   Văn  An "),
            Ok("Nguyễn Văn An".into())
        );
        assert_eq!(clean_full_name("   "), Err(TextError::Empty));
        assert_eq!(
            clean_full_name(&"Ư".repeat(101)),
            Err(TextError::TooLong {
                max: MAX_NAME_CHARS
            })
        );
        assert!(clean_full_name(&format!("Lê {}", "Ư".repeat(97))).is_ok());
    }

    #[test]
    fn a_typed_workplace_has_a_letter() {
        for good in ["Sở Tư pháp", "UBND xã 3", "Trường THPT số 1", "A"] {
            assert!(clean_workplace(good).is_ok(), "{good}");
        }
        for bad in ["123", "11/2026", "0912 345 678", "...", "- / -"] {
            assert_eq!(clean_workplace(bad), Err(TextError::NotAWorkplace), "{bad}");
        }
        assert_eq!(clean_workplace("  "), Err(TextError::Empty));
    }

    #[test]
    fn a_full_name_is_two_words_or_more_of_letters() {
        for ok in [
            "Nguyễn Văn An",
            "Lê Thị",
            "H'Hen Niê",
            "Nguyễn V. An",
            "Trần-Lê Minh",
            "NGUYỄN VĂN AN",
            "Y Moan Êban",
        ] {
            assert_eq!(clean_full_name(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "An",
            "12345",
            "Nguyễn Văn 3",
            "😀 😀",
            "<script> x",
            "Nguyễn, Văn An",
            "- An",
            "'An Lê",
        ] {
            assert_eq!(clean_full_name(bad), Err(TextError::NotAName), "{bad}");
        }
        assert_eq!(
            clean_full_name("nguyễn văn an").as_deref(),
            Ok("Nguyễn Văn An")
        );
        assert_eq!(clean_full_name("đỗ\nthu   hà").as_deref(), Ok("Đỗ Thu Hà"));
    }

    #[test]
    fn names_compare_ignoring_case_spacing_and_composition() {
        let composed = "Ủy ban Nhân dân  PHƯỜNG";
        let decomposed: String = "ủy ban nhân dân phường".nfd().collect();
        assert_eq!(name_key(composed), name_key(&decomposed));
        assert_eq!(
            clean_full_name(&decomposed).unwrap(),
            "Ủy Ban Nhân Dân Phường".nfc().collect::<String>()
        );
    }

    #[test]
    fn phones() {
        assert_eq!(clean_phone("0912 345 678"), Some("0912345678".into()));
        for vietnamese in [
            "+84 912-345-678",
            "84912345678",
            "0912.345.678",
            "+84 0912 345 678",
            "(091) 234-5678",
            "0912345678\u{200B}",
        ] {
            assert_eq!(
                clean_phone(vietnamese),
                Some("0912345678".into()),
                "{vietnamese}"
            );
        }
        assert_eq!(clean_phone("+1 202 555 0143"), Some("+12025550143".into()));
        assert_eq!(clean_phone("+840912345678 9"), None);
        assert_eq!(clean_phone("0112345678"), None);
        assert_eq!(contact_phone("84912345678"), "0912345678");
        assert_eq!(contact_phone("+84912345678"), "0912345678");
        assert_eq!(contact_phone("12025550143"), "+12025550143");
        assert_eq!(clean_phone("12345"), None);
        assert_eq!(clean_phone("09123abc78"), None);
        assert_eq!(clean_phone("Bỏ qua"), None);
    }

    #[test]
    fn end_reasons_round_trip_and_moving_is_not_chosen_by_hand() {
        for r in [
            EndReason::Moved,
            EndReason::LeftArea,
            EndReason::Retired,
            EndReason::Transferred,
        ] {
            assert_eq!(EndReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(EndReason::parse("fired"), None);
        assert!(!EndReason::CHOSEN_BY_SECRETARY.contains(&EndReason::Moved));
        assert_eq!(clean_end_note("  "), Err(TextError::Empty));
        assert_eq!(clean_end_note(" Về quê "), Ok("Về quê".into()));
    }

    #[test]
    fn statuses_round_trip() {
        for s in [
            MembershipStatus::Pending,
            MembershipStatus::Approved,
            MembershipStatus::Rejected,
            MembershipStatus::Left,
        ] {
            assert_eq!(MembershipStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn names_fold_without_accents() {
        assert_eq!(
            super::name_fold("Sở  Tư pháp tỉnh Nghệ An"),
            "so tu phap tinh nghe an"
        );
        assert_eq!(super::name_fold("ĐẢNG ỦY Đô Lương"), "dang uy do luong");
        assert_eq!(super::name_fold("so tu phap"), "so tu phap");
        assert_eq!(super::name_fold("So\u{302}\u{301} Tu\u{31b}"), "so tu");
        assert_eq!(super::name_fold("Số Tư"), "so tu");
    }
}
