//! Settings: time zone, break-even band, the futures contract table, where the data lives,
//! and backup / restore of the whole journal.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, State};
use tradebook_core::{decimal_string, ContractSpec};
use tradebook_store::JournalSettings;

use super::decimal_field;
use crate::dto::{BackupReport, Contract, DataLocation, Settings};
use crate::error::AppError;
use crate::state::{with_store, AppState};

fn settings_dto(s: &JournalSettings) -> Settings {
    Settings {
        timezone: s.timezone.name().to_string(),
        break_even_band: decimal_string(s.break_even_band),
    }
}

/// The journal's settings (`Store::journal_settings`: the CLI reads the same ones).
#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, Arc<AppState>>) -> Result<Settings, AppError> {
    with_store(&state, |store, _| Ok(settings_dto(&store.journal_settings()?))).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    settings: Settings,
) -> Result<Settings, AppError> {
    let timezone: chrono_tz::Tz = settings.timezone.trim().parse().map_err(|_| {
        AppError::validation(
            "timezone",
            format!(
                "`{}` is not an IANA time zone (e.g. America/New_York)",
                settings.timezone
            ),
        )
    })?;
    let chosen = JournalSettings {
        timezone,
        break_even_band: decimal_field("break_even_band", &settings.break_even_band)?,
    };
    let saved = with_store(&state, move |store, _| {
        Ok(settings_dto(&store.save_journal_settings(&chosen)?))
    })
    .await?;
    super::changed(&app, "settings")?;
    Ok(saved)
}

#[tauri::command]
#[specta::specta]
pub async fn data_location(state: State<'_, Arc<AppState>>) -> Result<DataLocation, AppError> {
    with_store(&state, |store, state| {
        let data_dir = state.db_path.parent().map(PathBuf::from).unwrap_or_default();
        Ok(DataLocation {
            db_path: state.db_path.display().to_string(),
            data_dir: data_dir.display().to_string(),
            screenshots_dir: store.screenshots_dir()?.display().to_string(),
        })
    })
    .await
}

fn contract_dto(spec: &ContractSpec, custom: bool) -> Contract {
    Contract {
        root: spec.root.clone(),
        name: spec.name.clone(),
        point_value: decimal_string(spec.point_value),
        tick_size: decimal_string(spec.tick_size),
        exchange_tz: spec.exchange_tz.name().to_string(),
        currency: spec.currency.clone(),
        custom,
    }
}

/// The contract table imports use: built-in roots and the user's, by root.
#[tauri::command]
#[specta::specta]
pub async fn list_contracts(state: State<'_, Arc<AppState>>) -> Result<Vec<Contract>, AppError> {
    with_store(&state, |store, _| {
        let list = store
            .contracts()?
            .iter()
            .map(|(c, custom)| contract_dto(c, *custom))
            .collect();
        Ok(list)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn save_contract(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    contract: Contract,
) -> Result<Vec<Contract>, AppError> {
    let spec = ContractSpec {
        root: contract.root.clone(),
        name: contract.name.clone(),
        point_value: decimal_field("point_value", &contract.point_value)?,
        tick_size: decimal_field("tick_size", &contract.tick_size)?,
        exchange_tz: contract.exchange_tz.trim().parse().map_err(|_| {
            AppError::validation(
                "exchange_tz",
                format!(
                    "`{}` is not an IANA time zone (CME: America/Chicago)",
                    contract.exchange_tz
                ),
            )
        })?,
        currency: contract.currency.clone(),
    };
    with_store(&state, move |store, _| Ok(store.save_contract(&spec)?)).await?;
    super::changed(&app, "contracts")?;
    list_contracts(state).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_contract(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    root: String,
) -> Result<Vec<Contract>, AppError> {
    with_store(&state, move |store, _| Ok(store.delete_contract(&root)?)).await?;
    super::changed(&app, "contracts")?;
    list_contracts(state).await
}

/// Backs up the whole journal to one SQLite file at `path` (replaced if it exists).
#[tauri::command]
#[specta::specta]
pub async fn backup_journal(state: State<'_, Arc<AppState>>, path: String) -> Result<BackupReport, AppError> {
    let dest = PathBuf::from(path.trim());
    if path.trim().is_empty() {
        return Err(AppError::validation("path", "choose where to save the backup"));
    }
    with_store(&state, move |store, _| {
        let bytes = store.backup_to(&dest)?;
        Ok(BackupReport {
            path: dest.display().to_string(),
            bytes: bytes as f64,
        })
    })
    .await
}

/// Replaces the journal with a backup (checked first; all or nothing).
#[tauri::command]
#[specta::specta]
pub async fn restore_journal(app: AppHandle, state: State<'_, Arc<AppState>>, path: String) -> Result<(), AppError> {
    let src = PathBuf::from(path.trim());
    if path.trim().is_empty() {
        return Err(AppError::validation("path", "choose a backup file"));
    }
    with_store(&state, move |store, _| Ok(store.restore_from(&src)?)).await?;
    super::changed(&app, "restore")?;
    Ok(())
}

/// Writes every fill to `path` in Tradebook's own CSV (re-importable, lossless): the same
/// file `tradebook export` writes. Returns how many fills.
#[tauri::command]
#[specta::specta]
pub async fn export_journal(state: State<'_, Arc<AppState>>, path: String) -> Result<u32, AppError> {
    let dest = PathBuf::from(path.trim());
    if path.trim().is_empty() {
        return Err(AppError::validation("path", "choose where to save the export"));
    }
    with_store(&state, move |store, _| {
        let fills = tradebook_import::formats::generic::export_file(store, &dest)?;
        Ok(u32::try_from(fills).unwrap_or(u32::MAX))
    })
    .await
}
