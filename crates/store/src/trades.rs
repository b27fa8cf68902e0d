//! Reading derived trades and computing statistics over them.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row};
use rust_decimal::Decimal;
use std::collections::HashMap;

use tradebook_core::{
    breakdown, breakdown_by, compute_stats_with_risk, initial_risk, AssetClass, BreakdownRow, Dimension, Direction,
    Instrument, RoundTrip, Stats, StatsOptions, TradeStatus,
};

use crate::codec::{parse_asset_class, parse_date, parse_dec, parse_direction, parse_status, parse_ts, parse_tz};
use crate::{Result, Store};

/// Which trades to read. `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TradeQuery {
    pub account_id: Option<String>,
    /// First trading day included (open trades: their opening date).
    pub from: Option<NaiveDate>,
    /// Last trading day included.
    pub to: Option<NaiveDate>,
    /// Exact symbol, case-insensitive.
    pub symbol: Option<String>,
    pub status: Option<TradeStatus>,
    /// Trades carrying this tag (case-insensitive).
    pub tag: Option<String>,
    /// Trades annotated with this setup (case-insensitive).
    pub setup: Option<String>,
    pub direction: Option<Direction>,
    pub asset_class: Option<AssetClass>,
    /// Free text: a symbol prefix, a tag, a setup, or words of the notes.
    pub search: Option<String>,
    /// At most this many trades, those with the latest activity (close, else open) first:
    /// the dashboard's recent trades. Statistics ignore it.
    pub limit: Option<u32>,
}

/// A stored trade with what the lists show beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeRecord {
    /// The trade (its `allocations` are not loaded here; see [`Store::trade_fills`]).
    pub trade: RoundTrip,
    pub account_name: String,
    pub fill_count: u32,
    /// Tags, sorted.
    pub tags: Vec<String>,
    pub setup: Option<String>,
    /// Planned stop price from the annotation.
    pub planned_stop: Option<Decimal>,
    /// Whether the trade has notes.
    pub has_notes: bool,
}

pub(crate) const TRADE_COLUMNS: &str =
    "t.id, t.account_id, t.symbol, t.asset_class, t.underlying, t.multiplier, t.direction, \
     t.status, t.quantity, t.closed_quantity, t.entry_price, t.exit_price, t.opened_at, t.closed_at, t.trading_day, \
     t.source_tz, t.gross_pnl, t.fees, t.net_pnl, t.fill_count, a.name, \
     (SELECT group_concat(g.tag, char(31)) FROM (SELECT tag FROM trade_tags WHERE trade_id = t.id ORDER BY tag) g), \
     n.setup, n.planned_stop, COALESCE(n.notes, '') <> ''";

/// The WHERE clause of a [`TradeQuery`] over `trades t` (and `annotations n` when
/// [`TradeFilter::uses_annotations`]): only the conditions the query sets, so SQLite can use
/// an index for them and a read that needs no annotation skips the join. Parameters are
/// numbered from `?1` in [`TradeFilter::params`]' order.
#[derive(Debug)]
pub(crate) struct TradeFilter {
    /// `1` or the conditions joined by AND.
    pub(crate) sql: String,
    params: Vec<String>,
    /// Whether `sql` reads `n.` (setup or search).
    uses_annotations: bool,
}

impl TradeFilter {
    pub(crate) fn params(&self) -> rusqlite::ParamsFromIter<std::slice::Iter<'_, String>> {
        rusqlite::params_from_iter(self.params.iter())
    }

    /// The join of `annotations n` onto `trades t` when this filter reads it or the caller
    /// does (`also`); else nothing, so a read that needs no annotation skips a look-up per trade.
    pub(crate) fn annotations_join(&self, also: bool) -> &'static str {
        if self.uses_annotations || also {
            " LEFT JOIN annotations n ON n.trade_id = t.id"
        } else {
            ""
        }
    }

    fn add(&mut self, value: String, condition: impl Fn(usize) -> String) {
        self.params.push(value);
        let n = self.params.len();
        if !self.sql.is_empty() {
            self.sql.push_str(" AND ");
        }
        self.sql.push('(');
        self.sql.push_str(&condition(n));
        self.sql.push(')');
    }
}

