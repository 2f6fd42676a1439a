//! Statistics for secretaries and supervisors: monthly participation and
//! the year's reports by duty.

pub mod chart;

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::{
    domain::schedule::Period,
    store::{
        Pool,
        yearly::{self, Scope},
    },
};

/// The share of members with at least one approved report, for each of
/// the 12 months ending with the month of `today`.
pub async fn participation(
    pool: &Pool,
    scope: Scope,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Vec<(Period, f64)>> {
    let current = Period::of(today);
    let mut months = vec![current];
    while months.len() < 12 {
        let previous = months.last().expect("not empty").previous();
        months.push(previous);
    }
    months.reverse();
    let members: Vec<_> = yearly::members(pool, scope, current.year)
        .await?
        .into_iter()
        .filter(|m| m.exempt_reason.is_none())
        .collect();
    let activities = yearly::activities(pool, scope, months[0].first_day(), current.end()).await?;
    let active: HashSet<(i64, Period)> = activities
        .iter()
        .map(|(m, a)| (*m, Period::of(a.date)))
        .collect();
    Ok(months
        .into_iter()
        .map(|month| {
            let eligible: Vec<_> = members
                .iter()
                .filter(|m| Period::of(m.active_since.with_timezone(&tz).date_naive()) <= month)
                .collect();
            let with_activity = eligible
                .iter()
                .filter(|m| active.contains(&(m.membership_id, month)))
                .count();
            let share = if eligible.is_empty() {
                0.0
            } else {
                with_activity as f64 / eligible.len() as f64
            };
            (month, share)
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
