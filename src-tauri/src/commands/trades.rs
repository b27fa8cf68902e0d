//! Trades and statistics.

use std::sync::Arc;

use rust_decimal::Decimal;
use tauri::State;
use tradebook_store::TradeQuery;

use super::date_field;
use crate::dto::{Stats, Trade, TradeFilter};
use crate::error::AppError;
use crate::state::{with_store, AppState};

fn query(filter: TradeFilter) -> Result<TradeQuery, AppError> {
    Ok(TradeQuery {
        account_id: filter.account_id.filter(|a| !a.is_empty()),
        from: date_field("from", filter.from.as_deref())?,
        to: date_field("to", filter.to.as_deref())?,
        symbol: filter.symbol.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        status: filter.status.map(Into::into),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_trades(state: State<'_, Arc<AppState>>, filter: TradeFilter) -> Result<Vec<Trade>, AppError> {
    let q = query(filter)?;
    with_store(&state, move |store, _| {
        Ok(store.trades(&q)?.iter().map(Trade::from).collect())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_stats(state: State<'_, Arc<AppState>>, filter: TradeFilter) -> Result<Stats, AppError> {
    let q = query(filter)?;
    with_store(&state, move |store, _| {
        Ok(Stats::from(&store.stats(&q, Decimal::ZERO)?))
    })
    .await
}
