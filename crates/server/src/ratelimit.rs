//! Rate limits per client IP (middleware over every route) and per signed-in user (checked
//! when the access token is accepted), with governor's keyed GCRA limiters. An exhausted
//! limit answers `429` with `Retry-After` in seconds.

use std::net::SocketAddr;
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;
use crate::AppState;

/// The two keyed limiters.
pub struct RateLimits {
    per_ip: DefaultKeyedRateLimiter<String>,
    per_user: DefaultKeyedRateLimiter<uuid::Uuid>,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).expect("max(1) is non-zero"))
}

fn retry_after(result: Result<(), governor::NotUntil<<DefaultClock as Clock>::Instant>>) -> Result<(), ApiError> {
    result.map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::RateLimited(wait.as_secs() + 1)
    })
}

impl RateLimits {
    /// Limiters allowing the given requests per minute (with that many as burst).
    pub fn new(per_ip_per_minute: u32, per_user_per_minute: u32) -> RateLimits {
        RateLimits {
            per_ip: RateLimiter::keyed(quota(per_ip_per_minute)),
            per_user: RateLimiter::keyed(quota(per_user_per_minute)),
        }
    }

    /// Counts one request of `ip`.
    pub fn check_ip(&self, ip: &str) -> Result<(), ApiError> {
        retry_after(self.per_ip.check_key(&ip.to_string()))
    }

    /// Counts one request of `user`.
    pub fn check_user(&self, user: uuid::Uuid) -> Result<(), ApiError> {
        retry_after(self.per_user.check_key(&user))
    }

    /// Forgets keys whose limits are fully replenished (run periodically).
    pub fn retain_recent(&self) {
        self.per_ip.retain_recent();
        self.per_user.retain_recent();
    }
}

/// The client address of a request, when the server was started with connect info.
pub fn client_ip(request: &Request) -> Option<String> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// Middleware: the per-IP limit, and the client IP recorded for handlers (audit events).
pub async fn per_ip(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let ip = client_ip(&request).unwrap_or_else(|| "unknown".into());
    if let Err(e) = state.limits.check_ip(&ip) {
        return e.into_response();
    }
    request.extensions_mut().insert(ClientIp(Some(ip)));
    next.run(request).await
}

/// The client's IP address (set by [`per_ip`]).
#[derive(Debug, Clone, Default)]
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ClientIp>().cloned().unwrap_or_default())
    }
}