pub(crate) fn trade_filter(query: &TradeQuery) -> TradeFilter {
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut f = TradeFilter {
        sql: String::new(),
        params: Vec::new(),
        uses_annotations: false,
    };
    let day = "COALESCE(t.trading_day, substr(t.opened_at, 1, 10))";
    if let Some(v) = query.account_id.clone() {
        f.add(v, |n| format!("t.account_id = ?{n}"));
    }
    if let Some(v) = query.from.map(crate::codec::date) {
        f.add(v, |n| format!("{day} >= ?{n}"));
    }
    if let Some(v) = query.to.map(crate::codec::date) {
        f.add(v, |n| format!("{day} <= ?{n}"));
    }
    if let Some(v) = trimmed(&query.symbol) {
        f.add(v, |n| format!("t.symbol = ?{n} COLLATE NOCASE"));
    }
    if let Some(v) = query.status {
        f.add(v.as_str().to_string(), |n| format!("t.status = ?{n}"));
    }
    if let Some(v) = trimmed(&query.tag) {
        f.add(v, |n| {
            format!("EXISTS (SELECT 1 FROM trade_tags g WHERE g.trade_id = t.id AND g.tag = ?{n})")
        });
    }
    if let Some(v) = trimmed(&query.setup) {
        f.uses_annotations = true;
        f.add(v, |n| format!("n.setup = ?{n}"));
    }
    if let Some(v) = query.direction {
        f.add(v.as_str().to_string(), |n| format!("t.direction = ?{n}"));
    }
    if let Some(v) = query.asset_class {
        f.add(v.as_str().to_string(), |n| format!("t.asset_class = ?{n}"));
    }
    if let Some(v) = trimmed(&query.search) {
        f.uses_annotations = true;
        f.add(v, |n| {
            format!(
                "t.symbol LIKE ?{n} || '%' OR t.underlying LIKE ?{n} || '%' \
                 OR n.setup LIKE '%' || ?{n} || '%' OR n.notes LIKE '%' || ?{n} || '%' \
                 OR EXISTS (SELECT 1 FROM trade_tags g WHERE g.trade_id = t.id AND g.tag LIKE ?{n} || '%')"
            )
        });
    }
    if f.sql.is_empty() {
        f.sql.push('1');
    }
    f
}

/// The FROM clause of trade reads: trades with their account and annotation.
pub(crate) const TRADE_FROM: &str =
    "trades t JOIN accounts a ON a.id = t.account_id LEFT JOIN annotations n ON n.trade_id = t.id";

