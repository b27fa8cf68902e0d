//! Membership administration of one community: invitations, members' roles and removing a
//! member with their synced journal. Every function takes the community's [`TenantTx`] and
//! filters by its `community_id()`. (The audit log's reads are in [`super::audit`].)

use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use uuid::Uuid;

use super::{col, count, from_rows, FromRow};
use crate::error::ApiError;
use crate::members::InvitationView;
use crate::tenancy::{Role, TenantTx};

impl FromRow for InvitationView {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(InvitationView {
            id: col(r, "id")?,
            code: col(r, "code")?,
            role: Role::parse(col(r, "role")?).unwrap_or(Role::Viewer),
            expires_at: col(r, "expires_at")?,
            max_uses: col(r, "max_uses")?,
            use_count: col(r, "use_count")?,
        })
    }
}

/// The community's invitations, newest first (at most 500). Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn invitations(tx: &TenantTx<'_>) -> Result<Vec<InvitationView>, ApiError> {
    let rows = tx
        .query(
            "SELECT id, code, role, expires_at, max_uses, use_count FROM invitations
             WHERE community_id = $1 ORDER BY created_at DESC LIMIT 500",
            &[&tx.community_id()],
        )
        .await?;
    from_rows(&rows)
}

/// Stores a new invitation of the community. Returns nothing. Errors: the database's (a
/// taken code is a conflict).
pub async fn insert_invitation(
    tx: &TenantTx<'_>,
    id: Uuid,
    code: &str,
    role: Role,
    expires_at: DateTime<Utc>,
    max_uses: i32,
    created_by: Uuid,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO invitations (community_id, id, code, role, expires_at, max_uses, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &tx.community_id(),
            &id,
            &code,
            &role.as_str(),
            &expires_at,
            &max_uses,
            &created_by,
        ],
    )
    .await?;
    Ok(())
}

/// The role of member `user_id`, their membership locked for the rest of `tx`; `None` when
/// they are not a member. Errors: the database's, or [`ApiError::Internal`] for a row that
/// does not decode or a role the server does not know.
pub async fn role_for_update(tx: &TenantTx<'_>, user_id: Uuid) -> Result<Option<Role>, ApiError> {
    let Some(row) = tx
        .query_opt(
            "SELECT role FROM memberships WHERE community_id = $1 AND user_id = $2 FOR UPDATE",
            &[&tx.community_id(), &user_id],
        )
        .await?
    else {
        return Ok(None);
    };
    Role::parse(col(&row, "role")?)
        .map(Some)
        .ok_or_else(|| ApiError::internal("unknown role in database"))
}

/// How many admins the community has besides `user_id`. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn other_admins(tx: &TenantTx<'_>, user_id: Uuid) -> Result<u64, ApiError> {
    let row = tx
        .query_one(
            "SELECT count(*) AS others FROM memberships WHERE community_id = $1 AND role = 'admin' AND user_id <> $2",
            &[&tx.community_id(), &user_id],
        )
        .await?;
    count(&row, "others")
}

/// Sets the role of member `user_id`. Returns nothing. Errors: the database's.
pub async fn set_role(tx: &TenantTx<'_>, user_id: Uuid, role: Role) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE memberships SET role = $3 WHERE community_id = $1 AND user_id = $2",
        &[&tx.community_id(), &user_id, &role.as_str()],
    )
    .await?;
    Ok(())
}

/// Removes member `user_id` and their synced journal: derived trades first (they reference
/// accounts), then fills, then the membership, from which the other journal rows cascade.
/// Returns nothing. Errors: the database's.
pub async fn remove(tx: &TenantTx<'_>, user_id: Uuid) -> Result<(), ApiError> {
    let c = tx.community_id();
    tx.execute(
        "DELETE FROM trades WHERE community_id = $1 AND user_id = $2",
        &[&c, &user_id],
    )
    .await?;
    tx.execute(
        "DELETE FROM fills WHERE community_id = $1 AND user_id = $2",
        &[&c, &user_id],
    )
    .await?;
    tx.execute(
        "DELETE FROM memberships WHERE community_id = $1 AND user_id = $2",
        &[&c, &user_id],
    )
    .await?;
    Ok(())
}
