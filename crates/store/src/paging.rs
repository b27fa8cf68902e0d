//! Trades as a window: a filtered, sorted list read a page at a time.
//!
//! A journal of a million round trips cannot cross IPC as one list. [`Store::trade_page`]
//! returns the rows `offset..offset + limit` of the trades matching a [`TradeQuery`] in a
//! [`TradeOrder`], with the count and net P&L of all of them. The order is computed once per
//! (journal version, filter, order) — one scan of the matching trades' sort column, sorted
//! in Rust with exact decimals — and kept, so scrolling reads only the rows it shows, by
//! primary key. Any write to the journal (here or through another connection) invalidates it.

use std::cmp::Ordering;
use std::sync::Arc;

use rust_decimal::Decimal;
use tradebook_core::{initial_risk, r_multiple, AssetClass, Instrument, RoundTrip, TradeStatus};

use crate::codec::{parse_dec, parse_status, parse_ts};
use crate::trades::{trade_filter, trade_from_row, TradeQuery, TradeRecord, TRADE_COLUMNS, TRADE_FROM};
use crate::{Result, Store, StoreError};

/// A column trades can be sorted by: the columns of the Trades table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TradeSort {
    /// Opening instant.
    Opened,
    /// Closing instant (open trades have none).
    Closed,
    /// Trading day of the close (open trades have none).
    Day,
    /// Symbol, case-insensitive.
    Symbol,
    /// Account name, case-insensitive.
    Account,
    /// `long` before `short` ascending.
    Direction,
    /// Opened quantity.
    Quantity,
    /// Average entry price.
    Entry,
    /// Average exit price (open and incomplete trades have none).
    Exit,
    /// Gross P&L.
    Gross,
    /// Fees.
    Fees,
    /// Net P&L.
    Net,
    /// R-multiple: net P&L ÷ initial risk (closed trades with a planned stop; see
    /// [`tradebook_core::r_multiple`]).
    R,
    /// Hold time, close − open (closed trades).
    Hold,
    /// Tags joined in order, else the setup, case-insensitive.
    Tags,
}

impl TradeSort {
    /// Every sort column with its name (the CLI's `--sort` values).
    pub const ALL: [(&'static str, TradeSort); 15] = [
        ("opened", TradeSort::Opened),
        ("closed", TradeSort::Closed),
        ("day", TradeSort::Day),
        ("symbol", TradeSort::Symbol),
        ("account", TradeSort::Account),
        ("direction", TradeSort::Direction),
        ("quantity", TradeSort::Quantity),
        ("entry", TradeSort::Entry),
        ("exit", TradeSort::Exit),
        ("gross", TradeSort::Gross),
        ("fees", TradeSort::Fees),
        ("net", TradeSort::Net),
        ("r", TradeSort::R),
        ("hold", TradeSort::Hold),
        ("tags", TradeSort::Tags),
    ];

    /// The column named `name` (one of [`TradeSort::ALL`]), case-insensitive.
    pub fn parse(name: &str) -> Option<TradeSort> {
        Self::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, s)| *s)
    }

    /// The SELECT expressions that give this column's sort value (after `t.id, t.net_pnl,
    /// t.closed_at, t.opened_at`, which every order reads: the instants and hold time come
    /// from those).
    fn columns(self) -> &'static str {
        match self {
            TradeSort::Opened | TradeSort::Closed | TradeSort::Hold => "NULL",
            TradeSort::Day => "t.trading_day",
            TradeSort::Symbol => "t.symbol",
            TradeSort::Account => "a.name",
            TradeSort::Direction => "t.direction",
            TradeSort::Quantity => "t.quantity",
            TradeSort::Entry => "CASE WHEN t.status = 'incomplete' THEN NULL ELSE t.entry_price END",
            TradeSort::Exit => "t.exit_price",
            TradeSort::Gross => "t.gross_pnl",
            TradeSort::Fees => "t.fees",
            TradeSort::Net => "t.net_pnl",
            TradeSort::R => "t.status, t.entry_price, t.quantity, t.multiplier, n.planned_stop",
            TradeSort::Tags => {
                "COALESCE((SELECT group_concat(g.tag, ',') FROM \
                 (SELECT tag FROM trade_tags WHERE trade_id = t.id ORDER BY tag) g), n.setup)"
            }
        }
    }
}

