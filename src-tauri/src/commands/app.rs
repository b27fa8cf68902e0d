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

/// The dashboard calls this once, when its statistics are on screen: the app is
/// interactive. Logs the time since the process started and prints `ready_ms=<n>` on
/// stdout (read by `bench/startup.sh`); with `TRADEBOOK_EXIT_WHEN_READY=1` the app then
/// exits, so the benchmark can start it again. Returns the milliseconds.
#[tauri::command]
#[specta::specta]
pub fn report_ready(app: tauri::AppHandle) -> Result<f64, AppError> {
    static REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let ms = crate::STARTED.get().map_or(0.0, |t| t.elapsed().as_secs_f64() * 1e3);
    if !REPORTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        tracing::info!(ms, "dashboard interactive");
        println!("ready_ms={ms:.0}");
        if std::env::var_os("TRADEBOOK_EXIT_WHEN_READY").is_some_and(|v| v == "1") {
            app.exit(0);
        }
    }
    Ok(ms)
}
