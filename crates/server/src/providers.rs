//! Signal providers: staff create, edit and disable them and post their signals; members see
//! them with their performance (from the trades members attributed to them in annotations,
//! sorted by win rate), follow and unfollow them (one subscription per member and provider)
//! and read the signal feed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Router;
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event, Risk};
use crate::auth::{AnyMember, Require, Staff, TraderUp};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::repo;
use crate::routes::{route, router_of, RouteSpec};
use crate::AppState;
pub use tradebook_api::providers::{
    CreateProvider, FeedQuery, FollowView, NewSignal, ProviderFields, ProviderView, SignalView, UpdateProvider,
};
use tradebook_api::routes as api;

/// The provider routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route::<api::ListProviders, _, _>(list),
        route::<api::CreateProviderRoute, _, _>(create),
        route::<api::UpdateProviderRoute, _, _>(update),
        route::<api::PostSignal, _, _>(post_signal),
        route::<api::Follow, _, _>(follow),
        route::<api::Unfollow, _, _>(unfollow),
        route::<api::Signals, _, _>(feed),
    ]
}

/// The provider router.
pub fn router() -> Router<AppState> {
    router_of(routes())
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
    let mut out = repo::providers::with_performance(&tx).await?;
    tx.commit().await?;
    out.sort_by(|a, b| {
        b.win_rate
            .unwrap_or(-1.0)
            .total_cmp(&a.win_rate.unwrap_or(-1.0))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(Json(out))
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
    repo::providers::insert(&tx, &p).await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: AuditAction::ProviderCreated,
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
    let before = repo::providers::fields_for_update(&tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let name = req.name.as_deref().map(str::trim);
    let p = repo::providers::update(&tx, id, name, req.description.as_deref(), req.active).await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: AuditAction::ProviderUpdated,
            target: Some(id.to_string()),
            risk: Risk::Medium,
            before: Some(json!({ "name": before.name, "description": before.description, "active": before.active })),
            after: Some(json!({ "name": p.name, "description": p.description, "active": p.active })),
            ip: m.user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(p))
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
    if s.symbol.trim().is_empty() || s.symbol.len() > 64 {
        return Err(ApiError::validation("symbol: 1 to 64 characters"));
    }
    if s.note.as_ref().is_some_and(|n| n.len() > 10_000) {
        return Err(ApiError::validation("note: at most 10000 bytes"));
    }
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let provider = repo::providers::state(&tx, provider_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !provider.active {
        return Err(ApiError::Conflict {
            code: crate::error::ErrorCode::ProviderDisabled,
            message: "this provider is disabled".into(),
        });
    }
    let view = SignalView {
        id: Uuid::now_v7(),
        provider_id,
        provider_name: provider.name,
        symbol: s.symbol.trim().to_string(),
        side: s.side,
        entry: s.entry,
        stop: s.stop,
        target: s.target,
        note: s.note.unwrap_or_default(),
        created_at: Utc::now(),
    };
    repo::providers::insert_signal(&tx, &view).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
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
    let provider = repo::providers::state(&tx, provider_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !provider.active {
        return Err(ApiError::Conflict {
            code: crate::error::ErrorCode::ProviderDisabled,
            message: "this provider is disabled".into(),
        });
    }
    repo::providers::follow(&tx, m.user_id(), provider_id).await?;
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
    let deleted = repo::providers::unfollow(&tx, m.user_id(), provider_id).await?;
    tx.commit().await?;
    if !deleted {
        return Err(ApiError::NotFound);
    }
    Ok(Json(FollowView {
        provider_id,
        following: false,
    }))
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
    let signals = repo::providers::feed(&tx, m.user_id(), following, limit).await?;
    tx.commit().await?;
    Ok(Json(signals))
}
