//! Import: preview (a dry run that reports exactly what a commit would do) and commit with
//! progress over a channel.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tradebook_import::{import_file, ImportOptions};

use crate::dto::{ImportBatch, ImportPreview, ImportProgress, ImportReport, ImportRequest, UndoReport};
use crate::error::AppError;
use crate::state::{with_store, AppState};

fn options(request: &ImportRequest, contracts: tradebook_core::ContractTable, dry_run: bool) -> ImportOptions {
    ImportOptions {
        account_name: request
            .account_name
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        format: request
            .format
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        dry_run,
        skip_invalid: request.skip_invalid,
        contracts,
        ..ImportOptions::default()
    }
}

fn path_of(request: &ImportRequest) -> Result<PathBuf, AppError> {
    let path = PathBuf::from(request.path.trim());
    if request.path.trim().is_empty() {
        return Err(AppError::validation("path", "choose a CSV file"));
    }
    if !path.is_file() {
        return Err(AppError::validation(
            "path",
            format!("{} is not a file", path.display()),
        ));
    }
    Ok(path)
}

#[tauri::command]
#[specta::specta]
pub async fn preview_import(
    state: State<'_, Arc<AppState>>,
    request: ImportRequest,
) -> Result<ImportPreview, AppError> {
    let path = path_of(&request)?;
    on_own_connection(&state, move |store, _| {
        let contracts = store.contract_table()?;
        let report = import_file(store, &path, &options(&request, contracts, true), &mut |_| true)?;
        Ok(ImportPreview {
            path: path.display().to_string(),
            ..ImportPreview::from(&report)
        })
    })
    .await
}

/// Runs an import on a connection of its own, so the other screens keep reading the journal
/// (WAL) while it runs; a write elsewhere waits for it (and says so if it waits too long).
async fn on_own_connection<T, F>(state: &Arc<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut tradebook_store::Store, &AppState) -> Result<T, AppError> + Send + 'static,
{
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let mut store = tradebook_store::Store::open(&state.db_path)?;
        f(&mut store, &state)
    })
    .await?
}

#[tauri::command]
#[specta::specta]
pub async fn commit_import(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    request: ImportRequest,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, AppError> {
    let path = path_of(&request)?;
    state.cancel_import.store(false, Ordering::SeqCst);
    let report = on_own_connection(&state, move |store, state| {
        let contracts = store.contract_table()?;
        let report = import_file(store, &path, &options(&request, contracts, false), &mut |p| {
            // A closed channel (the page went away) does not stop the import.
            let _ = on_progress.send(ImportProgress {
                bytes_read: p.bytes_read as f64,
                total_bytes: p.total_bytes as f64,
                rows_read: u32::try_from(p.rows_read).unwrap_or(u32::MAX),
            });
            !state.cancel_import.load(Ordering::SeqCst)
        })?;
        Ok(ImportReport::from(&report))
    })
    .await?;
    super::changed(&app, "import")?;
    Ok(report)
}

#[tauri::command]
#[specta::specta]
pub async fn list_imports(state: State<'_, Arc<AppState>>) -> Result<Vec<ImportBatch>, AppError> {
    with_store(&state, |store, _| {
        let accounts = store.accounts()?;
        let name = |id: &str| {
            accounts
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.name.clone())
                .unwrap_or_default()
        };
        Ok(store
            .import_batches()?
            .iter()
            .map(|b| ImportBatch::new(b, name(&b.account_id)))
            .collect())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn undo_import(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    batch_id: String,
) -> Result<UndoReport, AppError> {
    let report = with_store(&state, move |store, _| Ok(store.undo_import(&batch_id)?)).await?;
    super::changed(&app, "undo-import")?;
    Ok(UndoReport {
        fills_removed: u32::try_from(report.fills_removed).unwrap_or(u32::MAX),
    })
}

/// Asks the running import to stop: it rolls back, leaving the journal as before.
#[tauri::command]
#[specta::specta]
pub fn cancel_import(state: State<'_, Arc<AppState>>) -> Result<(), AppError> {
    state.cancel_import.store(true, Ordering::SeqCst);
    Ok(())
}
