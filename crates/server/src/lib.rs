//! # tradebook-server — the community tenant API (SPEC §7, §8, §10)
//!
//! The server a trading community runs so its members' journals sync across devices and its
//! admins see dashboards built on real data. axum over PostgreSQL (tokio-postgres, a deadpool
//! pool, refinery migrations in `migrations/`). Round trips and statistics come from
//! `tradebook-core`, so the server and the app never disagree on a P&L.
//!
//! Layout: one module per domain, each exposing its routes; [`routes`] holds the single route
//! table (method, path, auth level, handler) that builds the router and that the isolation
//! tests iterate. [`tenancy`] is the only way to a tenant transaction; [`repo`] holds every SQL
//! statement, one module per domain, so handlers only parse, call it and map errors.
//!
//! Invariants:
//! - Every tenant-owned table has `community_id` leading its primary key and inside every
//!   foreign key to another tenant table (tested from `information_schema`).
//! - Every tenant query runs in a [`tenancy::TenantTx`], which sets `app.community_id`;
//!   row-level security (FORCE) hides other tenants' rows, the server connecting as a
//!   non-owner role.
//! - A trader only ever reads and writes their own journal rows (`user_id` = the caller).

#![warn(missing_docs)]

pub mod audit;
pub mod auth;
pub mod community;
pub mod config;
pub mod db;
pub mod error;
pub mod flags;
pub mod members;
pub mod openapi;
pub mod platform;
pub mod providers;
pub mod ratelimit;
pub mod repo;
pub mod routes;
pub mod sync;
pub mod tenancy;
pub mod trader;
pub mod trades;

use std::sync::Arc;

pub use config::Config;
pub use routes::{app, route_table, Auth, RouteSpec};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// Settings.
    pub config: Arc<Config>,
    /// Pool of connections as the application (non-owner) role.
    pub db: deadpool_postgres::Pool,
    /// Per-IP and per-user rate limiters.
    pub limits: Arc<ratelimit::RateLimits>,
    /// Short-lived cache of community analytics.
    pub cache: Arc<community::AnalyticsCache>,
}

impl AppState {
    /// State over a pool.
    pub fn new(config: Config, db: deadpool_postgres::Pool) -> AppState {
        let limits = ratelimit::RateLimits::new(config.rate_per_ip_per_minute, config.rate_per_user_per_minute);
        let cache = community::AnalyticsCache::new(config.analytics_cache_ttl);
        AppState {
            config: Arc::new(config),
            db,
            limits: Arc::new(limits),
            cache: Arc::new(cache),
        }
    }
}

/// Serves `app(state)` on `listener` until the future `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.limits.clone();
    let sweeper = tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            limits.retain_recent();
        }
    });
    let result = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    sweeper.abort();
    result
}
