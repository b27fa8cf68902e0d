//! Membership administration: invitations, role changes, removals, and the community's
//! audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{AuditAction, Risk, Role};

/// A new invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CreateInvitation {
    /// Role given to who joins (moderators may only invite traders and viewers).
    pub role: Role,
    /// Hours until it expires (1–720, default 168).
    pub expires_in_hours: Option<u32>,
    /// How many people may use it (1–1000, default 1).
    pub max_uses: Option<u32>,
}

/// An invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvitationView {
    /// Invitation id.
    pub id: Uuid,
    /// The code to share.
    pub code: String,
    /// Role it grants.
    pub role: Role,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Maximum uses.
    pub max_uses: i32,
    /// Uses so far.
    pub use_count: i32,
}

/// A role change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeRole {
    /// The new role.
    pub role: Role,
}

/// A member after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberRoleView {
    /// User id.
    pub user_id: Uuid,
    /// Role.
    pub role: Role,
}

/// Filters of the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditQuery {
    /// Exact action (`member.role_changed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<AuditAction>,
    /// Acting user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<Uuid>,
    /// Only this risk level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<Risk>,
    /// From this instant (inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
    /// Page size (1–200, default 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditEventView {
    /// Event id.
    pub id: Uuid,
    /// Acting user.
    pub actor_id: Option<Uuid>,
    /// What happened (`member.role_changed`).
    pub action: AuditAction,
    /// Target id.
    pub target: Option<String>,
    /// Risk level.
    pub risk: Risk,
    /// State before.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Unknown>))]
    pub before: Option<serde_json::Value>,
    /// State after.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Unknown>))]
    pub after: Option<serde_json::Value>,
    /// Client address.
    pub ip: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}
