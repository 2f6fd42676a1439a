//! Dialogue state on the application's pool: teloxide's `Storage`, backed
//! by the `dialogues` table, state serialised as JSON.

use std::{marker::PhantomData, sync::Arc};

use futures::future::BoxFuture;
use serde::{Serialize, de::DeserializeOwned};
use teloxide::{dispatching::dialogue::Storage, types::ChatId};

use super::Pool;
use crate::clock::SharedClock;

#[derive(Debug, thiserror::Error)]
pub enum DialogueStorageError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("dialogue state: {0}")]
    Json(#[from] serde_json::Error),
}

pub struct SqliteDialogues<D> {
    pool: Pool,
    clock: SharedClock,
    _state: PhantomData<fn() -> D>,
}

impl<D> SqliteDialogues<D> {
    pub fn new(pool: Pool, clock: SharedClock) -> Arc<Self> {
        Arc::new(Self {
            pool,
            clock,
            _state: PhantomData,
        })
    }
}

/// Ends a chat's dialogue (argument: the chat).
const CLEAR: &str = "DELETE FROM dialogues WHERE chat_id = ?";

/// Sets a chat's dialogue (arguments: the chat, the state, when).
const SET: &str = "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at";

/// What a chat's dialogue becomes with an effect, written in the effect's
/// own transaction ([`put`]): a process killed right after the effect is
/// committed never leaves the chat at the step that asked for it (where
/// the same answer again would be refused as done, or another taken for
/// it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    pub chat_id: i64,
    /// The state as stored (JSON); `None` ends the dialogue.
    pub state: Option<String>,
}

/// Writes the dialogue's next state inside the transaction of its effect.
pub async fn put(
    conn: &mut sqlx::SqliteConnection,
    next: &Next,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<()> {
    let mut batch = super::tx::Batch::default();
    push_put(&mut batch, next, now);
    batch.run_on(conn).await?;
    Ok(())
}

/// [`put`] as a statement of `batch`, sent with it.
pub fn push_put(batch: &mut super::tx::Batch, next: &Next, now: chrono::DateTime<chrono::Utc>) {
    match &next.state {
        Some(state) => batch
            .push(SET)
            .bind(next.chat_id)
            .bind(state.clone())
            .bind(now),
        None => batch.push(CLEAR).bind(next.chat_id),
    };
}

/// [`clear`] as a statement of `batch`, sent with it.
pub fn push_clear(batch: &mut super::tx::Batch, chat_id: i64) {
    batch.push(CLEAR).bind(chat_id);
}

/// Ends the chat's dialogue inside a transaction that carries the effect
/// which ends it (one write for the update, not two).
pub async fn clear(conn: &mut sqlx::SqliteConnection, chat_id: i64) -> sqlx::Result<()> {
    sqlx::query(CLEAR).bind(chat_id).execute(conn).await?;
    Ok(())
}

/// A stored state (JSON) as the dialogue's state: none is the default
/// state, and so is a state written by an older version that no longer
/// parses (it starts over rather than blocking the chat).
pub fn parse_state<D: DeserializeOwned + Default>(json: Option<&str>) -> D {
    json.and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

impl<D> Storage<D> for SqliteDialogues<D>
where
    D: Serialize + DeserializeOwned + Default + Send + 'static,
{
    type Error = DialogueStorageError;

    fn remove_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            super::tx::script(&self.pool, CLEAR, |q| q.bind(chat_id.0)).await?;
            Ok(())
        })
    }

    fn update_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
        dialogue: D,
    ) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            let state = serde_json::to_string(&dialogue)?;
            let now = self.clock.now();
            // Through the write helper: a dialogue step is the effect of its
            // update, recorded with it.
            super::tx::script(&self.pool, SET, |q| {
                q.bind(chat_id.0).bind(state.clone()).bind(now)
            })
            .await?;
            Ok(())
        })
    }

    fn get_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<Option<D>, Self::Error>> {
        Box::pin(async move {
            let state: Option<String> =
                sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
                    .bind(chat_id.0)
                    .fetch_optional(&self.pool)
                    .await?;
            // No dialogue is the default state, read as such: teloxide's
            // `enter_dialogue` would otherwise store the default first
            // (`get_or_default`), a write that records the update as
            // handled before its real effect, and a crash in between would
            // lose the update.
            Ok(Some(parse_state(state.as_deref())))
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde::Deserialize;
    use teloxide::dispatching::dialogue::Dialogue;

    use super::*;
    use crate::{clock::ManualClock, store::tx};

    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    enum Step {
        #[default]
        Idle,
        Asked,
    }

    #[tokio::test]
    async fn entering_a_dialogue_records_nothing() {
        let (_dir, pool) = crate::store::scratch().await;
        let storage =
            SqliteDialogues::<Step>::new(pool.clone(), Arc::new(ManualClock::new(Utc::now())));
        let dialogue = Dialogue::new(storage, ChatId(5));
        // What teloxide's `enter_dialogue` does for a chat with no dialogue:
        // it must not count as the update's effect.
        tx::handling(7, Utc::now(), async {
            assert_eq!(dialogue.get_or_default().await.unwrap(), Step::Idle);
        })
        .await;
        assert!(!tx::already_handled(&pool, 7).await.unwrap());
        tx::handling(8, Utc::now(), async {
            dialogue.update(Step::Asked).await.unwrap();
        })
        .await;
        assert!(tx::already_handled(&pool, 8).await.unwrap());
        assert_eq!(dialogue.get().await.unwrap(), Some(Step::Asked));
        dialogue.exit().await.unwrap();
        assert_eq!(dialogue.get().await.unwrap(), Some(Step::Idle));
    }
}
