//! A trader's own rows in one community: their trades (open, closed in a period, a filtered
//! and sorted page, one with its annotation), the providers they follow, their risk profile
//! and their leaderboard settings. Every function takes the community's [`TenantTx`] and the
//! caller's `user_id`, and filters by both.

use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use tradebook_core::RoundTrip;
use uuid::Uuid;

use super::trades::TRADE_COLUMNS;
use super::{col, enum_col, from_rows, FromRow};
use crate::error::ApiError;
use crate::tenancy::TenantTx;
use crate::trader::{FollowedProvider, LeaderboardSettings, RiskProfile, SortOrder, TradeDetail, TradeSort, TradeView};
use tradebook_api::{AssetClass, Direction, TradeStatus};

impl FromRow for TradeView {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(TradeView {
            id: col(r, "id")?,
            account_id: col(r, "account_id")?,
            symbol: col(r, "symbol")?,
            asset_class: enum_col(r, "asset_class", AssetClass::parse)?,
            direction: enum_col(r, "direction", Direction::parse)?,
            status: enum_col(r, "status", TradeStatus::parse)?,
            quantity: col(r, "quantity")?,
            entry_price: col(r, "entry_price")?,
            exit_price: col(r, "exit_price")?,
            gross_pnl: col(r, "gross_pnl")?,
            fees: col(r, "fees")?,
            net_pnl: col(r, "net_pnl")?,
            opened_at: col(r, "opened_at")?,
            closed_at: col(r, "closed_at")?,
            trading_day: col(r, "trading_day")?,
        })
    }
}

/// A trade with its (possibly absent) annotation's `notes`, `tags`, `setup`, `provider_id`.
impl FromRow for TradeDetail {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(TradeDetail {
            trade: TradeView::from_row(r)?,
            notes: col(r, "notes")?,
            tags: col::<Option<Vec<String>>>(r, "tags")?.unwrap_or_default(),
            setup: col(r, "setup")?,
            provider_id: col(r, "provider_id")?,
        })
    }
}

impl FromRow for FollowedProvider {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(FollowedProvider {
            id: col(r, "id")?,
            name: col(r, "name")?,
        })
    }
}

impl FromRow for RiskProfile {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(RiskProfile {
            max_risk_per_trade_pct: col(r, "max_risk_per_trade_pct")?,
            max_daily_loss_pct: col(r, "max_daily_loss_pct")?,
            max_position_size_pct: col(r, "max_position_size_pct")?,
        })
    }
}

impl FromRow for LeaderboardSettings {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(LeaderboardSettings {
            opt_in: col(r, "leaderboard_opt_in")?,
            alias: col(r, "leaderboard_alias")?,
        })
    }
}

/// Which of a trader's trades a list shows (each one absent matches everything).
#[derive(Debug, Clone, Copy, Default)]
pub struct TradeFilter<'a> {
    /// `open`, `closed` or `incomplete`.
    pub status: Option<&'a str>,
    /// Opened at or after.
    pub opened_from: Option<DateTime<Utc>>,
    /// Opened before.
    pub opened_before: Option<DateTime<Utc>>,
}

/// The `trades` column of a sort (a whitelist: it is spliced into SQL).
fn sort_column(sort: TradeSort) -> &'static str {
    match sort {
        TradeSort::OpenedAt => "opened_at",
        TradeSort::ClosedAt => "closed_at",
        TradeSort::Symbol => "symbol",
        TradeSort::NetPnl => "net_pnl",
        TradeSort::GrossPnl => "gross_pnl",
        TradeSort::Fees => "fees",
        TradeSort::Quantity => "quantity",
        TradeSort::Status => "status",
        TradeSort::Direction => "direction",
        TradeSort::TradingDay => "trading_day",
    }
}

/// The condition of [`TradeFilter`] over `$1` community, `$2` user, `$3`–`$5` the filter.
const FILTER: &str = "community_id = $1 AND user_id = $2 AND ($3::text IS NULL OR status = $3)
                  AND ($4::timestamptz IS NULL OR opened_at >= $4) AND ($5::timestamptz IS NULL OR opened_at < $5)";

/// The open trades of `user_id`, newest first, at most 200. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn open_trades(tx: &TenantTx<'_>, user_id: Uuid) -> Result<Vec<TradeView>, ApiError> {
    let rows = tx
        .query(
            &format!(
                "SELECT {TRADE_COLUMNS} FROM trades WHERE community_id = $1 AND user_id = $2 AND status = 'open'
                 ORDER BY opened_at DESC LIMIT 200"
            ),
            &[&tx.community_id(), &user_id],
        )
        .await?;
    from_rows(&rows)
}

/// The trades of `user_id` closed at or after `since`, as core round trips, in no particular
/// order. Errors: the database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn closed_since(tx: &TenantTx<'_>, user_id: Uuid, since: DateTime<Utc>) -> Result<Vec<RoundTrip>, ApiError> {
    let rows = tx
        .query(
            &format!(
                "SELECT {TRADE_COLUMNS} FROM trades WHERE community_id = $1 AND user_id = $2
                 AND status = 'closed' AND closed_at >= $3"
            ),
            &[&tx.community_id(), &user_id, &since],
        )
        .await?;
    from_rows(&rows)
}

