//! Feature flags per community with percentage rollout. A user is in a flag's rollout when
//! `SHA-256(flag key ‖ ":" ‖ user id)` read as a big-endian integer, mod 100, is below the
//! rollout percentage: the same user always gets the same answer, and raising the percentage
//! only ever adds users.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Router;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event, Risk};
use crate::auth::{AdminOnly, AnyMember, Require};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::repo;
use crate::routes::{route, router_of, RouteSpec};
use crate::AppState;
pub use tradebook_api::flags::FlagSetting;
use tradebook_api::routes as api;

/// The flag routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route::<api::MyFlagsRoute, _, _>(my_flags),
        route::<api::SetFlag, _, _>(set_flag),
    ]
}

/// The flag router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// The bucket (0–99) of `user` for flag `key`.
pub fn bucket(key: &str, user: Uuid) -> u8 {
    let digest = Sha256::new()
        .chain_update(key.as_bytes())
        .chain_update(b":")
        .chain_update(user.to_string().as_bytes())
        .finalize();
    let n = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"));
    (n % 100) as u8
}

/// Whether `user` sees flag `key` enabled with `rollout_percent`.
pub fn is_enabled(key: &str, enabled: bool, rollout_percent: i32, user: Uuid) -> bool {
    enabled && i32::from(bucket(key, user)) < rollout_percent
}

/// The caller's evaluated flags.
#[utoipa::path(get, path = "/api/communities/{community_id}/flags", tag = "flags", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)),
    responses((status = 200, body = BTreeMap<String, bool>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn my_flags(
    State(state): State<AppState>,
    Require(m, ..): Require<AnyMember>,
) -> ApiResult<Json<BTreeMap<String, bool>>> {
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let flags = repo::flags::flags(&tx).await?;
    tx.commit().await?;
    Ok(Json(
        flags
            .into_iter()
            .map(|f| {
                let on = is_enabled(&f.key, f.enabled, f.rollout_percent, m.user_id());
                (f.key, on)
            })
            .collect(),
    ))
}

/// Set a flag of the community (admins).
#[utoipa::path(put, path = "/api/communities/{community_id}/flags/{key}", tag = "flags", security(("bearer" = [])),
    params(("community_id" = Uuid, Path), ("key" = String, Path)), request_body = FlagSetting,
    responses((status = 200, body = FlagSetting), (status = "default", body = crate::error::ErrorBody)))]
pub async fn set_flag(
    State(state): State<AppState>,
    Require(m, ..): Require<AdminOnly>,
    Path(path_ids): Path<(Uuid, String)>,
    Json(s): Json<FlagSetting>,
) -> ApiResult<Json<FlagSetting>> {
    let key = path_ids.1;
    if key.is_empty()
        || key.len() > 64
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    {
        return Err(ApiError::validation("key: 1 to 64 of [A-Za-z0-9_.-]"));
    }
    if !(0..=100).contains(&s.rollout_percent) {
        return Err(ApiError::validation("rollout_percent: 0 to 100"));
    }
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let before = repo::flags::setting(&tx, &key)
        .await?
        .map(|b| json!({ "enabled": b.enabled, "rollout_percent": b.rollout_percent }));
    repo::flags::put(&tx, &key, &s).await?;
    audit::record(
        &tx,
        Event {
            actor: Some(m.user_id()),
            action: AuditAction::FlagSet,
            target: Some(key.clone()),
            risk: Risk::Medium,
            before,
            after: Some(json!({ "enabled": s.enabled, "rollout_percent": s.rollout_percent })),
            ip: m.user.ip.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollout_is_consistent_and_roughly_proportional() {
        let users: Vec<Uuid> = (0..2000u128).map(Uuid::from_u128).collect();
        let on = users.iter().filter(|u| is_enabled("new_dash", true, 30, **u)).count();
        assert!((450..=750).contains(&on), "{on} of 2000 at 30 %");
        for u in &users[..50] {
            assert_eq!(
                is_enabled("new_dash", true, 30, *u),
                is_enabled("new_dash", true, 30, *u)
            );
            // Raising the percentage never removes a user.
            if is_enabled("new_dash", true, 30, *u) {
                assert!(is_enabled("new_dash", true, 31, *u));
            }
        }
        assert!(!is_enabled("new_dash", false, 100, users[0]));
        assert!(users.iter().all(|u| is_enabled("x", true, 100, *u)));
        assert!(users.iter().all(|u| !is_enabled("x", true, 0, *u)));
    }
}
