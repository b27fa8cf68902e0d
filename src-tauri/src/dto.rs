//! Wire types of the IPC boundary (what `ui/src/bindings.ts` is generated from).
//!
//! Money, prices and quantities are exact decimal strings; instants RFC 3339 UTC; dates
//! `YYYY-MM-DD`. Counts are `u32` (TypeScript numbers; specta refuses 64-bit integers).
//! Domain types stay plain; the conversions live here.

use serde::{Deserialize, Serialize};
use specta::Type;
use tradebook_core::{decimal_string, money_string, Stats as CoreStats};
use tradebook_store::{Account as StoreAccount, AccountTotals, TradeRecord, TradeSort as StoreTradeSort};

fn n32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub data_dir: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FormatInfo {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// Asset class, direction and status are the tenant API contract's enums: one spelling
/// on every wire, with the conversions from `tradebook_core` in `tradebook_api`.
pub use tradebook_api::{AssetClass, Direction, TradeStatus};

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReferenceData {
    pub platforms: Vec<String>,
    pub formats: Vec<FormatInfo>,
    pub asset_classes: Vec<AssetClass>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub platform: String,
    pub broker_account_id: Option<String>,
    pub currency: String,
    pub timezone: String,
    pub starting_balance: String,
    pub created_at: String,
    /// Hidden from pickers; its trades stay in the journal.
    pub archived: bool,
    /// Never synced with a community.
    pub private: bool,
    /// Closed trades.
    pub trade_count: u32,
    /// Net P&L of the closed trades.
    pub net_pnl: String,
    /// Σ cash movements in the account's currency (deposits, withdrawals, dividends,
    /// interest, fees outside trades).
    pub cash: String,
    /// Starting balance + cash + net P&L.
    pub balance: String,
}

impl Account {
    pub fn new(a: &StoreAccount, totals: Option<&AccountTotals>) -> Account {
        let totals = totals.cloned().unwrap_or_default();
        Account {
            id: a.id.clone(),
            name: a.name.clone(),
            platform: a.platform.clone(),
            broker_account_id: a.broker_account_id.clone(),
            currency: a.currency.clone(),
            timezone: a.timezone.name().to_string(),
            starting_balance: money_string(a.starting_balance),
            created_at: a.created_at.to_rfc3339(),
            archived: a.archived,
            private: a.private,
            trade_count: n32(totals.closed_trades),
            net_pnl: money_string(totals.net_pnl),
            cash: money_string(totals.cash),
            balance: money_string(a.starting_balance + totals.cash + totals.net_pnl),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct NewAccount {
    pub name: String,
    pub platform: String,
    pub broker_account_id: Option<String>,
    pub currency: String,
    pub timezone: String,
    pub starting_balance: String,
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct TradeFilter {
    pub account_id: Option<String>,
    /// First trading day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last trading day, `YYYY-MM-DD`.
    pub to: Option<String>,
    pub symbol: Option<String>,
    pub status: Option<TradeStatus>,
    pub tag: Option<String>,
    pub setup: Option<String>,
    pub direction: Option<Direction>,
    pub asset_class: Option<AssetClass>,
    /// Free text: symbol prefix, tag, setup or words of the notes.
    pub search: Option<String>,
    /// At most this many trades, latest activity (close, else open) first: recent trades.
    /// Statistics ignore it.
    pub limit: Option<u32>,
}

/// A column the Trades table sorts by (rows without a value come last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum TradeSort {
    Opened,
    Closed,
    Day,
    Symbol,
    Account,
    Direction,
    Quantity,
    Entry,
    Exit,
    Gross,
    Fees,
    Net,
    /// R-multiple (closed trades with a planned stop).
    R,
    /// Hold time.
    Hold,
    /// Tags joined, else the setup.
    Tags,
}

impl From<TradeSort> for StoreTradeSort {
    fn from(s: TradeSort) -> Self {
        match s {
            TradeSort::Opened => StoreTradeSort::Opened,
            TradeSort::Closed => StoreTradeSort::Closed,
            TradeSort::Day => StoreTradeSort::Day,
            TradeSort::Symbol => StoreTradeSort::Symbol,
            TradeSort::Account => StoreTradeSort::Account,
            TradeSort::Direction => StoreTradeSort::Direction,
            TradeSort::Quantity => StoreTradeSort::Quantity,
            TradeSort::Entry => StoreTradeSort::Entry,
            TradeSort::Exit => StoreTradeSort::Exit,
            TradeSort::Gross => StoreTradeSort::Gross,
            TradeSort::Fees => StoreTradeSort::Fees,
            TradeSort::Net => StoreTradeSort::Net,
            TradeSort::R => StoreTradeSort::R,
            TradeSort::Hold => StoreTradeSort::Hold,
            TradeSort::Tags => StoreTradeSort::Tags,
        }
    }
}

/// Which rows of a trade list to read: rows `offset..offset + limit` in the order of `sort`
/// (`None`: open trades first, then the newest close).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct TradePageRequest {
    pub sort: Option<TradeSort>,
    /// Largest first.
    pub descending: bool,
    pub offset: u32,
    /// `None`: every row from `offset`.
    pub limit: Option<u32>,
}

/// A window of a trade list with the figures of the whole list.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TradePage {
    pub trades: Vec<Trade>,
    /// Trades matching the filter in all pages.
    pub total: u32,
    /// Σ net P&L of all of them (money string).
    pub net_pnl: String,
}

/// The trades a bulk action acts on: listed ids, or every trade matching a filter but
/// those in `except` (a selection made with "select all" over a list too long to load).
/// `expected` is how many trades the user saw selected: if the filter matches another
/// number when the action runs (an import or a sync landed meanwhile), nothing is done.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TradeSelection {
    Ids {
        ids: Vec<String>,
    },
    Filter {
        filter: TradeFilter,
        except: Vec<String>,
        expected: u32,
    },
}

/// What a bulk delete removed.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DeletedTrades {
    pub trades: u32,
    pub fills: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct Trade {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub symbol: String,
    pub asset_class: AssetClass,
    pub direction: Direction,
    pub status: TradeStatus,
    pub quantity: String,
    pub entry_price: String,
    pub exit_price: Option<String>,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub trading_day: Option<String>,
    pub hold_seconds: Option<i32>,
    pub gross_pnl: String,
    pub fees: String,
    pub net_pnl: String,
    pub multiplier: String,
    pub fill_count: u32,
    pub tags: Vec<String>,
    pub setup: Option<String>,
    pub planned_stop: Option<String>,
    /// Net P&L ÷ initial risk, 2 places (closed trades with a planned stop).
    pub r_multiple: Option<String>,
    pub has_notes: bool,
    /// The multi-leg strategy this trade is a leg of (the statistics count the strategy as
    /// one trade).
    pub strategy: Option<StrategyRef>,
}

/// A trade's strategy, as the lists show it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct StrategyRef {
    pub id: String,
    /// `vertical`, `iron_condor`, ... (`tradebook_core::StrategyKind::as_str`).
    pub kind: String,
}