/// The order of a trade list. Rows without a value in the sort column (an open trade's
/// close, a trade without a stop's R) come last in both directions; ties keep the
/// journal's default order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TradeOrder {
    /// `None`: the journal's default order — open trades first, then the newest close,
    /// then the newest open (as [`Store::trades`] lists them).
    pub sort: Option<TradeSort>,
    /// Largest first.
    pub descending: bool,
}

/// Trades read by primary key in one statement when a page is cut out.
const PAGE_CHUNK: usize = 500;

/// One page of a trade list ([`Store::trade_page`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TradePage {
    /// Trades matching the filter, in all pages.
    pub total: u64,
    /// Σ net P&L of those trades (open trades count 0; exact).
    pub net_pnl: Decimal,
    /// The page's trades, in order.
    pub trades: Vec<TradeRecord>,
}

/// The ids of the matching trades in order, with their count and net sum: what a page is
/// cut from. Ids sit end to end in one string (a million trades: 36 MB, not a million
/// allocations).
#[derive(Debug, Default)]
pub(crate) struct OrderedTrades {
    ids: String,
    ends: Vec<u32>,
    net_pnl: Decimal,
}

impl OrderedTrades {
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Appends `id` at the end of the list.
    fn push(&mut self, id: &str) -> Result<()> {
        self.ids.push_str(id);
        self.ends
            .push(u32::try_from(self.ids.len()).map_err(|_| StoreError::Invalid {
                field: "trades",
                message: "too many trades to list at once".into(),
            })?);
        Ok(())
    }

    fn id(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.ids[start..self.ends[i] as usize]
    }

    /// Indexes `offset..offset + limit` clamped to the list.
    fn window(&self, offset: u64, limit: Option<u64>) -> std::ops::Range<usize> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(self.len());
        let end = limit.map_or(self.len(), |l| {
            start
                .saturating_add(usize::try_from(l).unwrap_or(usize::MAX))
                .min(self.len())
        });
        start..end
    }
}

/// The last order computed, valid while the journal's version is unchanged.
#[derive(Debug)]
pub(crate) struct OrderCache {
    version: (u64, i64),
    query: TradeQuery,
    order: TradeOrder,
    ordered: Arc<OrderedTrades>,
}

/// A trade's value in the sort column. `None` sorts last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// Text compared as written.
    Text(Box<str>),
    /// Text compared case-insensitively, then as written.
    Folded(Box<str>, Box<str>),
    Number(Decimal),
    /// An instant (UTC microseconds) or a hold time (seconds).
    Integer(i64),
}

/// A trade's place in the default order: open trades first, newest close, newest open (UTC
/// microseconds), then id.
type DefaultKey = (bool, std::cmp::Reverse<i64>, std::cmp::Reverse<i64>);

