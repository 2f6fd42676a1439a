//! The order Vietnamese readers expect names in, the one a list printed by
//! hand would follow: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
//! v x y, letter by letter; then the tones (none, huyền, hỏi, ngã, sắc,
//! nặng); then lower case before upper case. Byte order (and SQLite's
//! `NOCASE`, which folds ASCII only) puts every name beginning with Đ, Á or
//! Ô after "Vũ" and "Yến".
//!
//! The store registers [`vietnamese`] with SQLite as the collation `vi`
//! (`ORDER BY m.full_name COLLATE vi`).

use std::cmp::Ordering;

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// One letter as the collation weighs it.
struct Letter {
    /// The base letter, lower case, with the marks that make another letter
    /// of it in Vietnamese (ă, â, đ, ê, ô, ơ, ư come right after their base).
    primary: u32,
    /// The tone (0 none, then huyền, hỏi, ngã, sắc, nặng; other marks after).
    tone: u8,
    upper: bool,
}

fn letters(s: &str) -> impl Iterator<Item = Letter> + '_ {
    let mut chars = s.nfd().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
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
            primary: (base as u32) * 4 + variant,
            tone,
            upper: c != lower,
        })
    })
}

/// Compares two texts in Vietnamese alphabetical order (see the module).
/// A total order: texts that weigh the same are ordered by their bytes.
pub fn vietnamese(a: &str, b: &str) -> Ordering {
    letters(a)
        .map(|l| l.primary)
        .cmp(letters(b).map(|l| l.primary))
        .then_with(|| letters(a).map(|l| l.tone).cmp(letters(b).map(|l| l.tone)))
        .then_with(|| letters(a).map(|l| l.upper).cmp(letters(b).map(|l| l.upper)))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        names.sort_by(|a, b| vietnamese(a, b));
        names
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
        for a in names {
            assert_eq!(vietnamese(a, a), Ordering::Equal);
            for b in names {
                assert_eq!(vietnamese(a, b), vietnamese(b, a).reverse(), "{a} / {b}");
                for c in names {
                    if vietnamese(a, b).is_lt() && vietnamese(b, c).is_lt() {
                        assert!(vietnamese(a, c).is_lt(), "{a} < {b} < {c}");
                    }
                }
            }
        }
    }
}
