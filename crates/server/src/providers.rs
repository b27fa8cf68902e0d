//! Signal providers: staff create, edit and disable them and post their signals; members see
//! them with their performance (from the trades members attributed to them in annotations,
//! sorted by win rate), follow and unfollow them (one subscription per member and provider)
//! and read the signal feed.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::Router;
use chrono::{DateTime, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::audit::{self, Event, Risk};
use crate::auth::{AnyMember, Require, Staff, TraderUp};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::routes::{route, router_of, Auth, RouteSpec};
use crate::tenancy::Role;
use crate::AppState;

/// The provider routes.
pub fn routes() -> Vec<RouteSpec> {
    let staff = Auth::Member(Role::Moderator);
    let trader = Auth::Member(Role::Trader);
    vec![
        route(
            Method::GET,
            "/api/communities/{community_id}/providers",
            Auth::Member(Role::Viewer),
            list,
        ),
        route(Method::POST, "/api/communities/{community_id}/providers", staff, create),
        route(
            Method::PATCH,
            "/api/communities/{community_id}/providers/{provider_id}",
            staff,
            update,
        ),
        route(
            Method::POST,
            "/api/communities/{community_id}/providers/{provider_id}/signals",
            staff,
            post_signal,
        ),
        route(
            Method::POST,
            "/api/communities/{community_id}/providers/{provider_id}/follow",
            trader,
            follow,
        ),
        route(
            Method::DELETE,
            "/api/communities/{community_id}/providers/{provider_id}/follow",
            trader,
            unfollow,
        ),
        route(
            Method::GET,
            "/api/communities/{community_id}/signals",
            Auth::Member(Role::Viewer),
            feed,
        ),
    ]
}

/// The provider router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// A provider with its performance.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderView {
    /// Provider id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Disabled providers take no follows and no signals.
    pub active: bool,
    /// Followers.
    pub followers: i64,
    /// Closed trades attributed to the provider.
    pub trades: i64,
    /// Their net P&L.
    pub net_pnl: Decimal,
    /// Winners ÷ (winners + losers).
    pub win_rate: Option<f64>,
}

/// Providers with performance, best win rate first.
#[utoipa::path(get, path = "/api/communities/{community_id}/providers", tag = "providers", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)),
    responses((status = 200, body = Vec<ProviderView>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Require(m, ..): Require<AnyMember>,
) -> ApiResult<Json<Vec<ProviderView>>> {
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let rows = tx
        .query(
            "SELECT p.id, p.name, p.description, p.active,
                    (SELECT count(*) FROM provider_follows f WHERE f.community_id = p.community_id AND f.provider_id = p.id),
                    count(t.id), COALESCE(sum(t.net_pnl), 0),
                    count(t.id) FILTER (WHERE t.net_pnl > 0), count(t.id) FILTER (WHERE t.net_pnl < 0)
             FROM signal_providers p
             LEFT JOIN annotations a ON a.community_id = p.community_id AND a.provider_id = p.id AND NOT a.deleted
             LEFT JOIN trades t ON t.community_id = a.community_id AND t.user_id = a.user_id AND t.id = a.trade_id
                  AND t.status = 'closed'
             WHERE p.community_id = $1
             GROUP BY p.community_id, p.id",
            &[&tx.community_id()],
        )
        .await?;
    tx.commit().await?;
    let mut out: Vec<ProviderView> = rows
        .iter()
        .map(|r| {
            let (w, l): (i64, i64) = (r.get(7), r.get(8));
            ProviderView {
                id: r.get(0),
                name: r.get(1),
                description: r.get(2),
                active: r.get(3),
                followers: r.get(4),
                trades: r.get(5),
                net_pnl: r.get(6),
                win_rate: (w + l > 0).then(|| (Decimal::from(w) / Decimal::from(w + l)).to_f64().unwrap_or(0.0)),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.win_rate
            .unwrap_or(-1.0)
            .total_cmp(&a.win_rate.unwrap_or(-1.0))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(Json(out))
}

/// A new provider.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateProvider {
    /// Name (1–100 characters).
    pub name: String,
    /// Description.
    pub description: Option<String>,
}

/// A provider change; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateProvider {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Enable or disable.
    pub active: Option<bool>,
}

/// A provider's fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderFields {
    /// Provider id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Active.
    pub active: bool,
}

fn check_name(name: &str) -> ApiResult<()> {
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("name: 1 to 100 characters"));
    }
    Ok(())
}

fn check_description(d: &Option<String>) -> ApiResult<()> {
    if d.as_ref().is_some_and(|d| d.chars().count() > 2000) {
        return Err(ApiError::validation("description: at most 2000 characters"));
    }
    Ok(())
}

