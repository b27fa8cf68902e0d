//! Fills: insertion with de-duplication, loading, and the recomputation of the derived
//! trades of a position.

use std::collections::BTreeSet;

use rusqlite::{params, Row, Statement, Transaction};
use tradebook_core::{Fill, Instrument, PositionMatcher, RoundTrip, TradeStatus};

use crate::codec::{self, parse_asset_class, parse_date, parse_dec, parse_right, parse_side, parse_ts, parse_tz};
use crate::{Result, Store};

/// A stored fill with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct FillRecord {
    pub fill: Fill,
    /// The import batch, `None` for a fill entered by hand.
    pub batch_id: Option<String>,
    pub execution_id: Option<String>,
    pub dedupe_key: String,
}

pub(crate) const FILL_COLUMNS: &str = "f.id, f.account_id, f.asset_class, f.symbol, f.underlying, f.expiry, f.strike, \
     f.option_right, f.multiplier, f.side, f.quantity, f.price, f.fees, f.executed_at, f.source_tz, f.seq, \
     f.batch_id, f.execution_id, f.dedupe_key, f.position_effect";

pub(crate) fn fill_from_row(row: &Row<'_>) -> rusqlite::Result<Result<FillRecord>> {
    let text = |i: usize| row.get::<_, String>(i);
    let opt = |i: usize| row.get::<_, Option<String>>(i);
    let (id, account_id, asset, symbol, underlying, expiry, strike, right, multiplier) = (
        text(0)?,
        text(1)?,
        text(2)?,
        text(3)?,
        opt(4)?,
        opt(5)?,
        opt(6)?,
        opt(7)?,
        text(8)?,
    );
    let (side, quantity, price, fees, executed_at, tz, seq) = (
        text(9)?,
        text(10)?,
        text(11)?,
        text(12)?,
        text(13)?,
        text(14)?,
        row.get::<_, i64>(15)?,
    );
    let (batch_id, execution_id, dedupe_key, effect) = (opt(16)?, opt(17)?, text(18)?, opt(19)?);
    Ok((|| {
        Ok(FillRecord {
            fill: Fill {
                id,
                account_id,
                instrument: Instrument {
                    asset_class: parse_asset_class(&asset)?,
                    symbol,
                    underlying,
                    expiry: expiry.as_deref().map(parse_date).transpose()?,
                    strike: strike.as_deref().map(parse_dec).transpose()?,
                    right: parse_right(right)?,
                    multiplier: parse_dec(&multiplier)?,
                },
                side: parse_side(&side)?,
                quantity: parse_dec(&quantity)?,
                price: parse_dec(&price)?,
                fees: parse_dec(&fees)?,
                executed_at: parse_ts(&executed_at)?,
                source_tz: parse_tz(&tz)?,
                seq,
                position_effect: effect
                    .map(|e| {
                        tradebook_core::PositionEffect::parse(&e).ok_or(crate::StoreError::Corrupt {
                            what: "position effect",
                            value: e.clone(),
                        })
                    })
                    .transpose()?,
            },
            batch_id,
            execution_id,
            dedupe_key,
        })
    })())
}

/// A fill with the TEXT forms of its decimal, date and time columns already made
/// ([`crate::codec`]). An import builds these on its reading thread, so the thread that
/// writes the store only binds them.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedFill {
    fill: Fill,
    multiplier: String,
    quantity: String,
    price: String,
    fees: String,
    executed_at: String,
    expiry: Option<String>,
    strike: Option<String>,
}

impl EncodedFill {
    /// Encodes `fill`'s columns.
    pub fn new(fill: Fill) -> EncodedFill {
        let i = &fill.instrument;
        EncodedFill {
            multiplier: codec::dec(i.multiplier),
            quantity: codec::dec(fill.quantity),
            price: codec::dec(fill.price),
            fees: codec::dec(fill.fees),
            executed_at: codec::ts(fill.executed_at),
            expiry: i.expiry.map(codec::date),
            strike: i.strike.map(codec::dec),
            fill,
        }
    }

    /// The fill.
    pub fn fill(&self) -> &Fill {
        &self.fill
    }
}

/// Inserts a fill unless its `(account, dedupe_key)` is already stored. Returns whether it
/// was added. The fill must be valid ([`Fill::validate`]).
pub(crate) fn insert_fill(
    tx: &Transaction<'_>,
    encoded: &EncodedFill,
    dedupe_key: &str,
    execution_id: Option<&str>,
    batch_id: Option<&str>,
) -> Result<bool> {
    let mut stmt = tx.prepare_cached(INSERT_FILL)?;
    insert_fill_with(&mut stmt, encoded, dedupe_key, execution_id, batch_id)
}

