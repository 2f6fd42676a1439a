//! Items left pending too long, and the escalation steps already taken
//! (each step once per item, across restarts).

use chrono::{DateTime, Utc};

use super::{Pool, decision_messages::Subject};

/// A step of the escalation of a pending item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Offered to the cell's deputy secretary.
    Deputy = 1,
    /// The ward's supervisors told.
    Supervisors = 2,
}

/// A pending item whose step has not been taken.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub subject: String,
    pub id: i64,
    pub cell_id: i64,
    pub owner: i64,
}

impl Due {
    pub fn subject(&self) -> Subject {
        if self.subject == "membership" {
            Subject::Membership
        } else {
            Subject::Report
        }
    }
}

/// The query of [`due`]: the partial indexes on pending items serve it.
const DUE_QUERY: &str = "SELECT 'membership' AS subject, m.id, m.cell_id, m.user_id AS owner,
                m.requested_at AS since
         FROM memberships m
         WHERE m.status = 'pending' AND m.requested_at < ?1
           AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.subject = 'membership'
                           AND e.subject_id = m.id AND e.step = ?2)
         UNION ALL
         SELECT 'report', r.id, r.cell_id, r.user_id, r.created_at
         FROM reports r
         WHERE r.status = 'pending' AND r.created_at < ?1
           AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.subject = 'report'
                           AND e.subject_id = r.id AND e.step = ?2)
         ORDER BY 5, 1, 2";

/// Join requests and reports pending since before `before` for which
/// `step` was not taken, oldest first.
pub async fn due(pool: &Pool, step: Step, before: DateTime<Utc>) -> sqlx::Result<Vec<Due>> {
    sqlx::query_as(DUE_QUERY)
        .bind(before)
        .bind(step as i64)
        .fetch_all(pool)
        .await
}

/// Whether the item still waits for a decision, read in the caller's
/// transaction (it may have been decided since [`due`] listed it).
pub async fn still_pending(
    conn: &mut sqlx::SqliteConnection,
    subject: Subject,
    id: i64,
) -> sqlx::Result<bool> {
    let sql = match subject {
        Subject::Membership => {
            "SELECT EXISTS (SELECT 1 FROM memberships WHERE id = ? AND status = 'pending')"
        }
        Subject::Report => {
            "SELECT EXISTS (SELECT 1 FROM reports WHERE id = ? AND status = 'pending')"
        }
        Subject::Request => return Ok(false),
    };
    sqlx::query_scalar(sql).bind(id).fetch_one(conn).await
}

/// Records the step, in the caller's transaction; false if it was taken
/// already.
pub async fn take(
    conn: &mut sqlx::SqliteConnection,
    subject: Subject,
    id: i64,
    step: Step,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT OR IGNORE INTO escalations (subject, subject_id, step, at) VALUES (?, ?, ?, ?)",
    )
    .bind(subject.as_str())
    .bind(id)
    .bind(step as i64)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_real_escalation_query_scans_neither_reports_nor_memberships_nor_cells() {
        let (_dir, pool) = crate::store::scratch().await;
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            super::DUE_QUERY
        )))
        .bind(chrono::Utc::now())
        .bind(1)
        .fetch_all(&pool)
        .await
        .unwrap();
        let plan: Vec<String> = plan.into_iter().map(|(_, _, _, detail)| detail).collect();
        assert!(!plan.iter().any(|d| d.starts_with("SCAN")), "{plan:#?}");
    }

    #[tokio::test]
    async fn the_escalation_looks_at_pending_items_through_indexes() {
        let (_dir, pool) = crate::store::scratch().await;
        let sql = "EXPLAIN QUERY PLAN
             SELECT m.id FROM memberships m WHERE m.status = 'pending' AND m.requested_at < ?1
             UNION ALL SELECT r.id FROM reports r WHERE r.status = 'pending' AND r.created_at < ?1";
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sql)
            .bind(chrono::Utc::now())
            .fetch_all(&pool)
            .await
            .unwrap();
        let plan: Vec<String> = plan.into_iter().map(|(_, _, _, detail)| detail).collect();
        assert!(
            !plan
                .iter()
                .any(|d| d.starts_with("SCAN m") || d.starts_with("SCAN r")),
            "{plan:#?}"
        );
    }
}
