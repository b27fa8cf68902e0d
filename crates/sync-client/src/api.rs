//! The tenant API over HTTP (blocking reqwest, rustls): auth, sync, and plain JSON requests
//! for the community pages. Every call retries transient failures (no answer, 5xx, 429)
//! with exponential backoff and refreshes an expired access token once, quietly.

use std::sync::Arc;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};
use tradebook_sync::{PullResponse, PushRequest, PushResponse};
use uuid::Uuid;

use crate::tokens::{TokenStore, Tokens};
use crate::{Result, SyncError};

/// How transient failures are retried: `attempts` tries in all, waiting `base_delay`,
/// then twice that, ... up to `max_delay` between them.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Retry {
        Retry {
            attempts: 6,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl Retry {
    fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.min(16);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// A user's membership as `GET /api/me` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Membership {
    pub community_id: Uuid,
    pub community_name: String,
    /// `active` or `suspended`.
    pub community_status: String,
    /// `admin`, `moderator`, `trader` or `viewer`.
    pub role: String,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MeUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    pub user: MeUser,
    pub memberships: Vec<Membership>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    refresh_token: String,
}

/// A client of one server, with one session's tokens.
#[derive(Clone)]
pub struct Api {
    base: String,
    http: Client,
    tokens: Arc<dyn TokenStore>,
    retry: Retry,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api").field("base", &self.base).finish()
    }
}

/// Normalizes a server URL: trims it and any trailing `/`; it must be http(s).
///
/// Errors: [`SyncError::Invalid`] naming the URL.
pub fn normalize_server_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let parsed =
        reqwest::Url::parse(url).map_err(|e| SyncError::Invalid(format!("server URL `{url}` is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(SyncError::Invalid(format!(
            "server URL `{url}` must start with https:// (or http:// for a server on this machine)"
        )));
    }
    Ok(url.to_string())
}

