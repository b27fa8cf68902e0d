//! # tradebook-sync-client — the desktop side of community sync (SPEC §7)
//!
//! Connects a journal ([`tradebook_store::Store`]) to a community on a tenant API server and
//! keeps the two in step. The app and the CLI call it; it knows nothing of Tauri.
//!
//! - [`Api`]: the server over HTTP (auth, push, pull, plain JSON for the community pages),
//!   retrying transient failures with exponential backoff and refreshing the session once
//!   on a 401.
//! - [`TokenStore`]: where the session lives — [`KeyringTokens`] (the OS keyring) in the app
//!   and the CLI; never SQLite, a log or a plain file.
//! - [`connect`], [`sync_now`], [`disconnect`]: the loop over the store's outbox. A push is
//!   numbered and committed before it is sent and acknowledged only by the server's answer,
//!   and a pulled page is applied with its cookie in one transaction, so a crash (kill -9)
//!   at any point resumes where it stopped and nothing acknowledged is lost.

mod api;
mod tokens;

pub use api::{normalize_server_url, Api, Retry};
pub use tokens::{keyring_backend, KeyringTokens, MemoryTokens, TokenStore, Tokens, KEYRING_SERVICE};
pub use tradebook_api as contract;

use std::sync::Arc;

use tradebook_store::{PullApplied, Store, StoreError, SyncConnection};
use tradebook_sync::{PullResponse, RejectedMutation};
use uuid::Uuid;

/// Result alias of this crate.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;

