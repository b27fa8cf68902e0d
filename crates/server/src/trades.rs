//! Derived round-trip trades: recomputed from a member's fills with `tradebook-core` (FIFO
//! matching) after every push that changes fills, and read back as core `RoundTrip`s for the
//! member statistics. Conversion between rows and core types happens only here.
//!
//! Invariant: the `trades` rows of an account are a function of its live fills (the same
//! function the desktop app uses), rewritten in the push's transaction, together with the
//! member's dashboard counters in `memberships` (last close, closed trades, their net P&L).

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tradebook_core::{AssetClass, Direction, Fill, Instrument, RoundTrip, Side, TradeStatus};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::tenancy::TenantTx;

fn instrument(asset_class: &str, symbol: String, multiplier: Decimal) -> Instrument {
    Instrument {
        asset_class: AssetClass::parse(asset_class).unwrap_or(AssetClass::Stock),
        multiplier,
        ..Instrument::stock(symbol)
    }
}

/// Rewrites the trades of `user_id`'s `accounts` from their live fills.
pub async fn recompute(tx: &TenantTx<'_>, user_id: Uuid, accounts: &BTreeSet<Uuid>) -> ApiResult<()> {
    if accounts.is_empty() {
        return Ok(());
    }
    let c = tx.community_id();
    let account_ids: Vec<Uuid> = accounts.iter().copied().collect();
    let rows = tx
        .query(
            "SELECT f.id, f.account_id, f.symbol, f.asset_class, f.side, f.quantity, f.price, f.fees,
                    f.multiplier, f.executed_at, f.seq, COALESCE(f.source_tz, a.timezone), f.underlying, f.expiry,
                    f.strike, f.option_right, f.position_effect
             FROM fills f JOIN accounts a
               ON a.community_id = f.community_id AND a.user_id = f.user_id AND a.id = f.account_id
             WHERE f.community_id = $1 AND f.user_id = $2 AND f.account_id = ANY($3)
               AND NOT f.deleted AND NOT a.deleted",
            &[&c, &user_id, &account_ids],
        )
        .await?;
    let fills: Vec<Fill> = rows
        .into_iter()
        .map(|r| {
            let id: Uuid = r.get(0);
            let account: Uuid = r.get(1);
            let tz: String = r.get(11);
            Fill {
                id: id.to_string(),
                account_id: account.to_string(),
                instrument: Instrument {
                    underlying: r.get(12),
                    expiry: r.get(13),
                    strike: r.get(14),
                    right: r
                        .get::<_, Option<&str>>(15)
                        .and_then(tradebook_core::OptionRight::parse),
                    ..instrument(r.get(3), r.get(2), r.get(8))
                },
                side: if r.get::<_, &str>(4) == "buy" {
                    Side::Buy
                } else {
                    Side::Sell
                },
                quantity: r.get(5),
                price: r.get(6),
                fees: r.get(7),
                executed_at: r.get(9),
                source_tz: tz.parse::<Tz>().unwrap_or(chrono_tz::America::New_York),
                seq: r.get(10),
                position_effect: r
                    .get::<_, Option<&str>>(16)
                    .and_then(tradebook_core::PositionEffect::parse),
            }
        })
        .collect();
    let trades = tradebook_core::match_round_trips(&fills);
    tx.execute(
        "DELETE FROM trades WHERE community_id = $1 AND user_id = $2 AND account_id = ANY($3)",
        &[&c, &user_id, &account_ids],
    )
    .await?;
    insert(tx, user_id, &trades).await?;
    tx.execute(
        "UPDATE memberships m SET last_trade_at = s.last, closed_trades = s.n, closed_net_pnl = s.net
         FROM (SELECT max(closed_at) AS last, count(*) AS n, COALESCE(sum(net_pnl), 0) AS net FROM trades
               WHERE community_id = $1 AND user_id = $2 AND status = 'closed') s
         WHERE m.community_id = $1 AND m.user_id = $2",
        &[&c, &user_id],
    )
    .await?;
    Ok(())
}

