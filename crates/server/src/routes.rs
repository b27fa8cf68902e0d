//! The route table: every route once, as (method, path, auth level, handler). It builds the
//! router ([`app`]) and the isolation tests iterate it, so a route cannot be added without
//! the tests noticing it has no isolation case.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use crate::tenancy::Role;
use crate::AppState;

/// Who may call a route. Enforced by the handler's extractor (`AuthUser`, `Operator`,
/// `Require<R>`); the tests check that every route rejects callers below its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Anyone.
    Public,
    /// Any signed-in user.
    User,
    /// Platform operators.
    Operator,
    /// Members of the path's community with at least this role.
    Member(Role),
}

/// One route.
pub struct RouteSpec {
    /// HTTP method.
    pub method: Method,
    /// axum/OpenAPI path (`/api/communities/{community_id}/...`).
    pub path: &'static str,
    /// Who may call it.
    pub auth: Auth,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

/// Builds a [`RouteSpec`].
pub fn route<H, T>(method: Method, path: &'static str, auth: Auth, handler: H) -> RouteSpec
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("standard method");
    RouteSpec {
        method,
        path,
        auth,
        handler: on(filter, handler),
    }
}

/// A router over some route specs (each domain module's `router()` uses it).
pub fn router_of(specs: Vec<RouteSpec>) -> Router<AppState> {
    specs
        .into_iter()
        .fold(Router::new(), |router, spec| router.route(spec.path, spec.handler))
}

fn base_routes() -> Vec<RouteSpec> {
    vec![
        route(Method::GET, "/healthz", Auth::Public, healthz),
        route(Method::GET, "/api/openapi.json", Auth::Public, crate::openapi::spec),
        route(Method::POST, "/api/auth/register", Auth::Public, crate::auth::register),
        route(Method::POST, "/api/auth/login", Auth::Public, crate::auth::login),
        route(Method::POST, "/api/auth/refresh", Auth::Public, crate::auth::refresh),
        route(Method::POST, "/api/auth/logout", Auth::Public, crate::auth::logout),
        route(Method::GET, "/api/me", Auth::User, crate::auth::me),
        route(
            Method::POST,
            "/api/communities/{community_id}/join",
            Auth::User,
            crate::auth::join,
        ),
    ]
}

/// Every route of the server.
pub fn route_table() -> Vec<RouteSpec> {
    let mut all = base_routes();
    all.extend(crate::platform::routes());
    all.extend(crate::members::routes());
    all.extend(crate::community::routes());
    all.extend(crate::providers::routes());
    all.extend(crate::trader::routes());
    all.extend(crate::sync::routes());
    all.extend(crate::flags::routes());
    all
}

/// The whole application: the route table, the per-IP rate limit and request tracing.
pub fn app(state: AppState) -> Router {
    router_of(route_table())
        .fallback(|| async { crate::error::ApiError::NotFound })
        .method_not_allowed_fallback(|| async { crate::error::ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::ratelimit::per_ip,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "platform",
    responses((status = 200, body = Health), (status = "default", body = crate::error::ErrorBody)))]
pub async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> crate::error::ApiResult<crate::error::Json<Health>> {
    let conn = state.db.get().await?;
    conn.query_one("SELECT 1", &[]).await?;
    Ok(crate::error::Json(Health { status: "ok".into() }))
}

/// Health answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}
