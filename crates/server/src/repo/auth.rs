//! Accounts and sessions: users, refresh tokens, the signed-in user's memberships across
//! communities, a user's membership in one community (for the `Require<R>` extractor), and
//! the tenant statements of joining a community by invitation code.
//!
//! Users and refresh tokens are not tenant data: those functions take the connection or the
//! plain transaction the handler holds. Joining writes tenant rows and takes the
//! [`TenantTx`] of the community being joined.

use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use uuid::Uuid;

use super::{col, enum_col, from_rows, FromRow};
use crate::auth::MembershipView;
use crate::error::ApiError;
use crate::tenancy::{Role, TenantTx};
use tradebook_api::CommunityStatus;

/// A user's stored identity.
#[derive(Debug, Clone)]
pub struct UserRecord {
    /// Email address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Platform operator flag.
    pub is_operator: bool,
}

impl FromRow for UserRecord {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(UserRecord {
            email: col(r, "email")?,
            name: col(r, "name")?,
            is_operator: col(r, "is_operator")?,
        })
    }
}

/// A user with their community's status and their role there (both absent when the
/// community does not exist or the user is not a member).
#[derive(Debug, Clone)]
pub struct MemberRecord {
    /// The user.
    pub user: UserRecord,
    /// The community's status (`active`, `suspended`).
    pub status: Option<String>,
    /// The user's role in it (database spelling).
    pub role: Option<String>,
}

impl FromRow for MemberRecord {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(MemberRecord {
            user: UserRecord::from_row(r)?,
            status: col(r, "status")?,
            role: col(r, "role")?,
        })
    }
}

/// A user's id and password hash, for signing in.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// User id.
    pub id: Uuid,
    /// argon2id PHC string.
    pub password_hash: String,
}

impl FromRow for Credentials {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(Credentials {
            id: col(r, "id")?,
            password_hash: col(r, "password_hash")?,
        })
    }
}

/// A stored refresh token.
#[derive(Debug, Clone)]
pub struct RefreshTokenRecord {
    /// Token id.
    pub id: Uuid,
    /// Its user.
    pub user_id: Uuid,
    /// Its family (one sign-in and its rotations).
    pub family_id: Uuid,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// When it was rotated, if it was.
    pub used_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl FromRow for RefreshTokenRecord {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(RefreshTokenRecord {
            id: col(r, "id")?,
            user_id: col(r, "user_id")?,
            family_id: col(r, "family_id")?,
            expires_at: col(r, "expires_at")?,
            used_at: col(r, "used_at")?,
            revoked_at: col(r, "revoked_at")?,
        })
    }
}

/// The user and family of a refresh token.
#[derive(Debug, Clone, Copy)]
pub struct TokenSession {
    /// Its user.
    pub user_id: Uuid,
    /// Its family.
    pub family_id: Uuid,
}

impl FromRow for TokenSession {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(TokenSession {
            user_id: col(r, "user_id")?,
            family_id: col(r, "family_id")?,
        })
    }
}

impl FromRow for MembershipView {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(MembershipView {
            community_id: col(r, "community_id")?,
            community_name: col(r, "community_name")?,
            community_status: enum_col(r, "community_status", CommunityStatus::parse)?,
            role: enum_col(r, "role", Role::parse)?,
        })
    }
}

/// A community's name and status.
#[derive(Debug, Clone)]
pub struct CommunityRecord {
    /// Name.
    pub name: String,
    /// Open or suspended.
    pub status: CommunityStatus,
}

impl FromRow for CommunityRecord {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(CommunityRecord {
            name: col(r, "name")?,
            status: enum_col(r, "status", CommunityStatus::parse)?,
        })
    }
}

/// An invitation that can still be redeemed.
#[derive(Debug, Clone)]
pub struct InvitationRecord {
    /// Invitation id.
    pub id: Uuid,
    /// Role it grants (database spelling).
    pub role: String,
}

impl FromRow for InvitationRecord {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(InvitationRecord {
            id: col(r, "id")?,
            role: col(r, "role")?,
        })
    }
}

/// The user `user_id`, `None` when there is no such user. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn user(conn: &deadpool_postgres::Client, user_id: Uuid) -> Result<Option<UserRecord>, ApiError> {
    let stmt = conn
        .prepare_cached("SELECT email, name, is_operator FROM users WHERE id = $1")
        .await?;
    conn.query_opt(&stmt, &[&user_id])
        .await?
        .as_ref()
        .map(UserRecord::from_row)
        .transpose()
}

/// The user `user_id` with `community_id`'s status and their role there, in one statement
/// (`app_member`, which sets the tenant for that statement's transaction); `None` when there
/// is no such user. Errors: the database's, or [`ApiError::Internal`] for a row that does not
/// decode.
pub async fn member(
    conn: &deadpool_postgres::Client,
    community_id: Uuid,
    user_id: Uuid,
) -> Result<Option<MemberRecord>, ApiError> {
    let stmt = conn
        .prepare_cached("SELECT email, name, is_operator, status, role FROM app_member($1, $2)")
        .await?;
    conn.query_opt(&stmt, &[&community_id, &user_id])
        .await?
        .as_ref()
        .map(MemberRecord::from_row)
        .transpose()
}

