//! What the year-end views read: members of a scope with their sheet, and
//! their approved activities.

use chrono::{DateTime, NaiveDate, Utc};

use super::Pool;
use crate::domain::{
    activity::parse_duties, review_year::introduced_period, schedule::Period,
    sheet::ApprovedActivity,
};

/// Whose members a view or an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Cell(i64),
    Ward(i64),
    Workplace(i64),
    /// One member.
    Membership(i64),
}

impl Scope {
    /// The value bound to the scope's condition (the conditions are in the
    /// queries below, one per scope).
    fn id(self) -> i64 {
        match self {
            Scope::All => 1,
            Scope::Cell(id) | Scope::Ward(id) | Scope::Workplace(id) | Scope::Membership(id) => id,
        }
    }
}

/// An approved member with names and the year's sheet. A member who moved
/// is active since the membership they moved from began.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub membership_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub cell_id: i64,
    pub cell_name: String,
    pub ward_id: i64,
    pub ward_name: String,
    pub workplace_id: Option<i64>,
    pub workplace_name: Option<String>,
    pub exempt_reason: Option<String>,
    pub active_since: DateTime<Utc>,
    pub introduced_on: Option<NaiveDate>,
    /// Every exemption held, as [`exemptions_sql`] reads them.
    pub exemptions: String,
    /// The exemptions lifted, with their reasons: `[[since, until,
    /// reason], …]` (Unix seconds).
    pub lifted: String,
    pub sheet_id: Option<i64>,
    pub sheet_state: Option<String>,
    pub sheet_criteria: Option<String>,
    pub sheet_code: Option<String>,
    /// How many workplace officers the signed sheet was queued to (`None`:
    /// not signed, or signed before this was kept).
    pub sheet_officers: Option<i64>,
    /// The member's answer to the draft sent them: `accepted`,
    /// `responded`, or `None` (not answered, or not sent).
    pub sheet_answer: Option<String>,
}

impl MemberRow {
    /// The month the member was introduced to the cell (the month they were
    /// accepted, for members from before it was asked).
    pub fn introduced(&self, tz: chrono_tz::Tz) -> Period {
        introduced_period(
            self.introduced_on,
            self.active_since.with_timezone(&tz).date_naive(),
            &self.exemptions(tz),
        )
    }

    /// The row as of `year`: an exemption held now that began after the
    /// year ended does not make the member exempt for it (the year was owed
    /// in full; its sheet is the full one, in every view).
    /// One exempt when the year ended, lifted since, is exempt for it.
    pub fn of_year(mut self, year: i32, tz: chrono_tz::Tz) -> Self {
        use crate::domain::review_year::{Exempted, exempt_for_year};
        if self.exempt_reason.is_some() && !exempt_for_year(year, &self.exemptions(tz)) {
            self.exempt_reason = None;
        }
        if self.exempt_reason.is_none() {
            let at = |s: Option<i64>| s.and_then(|s| DateTime::from_timestamp(s, 0));
            let lifted: Vec<(Option<i64>, Option<i64>, String)> =
                serde_json::from_str(&self.lifted).unwrap_or_default();
            self.exempt_reason = lifted.into_iter().find_map(|(since, until, reason)| {
                Exempted::local(at(since), at(until), tz)
                    .held_at_end_of(year)
                    .then_some(reason)
            });
        }
        self
    }

    /// Every exemption the member held (see
    /// [`crate::domain::review_year::excused`]).
    pub fn exemptions(&self, tz: chrono_tz::Tz) -> Vec<crate::domain::review_year::Exempted> {
        super::exemptions_local(&self.exemptions, self.exempt_reason.is_some(), tz)
    }
}

/// The first day of `year` and of the next; a year outside 1900–9999 is
/// an invalid argument (never a panic).
pub fn year_bounds(year: i32) -> sqlx::Result<(NaiveDate, NaiveDate)> {
    crate::domain::review_year::year_span(year)
        .map_err(|e| sqlx::Error::InvalidArgument(e.to_string()))
}

