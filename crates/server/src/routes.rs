//! The route table: every route once, as (contract endpoint, handler). Method, path and
//! access level come from the contract (`tradebook_api::routes`), so a route cannot be
//! served at another path or with another access than the contract says; it builds the
//! router ([`app`]), and the isolation tests iterate it, so a route cannot be added without
//! the tests noticing it has no isolation case. A test checks that the table serves every
//! route of the contract and nothing else.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use tradebook_api::routes::{self as api, Endpoint};

use crate::AppState;
pub use tradebook_api::Health;

/// Who may call a route: the contract's [`tradebook_api::Access`]. Enforced by the
/// handler's extractor (`AuthUser`, `Operator`, `Require<R>`); the tests check that every
/// route rejects callers below its level.
pub use tradebook_api::Access as Auth;

/// One route.
pub struct RouteSpec {
    /// HTTP method.
    pub method: Method,
    /// axum/OpenAPI path (`/api/communities/{community_id}/...`).
    pub path: &'static str,
    /// Who may call it.
    pub auth: Auth,
    /// The contract's route.
    pub contract: api::Route,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

/// The route of contract endpoint `E`, served by `handler`.
pub fn route<E, H, T>(handler: H) -> RouteSpec
where
    E: Endpoint,
    H: Handler<T, AppState>,
    T: 'static,
{
    let contract = E::ROUTE;
    let method = match contract.method {
        api::Method::Get => Method::GET,
        api::Method::Post => Method::POST,
        api::Method::Put => Method::PUT,
        api::Method::Patch => Method::PATCH,
        api::Method::Delete => Method::DELETE,
    };
    let filter = MethodFilter::try_from(method.clone()).expect("standard method");
    RouteSpec {
        method,
        path: contract.path,
        auth: contract.access,
        contract,
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
        route::<api::Healthz, _, _>(healthz),
        route::<api::OpenApiDocument, _, _>(crate::openapi::spec),
        route::<api::Register, _, _>(crate::auth::register),
        route::<api::Login, _, _>(crate::auth::login),
        route::<api::Refresh, _, _>(crate::auth::refresh),
        route::<api::Logout, _, _>(crate::auth::logout),
        route::<api::Me, _, _>(crate::auth::me),
        route::<api::Join, _, _>(crate::auth::join),
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
    crate::repo::platform::ping(&conn).await?;
    Ok(crate::error::Json(Health { status: "ok".into() }))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use utoipa::OpenApi;

    use super::*;

    /// The router serves exactly the contract's routes, each once, with the contract's access.
    #[test]
    fn the_route_table_serves_the_contract_and_nothing_else() {
        let table = route_table();
        let served: Vec<api::Route> = table.iter().map(|r| r.contract).collect();
        let served_set: BTreeSet<api::Route> = served.iter().copied().collect();
        assert_eq!(served.len(), served_set.len(), "a route is served twice");
        let contract: BTreeSet<api::Route> = api::ROUTES.iter().copied().collect();
        let missing: Vec<_> = contract.difference(&served_set).collect();
        let extra: Vec<_> = served_set.difference(&contract).collect();
        assert!(
            missing.is_empty(),
            "contract routes the server does not serve: {missing:?}"
        );
        assert!(extra.is_empty(), "served routes without a contract entry: {extra:?}");
        for r in &table {
            assert_eq!(
                (r.method.as_str(), r.path),
                (r.contract.method.as_str(), r.contract.path)
            );
        }
    }

    /// The OpenAPI document describes exactly the contract's routes (the document itself
    /// aside), each with a `bearer` requirement exactly when the route is not public.
    #[test]
    fn the_openapi_document_describes_the_contract() {
        let doc = serde_json::to_value(crate::openapi::ApiDoc::openapi()).unwrap();
        let mut described = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                described.insert((method.to_uppercase(), path.clone()));
                let route = api::ROUTES
                    .iter()
                    .find(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method))
                    .unwrap_or_else(|| panic!("{method} {path} is documented but not in the contract"));
                assert_eq!(
                    op["security"].is_array(),
                    route.access != api::Access::Public,
                    "{method} {path}: security in the document vs the contract"
                );
            }
        }
        let contract: BTreeSet<(String, String)> = api::ROUTES
            .iter()
            .filter(|r| r.path != "/api/openapi.json")
            .map(|r| (r.method.as_str().to_string(), r.path.to_string()))
            .collect();
        assert_eq!(described, contract);
    }

    /// Each wire enum's schema in the document lists exactly the values the server parses
    /// and writes, so a client generated from the document sends nothing the server
    /// refuses (the audit actions are spelled with dots, not by their Rust names).
    #[test]
    fn the_document_spells_enums_as_the_wire_does() {
        let doc = serde_json::to_value(crate::openapi::ApiDoc::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let check = |name: &str, values: Vec<&str>| {
            let listed: Vec<&str> = schemas[name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} has no enum schema: {}", schemas[name]))
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(listed, values, "{name}");
        };
        check(
            "AuditAction",
            tradebook_api::AuditAction::ALL.iter().map(|a| a.as_str()).collect(),
        );
        check(
            "PlatformAuditAction",
            tradebook_api::PlatformAuditAction::ALL
                .iter()
                .map(|a| a.as_str())
                .collect(),
        );
        check("Role", tradebook_api::Role::ALL.iter().map(|a| a.as_str()).collect());
        check(
            "AssetClass",
            tradebook_api::AssetClass::ALL.iter().map(|a| a.as_str()).collect(),
        );
        check(
            "ErrorCode",
            tradebook_api::ErrorCode::ALL.iter().map(|a| a.as_str()).collect(),
        );
    }
}
