//! Feature flags of one community: reading them for evaluation and setting one. Every
//! function takes the community's [`TenantTx`] and filters by its `community_id()`; who sees a
//! flag is decided by [`crate::flags::is_enabled`], not here.

use tokio_postgres::Row;

use super::{col, from_rows, FromRow};
use crate::error::ApiError;
use crate::flags::FlagSetting;
use crate::tenancy::TenantTx;

/// A stored flag.
#[derive(Debug, Clone)]
pub struct FlagRecord {
    /// Key.
    pub key: String,
    /// Master switch.
    pub enabled: bool,
    /// Share of users (0–100) who see it when enabled.
    pub rollout_percent: i32,
}

impl FromRow for FlagRecord {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(FlagRecord {
            key: col(r, "key")?,
            enabled: col(r, "enabled")?,
            rollout_percent: col(r, "rollout_percent")?,
        })
    }
}

impl FromRow for FlagSetting {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(FlagSetting {
            enabled: col(r, "enabled")?,
            rollout_percent: col(r, "rollout_percent")?,
        })
    }
}

/// Every flag of the community. Errors: the database's, or [`ApiError::Internal`] for a row
/// that does not decode.
pub async fn flags(tx: &TenantTx<'_>) -> Result<Vec<FlagRecord>, ApiError> {
    let rows = tx
        .query(
            "SELECT key, enabled, rollout_percent FROM feature_flags WHERE community_id = $1",
            &[&tx.community_id()],
        )
        .await?;
    from_rows(&rows)
}

/// The setting of flag `key`, `None` when it was never set. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn setting(tx: &TenantTx<'_>, key: &str) -> Result<Option<FlagSetting>, ApiError> {
    tx.query_opt(
        "SELECT enabled, rollout_percent FROM feature_flags WHERE community_id = $1 AND key = $2",
        &[&tx.community_id(), &key],
    )
    .await?
    .as_ref()
    .map(FlagSetting::from_row)
    .transpose()
}

/// Sets flag `key` to `s` (creating it when new). Returns nothing. Errors: the database's.
pub async fn put(tx: &TenantTx<'_>, key: &str, s: &FlagSetting) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO feature_flags (community_id, key, enabled, rollout_percent) VALUES ($1, $2, $3, $4)
         ON CONFLICT (community_id, key) DO UPDATE SET enabled = $3, rollout_percent = $4, updated_at = now()",
        &[&tx.community_id(), &key, &s.enabled, &s.rollout_percent],
    )
    .await?;
    Ok(())
}