async fn insert(tx: &TenantTx<'_>, user_id: Uuid, trades: &[RoundTrip]) -> ApiResult<()> {
    if trades.is_empty() {
        return Ok(());
    }
    let c = tx.community_id();
    let parse = |s: &str| Uuid::parse_str(s).map_err(ApiError::internal);
    let mut ids = Vec::with_capacity(trades.len());
    let mut accts = Vec::with_capacity(trades.len());
    for t in trades {
        ids.push(parse(&t.id)?);
        accts.push(parse(&t.account_id)?);
    }
    let symbols: Vec<&str> = trades.iter().map(|t| t.instrument.symbol.as_str()).collect();
    let classes: Vec<&str> = trades.iter().map(|t| t.instrument.asset_class.as_str()).collect();
    let directions: Vec<&str> = trades.iter().map(|t| t.direction.as_str()).collect();
    let statuses: Vec<&str> = trades.iter().map(|t| t.status.as_str()).collect();
    let quantities: Vec<Decimal> = trades.iter().map(|t| t.quantity).collect();
    let closed_quantities: Vec<Decimal> = trades.iter().map(|t| t.closed_quantity).collect();
    let entries: Vec<Option<Decimal>> = trades
        .iter()
        .map(|t| (t.status != TradeStatus::Incomplete).then_some(t.entry_price))
        .collect();
    let exits: Vec<Option<Decimal>> = trades.iter().map(|t| t.exit_price).collect();
    let gross: Vec<Decimal> = trades.iter().map(|t| t.gross_pnl).collect();
    let fees: Vec<Decimal> = trades.iter().map(|t| t.fees).collect();
    let net: Vec<Decimal> = trades.iter().map(|t| t.net_pnl).collect();
    let opened: Vec<DateTime<Utc>> = trades.iter().map(|t| t.opened_at).collect();
    let closed: Vec<Option<DateTime<Utc>>> = trades.iter().map(|t| t.closed_at).collect();
    let days: Vec<Option<NaiveDate>> = trades.iter().map(|t| t.trading_day).collect();
    let multipliers: Vec<Decimal> = trades.iter().map(|t| t.instrument.multiplier).collect();
    tx.execute(
        "INSERT INTO trades (community_id, user_id, id, account_id, symbol, asset_class, direction, status,
                             quantity, closed_quantity, entry_price, exit_price, gross_pnl, fees, net_pnl,
                             opened_at, closed_at, trading_day, multiplier)
         SELECT $1, $2, * FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                                      $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[],
                                      $14::numeric[], $15::numeric[], $16::timestamptz[], $17::timestamptz[],
                                      $18::date[], $19::numeric[])",
        &[
            &c,
            &user_id,
            &ids,
            &accts,
            &symbols,
            &classes,
            &directions,
            &statuses,
            &quantities,
            &closed_quantities,
            &entries,
            &exits,
            &gross,
            &fees,
            &net,
            &opened,
            &closed,
            &days,
            &multipliers,
        ],
    )
    .await?;
    Ok(())
}

/// The columns [`round_trip`] reads, in order (prefix them with a table alias if needed).
pub const TRADE_COLUMNS: &str = "id, account_id, symbol, asset_class, direction, status, quantity, closed_quantity, \
     entry_price, exit_price, gross_pnl, fees, net_pnl, opened_at, closed_at, trading_day, multiplier";

/// A `trades` row (selected with [`TRADE_COLUMNS`]) as a core round trip (without its fill
/// allocations, which the statistics do not use).
pub fn round_trip(r: &Row) -> RoundTrip {
    let id: Uuid = r.get(0);
    let account: Uuid = r.get(1);
    RoundTrip {
        id: id.to_string(),
        account_id: account.to_string(),
        instrument: instrument(r.get(3), r.get(2), r.get(16)),
        direction: Direction::parse(r.get(4)).unwrap_or(Direction::Long),
        status: TradeStatus::parse(r.get(5)).unwrap_or(TradeStatus::Open),
        quantity: r.get(6),
        closed_quantity: r.get(7),
        entry_price: r.get::<_, Option<Decimal>>(8).unwrap_or_default(),
        exit_price: r.get(9),
        gross_pnl: r.get(10),
        fees: r.get(11),
        net_pnl: r.get(12),
        opened_at: r.get(13),
        closed_at: r.get(14),
        trading_day: r.get(15),
        source_tz: chrono_tz::UTC,
        allocations: Vec::new(),
    }
}