macro_rules! member_select {
    ($filter:literal) => {
        member_select!(@ $filter, "")
    };
    // Whatever the membership's standing now (its signed sheet is kept).
    (on_record $filter:literal) => {
        member_select!(@@ "", $filter, "")
    };
    // Leaves out members introduced after the year (nothing to judge them
    // on in it) unless a sheet of the year was opened for them.
    // Bound: the first day of the next year and its UTC instant
    // ([`judged_until`]): a member from before the month of introduction
    // was asked is judged from the local day they were accepted.
    (judged $filter:literal) => {
        member_select!(@ $filter,
            " AND (s.id IS NOT NULL
                   OR m.introduced_on < ?
                   OR (m.introduced_on IS NULL AND julianday(active_since) < julianday(?)))")
    };
    (@ $filter:literal, $judged:literal) => {
        member_select!(@@ "m.status = 'approved' AND ", $filter, $judged)
    };
    (@@ $standing:literal, $filter:literal, $judged:literal) => {
        concat!(
            "SELECT m.id AS membership_id, m.user_id, m.full_name, m.phone, m.cell_id, c.name AS cell_name,
                    c.ward_id, wd.name AS ward_name, m.workplace_id,
                    COALESCE(w.name, m.workplace_name) AS workplace_name, m.exempt_reason, ",
            active_since_sql!(),
            " AS active_since, m.introduced_on, ",
            exemptions_sql!(),
            " AS exemptions,
                    (SELECT json_group_array(json_array(CAST(strftime('%s', e.since) AS INTEGER),
                                                        CAST(strftime('%s', e.until) AS INTEGER),
                                                        e.reason))
                     FROM exemptions e
                     WHERE e.membership_id = m.id AND e.until IS NOT NULL AND e.reason IS NOT NULL)
                    AS lifted,
                    s.id AS sheet_id, s.state AS sheet_state, s.criteria AS sheet_criteria, s.code AS sheet_code,
                    s.delivered_officers AS sheet_officers, s.member_answer AS sheet_answer
             FROM memberships m
             JOIN cells c ON c.id = m.cell_id
             JOIN wards wd ON wd.id = c.ward_id
             LEFT JOIN workplaces w ON w.id = m.workplace_id
             ",
            person_sheet_join!("?"),
            "
             WHERE ",
            $standing,
            $filter,
            $judged,
            " ORDER BY c.ward_id, m.cell_id, m.full_name COLLATE vi_name, m.id"
        )
    };
}

macro_rules! activity_select {
    ($filter:literal) => {
        concat!(
            "SELECT m.id, r.activity_date, k.code, k.duties
             FROM reports r
             JOIN memberships m ON m.user_id = r.user_id
             JOIN cells c ON c.id = m.cell_id
             JOIN activity_kinds k ON k.id = r.kind_id
             WHERE r.status = 'approved' AND r.activity_date >= ? AND r.activity_date < ? AND m.status = 'approved' AND ",
            $filter,
            " ORDER BY m.id, r.activity_date, r.id"
        )
    };
}

/// The first day of the year after `year`, and its UTC instant (local
/// midnight in `tz`): a member introduced before it (or, from before the
/// month was asked, accepted before it, in local time: one accepted at
/// 01:00 on 1 January is the new year's) is judged on `year`. A year
/// outside 1900–9999 is an invalid argument.
pub fn judged_until(year: i32, tz: chrono_tz::Tz) -> sqlx::Result<(NaiveDate, DateTime<Utc>)> {
    let (_, next) = year_bounds(year)?;
    let at = crate::domain::schedule::instant(tz, next.and_time(chrono::NaiveTime::MIN));
    Ok((next, at))
}

pub async fn members(
    pool: &Pool,
    scope: Scope,
    year: i32,
    tz: chrono_tz::Tz,
) -> sqlx::Result<Vec<MemberRow>> {
    let id = scope.id();
    // One member asked for by id is always returned; lists leave out those
    // introduced after the year.
    let query = match scope {
        Scope::All => sqlx::query_as(member_select!(judged "1 = ?")),
        Scope::Cell(_) => sqlx::query_as(member_select!(judged "m.cell_id = ?")),
        Scope::Ward(_) => sqlx::query_as(member_select!(judged "c.ward_id = ?")),
        Scope::Workplace(_) => sqlx::query_as(member_select!(judged "m.workplace_id = ?")),
        Scope::Membership(_) => sqlx::query_as(member_select!("m.id = ?")),
    };
    let query = query.bind(year).bind(id);
    let query = match scope {
        Scope::Membership(_) => query,
        _ => {
            let (date, at) = judged_until(year, tz)?;
            query.bind(date).bind(at)
        }
    };
    let rows: Vec<MemberRow> = query.fetch_all(pool).await?;
    Ok(rows.into_iter().map(|m| m.of_year(year, tz)).collect())
}