pub(crate) fn trade_from_row(row: &Row<'_>) -> rusqlite::Result<Result<TradeRecord>> {
    let s = |i: usize| row.get::<_, String>(i);
    let o = |i: usize| row.get::<_, Option<String>>(i);
    let v = (
        s(0)?,
        s(1)?,
        s(2)?,
        s(3)?,
        o(4)?,
        s(5)?,
        s(6)?,
        s(7)?,
        s(8)?,
        s(9)?,
        s(10)?,
        o(11)?,
        s(12)?,
        o(13)?,
        o(14)?,
        s(15)?,
        s(16)?,
        s(17)?,
        s(18)?,
        row.get::<_, i64>(19)?,
        s(20)?,
        o(21)?,
        o(22)?,
        o(23)?,
        row.get::<_, bool>(24)?,
    );
    Ok((|| {
        let (id, account_id, symbol, asset, underlying, multiplier, direction, status, quantity, closed_qty) =
            (v.0, v.1, v.2, v.3, v.4, v.5, v.6, v.7, v.8, v.9);
        let asset_class = parse_asset_class(&asset)?;
        Ok(TradeRecord {
            trade: RoundTrip {
                id,
                account_id,
                instrument: Instrument {
                    asset_class,
                    symbol,
                    underlying,
                    expiry: None,
                    strike: None,
                    right: None,
                    multiplier: parse_dec(&multiplier)?,
                },
                direction: parse_direction(&direction)?,
                status: parse_status(&status)?,
                quantity: parse_dec(&quantity)?,
                closed_quantity: parse_dec(&closed_qty)?,
                entry_price: parse_dec(&v.10)?,
                exit_price: v.11.as_deref().map(parse_dec).transpose()?,
                opened_at: parse_ts(&v.12)?,
                closed_at: v.13.as_deref().map(parse_ts).transpose()?,
                trading_day: v.14.as_deref().map(parse_date).transpose()?,
                source_tz: parse_tz(&v.15)?,
                gross_pnl: parse_dec(&v.16)?,
                fees: parse_dec(&v.17)?,
                net_pnl: parse_dec(&v.18)?,
                allocations: Vec::new(),
            },
            fill_count: u32::try_from(v.19).unwrap_or(u32::MAX),
            account_name: v.20,
            tags: v
                .21
                .map(|t| t.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
            setup: v.22,
            planned_stop: v.23.as_deref().map(parse_dec).transpose()?,
            has_notes: v.24,
        })
    })())
}

impl Store {
    /// The trade with this id. Errors: [`crate::StoreError::NotFound`].
    pub fn trade(&self, id: &str) -> Result<TradeRecord> {
        self.conn()
            .query_row(
                &format!("SELECT {TRADE_COLUMNS} FROM {TRADE_FROM} WHERE t.id = ?1"),
                [id],
                trade_from_row,
            )
            .optional()?
            .ok_or_else(|| crate::StoreError::NotFound {
                what: "trade",
                id: id.to_string(),
            })?
    }

    /// Trades matching `query`, newest close first (open trades first of all); with a
    /// `limit`, the latest activity first.
    pub fn trades(&self, query: &TradeQuery) -> Result<Vec<TradeRecord>> {
        let order = if query.limit.is_some() {
            "COALESCE(t.closed_at, t.opened_at) DESC, t.id"
        } else {
            "t.closed_at IS NOT NULL, t.closed_at DESC, t.opened_at DESC, t.id"
        };
        let filter = trade_filter(query);
        let sql = match query.limit {
            // The few latest trades are picked first, by id, so the listed columns (tags
            // above all, a subquery each) are read for them only, not for every trade sorted.
            Some(limit) => {
                let join = filter.annotations_join(false);
                format!(
                    "SELECT {TRADE_COLUMNS} FROM {TRADE_FROM} WHERE t.id IN \
                     (SELECT t.id FROM trades t{join} WHERE {} ORDER BY {order} LIMIT {limit}) ORDER BY {order}",
                    filter.sql
                )
            }
            None => format!(
                "SELECT {TRADE_COLUMNS} FROM {TRADE_FROM} WHERE {} ORDER BY {order}",
                filter.sql
            ),
        };
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(filter.params(), trade_from_row)?;
        rows.map(|r| r?).collect()
    }

    /// The trades matching `query` as the statistics and breakdowns read them: only the
    /// columns the §4 figures use (no account name, tags or notes) and each trade's planned
    /// stop. Underlying and account id are left empty. This is the dashboard's hot path, so the
    /// result is kept until the journal changes (here or through another connection) or
    /// another query comes.
    fn stat_trades(&self, query: &TradeQuery) -> Result<std::sync::Arc<StatTrades>> {
        let version = self.data_version()?;
        if let Some(cache) = self.stat_cache.borrow().as_ref() {
            if cache.version == version && cache.query == *query {
                return Ok(std::sync::Arc::clone(&cache.trades));
            }
        }
        let filter = trade_filter(query);
        // Planned stops in one pass over the annotations, not a look-up per trade; the
        // annotations are joined only when the filter reads them.
        let mut out = StatTrades::default();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT trade_id, planned_stop FROM annotations WHERE planned_stop IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let stop: String = row.get(1)?;
            out.stops.insert(row.get(0)?, parse_dec(&stop)?);
        }
        let join = filter.annotations_join(false);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT t.id, t.asset_class, t.multiplier, t.direction, t.status, t.quantity, t.entry_price, \
             t.opened_at, t.closed_at, t.trading_day, t.source_tz, t.gross_pnl, t.fees, t.net_pnl, \
             t.symbol, t.account_id FROM trades t{join} WHERE {}",
            filter.sql
        ))?;
        let mut rows = stmt.query(filter.params())?;
        // Trades of one journal share a few zones: parse a zone name once per run of it.
        let mut zone: Option<(String, chrono_tz::Tz)> = None;
        while let Some(row) = rows.next()? {
            let text = |i: usize| row.get_ref(i).and_then(|v| v.as_str().map_err(Into::into));
            let opt = |i: usize| row.get_ref(i).and_then(|v| v.as_str_or_null().map_err(Into::into));
            let asset_class = parse_asset_class(text(1)?)?;
            let zone_name = text(10)?;
            let source_tz = match &zone {
                Some((name, tz)) if name == zone_name => *tz,
                _ => {
                    let tz = parse_tz(zone_name)?;
                    zone = Some((zone_name.to_string(), tz));
                    tz
                }
            };
            let account_id = text(15)?;
            if !out.accounts.contains(account_id) {
                out.accounts.insert(account_id.to_string());
            }
            let trade = RoundTrip {
                id: text(0)?.to_string(),
                account_id: String::new(),
                instrument: Instrument {
                    asset_class,
                    symbol: text(14)?.to_string(),
                    underlying: None,
                    expiry: None,
                    strike: None,
                    right: None,
                    multiplier: parse_dec(text(2)?)?,
                },
                direction: parse_direction(text(3)?)?,
                status: parse_status(text(4)?)?,
                quantity: parse_dec(text(5)?)?,
                closed_quantity: Decimal::ZERO,
                entry_price: parse_dec(text(6)?)?,
                exit_price: None,
                opened_at: parse_ts(text(7)?)?,
                closed_at: opt(8)?.map(parse_ts).transpose()?,
                trading_day: opt(9)?.map(parse_date).transpose()?,
                source_tz,
                gross_pnl: parse_dec(text(11)?)?,
                fees: parse_dec(text(12)?)?,
                net_pnl: parse_dec(text(13)?)?,
                allocations: Vec::new(),
            };
            out.trades.push(trade);
        }
        merge_strategies(&mut out, &self.strategy_of_trades()?);
        let trades = std::sync::Arc::new(out);
        *self.stat_cache.borrow_mut() = Some(StatCache {
            version,
            query: query.clone(),
            trades: std::sync::Arc::clone(&trades),
        });
        Ok(trades)
    }

    /// Changes to the journal so far: this connection's row changes and SQLite's
    /// `data_version`, which moves when another connection (the CLI beside the app) commits.
    pub(crate) fn data_version(&self) -> Result<(u64, i64)> {
        let external: i64 = self.conn().query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((self.conn().total_changes(), external))
    }

    /// The SPEC §4 statistics over the trades matching `query`, with the accounts'
    /// starting balances as the drawdown % base and the R-multiples of trades that have a
    /// planned stop.
    ///
    /// A multi-leg strategy counts as one trade ([`tradebook_core::strategy`]). Every amount
    /// is in the accounts' currency, named in `currency`. Errors: [`StoreError::Invalid`]
    /// (field `account`) when the trades' accounts keep P&L in different currencies:
    /// amounts are never summed across currencies.
    pub fn stats(&self, query: &TradeQuery, break_even_band: Decimal) -> Result<Stats> {
        let read = self.stat_trades(query)?;
        let accounts = self.accounts()?;
        let currency = stats_currency(query, &accounts, &read.accounts)?;
        let options = stats_options(query, break_even_band, &accounts);
        let mut stats = compute_stats_with_risk(&read.trades, &options, &|t| {
            read.stops.get(&t.id).and_then(|stop| initial_risk(t, *stop))
        });
        stats.strategies = read
            .trades
            .iter()
            .filter(|t| t.status == TradeStatus::Closed && read.strategy_ids.contains(&t.id))
            .count() as u64;
        stats.currency = currency;
        Ok(stats)
    }
}

