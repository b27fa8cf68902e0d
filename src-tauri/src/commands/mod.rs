//! Thin `#[tauri::command]` adapters: parse the request, call the crates, map errors.
//! One file per domain.

pub mod accounts;
pub mod app;
pub mod community;
pub mod import;
pub mod journal;
pub mod manual;
pub mod settings;
pub mod sync;
pub mod trades;

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::AppError;

/// Parses a decimal typed in a form, naming the field on error. Accepts `1,234.50`.
pub(crate) fn decimal_field(field: &str, value: &str) -> Result<Decimal, AppError> {
    let cleaned: String = value.trim().chars().filter(|c| *c != ',' && *c != '$').collect();
    if cleaned.is_empty() {
        return Err(AppError::validation(field, "enter a number"));
    }
    Decimal::from_str(&cleaned).map_err(|_| AppError::validation(field, format!("`{value}` is not a number")))
}

/// Parses an optional `YYYY-MM-DD` filter date.
pub(crate) fn date_field(field: &str, value: Option<&str>) -> Result<Option<chrono::NaiveDate>, AppError> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| AppError::validation(field, format!("`{v}` is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// Parses a wall-clock `YYYY-MM-DDTHH:MM[:SS]` in `tz`, naming the field on error.
pub(crate) fn time_field(
    field: &str,
    value: &str,
    tz: chrono_tz::Tz,
) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let v = value.trim();
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(v, f).ok())
    .ok_or_else(|| AppError::validation(field, "enter a date and time"))?;
    tradebook_import::text::local_to_utc(naive, tz).ok_or_else(|| {
        AppError::validation(
            field,
            format!("{v} does not exist in {} (daylight-saving change)", tz.name()),
        )
    })
}

/// Tells the UI the journal changed (it refetches what it shows), and the background sync
/// that there may be changes to push.
pub(crate) fn changed(app: &tauri::AppHandle, reason: &str) -> Result<(), AppError> {
    use tauri::Manager;
    use tauri_specta::Event;
    if reason != "sync" {
        if let Some(state) = app.try_state::<std::sync::Arc<crate::state::AppState>>() {
            state.syncer.wake();
        }
    }
    crate::dto::DataChanged { reason: reason.into() }.emit(app)?;
    Ok(())
}
