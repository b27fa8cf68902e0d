//! Authentication and accounts: register, login (argon2id), short-lived access tokens (JWT,
//! HS256), rotating refresh tokens (opaque, stored as SHA-256; reusing a rotated token
//! revokes its whole family), logout, the signed-in user's page, joining by invitation code.
//!
//! Extractors: [`AuthUser`] (a valid access token of an existing user, counted against the
//! per-user rate limit), [`Operator`] (a platform operator) and [`Require<R>`] (a member of the
//! community in the path with at least role `R::MIN`).

use std::marker::PhantomData;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event, PlatformAuditAction, Risk};
use crate::config::Config;
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::ratelimit::ClientIp;
use crate::repo;
use crate::tenancy::{load_member, Member, Role, TenantScope};
use crate::AppState;
pub use tradebook_api::auth::{
    JoinRequest, LoginRequest, MeResponse, MembershipView, RefreshRequest, RegisterRequest, TokenResponse, UserView,
};
use tradebook_api::CommunityStatus;

/// A signed-in user (from a valid access token).
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// User id.
    pub id: Uuid,
    /// Email address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Platform operator flag.
    pub is_operator: bool,
    /// Client address, for audit events.
    pub ip: Option<String>,
}

/// A signed-in platform operator.
#[derive(Debug, Clone)]
pub struct Operator(pub AuthUser);

/// Minimum role of a [`Require`] extractor.
pub trait MinRole {
    /// The lowest role admitted.
    const MIN: Role;
}

/// Any member (viewer and up).
pub struct AnyMember;
/// Traders and up.
pub struct TraderUp;
/// Moderators and admins.
pub struct Staff;
/// Admins only.
pub struct AdminOnly;

impl MinRole for AnyMember {
    const MIN: Role = Role::Viewer;
}
impl MinRole for TraderUp {
    const MIN: Role = Role::Trader;
}
impl MinRole for Staff {
    const MIN: Role = Role::Moderator;
}
impl MinRole for AdminOnly {
    const MIN: Role = Role::Admin;
}

/// A member of the path's `{community_id}` with at least role `R::MIN` (else 404 for
/// non-members, 403 for a lower role or a suspended community).
pub struct Require<R: MinRole>(pub Member, pub PhantomData<R>);

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    iat: i64,
    exp: i64,
}

/// Signs an access token for `user_id` valid for the configured lifetime.
pub fn issue_access_token(config: &Config, user_id: Uuid, now: DateTime<Utc>) -> String {
    let claims = Claims {
        sub: user_id,
        iat: now.timestamp(),
        exp: now.timestamp() + config.access_token_ttl.as_secs() as i64,
    };
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&config.jwt_secret),
    )
    .expect("HS256 signing with an in-memory key cannot fail")
}

/// Signs a token with explicit times (tests use it for expired tokens).
pub fn sign_token(secret: &[u8], user_id: Uuid, iat: i64, exp: i64) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        &Claims { sub: user_id, iat, exp },
        &EncodingKey::from_secret(secret),
    )
    .expect("HS256 signing with an in-memory key cannot fail")
}

fn verify_access_token(config: &Config, token: &str) -> Result<Uuid, ApiError> {
    let mut validation = Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.leeway = 5;
    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&config.jwt_secret), &validation)
        .map(|data| data.claims.sub)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => ApiError::Unauthorized("access token expired".into()),
            _ => ApiError::Unauthorized("invalid access token".into()),
        })
}

/// The user id of the request's valid bearer token (counted against the per-user limit).
fn bearer_user(parts: &Parts, state: &AppState) -> Result<Uuid, ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized("missing bearer token".into()))?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or_else(|| ApiError::Unauthorized("missing bearer token".into()))?;
    let user_id = verify_access_token(&state.config, token.trim())?;
    state.limits.check_user(user_id)?;
    Ok(user_id)
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user_id = bearer_user(parts, state)?;
        let conn = state.db.get().await?;
        let user = repo::auth::user(&conn, user_id)
            .await?
            .ok_or_else(|| ApiError::Unauthorized("unknown user".into()))?;
        let ip = ClientIp::from_request_parts(parts, state).await.unwrap_or_default().0;
        Ok(AuthUser {
            id: user_id,
            email: user.email,
            name: user.name,
            is_operator: user.is_operator,
            ip,
        })
    }
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if !user.is_operator {
            return Err(ApiError::Forbidden("platform operators only".into()));
        }
        Ok(Operator(user))
    }
}

