//! The order Vietnamese readers expect names in, the one a list printed by
//! hand would follow: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
//! v x y, letter by letter; then the tones (none, huyền, hỏi, ngã, sắc,
//! nặng); then lower case before upper case. Byte order (and SQLite's
//! `NOCASE`, which folds ASCII only) puts every name beginning with Đ, Á or
//! Ô after "Vũ" and "Yến". A run of digits weighs as the number it writes,
//! so "Chi bộ Khu phố 2" comes before "Chi bộ Khu phố 10".
//!
//! A person's name is listed by the given name (its last word) first, then
//! the family and middle names, as official Vietnamese lists are: "Trần Văn
//! An" before "Lê Thị Bình", and the two "Bình" by "Lê Thị" and "Nguyễn Văn".
//!
//! The store registers [`vietnamese`] with SQLite as the collation `vi`
//! (names of cells, wards, workplaces: `ORDER BY c.name COLLATE vi`) and
//! [`person_name`] as `vi_name` (`ORDER BY m.full_name COLLATE vi_name`).

use std::cmp::Ordering;

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// One letter as the collation weighs it.
struct Letter {
    /// The base letter, lower case, with the marks that make another letter
    /// of it in Vietnamese (ă, â, đ, ê, ô, ơ, ư come right after their base),
    /// in the high half; a run of digits weighs where "0" does, plus the
    /// number it writes in the low half.
    primary: u128,
    /// The tone (0 none, then huyền, hỏi, ngã, sắc, nặng; other marks after).
    tone: u8,
    upper: bool,
}

fn letters(s: &str) -> impl Iterator<Item = Letter> + '_ {
    let mut chars = s.nfd().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        if c.is_ascii_digit() {
            let mut number = u64::from(c as u8 - b'0');
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                number = number
                    .saturating_mul(10)
                    .saturating_add(u64::from(d as u8 - b'0'));
                chars.next();
            }
            return Some(Letter {
                primary: (u128::from('0' as u32 * 4) << 64) | u128::from(number),
                tone: 0,
                upper: false,
            });
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        let (base, mut variant) = match lower {
            'đ' => ('d', 1),
            other => (other, 0),
        };
        let mut tone = 0;
        while let Some(&mark) = chars.peek() {
            match mark {
                '\u{0306}' => variant = 1, // breve: ă
                '\u{0302}' => variant = 2, // circumflex: â ê ô
                '\u{031B}' => variant = 3, // horn: ơ ư
                '\u{0300}' => tone = 1,    // huyền
                '\u{0309}' => tone = 2,    // hỏi
                '\u{0303}' => tone = 3,    // ngã
                '\u{0301}' => tone = 4,    // sắc
                '\u{0323}' => tone = 5,    // nặng
                other if is_combining_mark(other) => tone = 6,
                _ => break,
            }
            chars.next();
        }
        Some(Letter {
            primary: u128::from(base as u32 * 4 + variant) << 64,
            tone,
            upper: c != lower,
        })
    })
}

/// Compares two texts in Vietnamese alphabetical order (see the module).
/// A total order: texts that weigh the same are ordered by their bytes.
pub fn vietnamese(a: &str, b: &str) -> Ordering {
    weigh([a], [b]).then_with(|| a.cmp(b))
}

/// Compares two persons' names as an official list orders them: by the
/// given name (the last word), then the family and middle names, each in
/// Vietnamese alphabetical order. A total order, as [`vietnamese`].
pub fn person_name(a: &str, b: &str) -> Ordering {
    weigh(given_first(a), given_first(b)).then_with(|| a.cmp(b))
}

/// A name's parts in the order a list weighs them: the given name, a
/// space, the family and middle names.
fn given_first(name: &str) -> [&str; 3] {
    let name = name.trim();
    match name.rfind(char::is_whitespace) {
        Some(at) => [name[at..].trim_start(), " ", name[..at].trim_end()],
        None => [name, "", ""],
    }
}