/// One approved membership as [`members`] reads it (before
/// [`MemberRow::of_year`]), on a connection: inside a write transaction, as
/// the signature reads the member it freezes (`sheets::sign`).
pub async fn member_in(
    conn: &mut sqlx::SqliteConnection,
    membership_id: i64,
    year: i32,
) -> sqlx::Result<Option<MemberRow>> {
    sqlx::query_as(member_select!("m.id = ?"))
        .bind(year)
        .bind(membership_id)
        .fetch_optional(conn)
        .await
}

/// One membership as [`members`] reads it, whatever its standing now
/// (ended by a move or otherwise): what a sheet signed for it is rendered
/// and re-sent from.
pub async fn member_on_record(
    pool: &Pool,
    membership_id: i64,
    year: i32,
) -> sqlx::Result<Option<MemberRow>> {
    sqlx::query_as(member_select!(on_record "m.id = ?"))
        .bind(year)
        .bind(membership_id)
        .fetch_optional(pool)
        .await
}

/// The members a workplace had since `since` and has no longer, whatever
/// their standing now: whose membership ended since then (not by a move:
/// the membership moved to carries the workplace on), or who changed to
/// another workplace since then. A yearly sheet of theirs still goes to
/// the workplace (`sheets::addressees`), so its officers may still fetch
/// it (`/sheet NAME`).
pub async fn former_of_workplace(
    pool: &Pool,
    workplace: i64,
    year: i32,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(member_select!(on_record
        "((m.workplace_id = ? AND m.status = 'left' AND m.end_reason IS NOT 'moved'
           AND julianday(m.ended_at) >= julianday(?))
          OR (m.workplace_id IS NOT ? AND m.status IN ('approved', 'left')
              AND m.id IN (SELECT x.membership_id FROM workplace_changes x
                           WHERE x.from_workplace_id = ?
                             AND julianday(x.changed_at) >= julianday(?))))"))
    .bind(year)
    .bind(workplace)
    .bind(since)
    .bind(workplace)
    .bind(workplace)
    .bind(since)
    .fetch_all(pool)
    .await
}

/// Approved activities dated in `[from, until)` of the scope's members,
/// keyed by the member's approved membership: a member who moved keeps the
/// evidence of every cell they were in (each report stays the cell's
/// where it happened).
pub async fn activities(
    pool: &Pool,
    scope: Scope,
    from: NaiveDate,
    until: NaiveDate,
) -> sqlx::Result<Vec<(i64, ApprovedActivity)>> {
    let id = scope.id();
    let query = match scope {
        Scope::All => sqlx::query_as(activity_select!("1 = ?")),
        Scope::Cell(_) => sqlx::query_as(activity_select!("m.cell_id = ?")),
        Scope::Ward(_) => sqlx::query_as(activity_select!("c.ward_id = ?")),
        Scope::Workplace(_) => sqlx::query_as(activity_select!("m.workplace_id = ?")),
        Scope::Membership(_) => sqlx::query_as(activity_select!("m.id = ?")),
    };
    let rows: Vec<(i64, NaiveDate, String, String)> = query
        .bind(from)
        .bind(until)
        .bind(id)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(membership, date, code, duties)| {
            (
                membership,
                ApprovedActivity {
                    date,
                    kind_code: code,
                    duties: parse_duties(&duties),
                },
            )
        })
        .collect())
}

/// The query of [`active_months_in_cells`] and [`active_months_of_cells`],
/// with the condition on the cell (a month appears once per user in the
/// tally, so the sum of its bits is their union).
macro_rules! active_months_query {
    ($cells:literal) => {
        concat!(
            "SELECT m.id, SUM(1 << CAST(substr(t.month, 6, 2) AS INTEGER))
             FROM memberships m JOIN member_months t ON t.user_id = m.user_id
             WHERE ",
            $cells,
            " AND m.status = 'approved'
               AND t.month >= ?1 AND t.month <= ?2 AND t.contact > 0
             GROUP BY m.id"
        )
    };
}

