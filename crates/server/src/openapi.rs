//! The OpenAPI document, served at `/api/openapi.json`. Every route of the route table has a
//! `#[utoipa::path]` listed here (a test checks the two agree).

use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{auth, community, flags, members, platform, providers, routes, sync, trader};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tradebook tenant API", description = "Community sync, dashboards and administration (SPEC §7, §8)."),
    modifiers(&BearerAuth),
    paths(
        routes::healthz,
        auth::register, auth::login, auth::refresh, auth::logout, auth::me, auth::join,
        platform::list_communities, platform::create_community, platform::suspend, platform::resume, platform::platform_audit,
        members::list_invitations, members::create_invitation, members::change_role, members::remove_member,
        members::audit_log,
        community::overview, community::members, community::analytics, community::leaderboard,
        providers::list, providers::create, providers::update, providers::post_signal, providers::follow,
        providers::unfollow, providers::feed,
        trader::overview, trader::list_trades, trader::get_trade, trader::analytics, trader::get_risk_profile,
        trader::put_risk_profile, trader::get_leaderboard, trader::put_leaderboard,
        sync::push, sync::pull,
        flags::my_flags, flags::set_flag,
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn spec() -> impl IntoResponse {
    axum::Json(ApiDoc::openapi())
}
