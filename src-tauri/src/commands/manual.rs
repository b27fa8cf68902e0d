//! Manual trade entry: the typed trade becomes its fills (tradebook-core), previewed as the
//! user types and stored on save.

use std::sync::Arc;

use tauri::{AppHandle, State};
use tradebook_core::{manual_trade_fills, money_string, ContractTable, ManualTradeSpec};
use tradebook_store::Store;

use super::{decimal_field, time_field};
use crate::dto::{ManualPnl, ManualTrade, Trade};
use crate::error::AppError;
use crate::state::{with_store, AppState};

fn spec(input: &ManualTrade, store: &Store, contracts: &ContractTable) -> Result<ManualTradeSpec, AppError> {
    if input.account_id.trim().is_empty() {
        return Err(AppError::validation("account_id", "choose an account"));
    }
    let account = store
        .account(&input.account_id)
        .map_err(|_| AppError::validation("account_id", "choose an account"))?;
    let tz = account.timezone;
    let entry_time = time_field("entry_time", &input.entry_time, tz)?;
    let instrument = contracts.instrument_for(input.asset_class.into(), &input.symbol, entry_time.date_naive())?;
    let exit_price = input.exit_price.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let exit_time = input.exit_time.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let exit = match (exit_price, exit_time) {
        (Some(p), Some(t)) => Some((decimal_field("exit_price", p)?, time_field("exit_time", t, tz)?)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(AppError::validation(
                "exit_time",
                "enter the exit time, or clear the exit price",
            ))
        }
        (None, Some(_)) => {
            return Err(AppError::validation(
                "exit_price",
                "enter the exit price, or clear the exit time",
            ))
        }
    };
    let fees = input.fees.trim();
    Ok(ManualTradeSpec {
        account_id: account.id,
        instrument,
        direction: input.direction.into(),
        quantity: decimal_field("quantity", &input.quantity)?,
        entry_price: decimal_field("entry_price", &input.entry_price)?,
        entry_time,
        exit,
        fees: if fees.is_empty() {
            rust_decimal::Decimal::ZERO
        } else {
            decimal_field("fees", fees)?
        },
        source_tz: tz,
    })
}

#[tauri::command]
#[specta::specta]
pub async fn preview_manual_trade(state: State<'_, Arc<AppState>>, input: ManualTrade) -> Result<ManualPnl, AppError> {
    with_store(&state, move |store, _| {
        let spec = spec(&input, store, &store.contract_table()?)?;
        let trade = tradebook_core::preview_manual_trade(&spec)?;
        let closed = trade.closed_at.is_some();
        Ok(ManualPnl {
            multiplier: tradebook_core::decimal_string(spec.instrument.multiplier),
            gross_pnl: closed.then(|| money_string(trade.gross_pnl)),
            fees: money_string(trade.fees),
            net_pnl: closed.then(|| money_string(trade.net_pnl)),
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn add_manual_trade(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    input: ManualTrade,
) -> Result<Trade, AppError> {
    let trade = with_store(&state, move |store, _| {
        let spec = spec(&input, store, &store.contract_table()?)?;
        let ids = (new_fill_id(), new_fill_id());
        let fills = manual_trade_fills(&spec, ids)?;
        let trade_ids = store.add_manual_fills(&fills)?;
        let id = trade_ids.first().ok_or_else(|| AppError::Internal {
            message: "the new trade was not found after saving".into(),
        })?;
        Ok(Trade::from(&store.trade(id)?))
    })
    .await?;
    super::changed(&app, "manual-trade")?;
    Ok(trade)
}

/// A new fill id: time-ordered (UUID v7), like imported fills.
fn new_fill_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