/// The statement of [`insert_fill`]: an import prepares it once and keeps it.
pub(crate) const INSERT_FILL: &str = "INSERT INTO fills (id, account_id, batch_id, dedupe_key, execution_id, \
     asset_class, symbol, underlying, expiry, strike, option_right, multiplier, side, quantity, price, fees, \
     executed_at, source_tz, seq, position_effect) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
     ON CONFLICT (account_id, dedupe_key) DO NOTHING";

/// [`insert_fill`] with a prepared [`INSERT_FILL`].
pub(crate) fn insert_fill_with(
    stmt: &mut Statement<'_>,
    encoded: &EncodedFill,
    dedupe_key: &str,
    execution_id: Option<&str>,
    batch_id: Option<&str>,
) -> Result<bool> {
    let fill = &encoded.fill;
    let i = &fill.instrument;
    let added = stmt.execute(params![
        fill.id,
        fill.account_id,
        batch_id,
        dedupe_key,
        execution_id,
        i.asset_class.as_str(),
        i.symbol,
        i.underlying,
        encoded.expiry,
        encoded.strike,
        i.right.map(|r| r.as_str()),
        encoded.multiplier,
        fill.side.as_str(),
        encoded.quantity,
        encoded.price,
        encoded.fees,
        encoded.executed_at,
        fill.source_tz.name(),
        fill.seq,
        fill.position_effect.map(|e| e.as_str()),
    ])?;
    Ok(added == 1)
}

/// Writes one derived trade. `closing_fill_id` is the fill that closed it (its last
/// allocation), `NULL` while open; with the opening fill (the trade's id) it bounds the
/// trade's fills within its position (see `migrations/V2__trade_ranges.sql`).
pub(crate) fn write_trade(tx: &Transaction<'_>, t: &RoundTrip) -> Result<()> {
    let mut insert = tx.prepare_cached(INSERT_TRADE)?;
    write_trade_with(&mut insert, t)
}

/// The statement of [`write_trade`]: an import prepares it once and keeps it.
pub(crate) const INSERT_TRADE: &str = "INSERT INTO trades (id, account_id, symbol, asset_class, underlying, \
     multiplier, direction, status, quantity, closed_quantity, entry_price, exit_price, opened_at, closed_at, \
     trading_day, source_tz, gross_pnl, fees, net_pnl, fill_count, closing_fill_id) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";

/// [`write_trade`] with a prepared [`INSERT_TRADE`].
pub(crate) fn write_trade_with(insert: &mut Statement<'_>, t: &RoundTrip) -> Result<()> {
    // A fill appears once per trade: allocations of one fill are adjacent (a fill is applied
    // whole before the next), so counting changes of fill id counts distinct fills.
    let fill_count = t
        .allocations
        .iter()
        .enumerate()
        .filter(|(i, a)| *i == 0 || t.allocations[i - 1].fill_id != a.fill_id)
        .count();
    let closing_fill_id = match t.status {
        TradeStatus::Open => None,
        TradeStatus::Closed | TradeStatus::Incomplete => t.allocations.last().map(|a| a.fill_id.as_str()),
    };
    insert.execute(params![
        t.id,
        t.account_id,
        t.instrument.symbol,
        t.instrument.asset_class.as_str(),
        t.instrument.underlying,
        codec::dec(t.instrument.multiplier),
        t.direction.as_str(),
        t.status.as_str(),
        codec::dec(t.quantity),
        codec::dec(t.closed_quantity),
        codec::dec(t.entry_price),
        t.exit_price.map(codec::dec),
        codec::ts(t.opened_at),
        t.closed_at.map(codec::ts),
        t.trading_day.map(codec::date),
        t.source_tz.name(),
        codec::dec(t.gross_pnl),
        codec::dec(t.fees),
        codec::dec(t.net_pnl),
        fill_count as i64,
        closing_fill_id,
    ])?;
    Ok(())
}

/// Whether the position (account id, symbol) holds any fill.
pub(crate) fn position_has_fills(tx: &Transaction<'_>, account_id: &str, symbol: &str) -> Result<bool> {
    let mut stmt = tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM fills WHERE account_id = ?1 AND symbol = ?2)")?;
    Ok(stmt.query_row(params![account_id, symbol], |r| r.get(0))?)
}