impl Api {
    /// A client of the server at `server_url` keeping its session in `tokens`.
    ///
    /// Errors: [`SyncError::Invalid`] for a URL that is not http(s).
    pub fn new(server_url: &str, tokens: Arc<dyn TokenStore>) -> Result<Api> {
        let http = Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("tradebook/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Invalid(format!("HTTP client: {e}")))?;
        Ok(Api {
            base: normalize_server_url(server_url)?,
            http,
            tokens,
            retry: Retry::default(),
        })
    }

    /// The same client with another retry policy.
    pub fn with_retry(mut self, retry: Retry) -> Api {
        self.retry = retry;
        self
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The session's token store.
    pub fn tokens(&self) -> &Arc<dyn TokenStore> {
        &self.tokens
    }

    /// One HTTP exchange: status and JSON body (`Null` when empty).
    fn exchange(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
    ) -> Result<(u16, Value)> {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method.clone(), &url);
        if let Some(t) = bearer {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let unreachable = |e: reqwest::Error| SyncError::Unreachable {
            url: self.base.clone(),
            message: e.without_url().to_string(),
        };
        let res = req.send().map_err(unreachable)?;
        let status = res.status().as_u16();
        let text = res.text().map_err(unreachable)?;
        let value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok((status, value))
    }

    /// Sends a request, retrying transient failures and refreshing the session once on a
    /// 401. `auth` adds the bearer token.
    fn call(&self, method: Method, path: &str, body: Option<&Value>, auth: bool) -> Result<Value> {
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            let bearer = if auth {
                Some(
                    self.tokens
                        .load()?
                        .ok_or_else(|| SyncError::SignedOut("no session is stored for this connection".into()))?
                        .access_token,
                )
            } else {
                None
            };
            let failure = match self.exchange(&method, path, body, bearer.as_deref()) {
                Ok((status, value)) if status < 300 => return Ok(value),
                Ok((401, value)) if auth && !refreshed => {
                    refreshed = true;
                    tracing::debug!(path, "access token refused; refreshing the session");
                    self.refresh().map_err(|e| match e {
                        SyncError::Server { .. } => SyncError::SignedOut(server_message(&value)),
                        other => other,
                    })?;
                    continue;
                }
                Ok((401, value)) if auth => return Err(SyncError::SignedOut(server_message(&value))),
                Ok((status, value)) => {
                    let e = server_error(status, &value);
                    if !(status >= 500 || status == 429 || status == 408) {
                        return Err(e);
                    }
                    e
                }
                Err(e) => e,
            };
            attempt += 1;
            if attempt >= self.retry.attempts {
                return Err(failure);
            }
            let wait = self.retry.delay(attempt - 1);
            tracing::debug!(path, attempt, ?wait, error = %failure, "retrying");
            std::thread::sleep(wait);
        }
    }

    fn save_answer(&self, value: Value) -> Result<()> {
        let t: TokenAnswer =
            serde_json::from_value(value).map_err(|e| SyncError::Invalid(format!("unexpected token answer: {e}")))?;
        self.tokens.save(&Tokens {
            access_token: t.access_token,
            refresh_token: t.refresh_token,
        })
    }

    /// Rotates the session: the stored refresh token buys a new pair, which replaces it.
    ///
    /// Errors: [`SyncError::SignedOut`] when nothing is stored or the server refuses it.
    pub fn refresh(&self) -> Result<()> {
        let current = self
            .tokens
            .load()?
            .ok_or_else(|| SyncError::SignedOut("no session is stored for this connection".into()))?;
        let answer = self.call(
            Method::POST,
            "/api/auth/refresh",
            Some(&json!({ "refresh_token": current.refresh_token })),
            false,
        )?;
        self.save_answer(answer)
    }

    /// Signs in and stores the session.
    ///
    /// Errors: [`SyncError::Server`] with code `unauthorized` for wrong credentials.
    pub fn login(&self, email: &str, password: &str) -> Result<()> {
        let answer = self.call(
            Method::POST,
            "/api/auth/login",
            Some(&json!({ "email": email, "password": password })),
            false,
        )?;
        self.save_answer(answer)
    }

    /// Creates a user (then [`Api::login`]).
    pub fn register(&self, email: &str, name: &str, password: &str) -> Result<()> {
        self.call(
            Method::POST,
            "/api/auth/register",
            Some(&json!({ "email": email, "name": name, "password": password })),
            false,
        )?;
        Ok(())
    }

    /// Revokes the session on the server (best effort) and forgets it here.
    pub fn logout(&self) -> Result<()> {
        if let Ok(Some(t)) = self.tokens.load() {
            let once = Api {
                retry: Retry {
                    attempts: 1,
                    ..self.retry
                },
                ..self.clone()
            };
            if let Err(e) = once.call(
                Method::POST,
                "/api/auth/logout",
                Some(&json!({ "refresh_token": t.refresh_token })),
                false,
            ) {
                tracing::info!(error = %e, "the server did not confirm the logout; the session is forgotten here");
            }
        }
        self.tokens.clear()
    }

    /// The signed-in user and their memberships.
    pub fn me(&self) -> Result<Me> {
        let v = self.call(Method::GET, "/api/me", None, true)?;
        serde_json::from_value(v).map_err(|e| SyncError::Invalid(format!("unexpected /api/me answer: {e}")))
    }

    /// Joins a community with an invitation code.
    pub fn join(&self, community_id: Uuid, code: &str) -> Result<Membership> {
        let v = self.call(
            Method::POST,
            &format!("/api/communities/{community_id}/join"),
            Some(&json!({ "code": code })),
            true,
        )?;
        serde_json::from_value(v).map_err(|e| SyncError::Invalid(format!("unexpected join answer: {e}")))
    }

    /// Pushes outbox mutations.
    pub fn push(&self, community_id: Uuid, request: &PushRequest) -> Result<PushResponse> {
        let body = serde_json::to_value(request).expect("push request serializes");
        let v = self.call(
            Method::POST,
            &format!("/api/communities/{community_id}/sync/push"),
            Some(&body),
            true,
        )?;
        serde_json::from_value(v).map_err(|e| SyncError::Invalid(format!("unexpected push answer: {e}")))
    }

    /// Pulls one page of changes after `cookie`.
    pub fn pull(&self, community_id: Uuid, cookie: u64, device_id: Uuid, limit: u32) -> Result<PullResponse> {
        let v = self.call(
            Method::GET,
            &format!("/api/communities/{community_id}/sync/pull?cookie={cookie}&limit={limit}&device_id={device_id}"),
            None,
            true,
        )?;
        serde_json::from_value(v).map_err(|e| SyncError::Invalid(format!("unexpected pull answer: {e}")))
    }

    /// Any signed-in JSON request (the community and admin pages). `path` starts with
    /// `/api/`.
    ///
    /// Errors: [`SyncError::Invalid`] for another path or method; the server's error.
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        if !path.starts_with("/api/") || path.contains("..") {
            return Err(SyncError::Invalid(format!("`{path}` is not an API path")));
        }
        let method = match method {
            "GET" => Method::GET,
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            other => return Err(SyncError::Invalid(format!("unsupported method {other}"))),
        };
        self.call(method, path, body, true)
    }
}

impl Api {
    /// [`Api::request`] within a community: `path` is relative to it (`/leaderboard`,
    /// `/members?q=ann` → `/api/communities/{id}/...`), except `/api/me`, sent as it is.
    ///
    /// Errors: [`SyncError::Invalid`] for a path that does not start with `/` or climbs
    /// (`..`); as [`Api::request`].
    pub fn request_in_community(
        &self,
        community_id: Uuid,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value> {
        if !path.starts_with('/') || path.contains("..") {
            return Err(SyncError::Invalid(format!("`{path}` is not a community path")));
        }
        let full = if path == "/api/me" {
            path.to_string()
        } else {
            format!("/api/communities/{community_id}{path}")
        };
        self.request(&method.to_ascii_uppercase(), &full, body)
    }
}

fn server_message(value: &Value) -> String {
    value["error"]["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| "the server refused the session".into())
}

fn server_error(status: u16, value: &Value) -> SyncError {
    SyncError::Server {
        status,
        code: value["error"]["code"].as_str().unwrap_or("http_error").to_string(),
        message: value["error"]["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("the server answered HTTP {status}")),
    }
}