/// The `{community_id}` of the request path (404 when absent or not a UUID).
pub async fn path_community_id(parts: &mut Parts, state: &AppState) -> Result<Uuid, ApiError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError::NotFound)?;
    params
        .iter()
        .find(|(k, _)| *k == "community_id")
        .and_then(|(_, v)| Uuid::parse_str(v).ok())
        .ok_or(ApiError::NotFound)
}

impl<R: MinRole> FromRequestParts<AppState> for Require<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user_id = bearer_user(parts, state)?;
        let community_id = path_community_id(parts, state).await?;
        let ip = ClientIp::from_request_parts(parts, state).await.unwrap_or_default().0;
        let member = load_member(&state.db, user_id, ip, community_id).await?;
        if member.role < R::MIN {
            return Err(ApiError::Forbidden(format!(
                "requires the {} role or higher",
                R::MIN.as_str()
            )));
        }
        Ok(Require(member, PhantomData))
    }
}

/// Hashes a password with argon2id and the configured cost (on a blocking thread).
pub async fn hash_password(config: &Config, password: String) -> ApiResult<String> {
    let (m, t) = (config.argon2_memory_kib, config.argon2_iterations);
    tokio::task::spawn_blocking(move || {
        let params = Params::new(m, t, 1, None).map_err(ApiError::internal)?;
        let salt = SaltString::generate(&mut OsRng);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

async fn verify_password(hash: String, password: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(ApiError::internal)?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(ApiError::internal)?
}

fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn normalize_email(email: &str) -> ApiResult<String> {
    let e = email.trim().to_lowercase();
    let valid = e.len() <= 254 && e.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'));
    if !valid {
        return Err(ApiError::validation("email: not an email address"));
    }
    Ok(e)
}

/// Register a new user.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = UserView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let email = normalize_email(&req.email)?;
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("name: 1 to 100 characters"));
    }
    if req.password.chars().count() < 8 || req.password.len() > 1024 {
        return Err(ApiError::validation("password: 8 to 1024 characters"));
    }
    let hash = hash_password(&state.config, req.password).await?;
    let id = Uuid::now_v7();
    let mut conn = state.db.get().await?;
    let tx = conn.transaction().await?;
    if !repo::auth::insert_user(&tx, id, &email, &name, &hash).await? {
        return Err(ApiError::Conflict {
            code: crate::error::ErrorCode::EmailTaken,
            message: "an account with this email exists".into(),
        });
    }
    audit::record_platform(
        &tx,
        Some(id),
        PlatformAuditAction::UserRegistered,
        Some(id.to_string()),
        Risk::Low,
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(UserView {
            id,
            email,
            name,
            is_operator: false,
        }),
    ))
}

async fn issue_tokens(
    state: &AppState,
    client: &impl deadpool_postgres::GenericClient,
    user_id: Uuid,
    family_id: Uuid,
) -> ApiResult<TokenResponse> {
    let now = Utc::now();
    let refresh = new_refresh_token();
    let expires = now + chrono::Duration::from_std(state.config.refresh_token_ttl).map_err(ApiError::internal)?;
    repo::auth::insert_refresh_token(client, user_id, family_id, &token_hash(&refresh), expires).await?;
    Ok(TokenResponse {
        access_token: issue_access_token(&state.config, user_id, now),
        token_type: "Bearer".into(),
        expires_in: state.config.access_token_ttl.as_secs(),
        refresh_token: refresh,
    })
}

/// Sign in with email and password.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = "default", body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let email = req.email.trim().to_lowercase();
    let mut conn = state.db.get().await?;
    let credentials = repo::auth::credentials(&conn, &email).await?;
    let ok = match &credentials {
        Some(c) if req.password.len() <= 1024 => verify_password(c.password_hash.clone(), req.password).await?,
        _ => false,
    };
    let tx = conn.transaction().await?;
    if !ok {
        let actor = credentials.map(|c| c.id);
        audit::record_platform(
            &tx,
            actor,
            PlatformAuditAction::LoginFailed,
            None,
            Risk::Medium,
            ip,
            json!({ "email": email }),
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::Unauthorized("wrong email or password".into()));
    }
    let user_id = credentials.expect("ok implies a row").id;
    let tokens = issue_tokens(&state, &tx, user_id, Uuid::now_v7()).await?;
    audit::record_platform(
        &tx,
        Some(user_id),
        PlatformAuditAction::Login,
        None,
        Risk::Low,
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(tokens))
}

