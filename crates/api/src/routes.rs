//! Every route of the tenant API once: its method, its path (OpenAPI template, path
//! parameters in braces, in order), and — through [`Endpoint`] — its query, body and
//! answer types. The server's route table must list exactly these (a server test says so),
//! and the desktop client reaches each through [`Endpoint`], so a route cannot drift from
//! its contract without a failing build or test.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::{
    JoinRequest, LoginRequest, MeResponse, MembershipView, RefreshRequest, RegisterRequest, TokenResponse, UserView,
};
use crate::community::{
    CommunityAnalytics, CommunityOverview, LeaderboardEntry, MemberPage, MembersQuery, PeriodQuery,
};
use crate::flags::{FlagSetting, MyFlags};
use crate::members::{AuditEventView, AuditQuery, ChangeRole, CreateInvitation, InvitationView, MemberRoleView};
use crate::platform::{CommunityView, CreateCommunity, PlatformAuditEvent, PlatformAuditQuery};
use crate::providers::{
    CreateProvider, FeedQuery, FollowView, NewSignal, ProviderFields, ProviderView, SignalView, UpdateProvider,
};
use crate::sync::{PullResponse, PushRequest, PushResponse};
use crate::trader::{
    DaysQuery, LeaderboardSettings, RiskProfile, TradeDetail, TradePage, TraderAnalytics, TraderOverview, TradesQuery,
};
use crate::{Empty, Health, PullQuery, Role};

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// GET: reads, never changes anything.
    Get,
    /// POST: creates, or acts.
    Post,
    /// PUT: replaces a resource's settings.
    Put,
    /// PATCH: changes some fields.
    Patch,
    /// DELETE: removes.
    Delete,
}

impl Method {
    /// Upper-case name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Who may call a route. The server enforces it in each handler's extractor and its
/// isolation tests check that every route refuses callers below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// Anyone, without a session.
    Public,
    /// Any signed-in user.
    User,
    /// Platform operators.
    Operator,
    /// Members of the path's community with at least this role.
    Member(Role),
}

/// A route: method, path template and who may call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route {
    /// Method.
    pub method: Method,
    /// Path template, e.g. `/api/communities/{community_id}/members/{user_id}`.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

impl Route {
    /// Names of the path parameters, in order (`["community_id", "user_id"]`).
    pub fn params(&self) -> Vec<&'static str> {
        self.path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect()
    }

    /// The path with its parameters filled in order. Each value is percent-encoded as one
    /// path segment (RFC 3986 §3.3).
    ///
    /// Errors: a message when the number of values differs from the parameters'.
    pub fn fill(&self, values: &[&str]) -> Result<String, String> {
        let wanted = self.params().len();
        if values.len() != wanted {
            return Err(format!(
                "{} {} takes {wanted} path parameter(s), got {}",
                self.method.as_str(),
                self.path,
                values.len()
            ));
        }
        let mut values = values.iter();
        let filled: Vec<String> = self
            .path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') && seg.ends_with('}') {
                    encode_segment(values.next().expect("counted above"))
                } else {
                    seg.to_string()
                }
            })
            .collect();
        Ok(filled.join("/"))
    }
}

/// RFC 3986 unreserved characters stay; everything else in a segment is percent-encoded.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// One route of the contract: its [`Route`] and the types that cross it. `Query` and `Body`
/// are [`Empty`] for routes without a query string or a request body; `Response` is `()`
/// for a 204 answer.
pub trait Endpoint {
    /// Method and path.
    const ROUTE: Route;
    /// The query string's type.
    type Query: Serialize;
    /// The request body's type.
    type Body: Serialize;
    /// The success answer's type.
    type Response: DeserializeOwned;
}

