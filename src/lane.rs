//! Lanes: a thread of its own running a single-threaded runtime, for work
//! that must not wait behind the rest of the process.
//!
//! The chat's handler tree and the outbox sender share one lane (see
//! `lienhe run`): a handler's reply from SQLite or Telegram wakes that one
//! thread rather than whichever worker of a multi-threaded runtime is idle,
//! and a handler's wake-up of the sender is a call on the same thread. The
//! scheduler's rounds and the operator's commands stay on the caller's
//! runtime, so they never take the chat's turn; rendering goes to the
//! blocking pool wherever it is asked for.

use std::future::Future;

use tokio::{runtime::Handle, sync::oneshot, task::JoinHandle};

/// A running lane. Dropping it stops its thread: the tasks still on it are
/// dropped where they wait.
pub struct Lane {
    handle: Handle,
    stop: Option<oneshot::Sender<()>>,
}

impl Lane {
    /// Starts a lane on a new thread called `name`, logging where its
    /// caller logs.
    pub fn start(name: &str) -> std::io::Result<Lane> {
        let log = tracing::dispatcher::get_default(Clone::clone);
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                tracing::dispatcher::with_default(&log, || {
                    let runtime = match tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        Ok(runtime) => runtime,
                        Err(err) => {
                            let _ = ready.send(Err(err));
                            return;
                        }
                    };
                    let _ = ready.send(Ok(runtime.handle().clone()));
                    // The lane's tasks run while the thread waits here.
                    runtime.block_on(async {
                        let _ = stopped.await;
                    });
                })
            })?;
        let handle = started
            .recv()
            .map_err(|_| std::io::Error::other("the lane's thread ended at start"))??;
        Ok(Lane {
            handle,
            stop: Some(stop),
        })
    }

    /// Runs `work` on the lane; its handle can be awaited from anywhere.
    pub fn spawn<F>(&self, work: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(work)
    }
}

impl Drop for Lane {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_lanes_thread_and_stops_with_it() {
        let lane = Lane::start("lane-test").unwrap();
        let name = lane
            .spawn(async { std::thread::current().name().map(str::to_owned) })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("lane-test"));
        let (_keep, never) = oneshot::channel::<()>();
        let waiting = lane.spawn(async move {
            let _ = never.await;
        });
        drop(lane);
        // The lane's end drops what still waits on it.
        assert!(waiting.await.unwrap_err().is_cancelled());
    }
}
