//! Trades, their detail and hand edits, and statistics.

use std::sync::Arc;

use rust_decimal::Decimal;
use tauri::{AppHandle, State};
use tradebook_core::{decimal_string, initial_risk, money_string, r_multiple};
use tradebook_store::{TradeOrder, TradeQuery};

use super::{date_field, decimal_field, time_field};
use crate::dto::{
    Annotation, Breakdowns, DeletedTrades, FillEdit, FillRow, Stats, Trade, TradeDetail, TradeFilter, TradePage,
    TradePageRequest, TradeSelection,
};
use crate::error::AppError;
use crate::state::{with_store, AppState};

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub(crate) fn query(filter: TradeFilter) -> Result<TradeQuery, AppError> {
    Ok(TradeQuery {
        account_id: text(filter.account_id),
        from: date_field("from", filter.from.as_deref())?,
        to: date_field("to", filter.to.as_deref())?,
        symbol: text(filter.symbol),
        status: filter.status.map(Into::into),
        tag: text(filter.tag),
        setup: text(filter.setup),
        direction: filter.direction.map(Into::into),
        asset_class: filter.asset_class.map(Into::into),
        search: text(filter.search),
        limit: filter.limit,
    })
}

fn order(page: &TradePageRequest) -> TradeOrder {
    TradeOrder {
        sort: page.sort.map(Into::into),
        descending: page.descending,
    }
}

/// A window of the trades matching `filter`, sorted and cut in the store, with the count and
/// net P&L of all of them. Without `page`, the whole (short) list — the dashboard's recent
/// trades with `filter.limit`, a day's trades — in the journal's default order.
#[tauri::command]
#[specta::specta]
pub async fn list_trades(
    state: State<'_, Arc<AppState>>,
    filter: TradeFilter,
    page: Option<TradePageRequest>,
) -> Result<TradePage, AppError> {
    let q = query(filter)?;
    with_store(&state, move |store, _| {
        let p = match page {
            Some(page) => store.trade_page(&q, order(&page), page.offset.into(), page.limit.map(Into::into))?,
            None => store.trade_list(&q)?,
        };
        let ids: Vec<&str> = p.trades.iter().map(|t| t.trade.id.as_str()).collect();
        let strategies = store.strategy_of(&ids)?;
        Ok(TradePage {
            trades: p
                .trades
                .iter()
                .map(|t| Trade::from(t).with_strategy(&strategies))
                .collect(),
            total: u32::try_from(p.total).unwrap_or(u32::MAX),
            net_pnl: money_string(p.net_pnl),
        })
    })
    .await
}

/// The ids of a window of the trades matching `filter` in the page's order (a Shift-click
/// range over rows not loaded yet).
#[tauri::command]
#[specta::specta]
pub async fn list_trade_ids(
    state: State<'_, Arc<AppState>>,
    filter: TradeFilter,
    page: TradePageRequest,
) -> Result<Vec<String>, AppError> {
    let q = query(filter)?;
    with_store(&state, move |store, _| {
        Ok(store.trade_ids(&q, order(&page), page.offset.into(), page.limit.map(Into::into))?)
    })
    .await
}

/// The trade ids a selection stands for: its ids, or every trade matching its filter but
/// the excepted ones (refused if that is not the number the user saw).
pub(crate) fn selected_ids(store: &tradebook_store::Store, selection: TradeSelection) -> Result<Vec<String>, AppError> {
    match selection {
        TradeSelection::Ids { ids } => Ok(ids),
        TradeSelection::Filter {
            filter,
            except,
            expected,
        } => Ok(store.selected_trade_ids(&query(filter)?, &except, expected as usize)?),
    }
}

/// The §4 statistics over the filter, with the break-even band from Settings and the
/// R-multiples of trades that have a planned stop.
#[tauri::command]
#[specta::specta]
pub async fn get_stats(state: State<'_, Arc<AppState>>, filter: TradeFilter) -> Result<Stats, AppError> {
    let q = query(filter)?;
    with_store(&state, move |store, _| Ok(Stats::from(&store.journal_stats(&q)?))).await
}

/// The §4 breakdowns over the filter (Reports).
#[tauri::command]
#[specta::specta]
pub async fn get_breakdowns(state: State<'_, Arc<AppState>>, filter: TradeFilter) -> Result<Breakdowns, AppError> {
    let q = query(filter)?;
    with_store(&state, move |store, _| {
        Ok(Breakdowns::from(&store.journal_breakdowns(&q)?))
    })
    .await
}