macro_rules! endpoints {
    ($($(#[$doc:meta])* $name:ident: $method:ident $path:literal $access:expr, query $query:ty, body $body:ty => $response:ty;)+) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;

            impl Endpoint for $name {
                const ROUTE: Route = Route { method: Method::$method, path: $path, access: $access };
                type Query = $query;
                type Body = $body;
                type Response = $response;
            }
        )+

        /// Every route of the API.
        pub const ROUTES: &[Route] = &[$($name::ROUTE),+];
    };
}

endpoints! {
    /// Liveness and database reachability.
    Healthz: Get "/healthz" Access::Public, query Empty, body Empty => Health;
    /// The OpenAPI document of this contract.
    OpenApiDocument: Get "/api/openapi.json" Access::Public, query Empty, body Empty => serde_json::Value;
    /// Creates a user (201).
    Register: Post "/api/auth/register" Access::Public, query Empty, body RegisterRequest => UserView;
    /// Signs in: a new session's tokens.
    Login: Post "/api/auth/login" Access::Public, query Empty, body LoginRequest => TokenResponse;
    /// Rotates a session's tokens (the old refresh token is spent).
    Refresh: Post "/api/auth/refresh" Access::Public, query Empty, body RefreshRequest => TokenResponse;
    /// Revokes a session (204).
    Logout: Post "/api/auth/logout" Access::Public, query Empty, body RefreshRequest => ();
    /// The signed-in user and their memberships.
    Me: Get "/api/me" Access::User, query Empty, body Empty => MeResponse;
    /// Joins a community with an invitation code.
    Join: Post "/api/communities/{community_id}/join" Access::User, query Empty, body JoinRequest => MembershipView;
    /// The platform's communities (operators).
    ListCommunities: Get "/api/platform/communities" Access::Operator, query Empty, body Empty => Vec<CommunityView>;
    /// Creates a community (operators; 201).
    CreateCommunityRoute: Post "/api/platform/communities" Access::Operator, query Empty, body CreateCommunity => CommunityView;
    /// Suspends a community (operators).
    SuspendCommunity: Post "/api/platform/communities/{community_id}/suspend" Access::Operator, query Empty, body Empty => CommunityView;
    /// Resumes a suspended community (operators).
    ResumeCommunity: Post "/api/platform/communities/{community_id}/resume" Access::Operator, query Empty, body Empty => CommunityView;
    /// The platform audit log (operators).
    PlatformAudit: Get "/api/platform/audit" Access::Operator, query PlatformAuditQuery, body Empty => Vec<PlatformAuditEvent>;
    /// The community's open invitations (staff).
    ListInvitations: Get "/api/communities/{community_id}/invitations" Access::Member(Role::Moderator), query Empty, body Empty => Vec<InvitationView>;
    /// Creates an invitation (staff; 201).
    CreateInvitationRoute: Post "/api/communities/{community_id}/invitations" Access::Member(Role::Moderator), query Empty, body CreateInvitation => InvitationView;
    /// Changes a member's role (admins).
    ChangeMemberRole: Patch "/api/communities/{community_id}/members/{user_id}" Access::Member(Role::Admin), query Empty, body ChangeRole => MemberRoleView;
    /// Removes a member (admins; 204).
    RemoveMember: Delete "/api/communities/{community_id}/members/{user_id}" Access::Member(Role::Admin), query Empty, body Empty => ();
    /// The community's audit log (staff).
    AuditLog: Get "/api/communities/{community_id}/audit" Access::Member(Role::Moderator), query AuditQuery, body Empty => Vec<AuditEventView>;
    /// The community overview (staff).
    Overview: Get "/api/communities/{community_id}/dashboard/overview" Access::Member(Role::Moderator), query Empty, body Empty => CommunityOverview;
    /// A page of members (staff).
    Members: Get "/api/communities/{community_id}/members" Access::Member(Role::Moderator), query MembersQuery, body Empty => MemberPage;
    /// Community analytics over 7, 30 or 90 days (staff).
    Analytics: Get "/api/communities/{community_id}/dashboard/analytics" Access::Member(Role::Moderator), query PeriodQuery, body Empty => CommunityAnalytics;
    /// The 30-day leaderboard (members).
    Leaderboard: Get "/api/communities/{community_id}/leaderboard" Access::Member(Role::Viewer), query Empty, body Empty => Vec<LeaderboardEntry>;
    /// Signal providers with their performance (members).
    ListProviders: Get "/api/communities/{community_id}/providers" Access::Member(Role::Viewer), query Empty, body Empty => Vec<ProviderView>;
    /// Creates a provider (staff; 201).
    CreateProviderRoute: Post "/api/communities/{community_id}/providers" Access::Member(Role::Moderator), query Empty, body CreateProvider => ProviderFields;
    /// Changes a provider (staff).
    UpdateProviderRoute: Patch "/api/communities/{community_id}/providers/{provider_id}" Access::Member(Role::Moderator), query Empty, body UpdateProvider => ProviderFields;
    /// Posts a signal (staff; 201).
    PostSignal: Post "/api/communities/{community_id}/providers/{provider_id}/signals" Access::Member(Role::Moderator), query Empty, body NewSignal => SignalView;
    /// Follows a provider (traders and up).
    Follow: Post "/api/communities/{community_id}/providers/{provider_id}/follow" Access::Member(Role::Trader), query Empty, body Empty => FollowView;
    /// Stops following a provider.
    Unfollow: Delete "/api/communities/{community_id}/providers/{provider_id}/follow" Access::Member(Role::Trader), query Empty, body Empty => FollowView;
    /// The signal feed (members).
    Signals: Get "/api/communities/{community_id}/signals" Access::Member(Role::Viewer), query FeedQuery, body Empty => Vec<SignalView>;
    /// The caller's overview (traders and up).
    MyOverview: Get "/api/communities/{community_id}/me/overview" Access::Member(Role::Trader), query Empty, body Empty => TraderOverview;
    /// The caller's trades, a page at a time.
    MyTrades: Get "/api/communities/{community_id}/me/trades" Access::Member(Role::Trader), query TradesQuery, body Empty => TradePage;
    /// One of the caller's trades with its annotation.
    MyTrade: Get "/api/communities/{community_id}/me/trades/{trade_id}" Access::Member(Role::Trader), query Empty, body Empty => TradeDetail;
    /// The caller's analytics.
    MyAnalytics: Get "/api/communities/{community_id}/me/analytics" Access::Member(Role::Trader), query DaysQuery, body Empty => TraderAnalytics;
    /// The caller's risk limits.
    MyRiskProfile: Get "/api/communities/{community_id}/me/risk-profile" Access::Member(Role::Trader), query Empty, body Empty => RiskProfile;
    /// Sets the caller's risk limits.
    SetMyRiskProfile: Put "/api/communities/{community_id}/me/risk-profile" Access::Member(Role::Trader), query Empty, body RiskProfile => RiskProfile;
    /// The caller's leaderboard participation.
    MyLeaderboard: Get "/api/communities/{community_id}/me/leaderboard" Access::Member(Role::Trader), query Empty, body Empty => LeaderboardSettings;
    /// Sets the caller's leaderboard participation.
    SetMyLeaderboard: Put "/api/communities/{community_id}/me/leaderboard" Access::Member(Role::Trader), query Empty, body LeaderboardSettings => LeaderboardSettings;
    /// Pushes numbered outbox mutations (SPEC §7).
    SyncPush: Post "/api/communities/{community_id}/sync/push" Access::Member(Role::Trader), query Empty, body PushRequest => PushResponse;
    /// Pulls one page of changes after a cookie (SPEC §7).
    SyncPull: Get "/api/communities/{community_id}/sync/pull" Access::Member(Role::Trader), query PullQuery, body Empty => PullResponse;
    /// The caller's evaluated feature flags.
    MyFlagsRoute: Get "/api/communities/{community_id}/flags" Access::Member(Role::Viewer), query Empty, body Empty => MyFlags;
    /// Sets a feature flag (admins).
    SetFlag: Put "/api/communities/{community_id}/flags/{key}" Access::Member(Role::Admin), query Empty, body FlagSetting => FlagSetting;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_unique_and_fill_their_parameters() {
        let mut seen = std::collections::BTreeSet::new();
        for r in ROUTES {
            assert!(seen.insert((r.method, r.path)), "{r:?} twice");
            assert!(r.path.starts_with('/'));
        }
        let r = ChangeMemberRole::ROUTE;
        assert_eq!(r.params(), ["community_id", "user_id"]);
        assert_eq!(r.fill(&["c", "u 1/x"]).unwrap(), "/api/communities/c/members/u%201%2Fx");
        assert!(r.fill(&["c"]).is_err());
        assert_eq!(Me::ROUTE.fill(&[]).unwrap(), "/api/me");
    }
}