/// The months (1–12) of `period`'s year up to `period` in which each
/// approved member of the cells `[first_cell, last_cell]` has approved
/// contact (in any of their cells, as [`activities`] counts them; money
/// alone fills no month), as a
/// bit mask (bit `m` for month `m`), one row per member with any: the
/// early warning of the monthly round, a batch of cells at a time, from the
/// per-member monthly tally (`member_months`).
pub async fn active_months_in_cells(
    pool: &Pool,
    period: Period,
    first_cell: i64,
    last_cell: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(active_months_query!("m.cell_id BETWEEN ?3 AND ?4"))
        .bind(format!("{:04}-01", period.year))
        .bind(period.to_string())
        .bind(first_cell)
        .bind(last_cell)
        .fetch_all(pool)
        .await
}

/// [`active_months_in_cells`] for the listed cells (the digests of a batch
/// of readers).
pub async fn active_months_of_cells(
    pool: &Pool,
    period: Period,
    cells: &[i64],
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(active_months_query!(
        "m.cell_id IN (SELECT value FROM json_each(?3))"
    ))
    .bind(format!("{:04}-01", period.year))
    .bind(period.to_string())
    .bind(super::id_list(cells))
    .fetch_all(pool)
    .await
}

/// An approved report cited by a sheet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Cited {
    pub id: i64,
    /// The cell where it happened (the member may have moved since).
    pub cell_id: i64,
    pub cell_name: String,
    pub activity_date: NaiveDate,
    pub kind_code: String,
    pub kind_vi: String,
    pub kind_en: String,
    pub description: String,
    pub duties: String,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A member's approved reports dated in the year, oldest first: those of
/// all their memberships (a member who moved brings the year with them).
pub async fn cited_reports(pool: &Pool, membership_id: i64, year: i32) -> sqlx::Result<Vec<Cited>> {
    let (from, until) = year_bounds(year)?;
    let to = until.pred_opt().unwrap_or(until);
    cited_reports_between(pool, membership_id, from, to).await
}