/// Recomputes the trades of each (account id, symbol) position from its stored fills,
/// streaming them through a [`PositionMatcher`] (memory: one position's open lots, not its
/// history). `on_trade` sees every trade written. Returns the number of trades written.
pub(crate) fn recompute_positions(
    tx: &Transaction<'_>,
    positions: &BTreeSet<(String, String)>,
    on_trade: &mut dyn FnMut(&RoundTrip),
) -> Result<usize> {
    let mut written = 0;
    let mut load = tx.prepare_cached(&format!(
        "SELECT {FILL_COLUMNS} FROM fills f WHERE f.account_id = ?1 AND f.symbol = ?2 ORDER BY f.executed_at, f.seq, f.rowid"
    ))?;
    let mut delete = tx.prepare_cached("DELETE FROM trades WHERE account_id = ?1 AND symbol = ?2")?;
    let mut done = Vec::new();
    for (account_id, symbol) in positions {
        delete.execute(params![account_id, symbol])?;
        let mut matcher = PositionMatcher::new();
        let mut rows = load.query(params![account_id, symbol])?;
        while let Some(row) = rows.next()? {
            let fill = fill_from_row(row)??.fill;
            matcher.push(&fill, &mut done);
            for t in done.drain(..) {
                write_trade(tx, &t)?;
                on_trade(&t);
                written += 1;
            }
        }
        matcher.finish(&mut done);
        for t in done.drain(..) {
            write_trade(tx, &t)?;
            on_trade(&t);
            written += 1;
        }
    }
    Ok(written)
}

impl Store {
    /// Resolves an incomplete trade ("opening position unknown") by adding the opening fill
    /// the journal lacks: the same quantity on the opposite side of the trade's closing fill
    /// at `price`, executed at `opened_at`, marked as opening. The position is recomputed,
    /// so the trade becomes a measured round trip. Returns the new fill's id.
    ///
    /// Errors: [`crate::StoreError::NotFound`] for an unknown trade;
    /// [`crate::StoreError::Invalid`] when the trade is not incomplete or `opened_at` is not
    /// before its close.
    pub fn resolve_incomplete(
        &mut self,
        trade_id: &str,
        price: rust_decimal::Decimal,
        opened_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<String> {
        let trade = self.trade(trade_id)?.trade;
        if trade.status != tradebook_core::TradeStatus::Incomplete {
            return Err(crate::StoreError::Invalid {
                field: "trade",
                message: format!(
                    "trade {trade_id} is {}; only incomplete trades need an opening price",
                    trade.status.as_str()
                ),
            });
        }
        let closing = self
            .trade_fills(trade_id)?
            .into_iter()
            .next()
            .ok_or_else(|| crate::StoreError::NotFound {
                what: "closing fill of trade",
                id: trade_id.to_string(),
            })?
            .fill;
        let closed_at = trade.closed_at.unwrap_or(closing.executed_at);
        let opened_at = opened_at.unwrap_or(closed_at - chrono::Duration::seconds(1));
        if opened_at >= closed_at {
            return Err(crate::StoreError::Invalid {
                field: "opened_at",
                message: "the opening must be before the close".into(),
            });
        }
        let opening = Fill {
            id: uuid::Uuid::now_v7().to_string(),
            side: trade.direction.opening_side(),
            quantity: trade.quantity,
            price,
            fees: rust_decimal::Decimal::ZERO,
            executed_at: opened_at,
            seq: closing.seq - 1,
            position_effect: Some(tradebook_core::PositionEffect::Open),
            ..closing
        };
        self.add_manual_fills(std::slice::from_ref(&opening))?;
        Ok(opening.id)
    }

    /// Fills of an account (all accounts with `None`), in time order.
    pub fn fills(&self, account_id: Option<&str>) -> Result<Vec<FillRecord>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {FILL_COLUMNS} FROM fills f WHERE (?1 IS NULL OR f.account_id = ?1) ORDER BY f.executed_at, f.seq, f.rowid"
        ))?;
        let rows = stmt.query_map([account_id], fill_from_row)?;
        rows.map(|r| r?).collect()
    }

    /// Fills of one trade, in time order: the fills of its position from its opening fill
    /// to its closing fill (to the last fill while open).
    pub fn trade_fills(&self, trade_id: &str) -> Result<Vec<FillRecord>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {FILL_COLUMNS} FROM trades t \
             JOIN fills o ON o.id = t.id \
             LEFT JOIN fills c ON c.id = t.closing_fill_id \
             JOIN fills f ON f.account_id = t.account_id AND f.symbol = t.symbol \
              AND f.executed_at BETWEEN o.executed_at AND COALESCE(c.executed_at, '9999') \
             WHERE t.id = ?1 \
               AND (f.executed_at, f.seq, f.rowid) >= (o.executed_at, o.seq, o.rowid) \
               AND (c.id IS NULL OR (f.executed_at, f.seq, f.rowid) <= (c.executed_at, c.seq, c.rowid)) \
             ORDER BY f.executed_at, f.seq, f.rowid"
        ))?;
        let rows = stmt.query_map([trade_id], fill_from_row)?;
        rows.map(|r| r?).collect()
    }

    /// Adds hand-entered fills (a manual trade) and recomputes their position, in one
    /// transaction. Dedupe keys are `manual:<fill id>`. Returns the ids of the trades that
    /// contain the new fills.
    pub fn add_manual_fills(&mut self, fills: &[Fill]) -> Result<Vec<String>> {
        self.with_tx(|tx| {
            let mut positions = BTreeSet::new();
            for fill in fills {
                fill.validate().map_err(|e| crate::StoreError::Invalid {
                    field: "fill",
                    message: e.to_string(),
                })?;
                insert_fill(
                    tx,
                    &EncodedFill::new(fill.clone()),
                    &format!("manual:{}", fill.id),
                    None,
                    None,
                )?;
                positions.insert((fill.account_id.clone(), fill.instrument.symbol.clone()));
            }
            let mut ids: Vec<String> = Vec::new();
            recompute_positions(tx, &positions, &mut |t| {
                let holds_new_fill = t.allocations.iter().any(|a| fills.iter().any(|f| f.id == a.fill_id));
                if holds_new_fill && !ids.contains(&t.id) {
                    ids.push(t.id.clone());
                }
            })?;
            Ok(ids)
        })
    }
}

