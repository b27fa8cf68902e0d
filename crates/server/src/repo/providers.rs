//! Signal providers of one community: their performance (the closed trades members
//! attributed to them in annotations; win rate by `tradebook_core::win_rate`), creating and
//! editing them, their signals, follows and the signal feed. Every function takes the
//! community's [`TenantTx`] and filters by its `community_id()`.

use tokio_postgres::Row;
use tradebook_core::win_rate;
use uuid::Uuid;

use super::{col, count, enum_col, from_rows, FromRow};
use crate::error::ApiError;
use crate::providers::{ProviderFields, ProviderView, SignalView};
use crate::tenancy::TenantTx;
use tradebook_api::SignalSide;

impl FromRow for ProviderView {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(ProviderView {
            id: col(r, "id")?,
            name: col(r, "name")?,
            description: col(r, "description")?,
            active: col(r, "active")?,
            followers: col(r, "followers")?,
            trades: col(r, "trades")?,
            net_pnl: col(r, "net_pnl")?,
            win_rate: win_rate(count(r, "winners")?, count(r, "losers")?),
        })
    }
}

impl FromRow for ProviderFields {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(ProviderFields {
            id: col(r, "id")?,
            name: col(r, "name")?,
            description: col(r, "description")?,
            active: col(r, "active")?,
        })
    }
}

impl FromRow for SignalView {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(SignalView {
            id: col(r, "id")?,
            provider_id: col(r, "provider_id")?,
            provider_name: col(r, "provider_name")?,
            symbol: col(r, "symbol")?,
            side: enum_col(r, "side", SignalSide::parse)?,
            entry: col(r, "entry")?,
            stop: col(r, "stop")?,
            target: col(r, "target")?,
            note: col(r, "note")?,
            created_at: col(r, "created_at")?,
        })
    }
}

/// A provider's name and whether it is active.
#[derive(Debug, Clone)]
pub struct ProviderState {
    /// Name.
    pub name: String,
    /// Disabled providers take no follows and no signals.
    pub active: bool,
}

impl FromRow for ProviderState {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(ProviderState {
            name: col(r, "name")?,
            active: col(r, "active")?,
        })
    }
}

/// Every provider of the community with its followers and the performance of the closed
/// trades attributed to it, in no particular order. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode or a negative count.
pub async fn with_performance(tx: &TenantTx<'_>) -> Result<Vec<ProviderView>, ApiError> {
    let rows = tx
        .query(
            "SELECT p.id, p.name, p.description, p.active,
                    (SELECT count(*) FROM provider_follows f WHERE f.community_id = p.community_id AND f.provider_id = p.id)
                        AS followers,
                    count(t.id) AS trades, COALESCE(sum(t.net_pnl), 0) AS net_pnl,
                    count(t.id) FILTER (WHERE t.net_pnl > 0) AS winners,
                    count(t.id) FILTER (WHERE t.net_pnl < 0) AS losers
             FROM signal_providers p
             LEFT JOIN annotations a ON a.community_id = p.community_id AND a.provider_id = p.id AND NOT a.deleted
             LEFT JOIN trades t ON t.community_id = a.community_id AND t.user_id = a.user_id AND t.id = a.trade_id
                  AND t.status = 'closed'
             WHERE p.community_id = $1
             GROUP BY p.community_id, p.id",
            &[&tx.community_id()],
        )
        .await?;
    from_rows(&rows)
}

/// Stores the new provider `p`. Returns nothing. Errors: the database's.
pub async fn insert(tx: &TenantTx<'_>, p: &ProviderFields) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO signal_providers (community_id, id, name, description) VALUES ($1, $2, $3, $4)",
        &[&tx.community_id(), &p.id, &p.name, &p.description],
    )
    .await?;
    Ok(())
}

/// The fields of provider `id`, locked for the rest of `tx`; `None` when the community has
/// no such provider. Errors: the database's, or [`ApiError::Internal`] for a row that does
/// not decode.
pub async fn fields_for_update(tx: &TenantTx<'_>, id: Uuid) -> Result<Option<ProviderFields>, ApiError> {
    tx.query_opt(
        "SELECT id, name, description, active FROM signal_providers WHERE community_id = $1 AND id = $2 FOR UPDATE",
        &[&tx.community_id(), &id],
    )
    .await?
    .as_ref()
    .map(ProviderFields::from_row)
    .transpose()
}

