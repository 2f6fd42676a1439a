//! A panic in one piece of work — one update, one look of the scheduler, one
//! batch of the outbox — is contained: it becomes that piece's error, is
//! logged, and the loop that runs it goes on. Without this, a panicking
//! handler would end its chat's worker with its update never marked done,
//! and the polling offset could never pass it again.

use std::{any::Any, panic::AssertUnwindSafe};

use futures::FutureExt;

/// Runs `work`; a panic in it comes back as `Err` with its message.
pub async fn contained<F: Future>(work: F) -> Result<F::Output, String> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .map_err(|payload| message(payload.as_ref()))
}

/// [`contained`] for work that returns `anyhow::Result`: a panic is one more
/// error.
pub async fn contained_result<T>(
    work: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    contained(work)
        .await
        .unwrap_or_else(|why| Err(anyhow::anyhow!("panicked: {why}")))
}

fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_an_error_and_a_result_passes_through() {
        assert_eq!(contained(async { 7 }).await, Ok(7));
        let err = contained(async { panic!("boom {}", 1) }).await;
        assert_eq!(err, Err::<(), _>("boom 1".to_string()));
        let err = contained_result::<()>(async { panic!("static") })
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "panicked: static");
        let ok = contained_result(async { anyhow::Ok(3) }).await.unwrap();
        assert_eq!(ok, 3);
    }
}
