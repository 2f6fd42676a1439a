//! Statistics for secretaries and supervisors: monthly participation and
//! the year's reports by duty.

pub mod chart;

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::{
    domain::{review_year::evidence_months, schedule::Period},
    store::{
        Pool,
        yearly::{self, Scope},
    },
};

/// For each month of `year` up to the month of `today`, the share of the
/// members judged on that month (their evidence period contains it, see
/// [`evidence_months`]) with at least one approved report dated in it.
/// Months nobody is judged on are left out.
pub async fn participation(
    pool: &Pool,
    scope: Scope,
    year: i32,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Vec<(Period, f64)>> {
    let members: Vec<_> = yearly::members(pool, scope, year)
        .await?
        .into_iter()
        .filter(|m| m.exempt_reason.is_none())
        .collect();
    let from = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let until = NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid year");
    let activities = yearly::activities(pool, scope, from, until).await?;
    let active: HashSet<(i64, u32)> = activities
        .iter()
        .map(|(m, a)| (*m, a.date.month()))
        .collect();
    let periods: Vec<(i64, Vec<u32>)> = members
        .iter()
        .map(|m| {
            (
                m.membership_id,
                evidence_months(year, m.introduced(tz), today),
            )
        })
        .collect();
    Ok((1..=12u32)
        .filter_map(|month| {
            let judged: Vec<i64> = periods
                .iter()
                .filter(|(_, months)| months.contains(&month))
                .map(|(id, _)| *id)
                .collect();
            if judged.is_empty() {
                return None;
            }
            let with_activity = judged
                .iter()
                .filter(|id| active.contains(&(**id, month)))
                .count();
            let period = Period::new(year, month).expect("valid month");
            Some((period, with_activity as f64 / judged.len() as f64))
        })
        .collect())
}

/// Approved reports dated in `year`, by duty of Regulation 213.
pub async fn by_duty(pool: &Pool, scope: Scope, year: i32) -> sqlx::Result<BTreeMap<u8, u32>> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let until = NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid year");
    let mut counts = BTreeMap::new();
    for (_, a) in yearly::activities(pool, scope, from, until).await? {
        for d in a.duties {
            *counts.entry(d).or_default() += 1;
        }
    }
    Ok(counts)
}