/// The providers `user_id` follows, by name. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn followed_providers(tx: &TenantTx<'_>, user_id: Uuid) -> Result<Vec<FollowedProvider>, ApiError> {
    let rows = tx
        .query(
            "SELECT p.id, p.name FROM provider_follows f JOIN signal_providers p
               ON p.community_id = f.community_id AND p.id = f.provider_id
             WHERE f.community_id = $1 AND f.user_id = $2 ORDER BY p.name",
            &[&tx.community_id(), &user_id],
        )
        .await?;
    from_rows(&rows)
}

/// How many trades of `user_id` match `filter`. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn count_trades(tx: &TenantTx<'_>, user_id: Uuid, filter: &TradeFilter<'_>) -> Result<i64, ApiError> {
    let row = tx
        .query_one(
            &format!("SELECT count(*) AS total FROM trades WHERE {FILTER}"),
            &[
                &tx.community_id(),
                &user_id,
                &filter.status,
                &filter.opened_from,
                &filter.opened_before,
            ],
        )
        .await?;
    col(&row, "total")
}

/// One page (`limit` rows after `offset`) of the trades of `user_id` matching `filter`,
/// sorted by `sort` in `order` (nulls last, ties by id in the same order). Errors: the
/// database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn trades_page(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    filter: &TradeFilter<'_>,
    sort: TradeSort,
    order: SortOrder,
    limit: i64,
    offset: i64,
) -> Result<Vec<TradeView>, ApiError> {
    let column = sort_column(sort);
    let order = match order {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    };
    let rows = tx
        .query(
            &format!(
                "SELECT {TRADE_COLUMNS} FROM trades WHERE {FILTER}
                 ORDER BY {column} {order} NULLS LAST, id {order} LIMIT $6 OFFSET $7"
            ),
            &[
                &tx.community_id(),
                &user_id,
                &filter.status,
                &filter.opened_from,
                &filter.opened_before,
                &limit,
                &offset,
            ],
        )
        .await?;
    from_rows(&rows)
}

/// The trade `trade_id` of `user_id` with its live annotation, `None` when they have no
/// such trade. Errors: the database's, or [`ApiError::Internal`] for a row that does not
/// decode.
pub async fn trade_detail(tx: &TenantTx<'_>, user_id: Uuid, trade_id: Uuid) -> Result<Option<TradeDetail>, ApiError> {
    let cols = TRADE_COLUMNS
        .split(", ")
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    tx.query_opt(
        &format!(
            "SELECT {cols}, a.notes, a.tags, a.setup, a.provider_id FROM trades t
             LEFT JOIN annotations a ON a.community_id = t.community_id AND a.user_id = t.user_id
               AND a.trade_id = t.id AND NOT a.deleted
             WHERE t.community_id = $1 AND t.user_id = $2 AND t.id = $3"
        ),
        &[&tx.community_id(), &user_id, &trade_id],
    )
    .await?
    .as_ref()
    .map(TradeDetail::from_row)
    .transpose()
}

/// The risk profile of `user_id`, `None` until they set one. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn risk_profile(tx: &TenantTx<'_>, user_id: Uuid) -> Result<Option<RiskProfile>, ApiError> {
    tx.query_opt(
        "SELECT max_risk_per_trade_pct, max_daily_loss_pct, max_position_size_pct FROM risk_profiles
         WHERE community_id = $1 AND user_id = $2",
        &[&tx.community_id(), &user_id],
    )
    .await?
    .as_ref()
    .map(RiskProfile::from_row)
    .transpose()
}

/// Sets the risk profile of `user_id` to `p`. Returns nothing. Errors: the database's.
pub async fn put_risk_profile(tx: &TenantTx<'_>, user_id: Uuid, p: &RiskProfile) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO risk_profiles (community_id, user_id, max_risk_per_trade_pct, max_daily_loss_pct, max_position_size_pct)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (community_id, user_id) DO UPDATE SET max_risk_per_trade_pct = $3, max_daily_loss_pct = $4,
             max_position_size_pct = $5, updated_at = now()",
        &[
            &tx.community_id(),
            &user_id,
            &p.max_risk_per_trade_pct,
            &p.max_daily_loss_pct,
            &p.max_position_size_pct,
        ],
    )
    .await?;
    Ok(())
}

/// The leaderboard participation of member `user_id`. Errors: the database's (not a member
/// is an internal error: the caller is one), or [`ApiError::Internal`] for a row that does
/// not decode.
pub async fn leaderboard_settings(tx: &TenantTx<'_>, user_id: Uuid) -> Result<LeaderboardSettings, ApiError> {
    let row = tx
        .query_one(
            "SELECT leaderboard_opt_in, leaderboard_alias FROM memberships WHERE community_id = $1 AND user_id = $2",
            &[&tx.community_id(), &user_id],
        )
        .await?;
    LeaderboardSettings::from_row(&row)
}

/// Sets the leaderboard participation of member `user_id` to `s`. Returns nothing. Errors:
/// the database's.
pub async fn put_leaderboard_settings(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    s: &LeaderboardSettings,
) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE memberships SET leaderboard_opt_in = $3, leaderboard_alias = $4 WHERE community_id = $1 AND user_id = $2",
        &[&tx.community_id(), &user_id, &s.opt_in, &s.alias],
    )
    .await?;
    Ok(())
}
