//! Kinds of residence activity and the duties of Regulation 213 they serve.

use super::Lang;

/// A kind of activity as stored in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityKind {
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Duty numbers of Regulation 213, Art. 2 (1 to 7).
    pub duties: Vec<u8>,
}

impl ActivityKind {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.name_vi,
            Lang::En => &self.name_en,
        }
    }
}

/// Parses the stored duty list ("2,5"), ignoring anything that is not a duty.
pub fn parse_duties(s: &str) -> Vec<u8> {
    s.split(',')
        .filter_map(|d| d.trim().parse::<u8>().ok())
        .filter(|d| (1..=7).contains(d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duties() {
        assert_eq!(parse_duties("2,5"), vec![2, 5]);
        assert_eq!(parse_duties(""), Vec::<u8>::new());
        assert_eq!(parse_duties("3, 9, x"), vec![3]);
    }
}