/// The one currency of the accounts whose trades the statistics read (of the filter's
/// account, or of every account, when no trade matches). Errors: several currencies.
fn stats_currency(
    query: &TradeQuery,
    accounts: &[crate::Account],
    with_trades: &std::collections::BTreeSet<String>,
) -> Result<Option<String>> {
    let mut currencies = std::collections::BTreeSet::new();
    for a in accounts {
        let counted = if with_trades.is_empty() {
            query.account_id.as_ref().is_none_or(|id| *id == a.id)
        } else {
            with_trades.contains(&a.id)
        };
        if counted {
            currencies.insert(a.currency.to_ascii_uppercase());
        }
    }
    if currencies.len() > 1 && !with_trades.is_empty() {
        return Err(crate::StoreError::Invalid {
            field: "account",
            message: format!(
                "the trades are in accounts that keep P&L in {}: statistics never add amounts of different currencies; choose one account",
                currencies.into_iter().collect::<Vec<_>>().join(" and ")
            ),
        });
    }
    Ok((currencies.len() == 1).then(|| currencies.into_iter().next().expect("one")))
}

/// The statistics' options: the break-even band, and the starting balances of the accounts
/// in the filter as the drawdown % base.
fn stats_options(query: &TradeQuery, break_even_band: Decimal, accounts: &[crate::Account]) -> StatsOptions {
    let starting_balance = accounts
        .iter()
        .filter(|a| query.account_id.as_ref().is_none_or(|id| *id == a.id))
        .map(|a| a.starting_balance)
        .sum();
    StatsOptions {
        break_even_band,
        starting_balance,
    }
}