impl Trade {
    /// The trade with its strategy from `strategies` (trade id → (strategy id, kind)).
    pub fn with_strategy(
        mut self,
        strategies: &std::collections::HashMap<String, (String, tradebook_core::StrategyKind)>,
    ) -> Trade {
        self.strategy = strategies.get(&self.id).map(|(id, kind)| StrategyRef {
            id: id.clone(),
            kind: kind.as_str().to_string(),
        });
        self
    }
}

/// A multi-leg strategy with its legs (Trade detail, and after a merge).
#[derive(Debug, Clone, Serialize, Type)]
pub struct StrategyView {
    pub id: String,
    pub kind: String,
    pub underlying: String,
    /// `detected` (at import) or `user` (merged by hand).
    pub source: String,
    pub rolled_from: Option<String>,
    pub status: TradeStatus,
    pub gross_pnl: String,
    pub fees: String,
    pub net_pnl: String,
    /// The legs' trade ids, in opening order.
    pub legs: Vec<String>,
}

impl From<&tradebook_store::Strategy> for StrategyView {
    fn from(s: &tradebook_store::Strategy) -> StrategyView {
        StrategyView {
            id: s.id.clone(),
            kind: s.kind.as_str().to_string(),
            underlying: s.underlying.clone(),
            source: s.source.as_str().to_string(),
            rolled_from: s.rolled_from.clone(),
            status: s.status.into(),
            gross_pnl: money_string(s.gross_pnl),
            fees: money_string(s.fees),
            net_pnl: money_string(s.net_pnl),
            legs: s.legs.clone(),
        }
    }
}