/// Weighs two texts (each the concatenation of its parts) letter by letter,
/// then by their tones, then by their case.
fn weigh<const A: usize, const B: usize>(a: [&str; A], b: [&str; B]) -> Ordering {
    let a = || a.into_iter().flat_map(letters);
    let b = || b.into_iter().flat_map(letters);
    a().map(|l| l.primary)
        .cmp(b().map(|l| l.primary))
        .then_with(|| a().map(|l| l.tone).cmp(b().map(|l| l.tone)))
        .then_with(|| a().map(|l| l.upper).cmp(b().map(|l| l.upper)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        names.sort_by(|a, b| vietnamese(a, b));
        names
    }

    /// `order` is reflexive, antisymmetric and transitive over `names`.
    fn assert_total(order: fn(&str, &str) -> Ordering, names: &[&str]) {
        for &a in names {
            assert_eq!(order(a, a), Ordering::Equal);
            for &b in names {
                assert_eq!(order(a, b), order(b, a).reverse(), "{a} / {b}");
                for &c in names {
                    if order(a, b).is_lt() && order(b, c).is_lt() {
                        assert!(order(a, c).is_lt(), "{a} < {b} < {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn names_follow_the_vietnamese_alphabet() {
        let expected = [
            "An",
            "Anh",
            "Ánh",
            "Ăn",
            "Âu",
            "Bình",
            "Dũng",
            "Dương",
            "Đặng Văn Bình",
            "Đỗ Thị Lan",
            "Em",
            "Ê",
            "Hà",
            "Oanh",
            "Ông Văn Tư",
            "Ơn",
            "Uyên",
            "Ưng",
            "Vũ Văn Bình",
            "Yến",
        ];
        let mut shuffled = expected.to_vec();
        shuffled.reverse();
        shuffled.swap(0, 7);
        assert_eq!(sorted(&shuffled), expected);
    }

    #[test]
    fn tones_come_after_letters_in_their_order() {
        let expected = ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bac"];
        let mut shuffled = expected.to_vec();
        shuffled.rotate_left(3);
        assert_eq!(sorted(&shuffled), expected);
        // A letter decides before a tone anywhere else in the name.
        assert_eq!(vietnamese("Bá An", "Ba Bình"), Ordering::Less);
        assert_eq!(vietnamese("Bà An", "Ba An"), Ordering::Greater);
    }

    #[test]
    fn case_and_composition_do_not_move_a_name() {
        assert_eq!(vietnamese("đặng", "ĐẶNG"), Ordering::Less);
        assert_eq!(vietnamese("ĐẶNG", "Đặng Văn"), Ordering::Less);
        assert_eq!(vietnamese("ĐẶNG B", "đặng a"), Ordering::Greater);
        // "Ậ" typed composed and decomposed (marks in either order) weighs
        // the same; only their bytes tell them apart.
        let composed = "Ậu";
        let decomposed = "A\u{0323}\u{0302}u";
        let marks_swapped = "A\u{0302}\u{0323}u";
        assert_ne!(vietnamese(composed, decomposed), Ordering::Equal);
        for other in [decomposed, marks_swapped] {
            assert_eq!(
                letters(composed)
                    .map(|l| (l.primary, l.tone))
                    .collect::<Vec<_>>(),
                letters(other)
                    .map(|l| (l.primary, l.tone))
                    .collect::<Vec<_>>()
            );
        }
        assert_eq!(vietnamese("Lan", "Lan"), Ordering::Equal);
        assert_eq!(vietnamese("", "A"), Ordering::Less);
    }

    #[test]
    fn the_order_is_total_and_consistent() {
        let names = [
            "An",
            "an",
            "Ân",
            "ân",
            "Ấn",
            "Đỗ",
            "do",
            "Do",
            "Dô",
            "Đô",
            "Ư",
            "U",
            "u",
            "Ứ",
            "Z",
            "1 An",
            " An",
            "An ",
            "Ảnh",
            "Anh",
            "\u{0301}x",
            "x\u{0301}",
            "Ⅻ",
            "ß",
            "İ",
        ];
        assert_total(vietnamese, &names);
    }

    #[test]
    fn numbers_weigh_as_numbers() {
        let expected = [
            "Chi bộ Khu phố 1",
            "Chi bộ Khu phố 02",
            "Chi bộ Khu phố 2",
            "Chi bộ Khu phố 9",
            "Chi bộ Khu phố 10",
            "Chi bộ Khu phố 10A",
            "Chi bộ Khu phố 11",
            "Chi bộ Khu phố An",
        ];
        let mut shuffled = expected.to_vec();
        shuffled.reverse();
        assert_eq!(sorted(&shuffled), expected);
        // A number too long for 64 bits still sorts, after the shorter ones.
        assert_eq!(
            vietnamese("Tổ 99999999999999999999999", "Tổ 7"),
            Ordering::Greater
        );
    }

    #[test]
    fn persons_are_listed_by_their_given_name_first() {
        let expected = [
            "Trần Văn An",
            "Nguyễn Thị Anh",
            "Bình",
            "Lê Thị Bình",
            "Nguyễn Văn Bình",
            "  Phạm   Bình  ",
            "Vũ Văn Bình",
            "Đỗ Thị Lan",
            "Đặng Văn Tư",
        ];
        let mut shuffled = expected.to_vec();
        shuffled.reverse();
        shuffled.swap(2, 6);
        let mut names: Vec<&str> = shuffled;
        names.sort_by(|a, b| person_name(a, b));
        assert_eq!(names, expected);
        // The family name decides only between equal given names.
        assert_eq!(person_name("Vũ An", "Bùi Ánh"), Ordering::Less);
        assert_eq!(person_name("Vũ Ánh", "Bùi Ánh"), Ordering::Greater);
    }

    #[test]
    fn the_person_order_is_total_and_consistent() {
        let names = [
            "An",
            "an",
            "Trần An",
            "trần an",
            "Trần  An",
            " Trần An ",
            "Lê Văn An",
            "Lê Văn  an",
            "Đỗ Ân",
            "Do An",
            "An Do",
            "An 2",
            "An 10",
            "",
            " ",
            "\u{0301}x y",
            "x y\u{0301}",
        ];
        assert_total(person_name, &names);
    }
}
