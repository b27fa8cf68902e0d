//! Community sync: connect, disconnect, status, sync now, private accounts. The session
//! token stays in Rust (OS keyring); the UI never sees it. The community pages' calls are
//! in `community.rs`.

use std::sync::Arc;

use tauri::{AppHandle, State};
use tradebook_sync_client as client;

use crate::dto::{Account, ConnectRequest, SyncStatus};
use crate::error::AppError;
use crate::state::{with_store, AppState};

/// The status as the UI shows it.
pub(crate) fn status_of(store: &tradebook_store::Store, syncing: bool) -> Result<SyncStatus, AppError> {
    let s = store.sync_state()?;
    let c = s.connection.as_ref();
    Ok(SyncStatus {
        connected: c.is_some(),
        server_url: c.map(|c| c.server_url.clone()),
        community_id: c.map(|c| c.community_id.to_string()),
        community_name: c.map(|c| c.community_name.clone()),
        email: c.map(|c| c.email.clone()),
        role: c.map(|c| c.role.clone()),
        pending: u32::try_from(s.pending).unwrap_or(u32::MAX),
        last_sync_at: s.last_sync_at.map(|t| t.to_rfc3339()),
        last_error: s.last_error,
        syncing,
        keyring: if c.is_some() {
            client::keyring_backend().to_string()
        } else {
            String::new()
        },
    })
}

/// Runs blocking work on a connection of its own (a sync must not hold the UI's store).
async fn on_own_connection<T, F>(state: &Arc<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut tradebook_store::Store) -> Result<T, AppError> + Send + 'static,
{
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let mut store = tradebook_store::Store::open(&state.db_path)?;
        f(&mut store)
    })
    .await?
}

#[tauri::command]
#[specta::specta]
pub async fn sync_status(state: State<'_, Arc<AppState>>) -> Result<SyncStatus, AppError> {
    with_store(&state, |store, state| status_of(store, state.syncer.is_running())).await
}

#[tauri::command]
#[specta::specta]
pub async fn sync_connect(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    request: ConnectRequest,
) -> Result<SyncStatus, AppError> {
    if request.server_url.trim().is_empty() {
        return Err(AppError::validation(
            "server_url",
            "enter the community's server address",
        ));
    }
    client::normalize_server_url(&request.server_url).map_err(|e| AppError::validation("server_url", e.to_string()))?;
    if request.email.trim().is_empty() {
        return Err(AppError::validation("email", "enter your email address"));
    }
    if request.password.is_empty() {
        return Err(AppError::validation("password", "enter your password"));
    }
    let blank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let options = client::ConnectOptions {
        server_url: request.server_url,
        email: request.email,
        password: request.password,
        register_name: blank(request.register_name),
        invite: blank(request.invite),
        community: blank(request.community),
    };
    let status = on_own_connection(&state, move |store| {
        client::connect(store, &options, &client::keyring_tokens)?;
        status_of(store, false)
    })
    .await?;
    state.syncer.wake();
    crate::syncer::emit_status(&app, &status);
    Ok(status)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_disconnect(app: AppHandle, state: State<'_, Arc<AppState>>) -> Result<SyncStatus, AppError> {
    let syncer = Arc::clone(&state.syncer);
    let status = on_own_connection(&state, move |store| {
        let _running = syncer.exclusive();
        client::disconnect(store)?;
        status_of(store, false)
    })
    .await?;
    crate::syncer::emit_status(&app, &status);
    Ok(status)
}

/// Syncs now and answers with the status after it. A failure is also recorded in the
/// status (`last_error`) and returned as a `Remote` error saying what to do.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(app: AppHandle, state: State<'_, Arc<AppState>>) -> Result<SyncStatus, AppError> {
    let syncer = Arc::clone(&state.syncer);
    let db_path = state.db_path.clone();
    // run_once has told the UI the status already (the event); this answers the caller.
    tokio::task::spawn_blocking(move || syncer.run_once(&app, &db_path)).await??;
    with_store(&state, |store, _| status_of(store, false)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_account_private(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    account_id: String,
    is_private: bool,
) -> Result<Account, AppError> {
    let account = with_store(&state, move |store, _| {
        let account = store.set_account_private(&account_id, is_private)?;
        let totals = store.account_totals()?;
        Ok(Account::new(&account, totals.get(&account.id)))
    })
    .await?;
    super::changed(&app, "account")?;
    Ok(account)
}