impl From<&TradeRecord> for Trade {
    fn from(r: &TradeRecord) -> Self {
        let t = &r.trade;
        Trade {
            id: t.id.clone(),
            account_id: t.account_id.clone(),
            account_name: r.account_name.clone(),
            symbol: t.instrument.symbol.clone(),
            asset_class: t.instrument.asset_class.into(),
            direction: t.direction.into(),
            status: t.status.into(),
            quantity: decimal_string(t.quantity),
            entry_price: decimal_string(t.entry_price),
            exit_price: t.exit_price.map(decimal_string),
            opened_at: t.opened_at.to_rfc3339(),
            closed_at: t.closed_at.map(|c| c.to_rfc3339()),
            trading_day: t.trading_day.map(|d| d.to_string()),
            hold_seconds: t.hold_seconds().map(|s| i32::try_from(s).unwrap_or(i32::MAX)),
            gross_pnl: money_string(t.gross_pnl),
            fees: money_string(t.fees),
            net_pnl: money_string(t.net_pnl),
            multiplier: decimal_string(t.instrument.multiplier),
            fill_count: r.fill_count,
            tags: r.tags.clone(),
            setup: r.setup.clone(),
            planned_stop: r.planned_stop.map(decimal_string),
            r_multiple: r
                .planned_stop
                .and_then(|stop| tradebook_core::initial_risk(t, stop))
                .and_then(|risk| tradebook_core::r_multiple(t, risk))
                .map(|r| decimal_string(r.round_dp(2))),
            has_notes: r.has_notes,
            strategy: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct EquityPoint {
    pub time: String,
    pub trade_id: String,
    pub net_pnl: String,
    pub cumulative_net: String,
    pub drawdown: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DailyPnl {
    pub day: String,
    pub trades: u32,
    pub gross_pnl: String,
    pub fees: String,
    pub net_pnl: String,
}

/// Points of the equity curve sent to the chart at most (about): a 100k-trade curve is
/// thinned keeping its peaks and troughs (`tradebook_core::thin_equity_curve`).
const EQUITY_POINTS: usize = 4000;

/// The SPEC §4 statistics; see `tradebook_core::stats` for every definition.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Stats {
    pub trades: u32,
    pub open_trades: u32,
    pub incomplete_trades: u32,
    pub winners: u32,
    pub losers: u32,
    pub scratches: u32,
    pub win_rate: Option<f64>,
    pub win_rate_all: Option<f64>,
    pub gross_pnl: String,
    pub fees: String,
    pub net_pnl: String,
    pub avg_win: Option<String>,
    pub avg_loss: Option<String>,
    pub largest_win: Option<String>,
    pub largest_loss: Option<String>,
    pub payoff_ratio: Option<f64>,
    pub profit_factor: Option<f64>,
    pub expectancy: Option<String>,
    pub max_drawdown: String,
    pub max_drawdown_pct: Option<f64>,
    pub avg_hold_seconds: Option<i32>,
    pub longest_win_streak: u32,
    pub longest_loss_streak: u32,
    /// Days with at least one closed trade (Sharpe and Sortino are over these days only).
    pub trading_days: u32,
    pub sharpe: Option<f64>,
    pub sortino: Option<f64>,
    /// Mean R-multiple over closed trades with a planned stop.
    pub avg_r: Option<String>,
    pub r_trades: u32,
    /// Of `trades`, the multi-leg strategies, each counted as one trade.
    pub strategies: u32,
    /// ISO 4217 currency of every amount (the accounts'); null when no account is known.
    pub currency: Option<String>,
    /// The equity curve for the chart: whole up to about 4,000 trades, beyond that thinned
    /// keeping every run's low and high (the figures above are exact either way).
    pub equity_curve: Vec<EquityPoint>,
    pub daily_pnl: Vec<DailyPnl>,
}

impl From<&CoreStats> for Stats {
    fn from(s: &CoreStats) -> Self {
        Stats {
            trades: n32(s.trades),
            open_trades: n32(s.open_trades),
            incomplete_trades: n32(s.incomplete_trades),
            winners: n32(s.winners),
            losers: n32(s.losers),
            scratches: n32(s.scratches),
            win_rate: s.win_rate,
            win_rate_all: s.win_rate_all,
            gross_pnl: money_string(s.gross_pnl),
            fees: money_string(s.fees),
            net_pnl: money_string(s.net_pnl),
            avg_win: s.avg_win.map(money_string),
            avg_loss: s.avg_loss.map(money_string),
            largest_win: s.largest_win.map(money_string),
            largest_loss: s.largest_loss.map(money_string),
            payoff_ratio: s.payoff_ratio,
            profit_factor: s.profit_factor,
            expectancy: s.expectancy.map(money_string),
            max_drawdown: money_string(s.max_drawdown),
            max_drawdown_pct: s.max_drawdown_pct,
            avg_hold_seconds: s.avg_hold_seconds.map(|h| i32::try_from(h).unwrap_or(i32::MAX)),
            longest_win_streak: n32(s.longest_win_streak),
            longest_loss_streak: n32(s.longest_loss_streak),
            trading_days: n32(s.trading_days),
            sharpe: s.sharpe,
            sortino: s.sortino,
            avg_r: s.avg_r.map(|r| decimal_string(r.round_dp(2))),
            r_trades: n32(s.r_trades),
            strategies: n32(s.strategies),
            currency: s.currency.clone(),
            equity_curve: tradebook_core::thin_equity_curve(&s.equity_curve, EQUITY_POINTS)
                .into_iter()
                .map(|p| EquityPoint {
                    time: p.time.to_rfc3339(),
                    trade_id: p.trade_id.clone(),
                    net_pnl: money_string(p.net_pnl),
                    cumulative_net: money_string(p.cumulative_net),
                    drawdown: money_string(p.drawdown),
                })
                .collect(),
            daily_pnl: s
                .daily_pnl
                .iter()
                .map(|d| DailyPnl {
                    day: d.day.to_string(),
                    trades: n32(d.trades),
                    gross_pnl: money_string(d.gross_pnl),
                    fees: money_string(d.fees),
                    net_pnl: money_string(d.net_pnl),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct ImportRequest {
    /// Absolute path of the CSV file.
    pub path: String,
    /// Target account name; `null` = the broker's name. Created if missing.
    pub account_name: Option<String>,
    /// Format id; `null` = detect from the header.
    pub format: Option<String>,
    /// Import the valid rows even when some rows are rejected.
    #[serde(default)]
    pub skip_invalid: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct RejectedRow {
    pub line: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportPreview {
    pub file_name: String,
    pub path: String,
    pub format: String,
    pub format_name: String,
    pub account_name: String,
    pub account_exists: bool,
    pub rows_read: u32,
    pub fills_to_add: u32,
    pub duplicates: u32,
    pub skipped: u32,
    /// Cash movements (deposits, dividends, interest, fees outside trades) the file adds.
    pub cash_movements: u32,
    /// Balances the file states (for the account's reconciliation).
    pub balances: u32,
    pub rejected: Vec<RejectedRow>,
    /// Futures roots missing from the contract table: add them (Settings), then preview again.
    pub unknown_roots: Vec<String>,
    pub symbols: Vec<String>,
    pub first_fill_at: Option<String>,
    pub last_fill_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportReport {
    pub format: String,
    pub rows_read: u32,
    pub fills_added: u32,
    pub duplicates: u32,
    pub skipped: u32,
    /// Cash movements added.
    pub cash_movements: u32,
    /// Broker balances added.
    pub balances: u32,
    pub rejected: Vec<RejectedRow>,
    pub batch_id: String,
}

pub fn rejected_rows(rows: &[tradebook_import::RejectedRow]) -> Vec<RejectedRow> {
    rows.iter()
        .map(|r| RejectedRow {
            line: u32::try_from(r.line).unwrap_or(u32::MAX),
            reason: r.reason.clone(),
        })
        .collect()
}

impl From<&tradebook_import::ImportReport> for ImportPreview {
    fn from(r: &tradebook_import::ImportReport) -> Self {
        ImportPreview {
            file_name: r.file_name.clone(),
            path: String::new(),
            format: r.format_id.to_string(),
            format_name: r.format_name.to_string(),
            account_name: r.account_name.clone(),
            account_exists: !r.account_created,
            rows_read: n32(r.rows_read),
            fills_to_add: n32(r.fills_added),
            duplicates: n32(r.duplicates),
            skipped: n32(r.skipped),
            cash_movements: n32(r.cash_movements_added),
            balances: n32(r.balances_added),
            rejected: rejected_rows(&r.rejected),
            unknown_roots: r.unknown_roots.iter().cloned().collect(),
            symbols: r.symbols.iter().cloned().collect(),
            first_fill_at: r.first_fill_at.map(|t| t.to_rfc3339()),
            last_fill_at: r.last_fill_at.map(|t| t.to_rfc3339()),
        }
    }
}

impl From<&tradebook_import::ImportReport> for ImportReport {
    fn from(r: &tradebook_import::ImportReport) -> Self {
        ImportReport {
            format: r.format_id.to_string(),
            rows_read: n32(r.rows_read),
            fills_added: n32(r.fills_added),
            duplicates: n32(r.duplicates),
            skipped: n32(r.skipped),
            cash_movements: n32(r.cash_movements_added),
            balances: n32(r.balances_added),
            rejected: rejected_rows(&r.rejected),
            batch_id: r.batch_id.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Type)]
pub struct ImportProgress {
    /// Bytes are `f64` for TypeScript (files larger than 4 GiB stay exact up to 2^53).
    pub bytes_read: f64,
    pub total_bytes: f64,
    pub rows_read: u32,
}

/// A trade typed by hand. Times are wall-clock `YYYY-MM-DDTHH:MM[:SS]` in the account's zone.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ManualTrade {
    pub account_id: String,
    pub symbol: String,
    pub asset_class: AssetClass,
    pub direction: Direction,
    pub quantity: String,
    pub entry_price: String,
    pub entry_time: String,
    pub exit_price: Option<String>,
    pub exit_time: Option<String>,
    pub fees: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ManualPnl {
    pub multiplier: String,
    pub gross_pnl: Option<String>,
    pub fees: String,
    pub net_pnl: Option<String>,
}

/// Emitted after any change to the journal; the UI refetches.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct DataChanged {
    pub reason: String,
}

/// One import in the history.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportBatch {
    pub batch_id: String,
    pub account_id: String,
    pub account_name: String,
    pub file_name: String,
    pub format: String,
    pub imported_at: String,
    pub rows_read: u32,
    pub fills_added: u32,
    pub duplicates: u32,
    pub skipped: u32,
    pub rejected: u32,
}

impl ImportBatch {
    pub fn new(b: &tradebook_store::ImportBatch, account_name: String) -> ImportBatch {
        ImportBatch {
            batch_id: b.id.clone(),
            account_id: b.account_id.clone(),
            account_name,
            file_name: b.file_name.clone(),
            format: b.format.clone(),
            imported_at: b.imported_at.to_rfc3339(),
            rows_read: n32(b.counts.rows_read),
            fills_added: n32(b.counts.fills_added),
            duplicates: n32(b.counts.duplicates),
            skipped: n32(b.counts.skipped),
            rejected: n32(b.counts.rejected),
        }
    }
}

/// What undoing an import removed.
#[derive(Debug, Clone, Serialize, Type)]
pub struct UndoReport {
    pub fills_removed: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Buy,
    Sell,
}

impl From<tradebook_core::Side> for Side {
    fn from(s: tradebook_core::Side) -> Self {
        match s {
            tradebook_core::Side::Buy => Side::Buy,
            tradebook_core::Side::Sell => Side::Sell,
        }
    }
}

impl From<Side> for tradebook_core::Side {
    fn from(s: Side) -> Self {
        match s {
            Side::Buy => tradebook_core::Side::Buy,
            Side::Sell => tradebook_core::Side::Sell,
        }
    }
}

/// One fill (execution) as the trade detail lists it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FillRow {
    pub id: String,
    pub side: Side,
    pub quantity: String,
    pub price: String,
    pub fees: String,
    /// RFC 3339 UTC.
    pub executed_at: String,
    /// The zone of the source (the account's zone for imported rows).
    pub source_tz: String,
    /// `null` for a fill entered by hand.
    pub batch_id: Option<String>,
    pub execution_id: Option<String>,
}

impl From<&tradebook_store::FillRecord> for FillRow {
    fn from(r: &tradebook_store::FillRecord) -> Self {
        FillRow {
            id: r.fill.id.clone(),
            side: r.fill.side.into(),
            quantity: decimal_string(r.fill.quantity),
            price: decimal_string(r.fill.price),
            fees: money_string(r.fill.fees),
            executed_at: r.fill.executed_at.to_rfc3339(),
            source_tz: r.fill.source_tz.name().to_string(),
            batch_id: r.batch_id.clone(),
            execution_id: r.execution_id.clone(),
        }
    }
}

/// A hand correction of a fill. Time is wall-clock `YYYY-MM-DDTHH:MM[:SS]` in the fill's zone.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct FillEdit {
    pub side: Side,
    pub quantity: String,
    pub price: String,
    pub fees: String,
    pub executed_at: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct Screenshot {
    pub id: String,
    pub file_name: String,
    pub added_at: String,
}

/// What the trader wrote about a trade.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Annotation {
    pub trade_id: String,
    /// Markdown.
    pub notes: String,
    pub setup: Option<String>,
    pub planned_stop: Option<String>,
    pub tags: Vec<String>,
    pub mistakes: Vec<String>,
    pub screenshots: Vec<Screenshot>,
    pub updated_at: Option<String>,
}

impl From<&tradebook_store::Annotation> for Annotation {
    fn from(a: &tradebook_store::Annotation) -> Self {
        Annotation {
            trade_id: a.trade_id.clone(),
            notes: a.notes.clone(),
            setup: a.setup.clone(),
            planned_stop: a.planned_stop.map(decimal_string),
            tags: a.tags.clone(),
            mistakes: a.mistakes.clone(),
            screenshots: a
                .screenshots
                .iter()
                .map(|s| Screenshot {
                    id: s.id.clone(),
                    file_name: s.file_name.clone(),
                    added_at: s.added_at.to_rfc3339(),
                })
                .collect(),
            updated_at: a.updated_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// The trader's edit of an annotation (replaces notes, setup, stop, tags and mistakes).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct AnnotationEdit {
    pub notes: String,
    pub setup: Option<String>,
    /// A price, or empty for none.
    pub planned_stop: Option<String>,
    pub tags: Vec<String>,
    pub mistakes: Vec<String>,
}

/// A trade with its fills and annotation (the Trade detail page).
#[derive(Debug, Clone, Serialize, Type)]
pub struct TradeDetail {
    pub trade: Trade,
    pub fills: Vec<FillRow>,
    pub annotation: Annotation,
    /// |entry − planned stop| × quantity × multiplier, when a stop is set.
    pub initial_risk: Option<String>,
    /// Net P&L ÷ initial risk (closed trades with a stop).
    pub r_multiple: Option<String>,
    /// The strategy the trade is a leg of, with its other legs.
    pub strategy: Option<StrategyView>,
}

/// Tags and setups in use (for filters and suggestions).
#[derive(Debug, Clone, Serialize, Type)]
pub struct Labels {
    pub tags: Vec<TagCount>,
    pub setups: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct TagCount {
    pub tag: String,
    pub trades: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct JournalNote {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Markdown.
    pub notes: String,
    pub updated_at: Option<String>,
}

/// User settings.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct Settings {
    /// IANA zone for new accounts and the journal's days.
    pub timezone: String,
    /// Trades with |net| up to this amount are scratches (a decimal string, ≥ 0).
    pub break_even_band: String,
}

/// Where the data lives.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DataLocation {
    pub db_path: String,
    pub data_dir: String,
    pub screenshots_dir: String,
}

/// A futures contract of the table imports use.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct Contract {
    pub root: String,
    pub name: String,
    /// Currency per 1.0 of price per contract (ES: 50).
    pub point_value: String,
    pub tick_size: String,
    pub exchange_tz: String,
    pub currency: String,
    /// `true` when the user added or changed it (else built in).
    pub custom: bool,
}

/// What a backup wrote.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupReport {
    pub path: String,
    pub bytes: f64,
}

/// One group of a breakdown (see `tradebook_core::breakdown`).
#[derive(Debug, Clone, Serialize, Type)]
pub struct BreakdownRow {
    pub key: String,
    pub trades: u32,
    pub winners: u32,
    pub losers: u32,
    pub scratches: u32,
    pub win_rate: Option<f64>,
    pub gross_pnl: String,
    pub fees: String,
    pub net_pnl: String,
    pub avg_net: Option<String>,
    pub profit_factor: Option<f64>,
}

fn rows(list: &[tradebook_core::BreakdownRow]) -> Vec<BreakdownRow> {
    list.iter()
        .map(|r| BreakdownRow {
            key: r.key.clone(),
            trades: n32(r.trades),
            winners: n32(r.winners),
            losers: n32(r.losers),
            scratches: n32(r.scratches),
            win_rate: r.win_rate,
            gross_pnl: money_string(r.gross_pnl),
            fees: money_string(r.fees),
            net_pnl: money_string(r.net_pnl),
            avg_net: r.avg_net.map(money_string),
            profit_factor: r.profit_factor,
        })
        .collect()
}

/// The Reports page: SPEC §4 breakdowns over a filter.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Breakdowns {
    pub by_symbol: Vec<BreakdownRow>,
    pub by_tag: Vec<BreakdownRow>,
    pub by_setup: Vec<BreakdownRow>,
    /// Weekday of the trading day, Mon → Sun.
    pub by_weekday: Vec<BreakdownRow>,
    /// Hour of entry in the account's zone, 00:00 → 23:00.
    pub by_hour: Vec<BreakdownRow>,
    /// Hold-time buckets, shortest first.
    pub by_hold_time: Vec<BreakdownRow>,
    /// Long vs short.
    pub by_direction: Vec<BreakdownRow>,
    pub by_asset_class: Vec<BreakdownRow>,
}

impl From<&tradebook_store::Breakdowns> for Breakdowns {
    fn from(b: &tradebook_store::Breakdowns) -> Self {
        Breakdowns {
            by_symbol: rows(&b.by_symbol),
            by_tag: rows(&b.by_tag),
            by_setup: rows(&b.by_setup),
            by_weekday: rows(&b.by_weekday),
            by_hour: rows(&b.by_hour),
            by_hold_time: rows(&b.by_hold_time),
            by_direction: rows(&b.by_direction),
            by_asset_class: rows(&b.by_asset_class),
        }
    }
}

/// The journal's community connection, as Settings → Community and the shell's sync
/// indicator show it. Also emitted as an event whenever it changes.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct SyncStatus {
    pub connected: bool,
    pub server_url: Option<String>,
    pub community_id: Option<String>,
    pub community_name: Option<String>,
    pub email: Option<String>,
    /// `admin`, `moderator`, `trader` or `viewer`.
    pub role: Option<String>,
    /// Local changes waiting for the server ("n changes waiting").
    pub pending: u32,
    /// RFC 3339 UTC of the last complete sync.
    pub last_sync_at: Option<String>,
    /// What the last attempt failed with (says what to do); `None` after a success.
    pub last_error: Option<String>,
    /// A sync is running now.
    pub syncing: bool,
    /// Where the session is kept (`secret-service`, `keyutils`, `native`).
    pub keyring: String,
}

/// Settings → Community: connect this journal.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ConnectRequest {
    /// `https://...` (or `http://` for a server on this machine).
    pub server_url: String,
    pub email: String,
    pub password: String,
    /// An invitation `COMMUNITY_ID/CODE`.
    pub invite: Option<String>,
    /// Community id or name when the user belongs to several.
    pub community: Option<String>,
    /// Create the user first, with this display name.
    pub register_name: Option<String>,
}

/// What a cash movement is (`tradebook_store::CashKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum CashKind {
    Deposit,
    Withdrawal,
    Dividend,
    Interest,
    Fee,
    Transfer,
    Other,
}

impl From<tradebook_store::CashKind> for CashKind {
    fn from(k: tradebook_store::CashKind) -> CashKind {
        use tradebook_store::CashKind as K;
        match k {
            K::Deposit => CashKind::Deposit,
            K::Withdrawal => CashKind::Withdrawal,
            K::Dividend => CashKind::Dividend,
            K::Interest => CashKind::Interest,
            K::Fee => CashKind::Fee,
            K::Transfer => CashKind::Transfer,
            K::Other => CashKind::Other,
        }
    }
}

impl From<CashKind> for tradebook_store::CashKind {
    fn from(k: CashKind) -> tradebook_store::CashKind {
        use tradebook_store::CashKind as K;
        match k {
            CashKind::Deposit => K::Deposit,
            CashKind::Withdrawal => K::Withdrawal,
            CashKind::Dividend => K::Dividend,
            CashKind::Interest => K::Interest,
            CashKind::Fee => K::Fee,
            CashKind::Transfer => K::Transfer,
            CashKind::Other => K::Other,
        }
    }
}

/// Money in or out of an account that is not a trade.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CashMovement {
    pub id: String,
    pub kind: CashKind,
    /// Signed decimal: > 0 into the account.
    pub amount: String,
    /// ISO 4217.
    pub currency: String,
    /// RFC 3339.
    pub occurred_at: String,
    pub description: String,
    /// Brought by an import (undoing it removes the movement); false when typed by hand.
    pub imported: bool,
}

impl From<&tradebook_store::CashMovement> for CashMovement {
    fn from(m: &tradebook_store::CashMovement) -> CashMovement {
        CashMovement {
            id: m.id.clone(),
            kind: m.kind.into(),
            amount: money_string(m.amount),
            currency: m.currency.clone(),
            occurred_at: m.occurred_at.to_rfc3339(),
            description: m.description.clone(),
            imported: m.batch_id.is_some(),
        }
    }
}

/// A cash movement typed by the user.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct NewCashMovement {
    pub kind: CashKind,
    /// Signed: > 0 into the account (a withdrawal or a fee is negative).
    pub amount: String,
    /// `YYYY-MM-DDTHH:MM` in the account's zone.
    pub occurred_at: String,
    pub description: String,
}

/// Why the journal's balance and the broker's differ on a day (`tradebook_store::LikelyCause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LikelyCause {
    OpenPositions,
    StartingBalance,
    MissingActivity,
}

/// A day on which the journal's balance and the broker's differ.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReconciliationDay {
    /// `YYYY-MM-DD` in the account's zone.
    pub day: String,
    /// RFC 3339 instant of the day's last stated balance.
    pub at: String,
    pub theirs: String,
    pub ours: String,
    pub difference: String,
    pub open_positions: u32,
    pub open_positions_cash: String,
    pub starting_balance_gap: String,
    pub unexplained: String,
    pub likely_cause: LikelyCause,
    pub explanation: String,
}