/// Inserts a user. Returns `false` (and changes nothing) when the email is taken. Errors: the
/// database's.
pub async fn insert_user(
    tx: &deadpool_postgres::Transaction<'_>,
    id: Uuid,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<bool, ApiError> {
    let inserted = tx
        .execute(
            "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING",
            &[&id, &email, &name, &password_hash],
        )
        .await?;
    Ok(inserted > 0)
}

/// The id and password hash of the user with `email` (already normalized), `None` when there
/// is none. Errors: the database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn credentials(conn: &deadpool_postgres::Client, email: &str) -> Result<Option<Credentials>, ApiError> {
    conn.query_opt("SELECT id, password_hash FROM users WHERE email = $1", &[&email])
        .await?
        .as_ref()
        .map(Credentials::from_row)
        .transpose()
}

/// Stores a new refresh token (its SHA-256 hex) of `user_id` in `family_id`. Returns nothing.
/// Errors: the database's.
pub async fn insert_refresh_token(
    client: &impl deadpool_postgres::GenericClient,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), ApiError> {
    client
        .execute(
            "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&Uuid::now_v7(), &user_id, &family_id, &token_hash, &expires_at],
        )
        .await?;
    Ok(())
}

/// The refresh token with `token_hash`, locked for the rest of `tx` (`FOR UPDATE`); `None`
/// when there is none. Errors: the database's, or [`ApiError::Internal`] for a row that does
/// not decode.
pub async fn refresh_token_for_update(
    tx: &deadpool_postgres::Transaction<'_>,
    token_hash: &str,
) -> Result<Option<RefreshTokenRecord>, ApiError> {
    tx.query_opt(
        "SELECT id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens
         WHERE token_hash = $1 FOR UPDATE",
        &[&token_hash],
    )
    .await?
    .as_ref()
    .map(RefreshTokenRecord::from_row)
    .transpose()
}

/// The user and family of the refresh token with `token_hash`, `None` when there is none.
/// Errors: the database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn token_session(
    tx: &deadpool_postgres::Transaction<'_>,
    token_hash: &str,
) -> Result<Option<TokenSession>, ApiError> {
    tx.query_opt(
        "SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1",
        &[&token_hash],
    )
    .await?
    .as_ref()
    .map(TokenSession::from_row)
    .transpose()
}

/// Revokes every not yet revoked token of `family_id`. Returns nothing. Errors: the
/// database's.
pub async fn revoke_family(tx: &deadpool_postgres::Transaction<'_>, family_id: Uuid) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
        &[&family_id],
    )
    .await?;
    Ok(())
}

/// Marks the refresh token `id` as rotated (used now). Returns nothing. Errors: the
/// database's.
pub async fn mark_token_used(tx: &deadpool_postgres::Transaction<'_>, id: Uuid) -> Result<(), ApiError> {
    tx.execute("UPDATE refresh_tokens SET used_at = now() WHERE id = $1", &[&id])
        .await?;
    Ok(())
}

/// The memberships of `user_id` in every community, by community name. Sets `app.user_id`
/// for the rest of `tx` first: the `own_memberships` policy then shows the user's own
/// memberships, and nothing else of another tenant. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn own_memberships(
    tx: &deadpool_postgres::Transaction<'_>,
    user_id: Uuid,
) -> Result<Vec<MembershipView>, ApiError> {
    tx.execute("SELECT set_config('app.user_id', $1, true)", &[&user_id.to_string()])
        .await?;
    let rows = tx
        .query(
            "SELECT m.community_id, c.name AS community_name, c.status AS community_status, m.role FROM memberships m
             JOIN communities c ON c.id = m.community_id WHERE m.user_id = $1 ORDER BY c.name",
            &[&user_id],
        )
        .await?;
    from_rows(&rows)
}

/// The name and status of `tx`'s community, `None` when it does not exist. Errors: the
/// database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn community(tx: &TenantTx<'_>) -> Result<Option<CommunityRecord>, ApiError> {
    tx.query_opt(
        "SELECT name, status FROM communities WHERE id = $1",
        &[&tx.community_id()],
    )
    .await?
    .as_ref()
    .map(CommunityRecord::from_row)
    .transpose()
}

/// The unexpired, not used up invitation of `tx`'s community with `code`, locked for the
/// rest of `tx`; `None` when there is none. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn redeemable_invitation(tx: &TenantTx<'_>, code: &str) -> Result<Option<InvitationRecord>, ApiError> {
    tx.query_opt(
        "SELECT id, role FROM invitations
         WHERE community_id = $1 AND code = $2 AND expires_at > now() AND use_count < max_uses
         FOR UPDATE",
        &[&tx.community_id(), &code],
    )
    .await?
    .as_ref()
    .map(InvitationRecord::from_row)
    .transpose()
}

/// Makes `user_id` a member of `tx`'s community with `role` (database spelling). Returns
/// `false` (and changes nothing) when they already are one. Errors: the database's.
pub async fn insert_membership(tx: &TenantTx<'_>, user_id: Uuid, role: &str) -> Result<bool, ApiError> {
    let inserted = tx
        .execute(
            "INSERT INTO memberships (community_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&tx.community_id(), &user_id, &role],
        )
        .await?;
    Ok(inserted > 0)
}

/// Counts one use of the invitation `invitation_id` of `tx`'s community. Returns nothing.
/// Errors: the database's.
pub async fn count_invitation_use(tx: &TenantTx<'_>, invitation_id: Uuid) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE invitations SET use_count = use_count + 1 WHERE community_id = $1 AND id = $2",
        &[&tx.community_id(), &invitation_id],
    )
    .await?;
    Ok(())
}
