//! Accounts and sessions: register, sign in, rotate and revoke tokens, who am I, join a
//! community with an invitation code.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{CommunityStatus, Role};

/// A new account (`POST /api/auth/register`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    /// Email address (unique, case-insensitive).
    pub email: String,
    /// Display name.
    pub name: String,
    /// At least 8 characters.
    pub password: String,
}

/// Credentials (`POST /api/auth/login`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Email address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A refresh token presented for rotation or logout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The opaque refresh token.
    pub refresh_token: String,
}

/// Tokens of a session. Never crosses into the desktop app's webview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Bearer token for the `Authorization` header (short-lived).
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Opaque, single-use token to get the next pair.
    pub refresh_token: String,
}

/// A user as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserView {
    /// User id.
    pub id: Uuid,
    /// Email address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Platform operator flag.
    pub is_operator: bool,
}

/// One of the signed-in user's memberships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MembershipView {
    /// The community.
    pub community_id: Uuid,
    /// Its name.
    pub community_name: String,
    /// Whether it is open to its members.
    pub community_status: CommunityStatus,
    /// The user's role there.
    pub role: Role,
}

/// The signed-in user and their communities (`GET /api/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MeResponse {
    /// The user.
    pub user: UserView,
    /// Their memberships.
    pub memberships: Vec<MembershipView>,
}

/// An invitation code to redeem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    /// The code.
    pub code: String,
}
