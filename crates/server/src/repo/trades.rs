//! A member's live fills and derived trades, and the conversion between their rows and
//! `tradebook-core` types ([`Fill`], [`RoundTrip`]): reading the fills a recomputation
//! matches, rewriting an account's trades, and the member's dashboard counters in
//! `memberships`. Every function takes the community's [`TenantTx`] and filters by its
//! `community_id()` and the member's `user_id`.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tradebook_core::{AssetClass, Direction, Fill, Instrument, RoundTrip, Side, TradeStatus};
use uuid::Uuid;

use super::{col, enum_col, from_rows, opt_enum_col, FromRow};
use crate::error::ApiError;
use crate::tenancy::TenantTx;

/// The columns a `trades` row is read with ([`RoundTrip`]'s and
/// [`TradeView`](crate::trader::TradeView)'s [`FromRow`]); prefix them with a table alias if
/// needed.
pub const TRADE_COLUMNS: &str = "id, account_id, symbol, asset_class, direction, status, quantity, closed_quantity, \
     entry_price, exit_price, gross_pnl, fees, net_pnl, opened_at, closed_at, trading_day, multiplier";

/// The instrument of a `fills` or `trades` row. Errors: [`ApiError::Internal`] for a stored
/// asset class that is not one of core's (the push refuses those, so it is a bug).
fn instrument(r: &Row) -> Result<Instrument, ApiError> {
    Ok(Instrument {
        asset_class: enum_col(r, "asset_class", AssetClass::parse)?,
        multiplier: col(r, "multiplier")?,
        ..Instrument::stock(col::<String>(r, "symbol")?)
    })
}

/// A live fill joined with its account, `source_tz` falling back to the account's zone.
impl FromRow for Fill {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        let id: Uuid = col(r, "id")?;
        let account: Uuid = col(r, "account_id")?;
        let tz: &str = col(r, "source_tz")?;
        Ok(Fill {
            id: id.to_string(),
            account_id: account.to_string(),
            instrument: Instrument {
                underlying: col(r, "underlying")?,
                expiry: col(r, "expiry")?,
                strike: col(r, "strike")?,
                right: opt_enum_col(r, "option_right", tradebook_core::OptionRight::parse)?,
                ..instrument(r)?
            },
            side: enum_col(r, "side", Side::parse)?,
            quantity: col(r, "quantity")?,
            price: col(r, "price")?,
            fees: col(r, "fees")?,
            executed_at: col(r, "executed_at")?,
            source_tz: tz
                .parse::<Tz>()
                .map_err(|_| ApiError::internal(format!("column source_tz: unknown zone `{tz}`")))?,
            seq: col(r, "seq")?,
            position_effect: opt_enum_col(r, "position_effect", tradebook_core::PositionEffect::parse)?,
        })
    }
}

/// A `trades` row (selected with [`TRADE_COLUMNS`]) as a core round trip (without its fill
/// allocations, which the statistics do not use).
impl FromRow for RoundTrip {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        let id: Uuid = col(r, "id")?;
        let account: Uuid = col(r, "account_id")?;
        Ok(RoundTrip {
            id: id.to_string(),
            account_id: account.to_string(),
            instrument: instrument(r)?,
            direction: enum_col(r, "direction", Direction::parse)?,
            status: enum_col(r, "status", TradeStatus::parse)?,
            quantity: col(r, "quantity")?,
            closed_quantity: col(r, "closed_quantity")?,
            entry_price: col::<Option<Decimal>>(r, "entry_price")?.unwrap_or_default(),
            exit_price: col(r, "exit_price")?,
            gross_pnl: col(r, "gross_pnl")?,
            fees: col(r, "fees")?,
            net_pnl: col(r, "net_pnl")?,
            opened_at: col(r, "opened_at")?,
            closed_at: col(r, "closed_at")?,
            trading_day: col(r, "trading_day")?,
            source_tz: chrono_tz::UTC,
            allocations: Vec::new(),
        })
    }
}

/// The live (not deleted) fills of `user_id`'s live `accounts`, in no particular order.
/// Errors: the database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn live_fills(tx: &TenantTx<'_>, user_id: Uuid, accounts: &[Uuid]) -> Result<Vec<Fill>, ApiError> {
    let rows = tx
        .query(
            "SELECT f.id, f.account_id, f.symbol, f.asset_class, f.side, f.quantity, f.price, f.fees,
                    f.multiplier, f.executed_at, f.seq, COALESCE(f.source_tz, a.timezone) AS source_tz, f.underlying,
                    f.expiry, f.strike, f.option_right, f.position_effect
             FROM fills f JOIN accounts a
               ON a.community_id = f.community_id AND a.user_id = f.user_id AND a.id = f.account_id
             WHERE f.community_id = $1 AND f.user_id = $2 AND f.account_id = ANY($3)
               AND NOT f.deleted AND NOT a.deleted",
            &[&tx.community_id(), &user_id, &accounts],
        )
        .await?;
    from_rows(&rows)
}

/// Replaces the trades of `user_id`'s `accounts` by `trades`. Returns nothing. Errors: the
/// database's, or [`ApiError::Internal`] for a trade or account id that is not a UUID.
pub async fn replace(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    accounts: &[Uuid],
    trades: &[RoundTrip],
) -> Result<(), ApiError> {
    tx.execute(
        "DELETE FROM trades WHERE community_id = $1 AND user_id = $2 AND account_id = ANY($3)",
        &[&tx.community_id(), &user_id, &accounts],
    )
    .await?;
    insert(tx, user_id, trades).await
}

async fn insert(tx: &TenantTx<'_>, user_id: Uuid, trades: &[RoundTrip]) -> Result<(), ApiError> {
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

/// Recounts `user_id`'s dashboard counters in `memberships` from their closed trades (last
/// close, count, net P&L). Returns nothing. Errors: the database's.
pub async fn refresh_member_counters(tx: &TenantTx<'_>, user_id: Uuid) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE memberships m SET last_trade_at = s.last, closed_trades = s.n, closed_net_pnl = s.net
         FROM (SELECT max(closed_at) AS last, count(*) AS n, COALESCE(sum(net_pnl), 0) AS net FROM trades
               WHERE community_id = $1 AND user_id = $2 AND status = 'closed') s
         WHERE m.community_id = $1 AND m.user_id = $2",
        &[&tx.community_id(), &user_id],
    )
    .await?;
    Ok(())
}