/// An account's balance and its reconciliation with the balances its broker files state.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Reconciliation {
    pub account_id: String,
    pub currency: String,
    pub starting_balance: String,
    pub cash_total: String,
    pub realized_net: String,
    pub balance: String,
    pub foreign_cash_movements: u32,
    pub days_checked: u32,
    pub days_matching: u32,
    pub days: Vec<ReconciliationDay>,
}

impl From<&tradebook_store::Reconciliation> for Reconciliation {
    fn from(r: &tradebook_store::Reconciliation) -> Reconciliation {
        Reconciliation {
            account_id: r.account_id.clone(),
            currency: r.currency.clone(),
            starting_balance: money_string(r.starting_balance),
            cash_total: money_string(r.cash_total),
            realized_net: money_string(r.realized_net),
            balance: money_string(r.balance),
            foreign_cash_movements: n32(r.foreign_cash_movements),
            days_checked: r.days_checked,
            days_matching: r.days_matching,
            days: r
                .days
                .iter()
                .map(|d| ReconciliationDay {
                    day: d.day.to_string(),
                    at: d.at.to_rfc3339(),
                    theirs: money_string(d.theirs),
                    ours: money_string(d.ours),
                    difference: money_string(d.difference),
                    open_positions: d.open_positions,
                    open_positions_cash: money_string(d.open_positions_cash),
                    starting_balance_gap: money_string(d.starting_balance_gap),
                    unexplained: money_string(d.unexplained),
                    likely_cause: match d.likely_cause {
                        tradebook_store::LikelyCause::OpenPositions => LikelyCause::OpenPositions,
                        tradebook_store::LikelyCause::StartingBalance => LikelyCause::StartingBalance,
                        tradebook_store::LikelyCause::MissingActivity => LikelyCause::MissingActivity,
                    },
                    explanation: d.explanation.clone(),
                })
                .collect(),
        }
    }
}