/// Exchange a refresh token for a new pair (the old one stops working). Presenting a token
/// that was already rotated revokes every token of its family.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = "default", body = crate::error::ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let mut conn = state.db.get().await?;
    let tx = conn.transaction().await?;
    let token = repo::auth::refresh_token_for_update(&tx, &token_hash(&req.refresh_token))
        .await?
        .ok_or_else(|| ApiError::Unauthorized("invalid refresh token".into()))?;
    let (id, user_id, family_id) = (token.id, token.user_id, token.family_id);
    if token.revoked_at.is_some() || token.expires_at < Utc::now() {
        return Err(ApiError::Unauthorized("refresh token revoked or expired".into()));
    }
    if token.used_at.is_some() {
        repo::auth::revoke_family(&tx, family_id).await?;
        audit::record_platform(
            &tx,
            Some(user_id),
            PlatformAuditAction::RefreshTokenReused,
            Some(family_id.to_string()),
            Risk::High,
            ip,
            json!({}),
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::Unauthorized("refresh token reused: session revoked".into()));
    }
    repo::auth::mark_token_used(&tx, id).await?;
    let tokens = issue_tokens(&state, &tx, user_id, family_id).await?;
    tx.commit().await?;
    Ok(Json(tokens))
}

/// Revoke the session of a refresh token (its whole family).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204), (status = "default", body = crate::error::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<StatusCode> {
    let mut conn = state.db.get().await?;
    let tx = conn.transaction().await?;
    let session = repo::auth::token_session(&tx, &token_hash(&req.refresh_token))
        .await?
        .ok_or_else(|| ApiError::Unauthorized("invalid refresh token".into()))?;
    let (user_id, family_id) = (session.user_id, session.family_id);
    repo::auth::revoke_family(&tx, family_id).await?;
    audit::record_platform(
        &tx,
        Some(user_id),
        PlatformAuditAction::Logout,
        None,
        Risk::Low,
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user and their memberships.
#[utoipa::path(get, path = "/api/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = "default", body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<MeResponse>> {
    let mut conn = state.db.get().await?;
    let tx = conn.transaction().await?;
    // The `own_memberships` policy shows a user's memberships in every community once
    // app.user_id is set; nothing else of another tenant becomes visible.
    let memberships = repo::auth::own_memberships(&tx, user.id).await?;
    tx.commit().await?;
    Ok(Json(MeResponse {
        user: UserView {
            id: user.id,
            email: user.email,
            name: user.name,
            is_operator: user.is_operator,
        },
        memberships,
    }))
}

/// Join a community with an invitation code (role, expiry and use count are checked).
#[utoipa::path(post, path = "/api/communities/{community_id}/join", tag = "auth", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)), request_body = JoinRequest,
    responses((status = 200, body = MembershipView), (status = "default", body = crate::error::ErrorBody)))]
pub async fn join(
    State(state): State<AppState>,
    user: AuthUser,
    Path(community_id): Path<Uuid>,
    Json(req): Json<JoinRequest>,
) -> ApiResult<Json<MembershipView>> {
    let scope = TenantScope::for_joining(&user, community_id);
    let mut conn = state.db.get().await?;
    let tx = scope.begin(&mut conn).await?;
    let community = repo::auth::community(&tx).await?.ok_or(ApiError::NotFound)?;
    let (name, status) = (community.name, community.status);
    if status != CommunityStatus::Active {
        return Err(ApiError::CommunitySuspended);
    }
    let invitation = repo::auth::redeemable_invitation(&tx, &req.code)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (invitation_id, role) = (invitation.id, invitation.role);
    if !repo::auth::insert_membership(&tx, user.id, &role).await? {
        return Err(ApiError::Conflict {
            code: crate::error::ErrorCode::AlreadyMember,
            message: "you are already a member of this community".into(),
        });
    }
    repo::auth::count_invitation_use(&tx, invitation_id).await?;
    audit::record(
        &tx,
        Event {
            actor: Some(user.id),
            action: AuditAction::MemberJoined,
            target: Some(user.id.to_string()),
            risk: Risk::Low,
            before: None,
            after: Some(json!({ "role": role, "invitation_id": invitation_id })),
            ip: user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    state.cache.invalidate(community_id);
    Ok(Json(MembershipView {
        community_id,
        community_name: name,
        community_status: status,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
    }))
}