impl Store {
    /// Rows `offset..offset + limit` (all from `offset` when `limit` is `None`) of the trades
    /// matching `query` in `order`, with their total count and net P&L. `query.limit` is
    /// ignored. The first call for a filter and order scans the matching trades once; later
    /// pages read only their own rows until the journal changes.
    ///
    /// Errors: [`StoreError::Corrupt`] for a stored value that does not parse; SQLite errors.
    pub fn trade_page(
        &self,
        query: &TradeQuery,
        order: TradeOrder,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<TradePage> {
        let ordered = self.ordered_trades(query, order)?;
        let window = ordered.window(offset, limit);
        let mut trades = Vec::with_capacity(window.len());
        // Rows by primary key, a chunk at a time, put back in the list's order.
        let indexes: Vec<usize> = window.collect();
        for chunk in indexes.chunks(PAGE_CHUNK) {
            let ids: Vec<&str> = chunk.iter().map(|&i| ordered.id(i)).collect();
            let placeholders = vec!["?"; ids.len()].join(",");
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT {TRADE_COLUMNS} FROM {TRADE_FROM} WHERE t.id IN ({placeholders})"
            ))?;
            let mut found: std::collections::HashMap<String, TradeRecord> = stmt
                .query_map(rusqlite::params_from_iter(ids.iter()), trade_from_row)?
                .map(|r| r?.map(|rec| (rec.trade.id.clone(), rec)))
                .collect::<Result<_>>()?;
            for id in ids {
                // Present unless the row vanished between the two reads, which the
                // journal's unchanged version rules out.
                if let Some(rec) = found.remove(id) {
                    trades.push(rec);
                }
            }
        }
        Ok(TradePage {
            total: ordered.len() as u64,
            net_pnl: ordered.net_pnl,
            trades,
        })
    }

    /// The ids of rows `offset..offset + limit` of the trades matching `query` in `order`
    /// (all of them with `None`): what a bulk action over a selection or a range acts on.
    pub fn trade_ids(
        &self,
        query: &TradeQuery,
        order: TradeOrder,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<String>> {
        let ordered = self.ordered_trades(query, order)?;
        Ok(ordered
            .window(offset, limit)
            .map(|i| ordered.id(i).to_string())
            .collect())
    }

    /// The whole list of trades matching `query` as one page, in [`Store::trades`]' order
    /// (with `query.limit`, the latest activity first): for short lists, such as the
    /// dashboard's recent trades or a day's trades.
    pub fn trade_list(&self, query: &TradeQuery) -> Result<TradePage> {
        let trades = self.trades(query)?;
        Ok(TradePage {
            total: trades.len() as u64,
            net_pnl: trades.iter().map(|r| r.trade.net_pnl).sum(),
            trades,
        })
    }

    /// The ids of every trade matching `query` but those in `except`: a "select all" made
    /// over a list too long to load. `expected` is how many the user saw selected.
    ///
    /// Errors: [`StoreError::Invalid`] (`field: "selection"`) when another number matches now
    /// (an import or a sync landed since), so a bulk action never touches trades the user
    /// did not see.
    pub fn selected_trade_ids(&self, query: &TradeQuery, except: &[String], expected: usize) -> Result<Vec<String>> {
        let except: std::collections::HashSet<&str> = except.iter().map(String::as_str).collect();
        let mut ids = self.trade_ids(query, TradeOrder::default(), 0, None)?;
        ids.retain(|id| !except.contains(id.as_str()));
        if ids.len() != expected {
            return Err(StoreError::Invalid {
                field: "selection",
                message: format!(
                    "the list changed since you selected it: {} trades match now, {expected} were selected. \
                     Nothing was changed; select the trades again.",
                    ids.len()
                ),
            });
        }
        Ok(ids)
    }

    fn ordered_trades(&self, query: &TradeQuery, order: TradeOrder) -> Result<Arc<OrderedTrades>> {
        let query = TradeQuery {
            limit: None,
            ..query.clone()
        };
        let version = self.data_version()?;
        if let Some(cache) = self.order_cache.borrow().as_ref() {
            if cache.version == version && cache.query == query && cache.order == order {
                return Ok(Arc::clone(&cache.ordered));
            }
        }
        let ordered = Arc::new(self.compute_order(&query, order)?);
        *self.order_cache.borrow_mut() = Some(OrderCache {
            version,
            query,
            order,
            ordered: Arc::clone(&ordered),
        });
        Ok(ordered)
    }

    fn compute_order(&self, query: &TradeQuery, order: TradeOrder) -> Result<OrderedTrades> {
        let filter = trade_filter(query);
        let columns = order.sort.map_or("NULL", TradeSort::columns);
        // Join only what the filter and the sort column read: a million index look-ups less each.
        let accounts = if order.sort == Some(TradeSort::Account) {
            " JOIN accounts a ON a.id = t.account_id"
        } else {
            ""
        };
        let annotations = filter.annotations_join(matches!(order.sort, Some(TradeSort::R | TradeSort::Tags)));
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT t.id, t.net_pnl, t.closed_at, t.opened_at, {columns} FROM trades t{accounts}{annotations} WHERE {}",
            filter.sql
        ))?;
        let mut rows = stmt.query(filter.params())?;
        let mut scanned = OrderedTrades::default();
        let mut keys: Vec<(Option<Key>, DefaultKey)> = Vec::new();
        while let Some(row) = rows.next()? {
            let text = |i: usize| row.get_ref(i).and_then(|v| v.as_str().map_err(Into::into));
            let opt = |i: usize| row.get_ref(i).and_then(|v| v.as_str_or_null().map_err(Into::into));
            let net = text(1)?;
            scanned.net_pnl += parse_dec(net)?;
            let micros = |t: &str| parse_ts(t).map(|t| t.timestamp_micros());
            let closed = opt(2)?.map(micros).transpose()?;
            let opened = micros(text(3)?)?;
            let key = match order.sort {
                None => None,
                Some(sort) => sort_key(sort, net, (opened, closed), &opt)?,
            };
            scanned.push(text(0)?)?;
            keys.push((
                key,
                (
                    closed.is_some(),
                    std::cmp::Reverse(closed.unwrap_or(0)),
                    std::cmp::Reverse(opened),
                ),
            ));
        }
        let mut index: Vec<u32> = (0..keys.len() as u32).collect();
        let id_of = |i: u32| scanned.id(i as usize);
        index.sort_unstable_by(|&a, &b| {
            let (ka, da) = &keys[a as usize];
            let (kb, db) = &keys[b as usize];
            let by_column = match (ka, kb) {
                (Some(x), Some(y)) if order.descending => y.cmp(x),
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_column.then_with(|| da.cmp(db)).then_with(|| id_of(a).cmp(id_of(b)))
        });
        let mut sorted = OrderedTrades {
            ids: String::with_capacity(scanned.ids.len()),
            ends: Vec::with_capacity(scanned.ends.len()),
            net_pnl: scanned.net_pnl,
        };
        for i in index {
            sorted.push(id_of(i))?;
        }
        Ok(sorted)
    }
}