impl Store {
    /// The SPEC §4 breakdowns of the trades matching `query`: by symbol, tag, setup,
    /// weekday, hour of entry, hold time, direction and asset class. They read the trades the
    /// statistics read (kept while the journal is unchanged, so Reports after the dashboard
    /// reads nothing again) and the tags and setups, and are computed on two threads.
    pub fn breakdowns(&self, query: &TradeQuery, break_even_band: Decimal) -> Result<Breakdowns> {
        let read = self.stat_trades(query)?;
        let options = stats_options(query, break_even_band, &self.accounts()?);
        let labels = self.trade_labels()?;
        let trades = read.trades.as_slice();
        let by = |dim| breakdown_by(trades, &options, dim);
        let (by_tag, by_setup, by_symbol, by_weekday) = std::thread::scope(|scope| {
            let labelled = scope.spawn(|| {
                let by_tag = breakdown(trades, &options, &|t| {
                    labels.tags.get(t.id.as_str()).cloned().unwrap_or_default()
                });
                let by_setup = breakdown(trades, &options, &|t| {
                    labels
                        .setups
                        .get(t.id.as_str())
                        .map(|s| vec![s.clone()])
                        .unwrap_or_default()
                });
                (by_tag, by_setup)
            });
            let rest = (by(Dimension::Symbol), by(Dimension::Weekday));
            // A panic in the other thread is a bug; surface it as one.
            let (by_tag, by_setup) = labelled.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            (by_tag, by_setup, rest.0, rest.1)
        });
        Ok(Breakdowns {
            by_symbol,
            by_tag,
            by_setup,
            by_weekday,
            by_hour: by(Dimension::HourOfEntry),
            by_hold_time: by(Dimension::HoldTime),
            by_direction: by(Dimension::Direction),
            by_asset_class: by(Dimension::AssetClass),
        })
    }

    /// Every trade's tags and setup, by trade id (only trades that have them).
    fn trade_labels(&self) -> Result<Labels> {
        let mut labels = Labels::default();
        let mut stmt = self.conn().prepare_cached("SELECT trade_id, tag FROM trade_tags")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            labels.tags.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT trade_id, setup FROM annotations WHERE setup IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            labels.setups.insert(row.get(0)?, row.get(1)?);
        }
        Ok(labels)
    }
}

/// Trades as the statistics read them (a strategy's legs merged into one trade), with the
/// planned stops by trade id and the accounts the trades are in.
#[derive(Debug, Default)]
pub(crate) struct StatTrades {
    trades: Vec<RoundTrip>,
    stops: HashMap<String, Decimal>,
    accounts: std::collections::BTreeSet<String>,
    /// Ids of the merged trades that are strategies.
    strategy_ids: std::collections::HashSet<String>,
}

