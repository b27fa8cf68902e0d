//! Audit events: who did what, before and after, how risky, when. Written in the same
//! transaction as the change they describe, so there is no change without its event.
//!
//! Community actions go to the tenant table `audit_events`; actions outside any community
//! (sign-in, failed sign-in, refresh-token reuse, community create/suspend) go to
//! `platform_audit_events`, and community create/suspend also to the community's log.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::tenancy::TenantTx;

/// How sensitive an action is. Role changes and removals are `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Routine (joining, following).
    Low,
    /// Changes what others see (invitations, providers, flags, sign-ins).
    Medium,
    /// Changes who can do what (roles, removals, suspensions, token reuse).
    High,
}

impl Risk {
    /// Database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

/// One community audit event to write.
pub struct Event<'a> {
    /// Who acted (None for the system).
    pub actor: Option<Uuid>,
    /// What happened (`member.role_changed`).
    pub action: &'a str,
    /// What it happened to (an id).
    pub target: Option<String>,
    /// Risk level.
    pub risk: Risk,
    /// State before, for changes.
    pub before: Option<Value>,
    /// State after, for changes.
    pub after: Option<Value>,
    /// Client address.
    pub ip: Option<String>,
}

/// Writes a community audit event inside `tx`.
pub async fn record(tx: &TenantTx<'_>, event: Event<'_>) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO audit_events (community_id, id, actor_id, action, target, risk, before, after, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &tx.community_id(),
            &Uuid::now_v7(),
            &event.actor,
            &event.action,
            &event.target,
            &event.risk.as_str(),
            &event.before,
            &event.after,
            &event.ip,
        ],
    )
    .await?;
    Ok(())
}

/// Writes a platform audit event (no community).
pub async fn record_platform(
    client: &impl deadpool_postgres::GenericClient,
    actor: Option<Uuid>,
    action: &str,
    target: Option<String>,
    risk: Risk,
    ip: Option<String>,
    detail: Value,
) -> Result<(), ApiError> {
    client
        .execute(
            "INSERT INTO platform_audit_events (actor_id, action, target, risk, ip, detail)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&actor, &action, &target, &risk.as_str(), &ip, &detail],
        )
        .await?;
    Ok(())
}
