//! How a list names members: namesakes of one cell told apart (the chat's
//! listings and choices, and the committee's monthly digest).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{domain::Lang, t};

/// A member as a list names them, with what tells them from a namesake of
/// their cell ([`told_apart`]).
pub struct Named<'a> {
    pub name: &'a str,
    pub cell: &'a str,
    pub phone: Option<&'a str>,
    /// The month they were introduced to the cell (mm/yyyy).
    pub introduced: String,
}

impl<'a> Named<'a> {
    /// Introduced on `introduced_on` as recorded, or for members from
    /// before it was asked in the month they were accepted.
    pub fn new(
        (name, cell, phone): (&'a str, &'a str, Option<&'a str>),
        introduced_on: Option<chrono::NaiveDate>,
        accepted_at: DateTime<Utc>,
        tz: Tz,
    ) -> Self {
        let accepted = accepted_at.with_timezone(&tz).date_naive();
        let introduced = crate::domain::schedule::Period::of(introduced_on.unwrap_or(accepted));
        Named {
            name,
            cell,
            phone,
            introduced: introduced.display(),
        }
    }
}

/// Members' names; namesakes of one cell, who would read the same, with
/// what tells them apart: the member's phone, or the month they were
/// introduced to the cell.
pub fn told_apart(lang: Lang, members: &[Named<'_>]) -> Vec<String> {
    let mut count: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for m in members {
        *count.entry((m.name, m.cell)).or_default() += 1;
    }
    members
        .iter()
        .map(|m| label(lang, m, count.get(&(m.name, m.cell)).copied().unwrap_or(0)))
        .collect()
}

/// A member's name, with what tells them apart where their cell has
/// `namesakes` members (themselves included) who read the same.
pub fn label(lang: Lang, m: &Named<'_>, namesakes: usize) -> String {
    let (name, month) = (m.name, m.introduced.as_str());
    match m.phone {
        _ if namesakes < 2 => name.to_string(),
        Some(phone) => t!(lang, "roster-namesake-phone", name = name, phone = phone),
        None => t!(lang, "namesake-introduced", name = name, month = month),
    }
}
