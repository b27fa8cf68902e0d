//! Platform operators: create communities (tenants), suspend and resume them, see usage.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::Router;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::audit::{self, Event, Risk};
use crate::auth::Operator;
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::routes::{route, router_of, Auth, RouteSpec};
use crate::tenancy::TenantScope;
use crate::AppState;

/// The operator routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route(
            Method::GET,
            "/api/platform/communities",
            Auth::Operator,
            list_communities,
        ),
        route(
            Method::POST,
            "/api/platform/communities",
            Auth::Operator,
            create_community,
        ),
        route(
            Method::POST,
            "/api/platform/communities/{community_id}/suspend",
            Auth::Operator,
            suspend,
        ),
        route(
            Method::POST,
            "/api/platform/communities/{community_id}/resume",
            Auth::Operator,
            resume,
        ),
    ]
}

/// The operator router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// A community with its usage.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityView {
    /// Community id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Members.
    pub members: i64,
    /// Derived trades stored.
    pub trades: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// A new community.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCommunity {
    /// Name (1–100 characters).
    pub name: String,
    /// Email of an existing user who becomes its first admin.
    pub admin_email: Option<String>,
}

/// All communities with member and trade counts.
#[utoipa::path(get, path = "/api/platform/communities", tag = "platform", security(("bearer" = [])),
    responses((status = 200, body = Vec<CommunityView>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn list_communities(State(state): State<AppState>, op: Operator) -> ApiResult<Json<Vec<CommunityView>>> {
    let conn = state.db.get().await?;
    let rows = conn
        .query(
            "SELECT id, name, status, created_at FROM communities ORDER BY created_at",
            &[],
        )
        .await?;
    drop(conn);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: Uuid = r.get(0);
        // Usage is counted inside each tenant's own scope (RLS applies to operators too).
        let scope = TenantScope::for_operator(&op, id);
        let mut conn = state.db.get().await?;
        let tx = scope.begin(&mut conn).await?;
        let counts = tx
            .query_one(
                "SELECT (SELECT count(*) FROM memberships WHERE community_id = $1),
                        (SELECT count(*) FROM trades WHERE community_id = $1)",
                &[&id],
            )
            .await?;
        tx.commit().await?;
        out.push(CommunityView {
            id,
            name: r.get(1),
            status: r.get(2),
            members: counts.get(0),
            trades: counts.get(1),
            created_at: r.get(3),
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
            tx.query_opt("SELECT id FROM users WHERE email = $1", &[&email.trim().to_lowercase()])
                .await?
                .ok_or_else(|| ApiError::validation("admin_email: no user with this email"))?
                .get(0),
        ),
        None => None,
    };
    let created_at: DateTime<Utc> = tx
        .query_one(
            "INSERT INTO communities (id, name) VALUES ($1, $2) RETURNING created_at",
            &[&id, &name],
        )
        .await?
        .get(0);
    tx.execute("INSERT INTO sync_state (community_id) VALUES ($1)", &[&id])
        .await?;
    if let Some(admin) = admin {
        tx.execute(
            "INSERT INTO memberships (community_id, user_id, role) VALUES ($1, $2, 'admin')",
            &[&id, &admin],
        )
        .await?;
    }
    let after = json!({ "name": name, "admin": admin });
    audit::record(
        &tx,
        Event {
            actor: Some(op.0.id),
            action: "community.created",
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
        "community.created",
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
            status: "active".into(),
            members: i64::from(admin.is_some()),
            trades: 0,
            created_at,
        }),
    ))
}

async fn set_status(state: AppState, op: Operator, id: Uuid, status: &str) -> ApiResult<Json<CommunityView>> {
    let scope = TenantScope::for_operator(&op, id);
    let mut conn = state.db.get().await?;
    let tx = scope.begin(&mut conn).await?;
    let before: String = tx
        .query_opt("SELECT status FROM communities WHERE id = $1 FOR UPDATE", &[&id])
        .await?
        .ok_or(ApiError::NotFound)?
        .get(0);
    let row = tx
        .query_one(
            "UPDATE communities SET status = $2 WHERE id = $1 RETURNING name, created_at,
                (SELECT count(*) FROM memberships WHERE community_id = $1),
                (SELECT count(*) FROM trades WHERE community_id = $1)",
            &[&id, &status],
        )
        .await?;
    let action = if status == "suspended" {
        "community.suspended"
    } else {
        "community.resumed"
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
        action,
        Some(id.to_string()),
        Risk::High,
        op.0.ip.clone(),
        json!({ "before": before, "after": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(CommunityView {
        id,
        name: row.get(0),
        status: status.to_string(),
        members: row.get(2),
        trades: row.get(3),
        created_at: row.get(1),
    }))
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
    set_status(state, op, id, "suspended").await
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
    set_status(state, op, id, "active").await
}

/// Filters of the platform audit log.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PlatformAuditQuery {
    /// Exact action (`auth.login_failed`).
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
}

/// A platform audit event (sign-ins, failed sign-ins, token reuse, tenants created/suspended).
#[derive(Debug, Serialize, ToSchema)]
pub struct PlatformAuditEvent {
    /// Event number.
    pub id: i64,
    /// Acting user.
    pub actor_id: Option<Uuid>,
    /// Action.
    pub action: String,
    /// Target.
    pub target: Option<String>,
    /// Risk level.
    pub risk: String,
    /// Client address.
    pub ip: Option<String>,
    /// Details.
    pub detail: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
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
    let risk = q.risk.map(|r| r.as_str());
    let conn = state.db.get().await?;
    let rows = conn
        .query(
            "SELECT id, actor_id, action, target, risk, ip, detail, created_at FROM platform_audit_events
             WHERE ($1::text IS NULL OR action = $1) AND ($2::uuid IS NULL OR actor_id = $2)
               AND ($3::text IS NULL OR risk = $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
               AND ($5::timestamptz IS NULL OR created_at < $5)
             ORDER BY id DESC LIMIT $6",
            &[&q.action, &q.actor, &risk, &q.from, &q.to, &limit],
        )
        .await?;
    Ok(Json(
        rows.iter()
            .map(|r| PlatformAuditEvent {
                id: r.get(0),
                actor_id: r.get(1),
                action: r.get(2),
                target: r.get(3),
                risk: r.get(4),
                ip: r.get(5),
                detail: r.get(6),
                created_at: r.get(7),
            })
            .collect(),
    ))
}
