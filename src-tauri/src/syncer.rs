//! The background sync: a thread that syncs a connected journal a few seconds after each
//! local change, every minute otherwise, and sooner again after a failure (backoff up to
//! five minutes). Pulled changes reach the UI as a `DataChanged` event ("live updates");
//! every status change as a `SyncStatus` event. One sync runs at a time.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tauri::AppHandle;
use tradebook_sync_client as client;

use crate::dto::SyncStatus;
use crate::error::AppError;

/// Quiet time after a local change before syncing (more edits fold into one push).
const SETTLE: Duration = Duration::from_secs(2);
/// Sync at least this often while connected.
const PERIOD: Duration = Duration::from_secs(60);

/// Shared between the commands and the background thread.
#[derive(Default)]
pub struct Syncer {
    wake: Mutex<Option<Sender<()>>>,
    running: AtomicBool,
    exclusive: Mutex<()>,
}

/// Emits the status event (errors are logged: the UI also polls the status).
pub fn emit_status(app: &AppHandle, status: &SyncStatus) {
    use tauri_specta::Event;
    if let Err(e) = status.clone().emit(app) {
        tracing::warn!(error = %e, "could not emit the sync status");
    }
}

impl Syncer {
    /// A sync is running.
    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    /// Holds off syncs while the guard lives.
    pub fn exclusive(&self) -> MutexGuard<'_, ()> {
        self.exclusive.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Asks the background thread to sync soon.
    pub fn wake(&self) {
        if let Some(tx) = self
            .wake
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            let _ = tx.send(());
        }
    }

    /// One sync of the journal at `db_path` on a connection of its own, if connected.
    /// Emits the status before and after, and `DataChanged` when pulled rows were applied.
    pub fn run_once(&self, app: &AppHandle, db_path: &Path) -> Result<(), AppError> {
        let _one = self.exclusive();
        let mut store = tradebook_store::Store::open(db_path)?;
        if store.sync_state()?.connection.is_none() {
            return Ok(());
        }
        self.running.store(true, Ordering::SeqCst);
        emit_status(app, &crate::commands::sync::status_of(&store, true)?);
        let result = client::api_for(&store)
            .and_then(|(api, _)| client::sync_now(&mut store, &api, &client::SyncOptions::default()));
        self.running.store(false, Ordering::SeqCst);
        if let Ok(status) = crate::commands::sync::status_of(&store, false) {
            emit_status(app, &status);
        }
        let report = result?;
        if report.applied.applied > 0 {
            crate::commands::changed(app, "sync")?;
        }
        tracing::info!(
            pushed = report.pushed,
            pulled = report.pulled,
            applied = report.applied.applied,
            "synced"
        );
        Ok(())
    }

    /// Starts the background thread.
    pub fn start(self: &Arc<Self>, app: AppHandle, db_path: PathBuf) {
        let (tx, rx) = channel::<()>();
        *self.wake.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(tx);
        let me = Arc::clone(self);
        std::thread::Builder::new()
            .name("tradebook-sync".into())
            .spawn(move || {
                let mut wait = Duration::from_secs(3);
                let mut failures = 0u32;
                loop {
                    match rx.recv_timeout(wait) {
                        Ok(()) => {
                            // Let a burst of changes settle into one push.
                            std::thread::sleep(SETTLE);
                            while rx.try_recv().is_ok() {}
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                    match me.run_once(&app, &db_path) {
                        Ok(()) => {
                            failures = 0;
                            wait = PERIOD;
                        }
                        Err(e) => {
                            failures += 1;
                            wait = Duration::from_secs(5u64.saturating_mul(1 << failures.min(6)))
                                .min(Duration::from_secs(300));
                            tracing::info!(error = %e, retry_in = ?wait, "sync failed");
                        }
                    }
                }
            })
            .expect("spawn the sync thread");
    }
}
