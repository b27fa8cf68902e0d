//! Audit events: who did what, before and after, how risky, when. Written in the same
//! transaction as the change they describe, so there is no change without its event.
//!
//! Community actions go to the tenant table `audit_events`; actions outside any community
//! (sign-in, failed sign-in, refresh-token reuse, community create/suspend) go to
//! `platform_audit_events`, and community create/suspend also to the community's log.
//! The statements, and the reads of both logs, are in [`crate::repo::audit`].

use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::repo;
use crate::tenancy::TenantTx;
pub use tradebook_api::{AuditAction, PlatformAuditAction, Risk};

/// One community audit event to write.
pub struct Event {
    /// Who acted (None for the system).
    pub actor: Option<Uuid>,
    /// What happened.
    pub action: AuditAction,
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
pub async fn record(tx: &TenantTx<'_>, event: Event) -> Result<(), ApiError> {
    repo::audit::insert_event(tx, &event).await
}

/// Writes a platform audit event (no community).
pub async fn record_platform(
    client: &impl deadpool_postgres::GenericClient,
    actor: Option<Uuid>,
    action: PlatformAuditAction,
    target: Option<String>,
    risk: Risk,
    ip: Option<String>,
    detail: Value,
) -> Result<(), ApiError> {
    repo::audit::insert_platform_event(client, actor, action, target, risk, ip, detail).await
}