/// What can go wrong while syncing. [`SyncError::code`] is stable; the message says what to
/// do next.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No answer from the server (offline, DNS, refused, timed out). Changes stay queued.
    #[error("cannot reach {url}: {message}. Your changes stay queued and sync when the server answers")]
    Unreachable { url: String, message: String },
    /// The server refused, with one of the contract's error codes.
    #[error("{message} (HTTP {status}, {code})")]
    Server {
        status: u16,
        code: tradebook_api::ErrorCode,
        message: String,
    },
    /// An HTTP error without the API's error body (a proxy or a load balancer answered).
    #[error("the server answered HTTP {status} without an explanation; try again later")]
    Http { status: u16 },
    /// An answer this version cannot read (the server runs another version of the API).
    #[error("the server's answer is not what this version of Tradebook expects ({0}); update Tradebook or ask the community's admin which version the server runs")]
    UnexpectedAnswer(String),
    /// The session is gone (expired, revoked, or never stored): log in again.
    #[error("signed out of the community ({0}); log in again to resume syncing")]
    SignedOut(String),
    /// The journal is not connected to a community.
    #[error("this journal is not connected to a community; connect it first")]
    NotConnected,
    /// The OS keyring refused.
    #[error("the OS keyring refused: {0}")]
    Keyring(String),
    /// Bad input (URL, invite code, community name).
    #[error("{0}")]
    Invalid(String),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Unreachable { .. } => "unreachable",
            SyncError::Server { code, .. } => code.as_str(),
            SyncError::Http { .. } => "http",
            SyncError::UnexpectedAnswer(_) => "unexpected_answer",
            SyncError::SignedOut(_) => "signed_out",
            SyncError::NotConnected => "not_connected",
            SyncError::Keyring(_) => "keyring",
            SyncError::Invalid(_) => "validation",
            SyncError::Store(_) => "store",
        }
    }

    /// The server's own error code, when it answered with one.
    pub fn server_code(&self) -> Option<tradebook_api::ErrorCode> {
        match self {
            SyncError::Server { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// How to connect a journal.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// Server base URL.
    pub server_url: String,
    pub email: String,
    pub password: String,
    /// Create the user first with this display name.
    pub register_name: Option<String>,
    /// An invitation: `COMMUNITY_ID/CODE` (as the Admin page shows it), or a bare code
    /// with `community`.
    pub invite: Option<String>,
    /// Which community (id or name) when the user belongs to several.
    pub community: Option<String>,
}

/// Parses an invitation `COMMUNITY_ID/CODE` (or `COMMUNITY_ID:CODE`); a bare code needs
/// the community id from `community`.
///
/// Errors: [`SyncError::Invalid`] saying the expected shape.
pub fn parse_invite(invite: &str, community: Option<&str>) -> Result<(Uuid, String)> {
    let invite = invite.trim();
    let split = invite.split_once('/').or_else(|| invite.split_once(':'));
    let (id, code) = match (split, community.and_then(|c| Uuid::parse_str(c.trim()).ok())) {
        (Some((id, code)), _) => (id, code.trim()),
        (None, Some(c)) => return Ok((c, invite.to_string())),
        (None, None) => {
            return Err(SyncError::Invalid(
                "an invitation looks like COMMUNITY_ID/CODE (copy it whole from the community's Admin page)".into(),
            ))
        }
    };
    let id = Uuid::parse_str(id.trim())
        .map_err(|_| SyncError::Invalid(format!("`{id}` in the invitation is not a community id")))?;
    if code.is_empty() {
        return Err(SyncError::Invalid("the invitation has no code after the `/`".into()));
    }
    Ok((id, code.to_string()))
}

/// Roles that may push and pull (the sync routes' access: trader and above).
fn can_sync(role: tradebook_api::Role) -> bool {
    use tradebook_api::routes::Endpoint;
    match tradebook_api::routes::SyncPush::ROUTE.access {
        tradebook_api::Access::Member(least) => role >= least,
        _ => true,
    }
}

/// Signs in (registering or joining first when asked), picks the community, stores the
/// session under a new device id through `tokens_for`, and connects the journal, queueing
/// its rows for the first push. The journal must not be connected already.
///
/// Errors: [`SyncError::Invalid`] when already connected, for an unknown community or a
/// viewer's membership; the server's errors (wrong password: `unauthorized`).
pub fn connect(
    store: &mut Store,
    options: &ConnectOptions,
    tokens_for: &dyn Fn(Uuid) -> Result<Arc<dyn TokenStore>>,
) -> Result<SyncConnection> {
    if let Some(c) = store.sync_state()?.connection {
        return Err(SyncError::Invalid(format!(
            "this journal is already connected to {} on {}; disconnect first",
            c.community_name, c.server_url
        )));
    }
    let email = options.email.trim();
    if email.is_empty() || options.password.is_empty() {
        return Err(SyncError::Invalid("an email address and a password are needed".into()));
    }
    let device_id = Uuid::new_v4();
    let api = Api::new(&options.server_url, tokens_for(device_id)?)?;
    let result = (|| {
        if let Some(name) = &options.register_name {
            api.register(email, name.trim(), &options.password)?;
        }
        api.login(email, &options.password)?;
        let mut wanted = options.community.clone();
        if let Some(invite) = &options.invite {
            let (community_id, code) = parse_invite(invite, options.community.as_deref())?;
            match api.join(community_id, &code) {
                Ok(_) => {}
                Err(e) if e.server_code() == Some(tradebook_api::ErrorCode::AlreadyMember) => {}
                Err(e) => return Err(e),
            }
            wanted = Some(community_id.to_string());
        }
        let me = api.me()?;
        let active: Vec<&tradebook_api::auth::MembershipView> = me
            .memberships
            .iter()
            .filter(|m| m.community_status == tradebook_api::CommunityStatus::Active)
            .collect();
        let membership = match &wanted {
            Some(w) => active
                .iter()
                .find(|m| m.community_id.to_string() == w.trim() || m.community_name.eq_ignore_ascii_case(w.trim()))
                .copied()
                .ok_or_else(|| SyncError::Invalid(format!("you are not a member of a community `{w}`")))?,
            None => match active.as_slice() {
                [one] => *one,
                [] => {
                    return Err(SyncError::Invalid(
                        "this user belongs to no community yet: join one with an invitation".into(),
                    ))
                }
                many => {
                    let names: Vec<&str> = many.iter().map(|m| m.community_name.as_str()).collect();
                    return Err(SyncError::Invalid(format!(
                        "this user belongs to several communities ({}); say which one",
                        names.join(", ")
                    )));
                }
            },
        };
        if !can_sync(membership.role) {
            return Err(SyncError::Invalid(format!(
                "your role in {} is {}: viewers cannot sync trades; ask an admin for the trader role",
                membership.community_name, membership.role
            )));
        }
        let connection = SyncConnection {
            server_url: api.base_url().to_string(),
            community_id: membership.community_id,
            community_name: membership.community_name.clone(),
            user_id: me.user.id,
            email: me.user.email.clone(),
            role: membership.role.as_str().to_string(),
            device_id,
        };
        store.connect_sync(&connection)?;
        Ok(connection)
    })();
    if result.is_err() {
        // Leave no session behind for a connection that did not happen.
        let _ = api.tokens().clear();
    }
    result
}

/// The OS keyring's store for a device's session, as [`connect`] takes it.
///
/// Errors: [`SyncError::Keyring`].
pub fn keyring_tokens(device_id: Uuid) -> Result<Arc<dyn TokenStore>> {
    Ok(Arc::new(KeyringTokens::for_device(device_id)?))
}

/// The API client of the journal's connection, with its session in the OS keyring.
///
/// Errors: [`SyncError::NotConnected`]; [`SyncError::Keyring`].
pub fn api_for(store: &Store) -> Result<(Api, SyncConnection)> {
    let connection = store.sync_state()?.connection.ok_or(SyncError::NotConnected)?;
    Ok((
        Api::new(&connection.server_url, keyring_tokens(connection.device_id)?)?,
        connection,
    ))
}

/// Tuning of [`sync_now`].
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// Mutations per push (the server takes at most 1000).
    pub push_batch: usize,
    /// Changes per pull page (the server caps it at 1000).
    pub pull_page: u32,
    /// Pulled changes applied per local transaction (each transaction also recomputes
    /// the trades of the positions it touched).
    pub apply_batch: usize,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            push_batch: 1000,
            pull_page: 1000,
            apply_batch: 25_000,
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Mutations the server acknowledged.
    pub pushed: u64,
    /// Mutations it consumed without applying (invalid), with its reasons.
    pub rejected: Vec<RejectedMutation>,
    /// Changes pulled.
    pub pulled: u64,
    /// What applying them did.
    pub applied: PullApplied,
    /// Local changes still waiting (made during the sync).
    pub pending: u64,
    /// The cookie after the pull.
    pub cookie: u64,
}

/// Pushes every waiting change, then pulls and applies every change since the cookie.
/// Records the outcome in the journal (last sync time, or the error to show).
///
/// Errors: as [`Api`]; a `409 mutation_gap` means the server lost changes it had
/// acknowledged (restored from a backup): disconnect and connect again.
pub fn sync_now(store: &mut Store, api: &Api, options: &SyncOptions) -> Result<SyncReport> {
    let result = sync_inner(store, api, options);
    let recorded = match &result {
        Ok(_) => store.record_sync_result(None),
        Err(SyncError::Store(_)) => Ok(()),
        Err(e) => store.record_sync_result(Some(&e.to_string())),
    };
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "could not record the sync result");
    }
    result
}

