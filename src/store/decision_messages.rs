//! Messages that show a pending item with decision buttons.

use super::Pool;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Membership,
    Report,
}

impl Subject {
    fn as_str(self) -> &'static str {
        match self {
            Subject::Membership => "membership",
            Subject::Report => "report",
        }
    }
}

pub async fn add(
    pool: &Pool,
    subject: Subject,
    id: i64,
    chat_id: i64,
    message_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO decision_messages (subject, subject_id, chat_id, message_id) VALUES (?, ?, ?, ?)",
    )
    .bind(subject.as_str())
    .bind(id)
    .bind(chat_id)
    .bind(message_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Every (chat, message) showing the item.
pub async fn list(pool: &Pool, subject: Subject, id: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT chat_id, message_id FROM decision_messages WHERE subject = ? AND subject_id = ?",
    )
    .bind(subject.as_str())
    .bind(id)
    .fetch_all(pool)
    .await
}