/// A trade with its fills and annotation.
#[tauri::command]
#[specta::specta]
pub async fn get_trade_detail(state: State<'_, Arc<AppState>>, trade_id: String) -> Result<TradeDetail, AppError> {
    with_store(&state, move |store, _| {
        let record = store.trade(&trade_id)?;
        let fills = store.trade_fills(&trade_id)?;
        let annotation = store.annotation(&trade_id)?;
        let risk = annotation
            .planned_stop
            .and_then(|stop| initial_risk(&record.trade, stop));
        let r = risk.and_then(|risk| r_multiple(&record.trade, risk));
        let strategies = store.strategy_of(&[trade_id.as_str()])?;
        let strategy = match strategies.get(&trade_id) {
            Some((id, _)) => store.strategy(id)?.as_ref().map(crate::dto::StrategyView::from),
            None => None,
        };
        Ok(TradeDetail {
            strategy,
            trade: Trade::from(&record).with_strategy(&strategies),
            fills: fills.iter().map(FillRow::from).collect(),
            annotation: Annotation::from(&annotation),
            initial_risk: risk.map(money_string),
            r_multiple: r.map(|r| decimal_string(r.round_dp(2))),
        })
    })
    .await
}

/// Corrects a fill by hand; its position's trades are recomputed.
#[tauri::command]
#[specta::specta]
pub async fn update_fill(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    fill_id: String,
    edit: FillEdit,
) -> Result<FillRow, AppError> {
    let updated = with_store(&state, move |store, _| {
        let current = store.fill(&fill_id)?;
        let edit = tradebook_store::FillEdit {
            side: edit.side.into(),
            quantity: decimal_field("quantity", &edit.quantity)?,
            price: decimal_field("price", &edit.price)?,
            fees: decimal_field("fees", &edit.fees)?,
            executed_at: time_field("executed_at", &edit.executed_at, current.fill.source_tz)?,
        };
        Ok(store.update_fill(&fill_id, &edit)?)
    })
    .await?;
    super::changed(&app, "fills")?;
    Ok(FillRow::from(&updated))
}

/// Deletes fills; their positions' trades are recomputed. Returns how many were deleted.
#[tauri::command]
#[specta::specta]
pub async fn delete_fills(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    fill_ids: Vec<String>,
) -> Result<u32, AppError> {
    let n = with_store(&state, move |store, _| Ok(store.delete_fills(&fill_ids)?)).await?;
    super::changed(&app, "fills")?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Deletes the selected trades (their fills), in one transaction. Returns how many trades
/// and fills were deleted.
#[tauri::command]
#[specta::specta]
pub async fn delete_trades(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    selection: TradeSelection,
) -> Result<DeletedTrades, AppError> {
    let n = with_store(&state, move |store, _| {
        let ids = selected_ids(store, selection)?;
        let fills = store.delete_trades(&ids)?;
        Ok(DeletedTrades {
            trades: u32::try_from(ids.len()).unwrap_or(u32::MAX),
            fills: u32::try_from(fills).unwrap_or(u32::MAX),
        })
    })
    .await?;
    super::changed(&app, "trades")?;
    Ok(n)
}

/// Gives an incomplete trade ("opening position unknown") its opening price; `opened_at`
/// (wall-clock in the account's zone) defaults to one second before the close.
#[tauri::command]
#[specta::specta]
pub async fn resolve_incomplete_trade(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    trade_id: String,
    open_price: String,
    opened_at: Option<String>,
) -> Result<(), AppError> {
    let price = decimal_field("open_price", &open_price)?;
    if price < Decimal::ZERO {
        return Err(AppError::validation("open_price", "a price is 0 or more"));
    }
    with_store(&state, move |store, _| {
        let record = store.trade(&trade_id)?;
        let opened_at = text(opened_at)
            .map(|t| time_field("opened_at", &t, record.trade.source_tz))
            .transpose()?;
        store.resolve_incomplete(&trade_id, price, opened_at)?;
        Ok(())
    })
    .await?;
    super::changed(&app, "trades")
}

/// Splits a strategy back into its trades (they are not grouped automatically again).
/// Returns the legs' trade ids.
#[tauri::command]
#[specta::specta]
pub async fn split_strategy(
    app: tauri::AppHandle,
    state: State<'_, Arc<AppState>>,
    strategy_id: String,
) -> Result<Vec<String>, AppError> {
    let legs = with_store(&state, move |store, _| Ok(store.split_strategy(&strategy_id)?)).await?;
    super::changed(&app, "strategy")?;
    Ok(legs)
}

/// Groups two or more trades of one account into one strategy.
#[tauri::command]
#[specta::specta]
pub async fn merge_strategy(
    app: tauri::AppHandle,
    state: State<'_, Arc<AppState>>,
    trade_ids: Vec<String>,
) -> Result<crate::dto::StrategyView, AppError> {
    let merged = with_store(&state, move |store, _| Ok((&store.merge_strategy(&trade_ids)?).into())).await?;
    super::changed(&app, "strategy")?;
    Ok(merged)
}
