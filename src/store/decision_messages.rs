//! Messages that show a pending item with decision buttons.

use chrono::{DateTime, Utc};

use super::Pool;
use crate::domain::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Membership,
    Report,
    /// A comment request's card to the cell's secretary (its Draft button);
    /// never escalated.
    Request,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Membership => "membership",
            Subject::Report => "report",
            Subject::Request => "request",
        }
    }
}

/// Records a message showing an item (arguments: subject, its id, chat,
/// message).
pub(super) const ADD: &str =
    "INSERT OR IGNORE INTO decision_messages (subject, subject_id, chat_id, message_id)
     VALUES (?, ?, ?, ?)";

pub async fn add(
    conn: impl sqlx::SqliteExecutor<'_>,
    subject: Subject,
    id: i64,
    chat_id: i64,
    message_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(ADD)
        .bind(subject.as_str())
        .bind(id)
        .bind(chat_id)
        .bind(message_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A message that shows an item: its chat, the message, and the language
/// the chat's user reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub chat_id: i64,
    pub message_id: i64,
    pub lang: Lang,
    /// The reader may still decide the item's kind in its cell.
    pub current: bool,
}

/// The messages showing the item that do not show its decision yet, each
/// with whether its reader may still decide such items (on the committee
/// of the item's cell, or a supervisor or administrator of its ward): one
/// who may not is not shown the outcome.
pub async fn unsettled(pool: &Pool, subject: Subject, id: i64) -> sqlx::Result<Vec<Shown>> {
    let rows: Vec<(i64, i64, Option<String>, bool)> = sqlx::query_as(
        "WITH item(cell) AS (
             SELECT CASE ?1 WHEN 'membership' THEN (SELECT cell_id FROM memberships WHERE id = ?2)
                            WHEN 'report' THEN (SELECT cell_id FROM reports WHERE id = ?2)
                    END)
         SELECT d.chat_id, d.message_id, u.language,
                (item.cell IS NULL
                 OR d.chat_id IN (SELECT user_id FROM cell_secretaries WHERE cell_id = item.cell
                                  UNION SELECT user_id FROM cell_deputies WHERE cell_id = item.cell
                                  UNION SELECT s.user_id FROM ward_supervisors s
                                        JOIN cells c ON c.ward_id = s.ward_id WHERE c.id = item.cell
                                  UNION SELECT a.user_id FROM ward_admins a
                                        JOIN cells c ON c.ward_id = a.ward_id WHERE c.id = item.cell))
                    AS current
         FROM decision_messages d CROSS JOIN item
         LEFT JOIN users u ON u.id = d.chat_id
         WHERE d.subject = ?1 AND d.subject_id = ?2 AND d.settled_at IS NULL
         ORDER BY d.chat_id, d.message_id",
    )
    .bind(subject.as_str())
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(chat_id, message_id, language, current)| Shown {
            chat_id,
            message_id,
            lang: Lang::stored(language.as_deref()),
            current,
        })
        .collect())
}

/// Whether the message is a card of the item (as recorded when it was
/// sent): a press on it is the reader's, whatever became of the item.
pub async fn is_card(
    pool: &Pool,
    subject: Subject,
    id: i64,
    (chat_id, message_id): (i64, i64),
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM decision_messages
                        WHERE subject = ? AND subject_id = ? AND chat_id = ? AND message_id = ?)",
    )
    .bind(subject.as_str())
    .bind(id)
    .bind(chat_id)
    .bind(message_id)
    .fetch_one(pool)
    .await
}

/// Records that a card shows the decision: it is not edited again (on
/// the pool, or in the caller's transaction).
pub async fn mark_settled(
    conn: impl sqlx::SqliteExecutor<'_>,
    subject: Subject,
    id: i64,
    (chat_id, message_id): (i64, i64),
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE decision_messages SET settled_at = ?
         WHERE subject = ? AND subject_id = ? AND chat_id = ? AND message_id = ?
           AND settled_at IS NULL",
    )
    .bind(at)
    .bind(subject.as_str())
    .bind(id)
    .bind(chat_id)
    .bind(message_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records every card of an item as settled, in the caller's
/// transaction: the item went without a decision (withdrawn, erased), so
/// no card is edited again.
pub async fn settle_all(
    conn: &mut sqlx::SqliteConnection,
    subject: Subject,
    id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE decision_messages SET settled_at = ?
         WHERE subject = ? AND subject_id = ? AND settled_at IS NULL",
    )
    .bind(at)
    .bind(subject.as_str())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_settled_card_is_listed_no_more() {
        let (_dir, pool) = crate::store::scratch().await;
        add(&pool, Subject::Report, 7, 100, 1).await.unwrap();
        add(&pool, Subject::Report, 7, 100, 5).await.unwrap();
        add(&pool, Subject::Membership, 7, 100, 9).await.unwrap();
        let shown = |pool: Pool, subject| async move {
            let cards = unsettled(&pool, subject, 7).await.unwrap();
            cards
                .iter()
                .map(|c| (c.chat_id, c.message_id))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            shown(pool.clone(), Subject::Report).await,
            [(100, 1), (100, 5)]
        );
        mark_settled(&pool, Subject::Report, 7, (100, 1), Utc::now())
            .await
            .unwrap();
        assert_eq!(shown(pool.clone(), Subject::Report).await, [(100, 5)]);
        let kept: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM decision_messages WHERE subject = 'report' AND subject_id = 7",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(kept, 2, "a settled card is kept, marked");
        assert_eq!(shown(pool.clone(), Subject::Membership).await, [(100, 9)]);
    }
}
