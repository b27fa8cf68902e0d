//! The app's shared state: the open journal and where it lives.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tradebook_store::Store;

use crate::error::AppError;

/// Shared by every command (`tauri::State<'_, Arc<AppState>>`).
pub struct AppState {
    store: Mutex<Store>,
    pub db_path: PathBuf,
    /// Set by `cancel_import`; the running import rolls back at its next progress report.
    pub cancel_import: std::sync::atomic::AtomicBool,
    /// The background community sync.
    pub syncer: Arc<crate::syncer::Syncer>,
}

impl AppState {
    /// Opens the journal at `db_path` (creating its folder).
    pub fn open(db_path: PathBuf) -> Result<AppState, AppError> {
        if let Some(dir) = db_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| AppError::Io {
                message: format!("cannot create the data folder {}: {e}", dir.display()),
            })?;
        }
        let store = Store::open(&db_path)?;
        Ok(AppState {
            store: Mutex::new(store),
            db_path,
            cancel_import: std::sync::atomic::AtomicBool::new(false),
            syncer: Arc::default(),
        })
    }
}

/// Runs blocking store work off the async runtime, with the store locked.
pub async fn with_store<T, F>(state: &Arc<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store, &AppState) -> Result<T, AppError> + Send + 'static,
{
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        // A panic while holding the lock cannot leave a half-written transaction (SQLite
        // rolls back an unfinished one), so a poisoned lock is safe to take over.
        let mut store = state.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut store, &state)
    })
    .await?
}