/// A member's approved reports dated from `from` to `to` (both included),
/// oldest first: the evidence of a comment on request.
pub async fn cited_reports_between(
    pool: &Pool,
    membership_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<Cited>> {
    sqlx::query_as(
        "SELECT r.id, r.cell_id, c.name AS cell_name, r.activity_date, k.code AS kind_code,
                k.name_vi AS kind_vi, k.name_en AS kind_en, r.description, k.duties, r.decided_at
         FROM reports r JOIN activity_kinds k ON k.id = r.kind_id
         JOIN cells c ON c.id = r.cell_id
         WHERE r.user_id = (SELECT user_id FROM memberships WHERE id = ?)
           AND r.status = 'approved' AND r.activity_date >= ? AND r.activity_date <= ?
         ORDER BY r.activity_date, r.id",
    )
    .bind(membership_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// Whether the scope has anything in `year`: a member accepted or
/// introduced by its end, a report dated in it, or a sheet of it. A member
/// it had in the year and has no longer counts (whose membership ended
/// since the year began, or who changed to another workplace since): their
/// sheet of the year is still the cell's and the workplace's
/// ([`former_of_workplace`]).
pub async fn has_data(
    pool: &Pool,
    scope: Scope,
    year: i32,
    tz: chrono_tz::Tz,
) -> sqlx::Result<bool> {
    macro_rules! exists {
        ($filter:literal) => {
            concat!(
                "SELECT EXISTS (SELECT 1 FROM memberships m JOIN cells c ON c.id = m.cell_id
                 WHERE (m.status = 'approved'
                        OR (m.status = 'left' AND julianday(m.ended_at) >= julianday(?4)))
                   AND (COALESCE(m.introduced_on, m.decided_at, m.requested_at) < ?1
                        OR EXISTS (SELECT 1 FROM reports r WHERE r.membership_id = m.id
                                   AND r.activity_date >= ?2 AND r.activity_date < ?1)
                        OR EXISTS (SELECT 1 FROM sheets s WHERE s.membership_id = m.id AND s.year = ?3
                                   AND s.request_id IS NULL))
                   AND ",
                $filter,
                ")"
            )
        };
    }
    let (from, until) = year_bounds(year)?;
    let began = crate::domain::schedule::instant(tz, from.and_time(chrono::NaiveTime::MIN));
    let query = match scope {
        Scope::All => sqlx::query_scalar(exists!("1 = ?5")),
        Scope::Cell(_) => sqlx::query_scalar(exists!("m.cell_id = ?5")),
        Scope::Ward(_) => sqlx::query_scalar(exists!("c.ward_id = ?5")),
        Scope::Workplace(_) => sqlx::query_scalar(exists!(
            "(m.workplace_id = ?5
              OR m.id IN (SELECT x.membership_id FROM workplace_changes x
                          WHERE x.from_workplace_id = ?5
                            AND julianday(x.changed_at) >= julianday(?4)))"
        )),
        Scope::Membership(_) => sqlx::query_scalar(exists!("m.id = ?5")),
    };
    query
        .bind(until)
        .bind(from)
        .bind(year)
        .bind(began)
        .bind(scope.id())
        .fetch_one(pool)
        .await
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[tokio::test]
    async fn a_member_introduced_after_the_year_is_listed_only_when_asked_for() {
        let (_dir, pool) = crate::store::scratch().await;
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 3, 0, 0).unwrap();
        let ward = super::super::wards::add(&pool, "P", now).await.unwrap();
        let cell = super::super::cells::add(&pool, ward, "A", now)
            .await
            .unwrap();
        let mut ids = Vec::new();
        for (user, introduced) in [(7, "2026-03-01"), (8, "2027-02-01")] {
            sqlx::query(
                "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at) VALUES (?, 'u', ?, ?)",
            )
            .bind(user)
            .bind(now)
            .bind(now)
            .execute(&pool)
            .await
            .unwrap();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                          decided_at, introduced_on)
                 VALUES (?, ?, ?, 'An', 'approved', ?, ?, ?) RETURNING id",
            )
            .bind(format!("t{user}"))
            .bind(user)
            .bind(cell)
            .bind(now)
            .bind(now)
            .bind(introduced)
            .fetch_one(&pool)
            .await
            .unwrap();
            ids.push(id);
        }
        let listed = |year| {
            let pool = pool.clone();
            async move {
                members(&pool, Scope::Cell(cell), year, chrono_tz::Asia::Ho_Chi_Minh)
                    .await
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(
            listed(2026).await,
            1,
            "the member of 2027 is not judged on 2026"
        );
        assert_eq!(listed(2027).await, 2);
        let one = members(
            &pool,
            Scope::Membership(ids[1]),
            2026,
            chrono_tz::Asia::Ho_Chi_Minh,
        )
        .await
        .unwrap();
        assert_eq!(
            one.len(),
            1,
            "one member asked for by id is always returned"
        );
    }

    /// Moved twice (cell A since 2019, B in March, C in September): active
    /// since the first membership, not the one moved from last.
    #[tokio::test]
    async fn a_member_who_moved_twice_is_active_since_the_first_cell() {
        let (_dir, pool) = crate::store::scratch().await;
        let at = |y, m| Utc.with_ymd_and_hms(y, m, 1, 3, 0, 0).unwrap();
        let ward = super::super::wards::add(&pool, "P", at(2019, 1))
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO users (id, tg_name, first_seen_at, last_seen_at) VALUES (7, 'u', ?, ?)",
        )
        .bind(at(2019, 1))
        .bind(at(2019, 1))
        .execute(&pool)
        .await
        .unwrap();
        let mut previous: Option<i64> = None;
        let mut last = 0;
        for (name, since, status) in [
            ("A", at(2019, 1), "left"),
            ("B", at(2026, 3), "left"),
            ("C", at(2026, 9), "approved"),
        ] {
            let cell = super::super::cells::add(&pool, ward, name, since)
                .await
                .unwrap();
            last = sqlx::query_scalar(
                "INSERT INTO memberships (token, user_id, cell_id, full_name, status, requested_at,
                                          decided_at, moved_from)
                 VALUES (?, 7, ?, 'An', ?, ?, ?, ?) RETURNING id",
            )
            .bind(name)
            .bind(cell)
            .bind(status)
            .bind(since)
            .bind(since)
            .bind(previous)
            .fetch_one(&pool)
            .await
            .unwrap();
            previous = Some(last);
        }
        let rows = members(
            &pool,
            Scope::Membership(last),
            2026,
            chrono_tz::Asia::Ho_Chi_Minh,
        )
        .await
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].active_since, at(2019, 1));
    }
}
