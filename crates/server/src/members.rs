//! Community membership administration: invitations by code, role changes, removals and the
//! audit log. Role changes and removals are high-risk audit events with before/after.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::Router;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::audit::{self, Event, Risk};
use crate::auth::{AdminOnly, Require, Staff};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::routes::{route, router_of, Auth, RouteSpec};
use crate::tenancy::{Role, TenantTx};
use crate::AppState;

/// The membership administration routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route(
            Method::GET,
            "/api/communities/{community_id}/invitations",
            Auth::Member(Role::Moderator),
            list_invitations,
        ),
        route(
            Method::POST,
            "/api/communities/{community_id}/invitations",
            Auth::Member(Role::Moderator),
            create_invitation,
        ),
        route(
            Method::PATCH,
            "/api/communities/{community_id}/members/{user_id}",
            Auth::Member(Role::Admin),
            change_role,
        ),
        route(
            Method::DELETE,
            "/api/communities/{community_id}/members/{user_id}",
            Auth::Member(Role::Admin),
            remove_member,
        ),
        route(
            Method::GET,
            "/api/communities/{community_id}/audit",
            Auth::Member(Role::Moderator),
            audit_log,
        ),
    ]
}

/// The membership administration router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// A new invitation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateInvitation {
    /// Role given to who joins (moderators may only invite traders and viewers).
    pub role: Role,
    /// Hours until it expires (1–720, default 168).
    pub expires_in_hours: Option<u32>,
    /// How many people may use it (1–1000, default 1).
    pub max_uses: Option<u32>,
}

/// An invitation.
#[derive(Debug, Serialize, ToSchema)]
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

/// Invitations of the community, newest first.
#[utoipa::path(get, path = "/api/communities/{community_id}/invitations", tag = "community", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)),
    responses((status = 200, body = Vec<InvitationView>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn list_invitations(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
) -> ApiResult<Json<Vec<InvitationView>>> {
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let rows = tx
        .query(
            "SELECT id, code, role, expires_at, max_uses, use_count FROM invitations
             WHERE community_id = $1 ORDER BY created_at DESC LIMIT 500",
            &[&tx.community_id()],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(
        rows.iter()
            .map(|r| InvitationView {
                id: r.get(0),
                code: r.get(1),
                role: Role::parse(r.get(2)).unwrap_or(Role::Viewer),
                expires_at: r.get(3),
                max_uses: r.get(4),
                use_count: r.get(5),
            })
            .collect(),
    ))
}

/// Create an invitation code.
#[utoipa::path(post, path = "/api/communities/{community_id}/invitations", tag = "community", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)), request_body = CreateInvitation,
    responses((status = 201, body = InvitationView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn create_invitation(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
    Json(req): Json<CreateInvitation>,
) -> ApiResult<(StatusCode, Json<InvitationView>)> {
    if m.role < Role::Admin && req.role > Role::Trader {
        return Err(ApiError::Forbidden(
            "moderators may invite traders and viewers only".into(),
        ));
    }
    let hours = req.expires_in_hours.unwrap_or(168);
    let max_uses = req.max_uses.unwrap_or(1);
    if !(1..=720).contains(&hours) {
        return Err(ApiError::validation("expires_in_hours: 1 to 720"));
    }
    if !(1..=1000).contains(&max_uses) {
        return Err(ApiError::validation("max_uses: 1 to 1000"));
    }
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let code = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let id = Uuid::now_v7();
    let expires_at = Utc::now() + chrono::Duration::hours(i64::from(hours));
    let max_uses = max_uses as i32;
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    tx.execute(
        "INSERT INTO invitations (community_id, id, code, role, expires_at, max_uses, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &tx.community_id(),
            &id,
            &code,
            &req.role.as_str(),
            &expires_at,
            &max_uses,
            &m.user_id(),
        ],
    )
    .await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: "invitation.created",
            target: Some(id.to_string()),
            risk: Risk::Medium,
            before: None,
            after: Some(json!({ "role": req.role, "expires_at": expires_at, "max_uses": max_uses })),
            ip: m.user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationView {
            id,
            code,
            role: req.role,
            expires_at,
            max_uses,
            use_count: 0,
        }),
    ))
}

/// A role change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeRole {
    /// The new role.
    pub role: Role,
}

/// A member after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberRoleView {
    /// User id.
    pub user_id: Uuid,
    /// Role.
    pub role: Role,
}

