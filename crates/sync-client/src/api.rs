//! The tenant API over HTTP (blocking reqwest, rustls), one typed method per route of the
//! contract (`tradebook_api::routes`): [`Api::send`] fills the route's path, sends its query
//! and body types and parses its answer type. Every call retries transient failures (no
//! answer, 5xx, 429) with exponential backoff and refreshes an expired access token once,
//! quietly.

use std::sync::Arc;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::Method;
use serde_json::Value;
use tradebook_api::auth::{JoinRequest, LoginRequest, MeResponse, MembershipView, RefreshRequest, RegisterRequest};
use tradebook_api::community::{
    CommunityAnalytics, CommunityOverview, LeaderboardEntry, MemberPage, MembersQuery, PeriodQuery,
};
use tradebook_api::flags::{FlagSetting, MyFlags};
use tradebook_api::members::{
    AuditEventView, AuditQuery, ChangeRole, CreateInvitation, InvitationView, MemberRoleView,
};
use tradebook_api::platform::{CommunityView, CreateCommunity, PlatformAuditEvent, PlatformAuditQuery};
use tradebook_api::providers::{
    CreateProvider, FeedQuery, FollowView, NewSignal, ProviderFields, ProviderView, SignalView, UpdateProvider,
};
use tradebook_api::routes::{self as r, Access, Endpoint};
use tradebook_api::trader::{
    DaysQuery, LeaderboardSettings, RiskProfile, TradeDetail, TradePage, TraderAnalytics, TraderOverview, TradesQuery,
};
use tradebook_api::{Empty, ErrorBody, PullQuery, Role};
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

    /// Calls one route of the contract: `params` fill its path parameters in order (the
    /// community id first where it has one), `query` becomes the query string, `body` the
    /// JSON body. Routes that are not [`Access::Public`] carry the session's bearer token.
    ///
    /// Errors: [`SyncError::Server`] with the server's [`tradebook_api::ErrorCode`];
    /// [`SyncError::Unreachable`]; [`SyncError::SignedOut`]; [`SyncError::UnexpectedAnswer`]
    /// when the answer is not the route's type (a server of another version).
    pub fn send<E: Endpoint>(&self, params: &[&str], query: &E::Query, body: Option<&E::Body>) -> Result<E::Response> {
        let route = E::ROUTE;
        let mut path = route.fill(params).map_err(SyncError::Invalid)?;
        let query = serde_urlencoded::to_string(query)
            .map_err(|e| SyncError::Invalid(format!("{} {}: query: {e}", route.method.as_str(), route.path)))?;
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query);
        }
        let body = body
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| SyncError::Invalid(format!("{} {}: body: {e}", route.method.as_str(), route.path)))?;
        let method = match route.method {
            r::Method::Get => Method::GET,
            r::Method::Post => Method::POST,
            r::Method::Put => Method::PUT,
            r::Method::Patch => Method::PATCH,
            r::Method::Delete => Method::DELETE,
        };
        let value = self.call(method, &path, body.as_ref(), route.access != Access::Public)?;
        serde_json::from_value(value)
            .map_err(|e| SyncError::UnexpectedAnswer(format!("{} {}: {e}", route.method.as_str(), route.path)))
    }

    /// [`Api::send`] for a route of one community (its first path parameter).
    fn in_community<E: Endpoint>(
        &self,
        community_id: Uuid,
        rest: &[&str],
        query: &E::Query,
        body: Option<&E::Body>,
    ) -> Result<E::Response> {
        let id = community_id.to_string();
        let mut params = vec![id.as_str()];
        params.extend_from_slice(rest);
        self.send::<E>(&params, query, body)
    }

    /// Rotates the session: the stored refresh token buys a new pair, which replaces it.
    ///
    /// Errors: [`SyncError::SignedOut`] when nothing is stored or the server refuses it.
    pub fn refresh(&self) -> Result<()> {
        let current = self
            .tokens
            .load()?
            .ok_or_else(|| SyncError::SignedOut("no session is stored for this connection".into()))?;
        let answer = self.send::<r::Refresh>(
            &[],
            &Empty {},
            Some(&RefreshRequest {
                refresh_token: current.refresh_token,
            }),
        )?;
        self.tokens.save(&Tokens {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token,
        })
    }

    /// Signs in and stores the session.
    ///
    /// Errors: [`SyncError::Server`] with code `unauthorized` for wrong credentials.
    pub fn login(&self, email: &str, password: &str) -> Result<()> {
        let answer = self.send::<r::Login>(
            &[],
            &Empty {},
            Some(&LoginRequest {
                email: email.to_string(),
                password: password.to_string(),
            }),
        )?;
        self.tokens.save(&Tokens {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token,
        })
    }

    /// Creates a user (then [`Api::login`]).
    ///
    /// Errors: [`SyncError::Server`] with `email_taken` or `validation`.
    pub fn register(&self, email: &str, name: &str, password: &str) -> Result<()> {
        self.send::<r::Register>(
            &[],
            &Empty {},
            Some(&RegisterRequest {
                email: email.to_string(),
                name: name.to_string(),
                password: password.to_string(),
            }),
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
            let request = RefreshRequest {
                refresh_token: t.refresh_token,
            };
            if let Err(e) = once.send::<r::Logout>(&[], &Empty {}, Some(&request)) {
                tracing::info!(error = %e, "the server did not confirm the logout; the session is forgotten here");
            }
        }
        self.tokens.clear()
    }

    /// The signed-in user and their memberships.
    pub fn me(&self) -> Result<MeResponse> {
        self.send::<r::Me>(&[], &Empty {}, None)
    }

    /// Joins a community with an invitation code.
    pub fn join(&self, community_id: Uuid, code: &str) -> Result<MembershipView> {
        let request = JoinRequest { code: code.to_string() };
        self.in_community::<r::Join>(community_id, &[], &Empty {}, Some(&request))
    }

    /// Pushes outbox mutations.
    pub fn push(&self, community_id: Uuid, request: &PushRequest) -> Result<PushResponse> {
        self.in_community::<r::SyncPush>(community_id, &[], &Empty {}, Some(request))
    }

    /// Pulls one page of changes after `cookie`.
    pub fn pull(&self, community_id: Uuid, cookie: u64, device_id: Uuid, limit: u32) -> Result<PullResponse> {
        let query = PullQuery {
            cookie: Some(cookie),
            limit: Some(limit),
            device_id: Some(device_id.to_string()),
        };
        self.in_community::<r::SyncPull>(community_id, &[], &query, None)
    }

    /// The 30-day leaderboard of the community.
    pub fn leaderboard(&self, community_id: Uuid) -> Result<Vec<LeaderboardEntry>> {
        self.in_community::<r::Leaderboard>(community_id, &[], &Empty {}, None)
    }

    /// The caller's leaderboard participation.
    pub fn my_leaderboard(&self, community_id: Uuid) -> Result<LeaderboardSettings> {
        self.in_community::<r::MyLeaderboard>(community_id, &[], &Empty {}, None)
    }

    /// Sets the caller's leaderboard participation.
    pub fn set_my_leaderboard(
        &self,
        community_id: Uuid,
        settings: &LeaderboardSettings,
    ) -> Result<LeaderboardSettings> {
        self.in_community::<r::SetMyLeaderboard>(community_id, &[], &Empty {}, Some(settings))
    }

    /// The signal providers with their performance.
    pub fn providers(&self, community_id: Uuid) -> Result<Vec<ProviderView>> {
        self.in_community::<r::ListProviders>(community_id, &[], &Empty {}, None)
    }

    /// Creates a signal provider (staff).
    pub fn create_provider(&self, community_id: Uuid, provider: &CreateProvider) -> Result<ProviderFields> {
        self.in_community::<r::CreateProviderRoute>(community_id, &[], &Empty {}, Some(provider))
    }

    /// Changes a signal provider (staff).
    pub fn update_provider(
        &self,
        community_id: Uuid,
        provider_id: Uuid,
        change: &UpdateProvider,
    ) -> Result<ProviderFields> {
        let id = provider_id.to_string();
        self.in_community::<r::UpdateProviderRoute>(community_id, &[&id], &Empty {}, Some(change))
    }

    /// Follows (`follow`) or stops following a provider.
    pub fn follow(&self, community_id: Uuid, provider_id: Uuid, follow: bool) -> Result<FollowView> {
        let id = provider_id.to_string();
        if follow {
            self.in_community::<r::Follow>(community_id, &[&id], &Empty {}, None)
        } else {
            self.in_community::<r::Unfollow>(community_id, &[&id], &Empty {}, None)
        }
    }

    /// The signal feed.
    pub fn signals(&self, community_id: Uuid, query: &FeedQuery) -> Result<Vec<SignalView>> {
        self.in_community::<r::Signals>(community_id, &[], query, None)
    }

    /// The caller's overview.
    pub fn my_overview(&self, community_id: Uuid) -> Result<TraderOverview> {
        self.in_community::<r::MyOverview>(community_id, &[], &Empty {}, None)
    }

    /// The caller's analytics over `days`.
    pub fn my_analytics(&self, community_id: Uuid, days: u32) -> Result<TraderAnalytics> {
        self.in_community::<r::MyAnalytics>(community_id, &[], &DaysQuery { days: Some(days) }, None)
    }

    /// The community overview (staff).
    pub fn overview(&self, community_id: Uuid) -> Result<CommunityOverview> {
        self.in_community::<r::Overview>(community_id, &[], &Empty {}, None)
    }

    /// Community analytics over 7, 30 or 90 days (staff).
    pub fn analytics(&self, community_id: Uuid, days: u32) -> Result<CommunityAnalytics> {
        self.in_community::<r::Analytics>(community_id, &[], &PeriodQuery { days: Some(days) }, None)
    }

    /// A page of members (staff).
    pub fn members(&self, community_id: Uuid, query: &MembersQuery) -> Result<MemberPage> {
        self.in_community::<r::Members>(community_id, &[], query, None)
    }

    /// Changes a member's role (admins).
    pub fn change_role(&self, community_id: Uuid, user_id: Uuid, role: Role) -> Result<MemberRoleView> {
        let id = user_id.to_string();
        self.in_community::<r::ChangeMemberRole>(community_id, &[&id], &Empty {}, Some(&ChangeRole { role }))
    }

    /// Removes a member (admins).
    pub fn remove_member(&self, community_id: Uuid, user_id: Uuid) -> Result<()> {
        let id = user_id.to_string();
        self.in_community::<r::RemoveMember>(community_id, &[&id], &Empty {}, None)
    }

    /// The community's open invitations (staff).
    pub fn invitations(&self, community_id: Uuid) -> Result<Vec<InvitationView>> {
        self.in_community::<r::ListInvitations>(community_id, &[], &Empty {}, None)
    }

    /// Creates an invitation (staff).
    pub fn create_invitation(&self, community_id: Uuid, invitation: &CreateInvitation) -> Result<InvitationView> {
        self.in_community::<r::CreateInvitationRoute>(community_id, &[], &Empty {}, Some(invitation))
    }

    /// The community's audit log (staff).
    pub fn audit_log(&self, community_id: Uuid, query: &AuditQuery) -> Result<Vec<AuditEventView>> {
        self.in_community::<r::AuditLog>(community_id, &[], query, None)
    }

    /// Posts a signal for `provider_id` (staff).
    pub fn post_signal(&self, community_id: Uuid, provider_id: Uuid, signal: &NewSignal) -> Result<SignalView> {
        let id = provider_id.to_string();
        self.in_community::<r::PostSignal>(community_id, &[&id], &Empty {}, Some(signal))
    }

    /// A page of the caller's synced trades.
    pub fn my_trades(&self, community_id: Uuid, query: &TradesQuery) -> Result<TradePage> {
        self.in_community::<r::MyTrades>(community_id, &[], query, None)
    }

    /// One of the caller's synced trades with its annotation.
    pub fn my_trade(&self, community_id: Uuid, trade_id: Uuid) -> Result<TradeDetail> {
        let id = trade_id.to_string();
        self.in_community::<r::MyTrade>(community_id, &[&id], &Empty {}, None)
    }

    /// The caller's risk limits.
    pub fn my_risk_profile(&self, community_id: Uuid) -> Result<RiskProfile> {
        self.in_community::<r::MyRiskProfile>(community_id, &[], &Empty {}, None)
    }

    /// Sets the caller's risk limits.
    pub fn set_my_risk_profile(&self, community_id: Uuid, profile: &RiskProfile) -> Result<RiskProfile> {
        self.in_community::<r::SetMyRiskProfile>(community_id, &[], &Empty {}, Some(profile))
    }

    /// The caller's evaluated feature flags.
    pub fn flags(&self, community_id: Uuid) -> Result<MyFlags> {
        self.in_community::<r::MyFlagsRoute>(community_id, &[], &Empty {}, None)
    }

    /// Sets the feature flag `key` (admins).
    pub fn set_flag(&self, community_id: Uuid, key: &str, setting: &FlagSetting) -> Result<FlagSetting> {
        self.in_community::<r::SetFlag>(community_id, &[key], &Empty {}, Some(setting))
    }

    /// The platform's communities (operators).
    pub fn communities(&self) -> Result<Vec<CommunityView>> {
        self.send::<r::ListCommunities>(&[], &Empty {}, None)
    }

    /// Creates a community (operators).
    pub fn create_community(&self, community: &CreateCommunity) -> Result<CommunityView> {
        self.send::<r::CreateCommunityRoute>(&[], &Empty {}, Some(community))
    }

    /// Suspends (`suspend`) or resumes a community (operators).
    pub fn set_community_suspended(&self, community_id: Uuid, suspend: bool) -> Result<CommunityView> {
        if suspend {
            self.in_community::<r::SuspendCommunity>(community_id, &[], &Empty {}, None)
        } else {
            self.in_community::<r::ResumeCommunity>(community_id, &[], &Empty {}, None)
        }
    }

    /// The platform audit log (operators).
    pub fn platform_audit(&self, query: &PlatformAuditQuery) -> Result<Vec<PlatformAuditEvent>> {
        self.send::<r::PlatformAudit>(&[], query, None)
    }
}

fn server_message(value: &Value) -> String {
    value["error"]["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| "the server refused the session".into())
}

/// The error of a non-2xx answer: the API's own [`ErrorBody`] when it is one, else (a
/// proxy's page, an empty 502) the bare HTTP status.
fn server_error(status: u16, value: &Value) -> SyncError {
    if let Some(code) = value["error"]["code"].as_str() {
        return match serde_json::from_value::<ErrorBody>(value.clone()) {
            Ok(body) => SyncError::Server {
                status,
                code: body.error.code,
                message: body.error.message,
            },
            Err(_) => SyncError::UnexpectedAnswer(format!(
                "the server answered HTTP {status} with an error code this version of Tradebook does not know (`{code}`): {}",
                server_message(value)
            )),
        };
    }
    SyncError::Http { status }
}
