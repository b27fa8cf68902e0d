//! The isolation matrix, generated from the route table: for every route, a member of another
//! community gets 404 (or 403 on operator routes) on community A's data, and a trader who is
//! not the owner never sees or changes another member's journal. A route without a case here
//! fails the test, so a new route cannot ship without one.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tradebook_server::{route_table, Auth};
use uuid::Uuid;

/// What the non-owner trader of community A (`trader2`) may get on a route whose data
/// belongs to A or to A's `trader`.
#[derive(Debug, Clone, Copy)]
enum NonOwner {
    /// Below the route's role: 403.
    Forbidden,
    /// The path names another member's resource: 404.
    NotFound,
    /// Allowed, acting on their own data or shared community data: whatever the status, the
    /// answer must not contain the owner's private markers and the owner's journal is unchanged.
    NoLeak,
}

/// The case of a route: `None` for routes without tenant data (public, own account).
fn case(method: &Method, path: &str) -> Option<Option<NonOwner>> {
    use NonOwner::*;
    let c = |p: &str| format!("/api/communities/{{community_id}}{p}");
    let m = method.as_str();
    let p = path.to_string();
    Some(match (m, p.as_str()) {
        ("GET", "/healthz") | ("GET", "/api/openapi.json") => None,
        ("POST", "/api/auth/register" | "/api/auth/login" | "/api/auth/refresh" | "/api/auth/logout") => None,
        ("GET", "/api/me") => Some(NoLeak),
        ("GET" | "POST", "/api/platform/communities") | ("GET", "/api/platform/audit") => Some(Forbidden),
        (
            "POST",
            "/api/platform/communities/{community_id}/suspend" | "/api/platform/communities/{community_id}/resume",
        ) => Some(Forbidden),
        _ if p == c("/join") => Some(NoLeak),
        _ if p == c("/invitations") => Some(Forbidden),
        _ if p == c("/members/{user_id}") => Some(Forbidden),
        _ if p == c("/audit") => Some(Forbidden),
        _ if p == c("/dashboard/overview") || p == c("/dashboard/analytics") || p == c("/members") => Some(Forbidden),
        ("GET", _) if p == c("/leaderboard") || p == c("/providers") || p == c("/signals") || p == c("/flags") => {
            Some(NoLeak)
        }
        ("POST", _) if p == c("/providers") => Some(Forbidden),
        ("PATCH", _) if p == c("/providers/{provider_id}") => Some(Forbidden),
        ("POST", _) if p == c("/providers/{provider_id}/signals") => Some(Forbidden),
        ("POST" | "DELETE", _) if p == c("/providers/{provider_id}/follow") => Some(NoLeak),
        ("PUT", _) if p == c("/flags/{key}") => Some(Forbidden),
        ("GET", _) if p == c("/me/trades/{trade_id}") => Some(NotFound),
        _ if p.starts_with(&c("/me/")) => Some(NoLeak),
        _ if p == c("/sync/push") || p == c("/sync/pull") => Some(NoLeak),
        _ => return None,
    })
}

fn fill(path: &str, community: Uuid, user: Uuid, provider: &str, trade: Uuid) -> String {
    path.replace("{community_id}", &community.to_string())
        .replace("{user_id}", &user.to_string())
        .replace("{provider_id}", provider)
        .replace("{trade_id}", &trade.to_string())
        .replace("{key}", "isolation_flag")
}

fn body_for(path: &str) -> Option<Value> {
    let body = if path.ends_with("/sync/push") {
        json!({"device_id": "intruder", "mutations": [
            {"id": 1, "name": "put_journal_note", "args": {"day": "2026-03-02", "body": "overwrite"}}]})
    } else if path.ends_with("/members/{user_id}") {
        json!({"role": "admin"})
    } else if path.ends_with("/risk-profile") {
        json!({"max_risk_per_trade_pct": "1", "max_daily_loss_pct": "1", "max_position_size_pct": "1"})
    } else if path.ends_with("/leaderboard") {
        json!({"opt_in": true})
    } else if path.ends_with("/flags/{key}") {
        json!({"enabled": true, "rollout_percent": 100})
    } else if path.ends_with("/invitations") {
        json!({"role": "trader"})
    } else if path.ends_with("/providers") || path.ends_with("/providers/{provider_id}") {
        json!({"name": "intruder"})
    } else if path.ends_with("/signals") {
        json!({"symbol": "X", "side": "buy"})
    } else if path.ends_with("/join") {
        json!({"code": "guess"})
    } else {
        json!({"name": "intruder"})
    };
    Some(body)
}

