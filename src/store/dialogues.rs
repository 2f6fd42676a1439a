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

impl<D> Storage<D> for SqliteDialogues<D>
where
    D: Serialize + DeserializeOwned + Send + 'static,
{
    type Error = DialogueStorageError;

    fn remove_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            let mut tx = super::tx::begin(&self.pool).await?;
            sqlx::query("DELETE FROM dialogues WHERE chat_id = ?")
                .bind(chat_id.0)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
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
            // Through the write helper: a dialogue step is the effect of its
            // update, recorded with it.
            let mut tx = super::tx::begin(&self.pool).await?;
            sqlx::query(
                "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (?, ?, ?)
                 ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            )
            .bind(chat_id.0)
            .bind(state)
            .bind(self.clock.now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
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
            match state {
                None => Ok(None),
                // A state written by an older version that no longer parses
                // starts over rather than blocking the chat.
                Some(json) => Ok(serde_json::from_str(&json).ok()),
            }
        })
    }
}