/// A hand edit of a stored fill: the fields a trader corrects. Instrument and account stay.
#[derive(Debug, Clone, PartialEq)]
pub struct FillEdit {
    pub side: tradebook_core::Side,
    pub quantity: rust_decimal::Decimal,
    pub price: rust_decimal::Decimal,
    pub fees: rust_decimal::Decimal,
    pub executed_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// One stored fill. Errors: [`crate::StoreError::NotFound`].
    pub fn fill(&self, fill_id: &str) -> Result<FillRecord> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(
                &format!("SELECT {FILL_COLUMNS} FROM fills f WHERE f.id = ?1"),
                [fill_id],
                fill_from_row,
            )
            .optional()?
            .ok_or_else(|| crate::StoreError::NotFound {
                what: "fill",
                id: fill_id.to_string(),
            })?
    }

    /// Corrects a fill by hand and recomputes its position in the same transaction. The
    /// fill keeps its id and dedupe key (a re-import does not bring the old values back).
    ///
    /// Errors: [`crate::StoreError::NotFound`]; [`crate::StoreError::Invalid`] naming the
    /// field (quantity and price above 0, fees not negative).
    pub fn update_fill(&mut self, fill_id: &str, edit: &FillEdit) -> Result<FillRecord> {
        let mut record = self.fill(fill_id)?;
        record.fill.side = edit.side;
        record.fill.quantity = edit.quantity;
        record.fill.price = edit.price;
        record.fill.fees = edit.fees;
        record.fill.executed_at = edit.executed_at;
        record.fill.validate().map_err(|e| crate::StoreError::Invalid {
            field: e.field(),
            message: e.to_string(),
        })?;
        let f = &record.fill;
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE fills SET side = ?2, quantity = ?3, price = ?4, fees = ?5, executed_at = ?6 WHERE id = ?1",
                params![
                    f.id,
                    f.side.as_str(),
                    codec::dec(f.quantity),
                    codec::dec(f.price),
                    codec::dec(f.fees),
                    codec::ts(f.executed_at),
                ],
            )?;
            let positions = BTreeSet::from([(f.account_id.clone(), f.instrument.symbol.clone())]);
            recompute_positions(tx, &positions, &mut |_| {})?;
            Ok(())
        })?;
        self.fill(fill_id)
    }

    /// Deletes fills by id and recomputes their positions, in one transaction. Returns how
    /// many were deleted. A deleted imported fill comes back if its file is imported again.
    pub fn delete_fills(&mut self, fill_ids: &[String]) -> Result<usize> {
        self.with_tx(|tx| {
            let mut positions = BTreeSet::new();
            let mut deleted = 0;
            {
                let mut find = tx.prepare_cached("SELECT account_id, symbol FROM fills WHERE id = ?1")?;
                let mut delete = tx.prepare_cached("DELETE FROM fills WHERE id = ?1")?;
                for id in fill_ids {
                    use rusqlite::OptionalExtension;
                    if let Some(position) = find
                        .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                        .optional()?
                    {
                        positions.insert(position);
                        deleted += delete.execute([id])?;
                    }
                }
            }
            recompute_positions(tx, &positions, &mut |_| {})?;
            Ok(deleted)
        })
    }

    /// Deletes trades by deleting their fills (a flip fill shared with the neighbouring
    /// trade goes too, and that trade is recomputed). Returns the fills deleted.
    pub fn delete_trades(&mut self, trade_ids: &[String]) -> Result<usize> {
        let mut fill_ids = Vec::new();
        for id in trade_ids {
            fill_ids.extend(self.trade_fills(id)?.into_iter().map(|r| r.fill.id));
        }
        fill_ids.sort();
        fill_ids.dedup();
        self.delete_fills(&fill_ids)
    }
}

impl Store {
    /// How many fills the journal holds.
    pub fn fill_count(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM fills", [], |r| r.get::<_, i64>(0))? as u64)
    }
}
