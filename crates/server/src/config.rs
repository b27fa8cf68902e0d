//! Server configuration: flags and environment (see `main.rs`), plus what tests set directly.

use std::net::SocketAddr;
use std::time::Duration;

/// Runtime settings shared by every request.
#[derive(Clone)]
pub struct Config {
    /// HMAC secret of access tokens (HS256).
    pub jwt_secret: Vec<u8>,
    /// Lifetime of an access token.
    pub access_token_ttl: Duration,
    /// Lifetime of a refresh token.
    pub refresh_token_ttl: Duration,
    /// Requests per minute allowed per client IP.
    pub rate_per_ip_per_minute: u32,
    /// Requests per minute allowed per signed-in user.
    pub rate_per_user_per_minute: u32,
    /// How long community analytics are cached in-process.
    pub analytics_cache_ttl: Duration,
    /// Argon2id memory cost in KiB (19 MiB in production; tests lower it).
    pub argon2_memory_kib: u32,
    /// Argon2id iterations.
    pub argon2_iterations: u32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("jwt_secret", &"<redacted>")
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("rate_per_ip_per_minute", &self.rate_per_ip_per_minute)
            .field("rate_per_user_per_minute", &self.rate_per_user_per_minute)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Production defaults around a secret: 15-minute access tokens, 30-day refresh tokens,
    /// 600 requests/min per IP and 300 per user, analytics cached 30 s, OWASP argon2id
    /// parameters (19 MiB, 2 iterations).
    pub fn new(jwt_secret: Vec<u8>) -> Config {
        Config {
            jwt_secret,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            rate_per_ip_per_minute: 600,
            rate_per_user_per_minute: 300,
            analytics_cache_ttl: Duration::from_secs(30),
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
        }
    }
}

/// Default listen address.
pub fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