fn sync_inner(store: &mut Store, api: &Api, options: &SyncOptions) -> Result<SyncReport> {
    let connection = store.sync_state()?.connection.ok_or(SyncError::NotConnected)?;
    let community = connection.community_id;
    let mut report = SyncReport::default();
    while let Some(request) = store.next_push(options.push_batch)? {
        let answer = api.push(community, &request).map_err(|e| match e {
            SyncError::Server { status, code, message } if code == tradebook_api::ErrorCode::MutationGap => {
                SyncError::Server {
                    status,
                    code,
                    message: format!(
                        "{message}: the server no longer has changes it had acknowledged (was it restored from a \
                     backup?); disconnect and connect again to upload this journal anew"
                    ),
                }
            }
            other => other,
        })?;
        let first = request.mutations.first().map_or(0, |m| m.id);
        report.pushed += answer.last_mutation_id.saturating_sub(first.saturating_sub(1));
        report.rejected.extend(answer.rejected);
        if answer.last_mutation_id < first {
            return Err(SyncError::Invalid(format!(
                "the server acknowledged mutation {} while {first} was sent",
                answer.last_mutation_id
            )));
        }
        store.ack_push(answer.last_mutation_id)?;
    }
    let mut cookie = store.sync_state()?.cookie;
    let mut pages: Vec<PullResponse> = Vec::new();
    let mut buffered = 0usize;
    loop {
        let page = api.pull(community, cookie, connection.device_id, options.pull_page)?;
        cookie = page.cookie;
        report.pulled += page.changes.len() as u64;
        buffered += page.changes.len();
        let more = page.has_more;
        pages.push(page);
        if !more || buffered >= options.apply_batch {
            let applied = store.apply_pull(&pages)?;
            report.applied.applied += applied.applied;
            report.applied.skipped_pending += applied.skipped_pending;
            report.applied.skipped_orphans += applied.skipped_orphans;
            report.applied.positions += applied.positions;
            pages.clear();
            buffered = 0;
        }
        if !more {
            break;
        }
    }
    if let Ok(me) = api.me() {
        if let Some(m) = me.memberships.iter().find(|m| m.community_id == community) {
            if m.role.as_str() != connection.role {
                store.set_sync_role(m.role.as_str())?;
            }
        }
    }
    let state = store.sync_state()?;
    report.pending = state.pending;
    report.cookie = state.cookie;
    Ok(report)
}

/// Disconnects the journal: revokes the session on the server when it answers, removes
/// the tokens from the keyring and clears the connection and the outbox. The journal's
/// rows stay.
pub fn disconnect(store: &mut Store) -> Result<()> {
    match api_for(store) {
        Ok((api, _)) => {
            api.logout()?;
        }
        Err(SyncError::NotConnected) => return Ok(()),
        Err(e) => tracing::warn!(error = %e, "no session to revoke"),
    }
    store.disconnect_sync()?;
    Ok(())
}
