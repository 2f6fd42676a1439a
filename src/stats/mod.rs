//! Statistics for secretaries and supervisors: monthly participation and
//! the year's reports by duty, and who gave nothing but money.

pub mod chart;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::{
    domain::{
        review_year::{Exempted, excused, judged_on},
        schedule::Period,
    },
    store::{
        Pool,
        yearly::{self, Scope},
    },
};

/// The 12 months a chart of `year` shows, oldest first: the last 12 months
/// up to the month of `today` for the current year (across the new year),
/// January to December for a past one.
pub fn chart_months(year: i32, today: NaiveDate) -> Vec<Period> {
    // A year before 1900 (refused by the callers): this year's, not a panic.
    let last = match Period::new(year, 12) {
        Some(december) if year < today.year() => december,
        _ => Period::of(today),
    };
    let mut months = vec![last];
    while months.len() < 12 {
        let earlier = months[months.len() - 1].previous();
        months.push(earlier);
    }
    months.reverse();
    months
}

/// For each of the 12 months of [`chart_months`], the share of the members
/// judged on that month (introduced to the cell by then, and not in an
/// exemption then, held now or lifted since: `review_year::judged_on`)
/// with at least one approved report of contact dated in it (money alone
/// is not contact); NaN for a month nobody was judged on (drawn without a
/// percentage). Empty when the scope has nobody judged in the year (all
/// exempt since their introduction).
pub async fn participation(
    pool: &Pool,
    scope: Scope,
    year: i32,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Vec<(Period, f64)>> {
    // A year outside 1900–9999 is refused (an error, never a panic).
    yearly::year_bounds(year)?;
    let months = chart_months(year, today);
    let last = months[months.len() - 1];
    // (membership, first month judged, exemptions).
    let members: Vec<(i64, Period, Vec<Exempted>)> = yearly::members(pool, scope, last.year, tz)
        .await?
        .iter()
        .map(|m| (m.membership_id, m.introduced(tz), m.exemptions(tz)))
        // Exempt since their introduction: judged on no month.
        .filter(|(_, introduced, exemptions)| !excused(*introduced, exemptions))
        .collect();
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let activities = yearly::activities(pool, scope, months[0].first_day(), last.end()).await?;
    let active: HashSet<(i64, Period)> = activities
        .iter()
        .filter(|(_, a)| a.is_contact())
        .map(|(m, a)| (*m, Period::of(a.date)))
        .collect();
    Ok(months
        .into_iter()
        .map(|month| {
            let judged: Vec<i64> = members
                .iter()
                .filter(|(_, introduced, exemptions)| judged_on(month, *introduced, exemptions))
                .map(|(id, ..)| *id)
                .collect();
            let with_activity = judged
                .iter()
                .filter(|id| active.contains(&(**id, month)))
                .count();
            let share = if judged.is_empty() {
                f64::NAN
            } else {
                with_activity as f64 / judged.len() as f64
            };
            (month, share)
        })
        .collect())
}

/// The approved reports dated in a year, counted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct YearCounts {
    /// By duty of Regulation 213.
    pub by_duty: BTreeMap<u8, u32>,
    /// Members whose approved reports of the year are all contributions of
    /// money: money alone is not contact, and is shown as such.
    pub money_only: u32,
}

/// Approved reports dated in `year`, by duty of Regulation 213, and the
/// members with nothing but money: of the members the year's export and
/// `/status` list (a member introduced after the year is in neither, and
/// their report dated in it is no figure of the year either).
pub async fn year_counts(pool: &Pool, scope: Scope, year: i32, tz: Tz) -> sqlx::Result<YearCounts> {
    let (from, until) = yearly::year_bounds(year)?;
    let listed: HashSet<i64> = yearly::members(pool, scope, year, tz)
        .await?
        .iter()
        .map(|m| m.membership_id)
        .collect();
    let mut counts = YearCounts::default();
    // Per membership: whether any of its reports is contact.
    let mut contact: HashMap<i64, bool> = HashMap::new();
    let activities = yearly::activities(pool, scope, from, until).await?;
    for (m, a) in activities.into_iter().filter(|(m, _)| listed.contains(m)) {
        *contact.entry(m).or_default() |= a.is_contact();
        for d in a.duties {
            *counts.by_duty.entry(d).or_default() += 1;
        }
    }
    counts.money_only = contact.values().filter(|c| !**c).count() as u32;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(year: i32, today: (i32, u32, u32)) -> (String, String, usize) {
        let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap();
        let months = chart_months(year, today);
        (
            months[0].display(),
            months[months.len() - 1].display(),
            months.len(),
        )
    }

    #[test]
    fn twelve_months_up_to_this_one_or_a_past_year_s_twelve() {
        for (year, today, first, last) in [
            (2026, (2026, 11, 20), "12/2025", "11/2026"),
            (2026, (2026, 12, 31), "01/2026", "12/2026"),
            (2027, (2027, 1, 1), "02/2026", "01/2027"),
            (2027, (2027, 6, 10), "07/2026", "06/2027"),
            // In the review season the year before is a whole past year.
            (2026, (2027, 2, 15), "01/2026", "12/2026"),
        ] {
            assert_eq!(
                shown(year, today),
                (first.to_string(), last.to_string(), 12),
                "{year} on {today:?}"
            );
        }
    }
}