/// Create a signal provider.
#[utoipa::path(post, path = "/api/communities/{community_id}/providers", tag = "providers", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)), request_body = CreateProvider,
    responses((status = 201, body = ProviderFields), (status = "default", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
    Json(req): Json<CreateProvider>,
) -> ApiResult<(StatusCode, Json<ProviderFields>)> {
    check_name(&req.name)?;
    check_description(&req.description)?;
    let p = ProviderFields {
        id: Uuid::now_v7(),
        name: req.name.trim().to_string(),
        description: req.description.unwrap_or_default(),
        active: true,
    };
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    tx.execute(
        "INSERT INTO signal_providers (community_id, id, name, description) VALUES ($1, $2, $3, $4)",
        &[&tx.community_id(), &p.id, &p.name, &p.description],
    )
    .await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: "provider.created",
            target: Some(p.id.to_string()),
            risk: Risk::Medium,
            before: None,
            after: Some(json!({ "name": p.name, "description": p.description, "active": true })),
            ip: m.user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Edit or disable a signal provider.
#[utoipa::path(patch, path = "/api/communities/{community_id}/providers/{provider_id}", tag = "providers",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), ("provider_id" = Uuid, Path)),
    request_body = UpdateProvider,
    responses((status = 200, body = ProviderFields), (status = "default", body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
    Path(path_ids): Path<(Uuid, Uuid)>,
    Json(req): Json<UpdateProvider>,
) -> ApiResult<Json<ProviderFields>> {
    let id = path_ids.1;
    if let Some(n) = &req.name {
        check_name(n)?;
    }
    check_description(&req.description)?;
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let c = tx.community_id();
    let before = tx
        .query_opt(
            "SELECT name, description, active FROM signal_providers WHERE community_id = $1 AND id = $2 FOR UPDATE",
            &[&c, &id],
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    let name = req.name.as_ref().map(|n| n.trim().to_string());
    let after = tx
        .query_one(
            "UPDATE signal_providers SET name = COALESCE($3, name), description = COALESCE($4, description),
                 active = COALESCE($5, active)
             WHERE community_id = $1 AND id = $2 RETURNING name, description, active",
            &[&c, &id, &name, &req.description, &req.active],
        )
        .await?;
    let p = ProviderFields {
        id,
        name: after.get(0),
        description: after.get(1),
        active: after.get(2),
    };
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: "provider.updated",
            target: Some(id.to_string()),
            risk: Risk::Medium,
            before: Some(
                json!({ "name": before.get::<_, String>(0), "description": before.get::<_, String>(1),
                                 "active": before.get::<_, bool>(2) }),
            ),
            after: Some(json!({ "name": p.name, "description": p.description, "active": p.active })),
            ip: m.user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(p))
}

/// A new signal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSignal {
    /// Symbol.
    pub symbol: String,
    /// `buy` or `sell`.
    pub side: String,
    /// Entry price.
    pub entry: Option<Decimal>,
    /// Stop price.
    pub stop: Option<Decimal>,
    /// Target price.
    pub target: Option<Decimal>,
    /// Note.
    pub note: Option<String>,
}

/// A signal.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignalView {
    /// Signal id.
    pub id: Uuid,
    /// Provider.
    pub provider_id: Uuid,
    /// Provider name.
    pub provider_name: String,
    /// Symbol.
    pub symbol: String,
    /// `buy` or `sell`.
    pub side: String,
    /// Entry price.
    pub entry: Option<Decimal>,
    /// Stop price.
    pub stop: Option<Decimal>,
    /// Target price.
    pub target: Option<Decimal>,
    /// Note.
    pub note: String,
    /// Posted at.
    pub created_at: DateTime<Utc>,
}

/// Post a signal of an active provider.
#[utoipa::path(post, path = "/api/communities/{community_id}/providers/{provider_id}/signals", tag = "providers",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), ("provider_id" = Uuid, Path)),
    request_body = NewSignal,
    responses((status = 201, body = SignalView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn post_signal(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
    Path(path_ids): Path<(Uuid, Uuid)>,
    Json(s): Json<NewSignal>,
) -> ApiResult<(StatusCode, Json<SignalView>)> {
    let provider_id = path_ids.1;
    if s.side != "buy" && s.side != "sell" {
        return Err(ApiError::validation("side: buy or sell"));
    }
    if s.symbol.trim().is_empty() || s.symbol.len() > 64 {
        return Err(ApiError::validation("symbol: 1 to 64 characters"));
    }
    if s.note.as_ref().is_some_and(|n| n.len() > 10_000) {
        return Err(ApiError::validation("note: at most 10000 bytes"));
    }
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let c = tx.community_id();
    let provider = tx
        .query_opt(
            "SELECT name, active FROM signal_providers WHERE community_id = $1 AND id = $2",
            &[&c, &provider_id],
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    if !provider.get::<_, bool>(1) {
        return Err(ApiError::Conflict {
            code: "provider_disabled",
            message: "this provider is disabled".into(),
        });
    }
    let view = SignalView {
        id: Uuid::now_v7(),
        provider_id,
        provider_name: provider.get(0),
        symbol: s.symbol.trim().to_string(),
        side: s.side,
        entry: s.entry,
        stop: s.stop,
        target: s.target,
        note: s.note.unwrap_or_default(),
        created_at: Utc::now(),
    };
    tx.execute(
        "INSERT INTO signals (community_id, id, provider_id, symbol, side, entry, stop, target, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &c,
            &view.id,
            &provider_id,
            &view.symbol,
            &view.side,
            &view.entry,
            &view.stop,
            &view.target,
            &view.note,
            &view.created_at,
        ],
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// A follow.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowView {
    /// Provider.
    pub provider_id: Uuid,
    /// Whether the caller now follows it.
    pub following: bool,
}

/// Follow an active provider (idempotent: one subscription per member and provider).
#[utoipa::path(post, path = "/api/communities/{community_id}/providers/{provider_id}/follow", tag = "providers",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), ("provider_id" = Uuid, Path)),
    responses((status = 200, body = FollowView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn follow(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Path(path_ids): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<FollowView>> {
    let provider_id = path_ids.1;
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let c = tx.community_id();
    let active: bool = tx
        .query_opt(
            "SELECT active FROM signal_providers WHERE community_id = $1 AND id = $2",
            &[&c, &provider_id],
        )
        .await?
        .ok_or(ApiError::NotFound)?
        .get(0);
    if !active {
        return Err(ApiError::Conflict {
            code: "provider_disabled",
            message: "this provider is disabled".into(),
        });
    }
    tx.execute(
        "INSERT INTO provider_follows (community_id, user_id, provider_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&c, &m.user_id(), &provider_id],
    )
    .await?;
    tx.commit().await?;
    Ok(Json(FollowView {
        provider_id,
        following: true,
    }))
}

/// Stop following a provider.
#[utoipa::path(delete, path = "/api/communities/{community_id}/providers/{provider_id}/follow", tag = "providers",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), ("provider_id" = Uuid, Path)),
    responses((status = 200, body = FollowView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn unfollow(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Path(path_ids): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<FollowView>> {
    let provider_id = path_ids.1;
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let c = tx.community_id();
    let deleted = tx
        .execute(
            "DELETE FROM provider_follows WHERE community_id = $1 AND user_id = $2 AND provider_id = $3",
            &[&c, &m.user_id(), &provider_id],
        )
        .await?;
    tx.commit().await?;
    if deleted == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(Json(FollowView {
        provider_id,
        following: false,
    }))
}

/// Query of the signal feed.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FeedQuery {
    /// Only providers the caller follows (default true).
    pub following: Option<bool>,
    /// At most this many (1–200, default 50).
    pub limit: Option<u32>,
}

/// Latest signals (of followed providers by default).
#[utoipa::path(get, path = "/api/communities/{community_id}/signals", tag = "providers", security(("bearer" = [])),
    params(("community_id" = Uuid, Path), FeedQuery),
    responses((status = 200, body = Vec<SignalView>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn feed(
    State(state): State<AppState>,
    Require(m, ..): Require<AnyMember>,
    Query(q): Query<FeedQuery>,
) -> ApiResult<Json<Vec<SignalView>>> {
    let limit = i64::from(q.limit.unwrap_or(50).clamp(1, 200));
    let following = q.following.unwrap_or(true);
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let rows = tx
        .query(
            "SELECT s.id, s.provider_id, p.name, s.symbol, s.side, s.entry, s.stop, s.target, s.note, s.created_at
             FROM signals s JOIN signal_providers p ON p.community_id = s.community_id AND p.id = s.provider_id
             WHERE s.community_id = $1 AND p.active
               AND (NOT $2 OR EXISTS (SELECT 1 FROM provider_follows f WHERE f.community_id = s.community_id
                                      AND f.provider_id = s.provider_id AND f.user_id = $3))
             ORDER BY s.created_at DESC, s.id DESC LIMIT $4",
            &[&tx.community_id(), &following, &m.user_id(), &limit],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(
        rows.iter()
            .map(|r| SignalView {
                id: r.get(0),
                provider_id: r.get(1),
                provider_name: r.get(2),
                symbol: r.get(3),
                side: r.get(4),
                entry: r.get(5),
                stop: r.get(6),
                target: r.get(7),
                note: r.get(8),
                created_at: r.get(9),
            })
            .collect(),
    ))
}