#[tokio::test]
async fn every_route_isolates_communities_and_members() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let a = community(&s, &op).await;
    let b = community(&s, &op).await;

    // Community A's private data: the trader's journal, a provider.
    let (account, trade, _) = seed_trades(&s, &a.trader, a.id).await;
    let secret = format!("secret-note-{}", Uuid::new_v4().simple());
    let r = push(
        &s,
        &a.trader,
        a.id,
        "seed",
        vec![
            (5, "put_journal_note", json!({"day": "2026-03-02", "body": secret})),
            (6, "upsert_annotation", json!({"trade_id": trade, "notes": secret})),
        ],
    )
    .await;
    assert_eq!(r.body["rejected"], json!([]));
    let provider = s
        .post(
            &format!("/api/communities/{}/providers", a.id),
            &a.admin.token,
            json!({"name": "A provider"}),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pull_path = format!("/api/communities/{}/sync/pull", a.id);
    let before = s.get(&pull_path, &a.trader.token).await.body;
    let markers = [
        secret.clone(),
        account.to_string(),
        trade.to_string(),
        a.trader.email.clone(),
    ];

    let mut checked = 0;
    for route in route_table() {
        let Some(expect) = case(&route.method, route.path) else {
            panic!(
                "{} {} has no isolation case: add one to tests/isolation.rs",
                route.method, route.path
            );
        };
        let Some(non_owner) = expect else { continue };
        checked += 1;
        let body = if matches!(route.method, Method::GET | Method::DELETE) {
            None
        } else {
            body_for(route.path)
        };
        let what = format!("{} {}", route.method, route.path);

        // 1. A member (even an admin) of community B, on community A's paths.
        let path_a = fill(route.path, a.id, a.trader.id, &provider, trade);
        let r = s
            .call(route.method.clone(), &path_a, Some(&b.admin.token), body.clone())
            .await;
        let expected = match route.auth {
            Auth::Operator => StatusCode::FORBIDDEN,
            Auth::User if route.path.ends_with("/join") => StatusCode::NOT_FOUND,
            Auth::User => r.status, // /api/me: checked for leaks below
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(r.status, expected, "outsider on {what}: {r:?}");
        let text = r.body.to_string();
        for m in &markers {
            assert!(!text.contains(m.as_str()), "outsider sees A's data on {what}");
        }

        // 2. B's admin on B's own path naming A's resources: nothing of A is found.
        if route.path.contains("{user_id}") || route.path.contains("{provider_id}") || route.path.contains("{trade_id}")
        {
            let path_b = fill(route.path, b.id, a.trader.id, &provider, trade);
            let r = s
                .call(route.method.clone(), &path_b, Some(&b.admin.token), body.clone())
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "A's ids through B on {what}: {r:?}");
        }

        // 3. The non-owner trader of A.
        let r = s
            .call(route.method.clone(), &path_a, Some(&a.trader2.token), body.clone())
            .await;
        match non_owner {
            NonOwner::Forbidden => assert_eq!(r.status, StatusCode::FORBIDDEN, "non-owner on {what}: {r:?}"),
            NonOwner::NotFound => assert_eq!(r.status, StatusCode::NOT_FOUND, "non-owner on {what}: {r:?}"),
            NonOwner::NoLeak => {
                assert!(!r.status.is_server_error(), "non-owner on {what}: {r:?}");
                let text = r.body.to_string();
                for m in &markers {
                    assert!(
                        !text.contains(m.as_str()),
                        "non-owner sees the owner's data on {what}: {text}"
                    );
                }
            }
        }
        // 4. Without a token nothing but public routes answers.
        let r = s.call(route.method.clone(), &path_a, None, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "anonymous on {what}");
    }
    assert!(checked >= 30, "only {checked} routes checked");
    // Nothing any of them did changed the owner's journal or its role.
    assert_eq!(s.get(&pull_path, &a.trader.token).await.body, before);
    let me = s.get("/api/me", &a.trader.token).await;
    assert_eq!(me.body["memberships"][0]["role"], "trader");
    let me = s.get("/api/me", &b.admin.token).await;
    assert_eq!(
        me.body["memberships"].as_array().unwrap().len(),
        1,
        "B's admin belongs to B only"
    );
}
