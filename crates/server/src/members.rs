//! Community membership administration: invitations by code, role changes, removals and the
//! audit log. Role changes and removals are high-risk audit events with before/after.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Router;
use base64::Engine;
use chrono::Utc;
use rand::RngCore;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event, Risk};
use crate::auth::{AdminOnly, Require, Staff};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::repo::{self, audit::AuditFilter};
use crate::routes::{route, router_of, RouteSpec};
use crate::tenancy::{Role, TenantTx};
use crate::AppState;
pub use tradebook_api::members::{
    AuditEventView, AuditQuery, ChangeRole, CreateInvitation, InvitationView, MemberRoleView,
};
use tradebook_api::routes as api;

/// The membership administration routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route::<api::ListInvitations, _, _>(list_invitations),
        route::<api::CreateInvitationRoute, _, _>(create_invitation),
        route::<api::ChangeMemberRole, _, _>(change_role),
        route::<api::RemoveMember, _, _>(remove_member),
        route::<api::AuditLog, _, _>(audit_log),
    ]
}

/// The membership administration router.
pub fn router() -> Router<AppState> {
    router_of(routes())
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
    let invitations = repo::members::invitations(&tx).await?;
    tx.commit().await?;
    Ok(Json(invitations))
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
    repo::members::insert_invitation(&tx, id, &code, req.role, expires_at, max_uses, m.user_id()).await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: AuditAction::InvitationCreated,
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

async fn current_role(tx: &TenantTx<'_>, user_id: Uuid) -> ApiResult<Role> {
    repo::members::role_for_update(tx, user_id)
        .await?
        .ok_or(ApiError::NotFound)
}

async fn ensure_other_admin(tx: &TenantTx<'_>, user_id: Uuid) -> ApiResult<()> {
    if repo::members::other_admins(tx, user_id).await? == 0 {
        return Err(ApiError::Conflict {
            code: crate::error::ErrorCode::LastAdmin,
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
    repo::members::set_role(&tx, user_id, req.role).await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: AuditAction::MemberRoleChanged,
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
    // Journal rows cascade from the membership; derived trades go first (they reference accounts).
    repo::members::remove(&tx, user_id).await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: AuditAction::MemberRemoved,
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
    let filter = AuditFilter {
        action: q.action.map(|a| a.as_str()),
        actor: q.actor,
        risk: q.risk,
        from: q.from,
        to: q.to,
    };
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let events = repo::audit::community_events(&tx, &filter, limit, offset).await?;
    tx.commit().await?;
    Ok(Json(events))
}