/// Sets the given fields of provider `id` (absent ones stay). Returns its fields after.
/// Errors: the database's (none such is an internal error: call [`fields_for_update`]
/// first), or [`ApiError::Internal`] for a row that does not decode.
pub async fn update(
    tx: &TenantTx<'_>,
    id: Uuid,
    name: Option<&str>,
    description: Option<&str>,
    active: Option<bool>,
) -> Result<ProviderFields, ApiError> {
    let row = tx
        .query_one(
            "UPDATE signal_providers SET name = COALESCE($3, name), description = COALESCE($4, description),
                 active = COALESCE($5, active)
             WHERE community_id = $1 AND id = $2 RETURNING id, name, description, active",
            &[&tx.community_id(), &id, &name, &description, &active],
        )
        .await?;
    ProviderFields::from_row(&row)
}

/// The name and state of provider `id`; `None` when the community has no such provider.
/// Errors: the database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn state(tx: &TenantTx<'_>, id: Uuid) -> Result<Option<ProviderState>, ApiError> {
    tx.query_opt(
        "SELECT name, active FROM signal_providers WHERE community_id = $1 AND id = $2",
        &[&tx.community_id(), &id],
    )
    .await?
    .as_ref()
    .map(ProviderState::from_row)
    .transpose()
}

/// Stores the signal `s` (its provider must exist). Returns nothing. Errors: the database's.
pub async fn insert_signal(tx: &TenantTx<'_>, s: &SignalView) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO signals (community_id, id, provider_id, symbol, side, entry, stop, target, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &tx.community_id(),
            &s.id,
            &s.provider_id,
            &s.symbol,
            &s.side.as_str(),
            &s.entry,
            &s.stop,
            &s.target,
            &s.note,
            &s.created_at,
        ],
    )
    .await?;
    Ok(())
}

/// Makes `user_id` follow provider `provider_id` (nothing when they already do). Returns
/// nothing. Errors: the database's.
pub async fn follow(tx: &TenantTx<'_>, user_id: Uuid, provider_id: Uuid) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO provider_follows (community_id, user_id, provider_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&tx.community_id(), &user_id, &provider_id],
    )
    .await?;
    Ok(())
}

/// Stops `user_id` following provider `provider_id`. Returns whether they did. Errors: the
/// database's.
pub async fn unfollow(tx: &TenantTx<'_>, user_id: Uuid, provider_id: Uuid) -> Result<bool, ApiError> {
    let deleted = tx
        .execute(
            "DELETE FROM provider_follows WHERE community_id = $1 AND user_id = $2 AND provider_id = $3",
            &[&tx.community_id(), &user_id, &provider_id],
        )
        .await?;
    Ok(deleted > 0)
}

/// The latest `limit` signals of active providers, newest first; only of providers
/// `user_id` follows when `following`. Errors: the database's, or [`ApiError::Internal`] for
/// a row that does not decode.
pub async fn feed(tx: &TenantTx<'_>, user_id: Uuid, following: bool, limit: i64) -> Result<Vec<SignalView>, ApiError> {
    let rows = tx
        .query(
            "SELECT s.id, s.provider_id, p.name AS provider_name, s.symbol, s.side, s.entry, s.stop, s.target, s.note,
                    s.created_at
             FROM signals s JOIN signal_providers p ON p.community_id = s.community_id AND p.id = s.provider_id
             WHERE s.community_id = $1 AND p.active
               AND (NOT $2 OR EXISTS (SELECT 1 FROM provider_follows f WHERE f.community_id = s.community_id
                                      AND f.provider_id = s.provider_id AND f.user_id = $3))
             ORDER BY s.created_at DESC, s.id DESC LIMIT $4",
            &[&tx.community_id(), &following, &user_id, &limit],
        )
        .await?;
    from_rows(&rows)
}
