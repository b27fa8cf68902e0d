//! Multi-leg strategies in the journal: detection after each import (trades opened together,
//! `tradebook_core::strategy`), the user's merges and splits, roll links, and the map the
//! statistics use to count a strategy as one trade.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use tradebook_core::{classify, opened_together, underlying_of, Instrument, RoundTrip, StrategyKind, TradeStatus};

use crate::codec::{self, parse_dec, parse_ts};
use crate::{Result, Store, StoreError};

/// Where a strategy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategySource {
    /// Grouped by an import (legs opened together).
    Detected,
    /// Merged by the user.
    User,
}

impl StrategySource {
    /// Stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StrategySource::Detected => "detected",
            StrategySource::User => "user",
        }
    }

    /// Inverse of [`StrategySource::as_str`]. Errors: [`StoreError::Corrupt`].
    fn parse(s: &str) -> Result<StrategySource> {
        match s {
            "detected" => Ok(StrategySource::Detected),
            "user" => Ok(StrategySource::User),
            _ => Err(StoreError::Corrupt {
                what: "strategy source",
                value: s.to_string(),
            }),
        }
    }
}

/// A strategy with its legs and their totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    /// UUID.
    pub id: String,
    pub account_id: String,
    pub kind: StrategyKind,
    pub underlying: String,
    pub opened_at: DateTime<Utc>,
    pub source: StrategySource,
    /// The strategy this one rolled from (closed at the instant this one opened).
    pub rolled_from: Option<String>,
    /// Its legs' trade ids, in opening order.
    pub legs: Vec<String>,
    /// Closed when every leg is, open when a leg is, else incomplete.
    pub status: TradeStatus,
    /// Σ of the legs' gross, fees and net P&L.
    pub gross_pnl: Decimal,
    pub fees: Decimal,
    pub net_pnl: Decimal,
}