async fn current_role(tx: &TenantTx<'_>, user_id: Uuid) -> ApiResult<Role> {
    let row = tx
        .query_opt(
            "SELECT role FROM memberships WHERE community_id = $1 AND user_id = $2 FOR UPDATE",
            &[&tx.community_id(), &user_id],
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    Role::parse(row.get(0)).ok_or_else(|| ApiError::internal("unknown role in database"))
}

async fn ensure_other_admin(tx: &TenantTx<'_>, user_id: Uuid) -> ApiResult<()> {
    let others: i64 = tx
        .query_one(
            "SELECT count(*) FROM memberships WHERE community_id = $1 AND role = 'admin' AND user_id <> $2",
            &[&tx.community_id(), &user_id],
        )
        .await?
        .get(0);
    if others == 0 {
        return Err(ApiError::Conflict {
            code: "last_admin",
            message: "a community keeps at least one admin".into(),
        });
    }
    Ok(())
}

/// Change a member's role (high-risk audit event).
#[utoipa::path(patch, path = "/api/communities/{community_id}/members/{user_id}", tag = "community",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), ("user_id" = Uuid, Path)),
    request_body = ChangeRole,
    responses((status = 200, body = MemberRoleView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn change_role(
    State(state): State<AppState>,
    Require(m, ..): Require<AdminOnly>,
    Path(path_ids): Path<(Uuid, Uuid)>,
    Json(req): Json<ChangeRole>,
) -> ApiResult<Json<MemberRoleView>> {
    let user_id = path_ids.1;
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let before = current_role(&tx, user_id).await?;
    if before == Role::Admin && req.role != Role::Admin {
        ensure_other_admin(&tx, user_id).await?;
    }
    tx.execute(
        "UPDATE memberships SET role = $3 WHERE community_id = $1 AND user_id = $2",
        &[&tx.community_id(), &user_id, &req.role.as_str()],
    )
    .await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: "member.role_changed",
            target: Some(user_id.to_string()),
            risk: Risk::High,
            before: Some(json!({ "role": before })),
            after: Some(json!({ "role": req.role })),
            ip: m.user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    state.cache.invalidate(m.scope.community_id());
    Ok(Json(MemberRoleView {
        user_id,
        role: req.role,
    }))
}

/// Remove a member and their synced journal from the community (high-risk audit event).
#[utoipa::path(delete, path = "/api/communities/{community_id}/members/{user_id}", tag = "community",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 204), (status = "default", body = crate::error::ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    Require(m, ..): Require<AdminOnly>,
    Path(path_ids): Path<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    let user_id = path_ids.1;
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let before = current_role(&tx, user_id).await?;
    if before == Role::Admin {
        ensure_other_admin(&tx, user_id).await?;
    }
    let c = tx.community_id();
    // Journal rows cascade from the membership; derived trades go first (they reference accounts).
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
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: "member.removed",
            target: Some(user_id.to_string()),
            risk: Risk::High,
            before: Some(json!({ "role": before })),
            after: None,
            ip: m.user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    state.cache.invalidate(m.scope.community_id());
    Ok(StatusCode::NO_CONTENT)
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Exact action (`member.role_changed`).
    pub action: Option<String>,
    /// Acting user.
    pub actor: Option<Uuid>,
    /// `low`, `medium` or `high`.
    pub risk: Option<Risk>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// Page size (1–200, default 50).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

/// One audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    /// Event id.
    pub id: Uuid,
    /// Acting user.
    pub actor_id: Option<Uuid>,
    /// Action.
    pub action: String,
    /// Target id.
    pub target: Option<String>,
    /// Risk level.
    pub risk: String,
    /// State before.
    pub before: Option<serde_json::Value>,
    /// State after.
    pub after: Option<serde_json::Value>,
    /// Client address.
    pub ip: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The community's audit log, newest first, filtered.
#[utoipa::path(get, path = "/api/communities/{community_id}/audit", tag = "community", security(("bearer" = [])),
    params(("community_id" = Uuid, Path), AuditQuery),
    responses((status = 200, body = Vec<AuditEventView>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn audit_log(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEventView>>> {
    let limit = i64::from(q.limit.unwrap_or(50).clamp(1, 200));
    let offset = i64::from(q.offset.unwrap_or(0));
    let risk = q.risk.map(|r| r.as_str());
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
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
                &q.action,
                &q.actor,
                &risk,
                &q.from,
                &q.to,
                &limit,
                &offset,
            ],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(
        rows.iter()
            .map(|r| AuditEventView {
                id: r.get(0),
                actor_id: r.get(1),
                action: r.get(2),
                target: r.get(3),
                risk: r.get(4),
                before: r.get(5),
                after: r.get(6),
                ip: r.get(7),
                created_at: r.get(8),
            })
            .collect(),
    ))
}