/// The sort value of one row of [`Store::compute_order`]'s query: `opt(i)` reads column `i`
/// (the sort columns start at 4), `net` is the trade's net P&L and `times` its opening and
/// closing instants (UTC microseconds). `None` when the trade has no value in that column.
fn sort_key<'a>(
    sort: TradeSort,
    net: &str,
    (opened, closed): (i64, Option<i64>),
    opt: &dyn Fn(usize) -> rusqlite::Result<Option<&'a str>>,
) -> Result<Option<Key>> {
    let number = |v: Option<&str>| v.map(parse_dec).transpose().map(|d| d.map(Key::Number));
    let folded = |v: Option<&str>| v.map(|s| Key::Folded(s.to_lowercase().into(), s.into()));
    Ok(match sort {
        TradeSort::Opened => Some(Key::Integer(opened)),
        TradeSort::Closed => closed.map(Key::Integer),
        TradeSort::Day | TradeSort::Direction => opt(4)?.map(|s| Key::Text(s.into())),
        TradeSort::Symbol | TradeSort::Account | TradeSort::Tags => folded(opt(4)?),
        TradeSort::Quantity
        | TradeSort::Entry
        | TradeSort::Exit
        | TradeSort::Gross
        | TradeSort::Fees
        | TradeSort::Net => number(opt(4)?)?,
        // Whole seconds, truncated as `chrono::TimeDelta::num_seconds` does.
        TradeSort::Hold => closed.map(|closed| Key::Integer((closed - opened) / 1_000_000)),
        TradeSort::R => {
            let (Some(status), Some(stop)) = (opt(4)?, opt(8)?) else {
                return Ok(None);
            };
            let status = parse_status(status)?;
            if status != TradeStatus::Closed {
                return Ok(None);
            }
            let need = |v: Option<&'a str>| -> Result<&'a str> {
                v.ok_or(StoreError::Corrupt {
                    what: "trade",
                    value: "a trade without entry, quantity or multiplier".into(),
                })
            };
            // Only the fields the R-multiple reads (tradebook_core::initial_risk, r_multiple).
            let trade = RoundTrip {
                id: String::new(),
                account_id: String::new(),
                instrument: Instrument {
                    asset_class: AssetClass::Stock,
                    symbol: String::new(),
                    underlying: None,
                    expiry: None,
                    strike: None,
                    right: None,
                    multiplier: parse_dec(need(opt(7)?)?)?,
                },
                direction: tradebook_core::Direction::Long,
                status,
                quantity: parse_dec(need(opt(6)?)?)?,
                closed_quantity: Decimal::ZERO,
                entry_price: parse_dec(need(opt(5)?)?)?,
                exit_price: None,
                opened_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
                closed_at: None,
                trading_day: None,
                source_tz: chrono_tz::UTC,
                gross_pnl: Decimal::ZERO,
                fees: Decimal::ZERO,
                net_pnl: parse_dec(net)?,
                allocations: Vec::new(),
            };
            initial_risk(&trade, parse_dec(stop)?)
                .and_then(|risk| r_multiple(&trade, risk))
                .map(Key::Number)
        }
    })
}
