use super::Pool;
use crate::domain::activity::{ActivityKind, parse_duties};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: String,
    name_vi: String,
    name_en: String,
    duties: String,
}

impl From<Row> for ActivityKind {
    fn from(r: Row) -> Self {
        ActivityKind {
            id: r.id,
            code: r.code,
            name_vi: r.name_vi,
            name_en: r.name_en,
            duties: parse_duties(&r.duties),
        }
    }
}

/// The kinds a member can choose, in display order.
pub async fn active(pool: &Pool) -> sqlx::Result<Vec<ActivityKind>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, code, name_vi, name_en, duties FROM activity_kinds WHERE active = 1 ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn get(pool: &Pool, id: i64) -> sqlx::Result<Option<ActivityKind>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, code, name_vi, name_en, duties FROM activity_kinds WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Into::into))
}