/// The legs' trades of the strategies touching `account_ids`, as round trips (instrument
/// with expiry, strike and right from the opening fill). `extra` is SQL on trade `t`.
fn leg_trades(conn: &Connection, account_id: &str, extra: &str) -> Result<Vec<RoundTrip>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, t.account_id, t.symbol, t.asset_class, t.underlying, t.multiplier, t.direction, t.status, \
         t.quantity, t.entry_price, t.opened_at, t.closed_at, t.trading_day, t.source_tz, t.gross_pnl, t.fees, \
         t.net_pnl, f.expiry, f.strike, f.option_right \
         FROM trades t LEFT JOIN fills f ON f.id = t.id WHERE t.account_id = ?1 {extra} ORDER BY t.opened_at, t.id"
    ))?;
    let rows = stmt.query_map([account_id], |r| {
        let s = |i: usize| r.get::<_, String>(i);
        let o = |i: usize| r.get::<_, Option<String>>(i);
        Ok((
            [s(0)?, s(1)?, s(2)?, s(3)?],
            o(4)?,
            [s(5)?, s(6)?, s(7)?, s(8)?, s(9)?, s(10)?],
            [o(11)?, o(12)?],
            [s(13)?, s(14)?, s(15)?, s(16)?],
            [o(17)?, o(18)?, o(19)?],
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            [id, account_id, symbol, class],
            underlying,
            [mult, direction, status, qty, entry, opened],
            [closed, day],
            [tz, gross, fees, net],
            [expiry, strike, right],
        ) = row?;
        out.push(RoundTrip {
            id,
            account_id,
            instrument: Instrument {
                asset_class: codec::parse_asset_class(&class)?,
                symbol,
                underlying,
                expiry: expiry.map(|d| codec::parse_date(&d)).transpose()?,
                strike: strike.map(|k| parse_dec(&k)).transpose()?,
                right: codec::parse_right(right)?,
                multiplier: parse_dec(&mult)?,
            },
            direction: codec::parse_direction(&direction)?,
            status: codec::parse_status(&status)?,
            opened_at: parse_ts(&opened)?,
            closed_at: closed.map(|c| parse_ts(&c)).transpose()?,
            trading_day: day.map(|d| codec::parse_date(&d)).transpose()?,
            source_tz: codec::parse_tz(&tz)?,
            quantity: parse_dec(&qty)?,
            closed_quantity: Decimal::ZERO,
            entry_price: parse_dec(&entry)?,
            exit_price: None,
            gross_pnl: parse_dec(&gross)?,
            fees: parse_dec(&fees)?,
            net_pnl: parse_dec(&net)?,
            allocations: Vec::new(),
        });
    }
    Ok(out)
}

/// Groups the account's option trades opened together that are in no strategy and were
/// not split off by the user into detected strategies (a long stock opened at the same
/// instant joins its calls: a covered call), and links rolls. Returns how many it made.
pub(crate) fn detect_in(conn: &Connection, account_id: &str) -> Result<usize> {
    let free = "AND t.id NOT IN (SELECT trade_id FROM strategy_legs) \
                AND t.id NOT IN (SELECT trade_id FROM strategy_opt_outs)";
    let options = leg_trades(
        conn,
        account_id,
        &format!("AND t.asset_class IN ('option', 'future_option') {free}"),
    )?;
    let refs: Vec<&RoundTrip> = options.iter().collect();
    // Option legs grouped by (instant, underlying); a single option with a stock leg too.
    let mut groups: Vec<Vec<RoundTrip>> = opened_together(&refs)
        .into_iter()
        .map(|g| g.into_iter().map(|i| options[i].clone()).collect())
        .collect();
    // Free stock trades opened at `leg`'s instant in its underlying (a covered call's stock).
    let stock_with = |leg: &RoundTrip| {
        leg_trades(
            conn,
            account_id,
            &format!(
                "AND t.asset_class = 'stock' AND t.opened_at = '{}' AND t.symbol = '{}' {free}",
                codec::ts(leg.opened_at),
                underlying_of(leg).replace('\'', "''")
            ),
        )
    };
    let grouped: BTreeSet<&str> = groups.iter().flatten().map(|t| t.id.as_str()).collect();
    let mut with_stock = Vec::new();
    for single in options.iter().filter(|t| !grouped.contains(t.id.as_str())) {
        let mut g = stock_with(single)?;
        if !g.is_empty() {
            g.push(single.clone());
            with_stock.push(g);
        }
    }
    // Option legs grouped above take a stock opened with them too.
    for g in &mut groups {
        let stock = stock_with(&g[0])?;
        g.splice(0..0, stock);
    }
    groups.extend(with_stock);
    let mut made = 0;
    for legs in groups {
        let refs: Vec<&RoundTrip> = legs.iter().collect();
        insert_strategy(conn, account_id, &refs, StrategySource::Detected)?;
        made += 1;
    }
    if made > 0 {
        link_rolls(conn, account_id)?;
    }
    Ok(made)
}

fn insert_strategy(conn: &Connection, account_id: &str, legs: &[&RoundTrip], source: StrategySource) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let opened_at = legs.iter().map(|l| l.opened_at).min().expect("legs");
    conn.execute(
        "INSERT INTO strategies (id, account_id, kind, underlying, opened_at, source, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            account_id,
            classify(legs).as_str(),
            underlying_of(legs[0]),
            codec::ts(opened_at),
            source.as_str(),
            codec::now(),
        ],
    )?;
    let mut insert = conn.prepare_cached("INSERT INTO strategy_legs (trade_id, strategy_id) VALUES (?1, ?2)")?;
    for leg in legs {
        insert.execute(params![leg.id, id])?;
    }
    Ok(id)
}

/// Links each strategy without a roll link to the strategy on the same account and
/// underlying whose last leg closed at the instant it opened.
fn link_rolls(conn: &Connection, account_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE strategies AS s SET rolled_from = (
             SELECT p.id FROM strategies p
             WHERE p.account_id = s.account_id AND p.underlying = s.underlying AND p.id != s.id
               AND NOT EXISTS (SELECT 1 FROM strategy_legs l JOIN trades t ON t.id = l.trade_id
                               WHERE l.strategy_id = p.id AND (t.closed_at IS NULL OR t.closed_at > s.opened_at))
               AND (SELECT MAX(t.closed_at) FROM strategy_legs l JOIN trades t ON t.id = l.trade_id
                    WHERE l.strategy_id = p.id) = s.opened_at
             LIMIT 1)
         WHERE s.account_id = ?1 AND s.rolled_from IS NULL",
        [account_id],
    )?;
    Ok(())
}

