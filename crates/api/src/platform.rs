//! The platform operator's routes: communities (tenants) and the platform audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{CommunityStatus, PlatformAuditAction, Risk};

/// A community with its usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityView {
    /// Community id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Open or suspended.
    pub status: CommunityStatus,
    /// Members.
    pub members: i64,
    /// Derived trades stored.
    pub trades: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// A new community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateCommunity {
    /// Name (1–100 characters).
    pub name: String,
    /// Email of an existing user who becomes its first admin.
    pub admin_email: Option<String>,
}

/// Filters of the platform audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PlatformAuditQuery {
    /// Exact action (`auth.login_failed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<PlatformAuditAction>,
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
}

/// A platform audit event (sign-ins, failed sign-ins, token reuse, tenants created/suspended).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlatformAuditEvent {
    /// Event number.
    pub id: i64,
    /// Acting user.
    pub actor_id: Option<Uuid>,
    /// What happened (`auth.login_failed`).
    pub action: PlatformAuditAction,
    /// Target.
    pub target: Option<String>,
    /// Risk level.
    pub risk: Risk,
    /// Client address.
    pub ip: Option<String>,
    /// Details.
    pub detail: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
}
