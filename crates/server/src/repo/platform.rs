//! The platform operator's statements: the list of communities, each community's usage
//! (counted inside its own tenant scope, since row-level security applies to operators too),
//! creating a community with its first admin, and suspending or resuming one. Also the
//! health check's round trip to the database.

use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use uuid::Uuid;

use super::{col, enum_col, from_rows, FromRow};
use crate::error::ApiError;
use crate::platform::CommunityView;
use crate::tenancy::TenantTx;
use tradebook_api::CommunityStatus;

/// A community as the platform stores it.
#[derive(Debug, Clone)]
pub struct CommunityRecord {
    /// Community id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Open or suspended.
    pub status: CommunityStatus,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

impl FromRow for CommunityRecord {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(CommunityRecord {
            id: col(r, "id")?,
            name: col(r, "name")?,
            status: enum_col(r, "status", CommunityStatus::parse)?,
            created_at: col(r, "created_at")?,
        })
    }
}

/// A community's member and trade counts.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// Members.
    pub members: i64,
    /// Derived trades stored.
    pub trades: i64,
}

impl FromRow for Usage {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(Usage {
            members: col(r, "members")?,
            trades: col(r, "trades")?,
        })
    }
}

/// Answers when the database does (`SELECT 1`). Errors: the database's.
pub async fn ping(conn: &deadpool_postgres::Client) -> Result<(), ApiError> {
    conn.query_one("SELECT 1", &[]).await?;
    Ok(())
}

/// Every community, oldest first. Errors: the database's, or [`ApiError::Internal`] for a
/// row that does not decode.
pub async fn communities(conn: &deadpool_postgres::Client) -> Result<Vec<CommunityRecord>, ApiError> {
    let rows = conn
        .query(
            "SELECT id, name, status, created_at FROM communities ORDER BY created_at",
            &[],
        )
        .await?;
    from_rows(&rows)
}

/// The member and trade counts of `tx`'s community. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn usage(tx: &TenantTx<'_>) -> Result<Usage, ApiError> {
    let row = tx
        .query_one(
            "SELECT (SELECT count(*) FROM memberships WHERE community_id = $1) AS members,
                    (SELECT count(*) FROM trades WHERE community_id = $1) AS trades",
            &[&tx.community_id()],
        )
        .await?;
    Usage::from_row(&row)
}

/// The id of the user with `email` (already normalized), `None` when there is none. Users
/// are not tenant data; this reads through the operator's transaction. Errors: the
/// database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn user_id_by_email(tx: &TenantTx<'_>, email: &str) -> Result<Option<Uuid>, ApiError> {
    tx.query_opt("SELECT id FROM users WHERE email = $1", &[&email])
        .await?
        .map(|r| col(&r, "id"))
        .transpose()
}

/// Creates `tx`'s community named `name` with its sync state and, when given, `admin` as its
/// first admin. Returns its creation time. Errors: the database's (a taken id is a
/// conflict), or [`ApiError::Internal`] for a row that does not decode.
pub async fn create_community(tx: &TenantTx<'_>, name: &str, admin: Option<Uuid>) -> Result<DateTime<Utc>, ApiError> {
    let id = tx.community_id();
    let row = tx
        .query_one(
            "INSERT INTO communities (id, name) VALUES ($1, $2) RETURNING created_at",
            &[&id, &name],
        )
        .await?;
    let created_at = col(&row, "created_at")?;
    tx.execute("INSERT INTO sync_state (community_id) VALUES ($1)", &[&id])
        .await?;
    if let Some(admin) = admin {
        tx.execute(
            "INSERT INTO memberships (community_id, user_id, role) VALUES ($1, $2, 'admin')",
            &[&id, &admin],
        )
        .await?;
    }
    Ok(created_at)
}

/// The status of `tx`'s community, locked for the rest of `tx`; `None` when it does not
/// exist. Errors: the database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn status_for_update(tx: &TenantTx<'_>) -> Result<Option<String>, ApiError> {
    tx.query_opt(
        "SELECT status FROM communities WHERE id = $1 FOR UPDATE",
        &[&tx.community_id()],
    )
    .await?
    .map(|r| col(&r, "status"))
    .transpose()
}

/// Sets the status of `tx`'s community. Returns the community with its usage. Errors: the
/// database's (none such is an internal error: call [`status_for_update`] first), or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn set_status(tx: &TenantTx<'_>, status: CommunityStatus) -> Result<CommunityView, ApiError> {
    let id = tx.community_id();
    let row = tx
        .query_one(
            "UPDATE communities SET status = $2 WHERE id = $1 RETURNING name, created_at,
                (SELECT count(*) FROM memberships WHERE community_id = $1) AS members,
                (SELECT count(*) FROM trades WHERE community_id = $1) AS trades",
            &[&id, &status.as_str()],
        )
        .await?;
    let usage = Usage::from_row(&row)?;
    Ok(CommunityView {
        id,
        name: col(&row, "name")?,
        status,
        members: usage.members,
        trades: usage.trades,
        created_at: col(&row, "created_at")?,
    })
}
