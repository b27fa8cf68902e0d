//! Platform operators: create communities (tenants), suspend and resume them, see usage.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Router;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event, PlatformAuditAction, Risk};
use crate::auth::Operator;
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::repo::{self, audit::AuditFilter};
use crate::routes::{route, router_of, RouteSpec};
use crate::tenancy::TenantScope;
use crate::AppState;
pub use tradebook_api::platform::{CommunityView, CreateCommunity, PlatformAuditEvent, PlatformAuditQuery};
use tradebook_api::routes as api;
use tradebook_api::CommunityStatus;

/// The operator routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route::<api::ListCommunities, _, _>(list_communities),
        route::<api::CreateCommunityRoute, _, _>(create_community),
        route::<api::SuspendCommunity, _, _>(suspend),
        route::<api::ResumeCommunity, _, _>(resume),
        route::<api::PlatformAudit, _, _>(platform_audit),
    ]
}

/// The operator router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// All communities with member and trade counts.
#[utoipa::path(get, path = "/api/platform/communities", tag = "platform", security(("bearer" = [])),
    responses((status = 200, body = Vec<CommunityView>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn list_communities(State(state): State<AppState>, op: Operator) -> ApiResult<Json<Vec<CommunityView>>> {
    let conn = state.db.get().await?;
    let communities = repo::platform::communities(&conn).await?;
    drop(conn);
    let mut out = Vec::with_capacity(communities.len());
    for community in communities {
        // Usage is counted inside each tenant's own scope (RLS applies to operators too).
        let scope = TenantScope::for_operator(&op, community.id);
        let mut conn = state.db.get().await?;
        let tx = scope.begin(&mut conn).await?;
        let usage = repo::platform::usage(&tx).await?;
        tx.commit().await?;
        out.push(CommunityView {
            id: community.id,
            name: community.name,
            status: community.status,
            members: usage.members,
            trades: usage.trades,
            created_at: community.created_at,
        });
    }
    Ok(Json(out))
}

/// Create a community, optionally with its first admin.
#[utoipa::path(post, path = "/api/platform/communities", tag = "platform", security(("bearer" = [])),
    request_body = CreateCommunity,
    responses((status = 201, body = CommunityView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn create_community(
    State(state): State<AppState>,
    op: Operator,
    Json(req): Json<CreateCommunity>,
) -> ApiResult<(StatusCode, Json<CommunityView>)> {
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("name: 1 to 100 characters"));
    }
    let id = Uuid::now_v7();
    let scope = TenantScope::for_operator(&op, id);
    let mut conn = state.db.get().await?;
    let tx = scope.begin(&mut conn).await?;
    let admin: Option<Uuid> = match &req.admin_email {
        Some(email) => Some(
            repo::platform::user_id_by_email(&tx, &email.trim().to_lowercase())
                .await?
                .ok_or_else(|| ApiError::validation("admin_email: no user with this email"))?,
        ),
        None => None,
    };
    let created_at = repo::platform::create_community(&tx, &name, admin).await?;
    let after = json!({ "name": name, "admin": admin });
    audit::record(
        &tx,
        Event {
            actor: Some(op.0.id),
            action: AuditAction::CommunityCreated,
            target: Some(id.to_string()),
            risk: Risk::Medium,
            before: None,
            after: Some(after.clone()),
            ip: op.0.ip.clone(),
        },
    )
    .await?;
    audit::record_platform(
        &*tx,
        Some(op.0.id),
        PlatformAuditAction::CommunityCreated,
        Some(id.to_string()),
        Risk::Medium,
        op.0.ip.clone(),
        after,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(CommunityView {
            id,
            name,
            status: CommunityStatus::Active,
            members: i64::from(admin.is_some()),
            trades: 0,
            created_at,
        }),
    ))
}

async fn set_status(
    state: AppState,
    op: Operator,
    id: Uuid,
    status: CommunityStatus,
) -> ApiResult<Json<CommunityView>> {
    let scope = TenantScope::for_operator(&op, id);
    let mut conn = state.db.get().await?;
    let tx = scope.begin(&mut conn).await?;
    let before = repo::platform::status_for_update(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = repo::platform::set_status(&tx, status).await?;
    let (action, platform_action) = if status == CommunityStatus::Suspended {
        (AuditAction::CommunitySuspended, PlatformAuditAction::CommunitySuspended)
    } else {
        (AuditAction::CommunityResumed, PlatformAuditAction::CommunityResumed)
    };
    audit::record(
        &tx,
        Event {
            actor: Some(op.0.id),
            action,
            target: Some(id.to_string()),
            risk: Risk::High,
            before: Some(json!({ "status": before })),
            after: Some(json!({ "status": status })),
            ip: op.0.ip.clone(),
        },
    )
    .await?;
    audit::record_platform(
        &*tx,
        Some(op.0.id),
        platform_action,
        Some(id.to_string()),
        Risk::High,
        op.0.ip.clone(),
        json!({ "before": before, "after": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Suspend a community: every community route answers 403 until it is resumed.
#[utoipa::path(post, path = "/api/platform/communities/{community_id}/suspend", tag = "platform",
    security(("bearer" = [])), params(("community_id" = Uuid, Path)),
    responses((status = 200, body = CommunityView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn suspend(
    State(state): State<AppState>,
    op: Operator,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CommunityView>> {
    set_status(state, op, id, CommunityStatus::Suspended).await
}

/// Resume a suspended community.
#[utoipa::path(post, path = "/api/platform/communities/{community_id}/resume", tag = "platform",
    security(("bearer" = [])), params(("community_id" = Uuid, Path)),
    responses((status = 200, body = CommunityView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    op: Operator,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CommunityView>> {
    set_status(state, op, id, CommunityStatus::Active).await
}

/// The platform audit log, newest first, filtered.
#[utoipa::path(get, path = "/api/platform/audit", tag = "platform", security(("bearer" = [])),
    params(PlatformAuditQuery),
    responses((status = 200, body = Vec<PlatformAuditEvent>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn platform_audit(
    State(state): State<AppState>,
    _op: Operator,
    Query(q): Query<PlatformAuditQuery>,
) -> ApiResult<Json<Vec<PlatformAuditEvent>>> {
    let limit = i64::from(q.limit.unwrap_or(50).clamp(1, 200));
    let filter = AuditFilter {
        action: q.action.map(|a| a.as_str()),
        actor: q.actor,
        risk: q.risk,
        from: q.from,
        to: q.to,
    };
    let conn = state.db.get().await?;
    Ok(Json(repo::audit::platform_events(&conn, &filter, limit).await?))
}
