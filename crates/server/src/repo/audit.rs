//! Audit events: writing a community event into `audit_events` (inside the tenant transaction
//! of the change it describes) or a platform event into `platform_audit_events`, and reading
//! both logs back, filtered, newest first.

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio_postgres::Row;
use uuid::Uuid;

use super::{col, enum_col, from_rows, FromRow};
use crate::audit::{AuditAction, Event, PlatformAuditAction, Risk};
use crate::error::ApiError;
use crate::members::AuditEventView;
use crate::platform::PlatformAuditEvent;
use crate::tenancy::TenantTx;

/// Filters shared by both audit logs (each one absent matches everything).
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditFilter<'a> {
    /// Exact action (`AuditAction::as_str` or `PlatformAuditAction::as_str`).
    pub action: Option<&'a str>,
    /// Acting user.
    pub actor: Option<Uuid>,
    /// Risk level.
    pub risk: Option<Risk>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}

impl FromRow for AuditEventView {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(AuditEventView {
            id: col(r, "id")?,
            actor_id: col(r, "actor_id")?,
            action: enum_col(r, "action", AuditAction::parse)?,
            target: col(r, "target")?,
            risk: enum_col(r, "risk", Risk::parse)?,
            before: col(r, "before")?,
            after: col(r, "after")?,
            ip: col(r, "ip")?,
            created_at: col(r, "created_at")?,
        })
    }
}

impl FromRow for PlatformAuditEvent {
    fn from_row(r: &Row) -> Result<Self, ApiError> {
        Ok(PlatformAuditEvent {
            id: col(r, "id")?,
            actor_id: col(r, "actor_id")?,
            action: enum_col(r, "action", PlatformAuditAction::parse)?,
            target: col(r, "target")?,
            risk: enum_col(r, "risk", Risk::parse)?,
            ip: col(r, "ip")?,
            detail: col(r, "detail")?,
            created_at: col(r, "created_at")?,
        })
    }
}

/// Writes `event` into the community log of `tx`'s community. Returns nothing. Errors: the
/// database's, as [`ApiError`].
pub async fn insert_event(tx: &TenantTx<'_>, event: &Event) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO audit_events (community_id, id, actor_id, action, target, risk, before, after, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &tx.community_id(),
            &Uuid::now_v7(),
            &event.actor,
            &event.action.as_str(),
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

/// Writes a platform event (outside any community) through `client`. Returns nothing.
/// Errors: the database's, as [`ApiError`].
pub async fn insert_platform_event(
    client: &impl deadpool_postgres::GenericClient,
    actor: Option<Uuid>,
    action: PlatformAuditAction,
    target: Option<String>,
    risk: Risk,
    ip: Option<String>,
    detail: Value,
) -> Result<(), ApiError> {
    client
        .execute(
            "INSERT INTO platform_audit_events (actor_id, action, target, risk, ip, detail)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&actor, &action.as_str(), &target, &risk.as_str(), &ip, &detail],
        )
        .await?;
    Ok(())
}

/// The events of `tx`'s community matching `filter`, newest first, `limit` of them after
/// skipping `offset`. Errors: the database's, or [`ApiError::Internal`] for a row that does
/// not decode.
pub async fn community_events(
    tx: &TenantTx<'_>,
    filter: &AuditFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditEventView>, ApiError> {
    let risk = filter.risk.map(Risk::as_str);
    let rows = tx
        .query(
            "SELECT id, actor_id, action, target, risk, before, after, ip, created_at FROM audit_events
             WHERE community_id = $1
               AND ($2::text IS NULL OR action = $2)
               AND ($3::uuid IS NULL OR actor_id = $3)
               AND ($4::text IS NULL OR risk = $4)
               AND ($5::timestamptz IS NULL OR created_at >= $5)
               AND ($6::timestamptz IS NULL OR created_at < $6)
             ORDER BY created_at DESC, id DESC LIMIT $7 OFFSET $8",
            &[
                &tx.community_id(),
                &filter.action,
                &filter.actor,
                &risk,
                &filter.from,
                &filter.to,
                &limit,
                &offset,
            ],
        )
        .await?;
    from_rows(&rows)
}

/// The platform events matching `filter`, newest first, at most `limit`. Errors: the
/// database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn platform_events(
    conn: &deadpool_postgres::Client,
    filter: &AuditFilter<'_>,
    limit: i64,
) -> Result<Vec<PlatformAuditEvent>, ApiError> {
    let risk = filter.risk.map(Risk::as_str);
    let rows = conn
        .query(
            "SELECT id, actor_id, action, target, risk, ip, detail, created_at FROM platform_audit_events
             WHERE ($1::text IS NULL OR action = $1) AND ($2::uuid IS NULL OR actor_id = $2)
               AND ($3::text IS NULL OR risk = $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
               AND ($5::timestamptz IS NULL OR created_at < $5)
             ORDER BY id DESC LIMIT $6",
            &[&filter.action, &filter.actor, &risk, &filter.from, &filter.to, &limit],
        )
        .await?;
    from_rows(&rows)
}
