//! The audit log (issues 2, 7): every state change an operator makes is
//! an audited transaction, saying who did what to what.

use lienhe::store::audit::{self, ChainCheck};

use crate::common::*;

/// `lienhe admin ward add` and `lienhe admin workplace add` each leave an
/// entry naming what they added (as `admin cell add` does): before, a ward
/// or a workplace appeared in the database with no trace in the chain.
#[tokio::test]
async fn adding_a_ward_or_a_workplace_is_audited() {
    let h = Harness::start().await;
    let ward = h.ward("Phường Hưng Dũng").await;
    let workplace = h.workplace("Sở Tư pháp tỉnh Nghệ An").await;
    let entries: Vec<(Option<i64>, String, String, i64, String)> = sqlx::query_as(
        "SELECT actor, action, subject, subject_id, json_extract(details, '$.name')
         FROM audit_log ORDER BY id",
    )
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(
        entries,
        [
            (
                None,
                "add_ward".to_string(),
                "ward".to_string(),
                ward,
                "Phường Hưng Dũng".to_string()
            ),
            (
                None,
                "add_workplace".to_string(),
                "workplace".to_string(),
                workplace,
                "Sở Tư pháp tỉnh Nghệ An".to_string()
            ),
        ]
    );
    assert_eq!(
        audit::verify(&h.pool).await.unwrap(),
        ChainCheck::Intact { entries: 2 }
    );
}