/// Replaces the legs of each strategy that has two or more legs among `read.trades` by one
/// trade ([`tradebook_core::as_one_trade`]), in place of its first leg.
fn merge_strategies(read: &mut StatTrades, legs: &HashMap<String, (String, tradebook_core::StrategyKind)>) {
    if legs.is_empty() {
        return;
    }
    let mut by_strategy: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in read.trades.iter().enumerate() {
        if let Some((strategy_id, _)) = legs.get(&t.id) {
            by_strategy.entry(strategy_id.as_str()).or_default().push(i);
        }
    }
    let mut replace: Vec<(usize, RoundTrip)> = Vec::new();
    let mut drop = std::collections::HashSet::new();
    for (strategy_id, idx) in by_strategy {
        if idx.len() < 2 {
            continue;
        }
        let refs: Vec<&RoundTrip> = idx.iter().map(|&i| &read.trades[i]).collect();
        replace.push((idx[0], tradebook_core::as_one_trade(strategy_id, &refs)));
        drop.extend(idx[1..].iter().copied());
    }
    for (i, merged) in replace {
        read.strategy_ids.insert(merged.id.clone());
        read.trades[i] = merged;
    }
    let mut i = 0;
    read.trades.retain(|_| {
        let keep = !drop.contains(&i);
        i += 1;
        keep
    });
}

/// Tags and setups by trade id.
#[derive(Debug, Default)]
struct Labels {
    tags: HashMap<String, Vec<String>>,
    setups: HashMap<String, String>,
}

/// The last statistics read, valid while the journal's version is unchanged.
#[derive(Debug)]
pub(crate) struct StatCache {
    version: (u64, i64),
    query: TradeQuery,
    trades: std::sync::Arc<StatTrades>,
}

/// The breakdowns of [`Store::breakdowns`], each a list of rows (see
/// [`tradebook_core::breakdown`] for the row figures and orders).
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdowns {
    pub by_symbol: Vec<BreakdownRow>,
    pub by_tag: Vec<BreakdownRow>,
    pub by_setup: Vec<BreakdownRow>,
    pub by_weekday: Vec<BreakdownRow>,
    pub by_hour: Vec<BreakdownRow>,
    pub by_hold_time: Vec<BreakdownRow>,
    pub by_direction: Vec<BreakdownRow>,
    pub by_asset_class: Vec<BreakdownRow>,
}

/// Closed-trade totals of one account (for the accounts list).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountTotals {
    pub closed_trades: u64,
    pub open_trades: u64,
    /// Net P&L of the closed trades.
    pub net_pnl: Decimal,
    /// Σ cash movements in the account's currency (deposits, dividends, fees outside
    /// trades, ...): the balance is starting balance + cash + net P&L.
    pub cash: Decimal,
}

impl Store {
    /// Totals per account id (accounts without trades or cash movements are absent).
    pub fn account_totals(&self) -> Result<std::collections::HashMap<String, AccountTotals>> {
        // Summed exactly here; a journal has few accounts, so an id is copied only the first
        // time it is seen, not once per trade.
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT account_id, status = 'closed', net_pnl FROM trades")?;
        let mut rows = stmt.query([])?;
        let mut totals: std::collections::HashMap<String, AccountTotals> = std::collections::HashMap::new();
        while let Some(row) = rows.next()? {
            let account_id = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            if !totals.contains_key(account_id) {
                totals.insert(account_id.to_string(), AccountTotals::default());
            }
            let entry = totals.get_mut(account_id).expect("inserted above");
            if row.get::<_, bool>(1)? {
                entry.closed_trades += 1;
                entry.net_pnl += parse_dec(row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?)?;
            } else {
                entry.open_trades += 1;
            }
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.account_id, c.amount FROM cash_movements c JOIN accounts a ON a.id = c.account_id \
             WHERE c.currency = a.currency COLLATE NOCASE",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let account_id: String = row.get(0)?;
            totals.entry(account_id).or_default().cash +=
                parse_dec(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?;
        }
        Ok(totals)
    }
}
