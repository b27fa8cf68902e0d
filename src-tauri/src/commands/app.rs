//! App-level queries: where the data lives, reference lists for forms.

use std::sync::Arc;

use tauri::State;

use crate::dto::{AppInfo, AssetClass, FormatInfo, ReferenceData};
use crate::error::AppError;
use crate::state::AppState;

/// Platforms of SPEC §3, in display order.
const PLATFORMS: &[&str] = &[
    "Tradier",
    "Webull",
    "TopstepX",
    "thinkorswim",
    "Interactive Brokers",
    "Tastytrade",
    "Tradovate",
    "NinjaTrader",
    "Robinhood",
    "Fidelity",
    "E*TRADE",
    "TradeZero",
    "Other",
];

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, Arc<AppState>>) -> Result<AppInfo, AppError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: state.db_path.display().to_string(),
        data_dir: state
            .db_path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn reference_data() -> Result<ReferenceData, AppError> {
    Ok(ReferenceData {
        platforms: PLATFORMS.iter().map(|p| p.to_string()).collect(),
        formats: tradebook_import::FORMATS
            .iter()
            .map(|f| FormatInfo {
                id: f.id().into(),
                name: f.name().into(),
                description: f.description().into(),
            })
            .collect(),
        asset_classes: vec![
            AssetClass::Stock,
            AssetClass::Option,
            AssetClass::Future,
            AssetClass::Crypto,
        ],
    })
}