/// Removes legs whose trade no longer exists and strategies left with fewer than two legs.
pub(crate) fn prune(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM strategy_legs WHERE trade_id NOT IN (SELECT id FROM trades)",
        [],
    )?;
    conn.execute(
        "DELETE FROM strategies WHERE id NOT IN (
             SELECT strategy_id FROM strategy_legs GROUP BY strategy_id HAVING COUNT(*) >= 2)",
        [],
    )?;
    Ok(())
}

impl Store {
    /// The strategies of `account_id` (every account when `None`), oldest first, with their
    /// legs' status and totals.
    pub fn strategies(&self, account_id: Option<&str>) -> Result<Vec<Strategy>> {
        self.read_strategies(account_id, None)
    }

    /// The strategy `strategy_id`, if it exists (with two legs or more).
    pub fn strategy(&self, strategy_id: &str) -> Result<Option<Strategy>> {
        Ok(self.read_strategies(None, Some(strategy_id))?.pop())
    }

    fn read_strategies(&self, account_id: Option<&str>, strategy_id: Option<&str>) -> Result<Vec<Strategy>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.id, s.account_id, s.kind, s.underlying, s.opened_at, s.source, s.rolled_from, \
                    t.id, t.status, t.gross_pnl, t.fees, t.net_pnl \
             FROM strategies s JOIN strategy_legs l ON l.strategy_id = s.id JOIN trades t ON t.id = l.trade_id \
             WHERE (?1 IS NULL OR s.account_id = ?1) AND (?2 IS NULL OR s.id = ?2) \
             ORDER BY s.opened_at, s.id, t.opened_at, t.id",
        )?;
        let mut rows = stmt.query(params![account_id, strategy_id])?;
        let mut out: Vec<Strategy> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if out.last().is_none_or(|s| s.id != id) {
                let kind: String = r.get(2)?;
                let source: String = r.get(5)?;
                out.push(Strategy {
                    id: id.clone(),
                    account_id: r.get(1)?,
                    kind: StrategyKind::parse(&kind).ok_or(corrupt_kind(&kind))?,
                    underlying: r.get(3)?,
                    opened_at: parse_ts(&r.get::<_, String>(4)?)?,
                    source: StrategySource::parse(&source)?,
                    rolled_from: r.get(6)?,
                    legs: Vec::new(),
                    status: TradeStatus::Closed,
                    gross_pnl: Decimal::ZERO,
                    fees: Decimal::ZERO,
                    net_pnl: Decimal::ZERO,
                });
            }
            let s = out.last_mut().expect("pushed above");
            s.legs.push(r.get(7)?);
            match codec::parse_status(&r.get::<_, String>(8)?)? {
                TradeStatus::Open => s.status = TradeStatus::Open,
                TradeStatus::Incomplete if s.status != TradeStatus::Open => s.status = TradeStatus::Incomplete,
                _ => {}
            }
            s.gross_pnl += parse_dec(&r.get::<_, String>(9)?)?;
            s.fees += parse_dec(&r.get::<_, String>(10)?)?;
            s.net_pnl += parse_dec(&r.get::<_, String>(11)?)?;
        }
        out.retain(|s| s.legs.len() >= 2);
        Ok(out)
    }

    /// The strategies of the trades `trade_ids` (a page of a list): trade id → (strategy
    /// id, kind), for those that are legs. Reads only those legs (by primary key).
    pub fn strategy_of(&self, trade_ids: &[&str]) -> Result<HashMap<String, (String, StrategyKind)>> {
        let mut out = HashMap::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.id, s.kind FROM strategy_legs l JOIN strategies s ON s.id = l.strategy_id WHERE l.trade_id = ?1",
        )?;
        for id in trade_ids {
            if let Some((strategy_id, kind)) = stmt
                .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .optional()?
            {
                let kind = StrategyKind::parse(&kind).ok_or(corrupt_kind(&kind))?;
                out.insert(id.to_string(), (strategy_id, kind));
            }
        }
        Ok(out)
    }

    /// Each leg's strategy: trade id → (strategy id, kind).
    pub fn strategy_of_trades(&self) -> Result<HashMap<String, (String, StrategyKind)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT l.trade_id, s.id, s.kind FROM strategy_legs l JOIN strategies s ON s.id = l.strategy_id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(r) = rows.next()? {
            let kind: String = r.get(2)?;
            out.insert(
                r.get(0)?,
                (r.get(1)?, StrategyKind::parse(&kind).ok_or(corrupt_kind(&kind))?),
            );
        }
        Ok(out)
    }

    /// Groups the trades `trade_ids` (two or more, one account) into one strategy of the
    /// user's, taking them out of any strategy they were in. Errors:
    /// [`StoreError::NotFound`] for an unknown trade; [`StoreError::Invalid`] for fewer than
    /// two trades or trades of several accounts.
    pub fn merge_strategy(&mut self, trade_ids: &[String]) -> Result<Strategy> {
        let ids: BTreeSet<&str> = trade_ids.iter().map(String::as_str).collect();
        if ids.len() < 2 {
            return Err(StoreError::Invalid {
                field: "trade_ids",
                message: "a strategy has at least two legs: choose two or more trades".into(),
            });
        }
        let id = self.with_tx(|tx| {
            let mut accounts = BTreeSet::new();
            for trade_id in &ids {
                let account: Option<String> = tx
                    .query_row("SELECT account_id FROM trades WHERE id = ?1", [trade_id], |r| r.get(0))
                    .optional()?;
                accounts.insert(account.ok_or_else(|| StoreError::NotFound {
                    what: "trade",
                    id: trade_id.to_string(),
                })?);
            }
            if accounts.len() > 1 {
                return Err(StoreError::Invalid {
                    field: "trade_ids",
                    message: "the trades are in different accounts; a strategy's legs are in one".into(),
                });
            }
            let account = accounts.into_iter().next().expect("one account");
            let list = ids
                .iter()
                .map(|i| format!("'{}'", i.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(",");
            let legs = leg_trades(tx, &account, &format!("AND t.id IN ({list})"))?;
            for trade_id in &ids {
                tx.execute("DELETE FROM strategy_legs WHERE trade_id = ?1", [trade_id])?;
                tx.execute("DELETE FROM strategy_opt_outs WHERE trade_id = ?1", [trade_id])?;
            }
            let refs: Vec<&RoundTrip> = legs.iter().collect();
            let id = insert_strategy(tx, &account, &refs, StrategySource::User)?;
            prune(tx)?;
            link_rolls(tx, &account)?;
            Ok(id)
        })?;
        self.strategy(&id)?.ok_or(StoreError::NotFound { what: "strategy", id })
    }

    /// Splits the strategy `strategy_id` back into its trades, which are then never grouped
    /// automatically again. Returns the legs' trade ids. Errors: [`StoreError::NotFound`].
    pub fn split_strategy(&mut self, strategy_id: &str) -> Result<Vec<String>> {
        self.with_tx(|tx| {
            let legs: Vec<String> = {
                let mut stmt = tx.prepare("SELECT trade_id FROM strategy_legs WHERE strategy_id = ?1")?;
                let rows = stmt.query_map([strategy_id], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let deleted = tx.execute("DELETE FROM strategies WHERE id = ?1", [strategy_id])?;
            if deleted == 0 {
                return Err(StoreError::NotFound {
                    what: "strategy",
                    id: strategy_id.to_string(),
                });
            }
            for leg in &legs {
                tx.execute("INSERT OR IGNORE INTO strategy_opt_outs (trade_id) VALUES (?1)", [leg])?;
            }
            Ok(legs)
        })
    }
}

/// A stored strategy kind this version does not know.
fn corrupt_kind(value: &str) -> StoreError {
    StoreError::Corrupt {
        what: "strategy kind",
        value: value.to_string(),
    }
}
