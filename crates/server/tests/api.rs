//! Every endpoint over a real socket against a real PostgreSQL, with the bad cases: missing,
//! expired and tampered tokens, wrong role, invalid body, unknown id.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

#[tokio::test]
async fn health_and_openapi_cover_every_route() {
    if skip() {
        return;
    }
    let s = start().await;
    let r = s.call(Method::GET, "/healthz", None, None).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("ok")));
    let r = s.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    for route in tradebook_server::route_table() {
        if route.path == "/api/openapi.json" {
            continue;
        }
        let op = &r.body["paths"][route.path][route.method.as_str().to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} is missing from the OpenAPI document",
            route.method,
            route.path
        );
        let secured = op["security"].is_array();
        let public = route.auth == tradebook_server::Auth::Public;
        assert_eq!(
            secured, !public,
            "{} {}: security in the spec vs the route table",
            route.method, route.path
        );
    }
    let r = s.call(Method::GET, "/api/nope", None, None).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
    let r = s.call(Method::DELETE, "/api/me", None, None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn register_login_refresh_logout() {
    if skip() {
        return;
    }
    let s = start().await;
    let u = s.user("alice").await;
    let dup = s
        .call(
            Method::POST,
            "/api/auth/register",
            None,
            Some(json!({"email": u.email.to_uppercase(), "name": "A", "password": "12345678"})),
        )
        .await;
    assert_eq!((dup.status, dup.code()), (StatusCode::CONFLICT, "email_taken"));
    for bad in [
        json!({"email": "not-an-email", "name": "A", "password": "12345678"}),
        json!({"email": "a@b.test", "name": "A", "password": "short"}),
        json!({"email": "a@b.test", "name": "", "password": "12345678"}),
        json!({"email": "a@b.test", "name": 5, "password": "12345678"}),
        json!({"email": "a@b.test"}),
    ] {
        let r = s
            .call(Method::POST, "/api/auth/register", None, Some(bad.clone()))
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            "{bad}"
        );
    }
    let raw = s
        .http
        .post(format!("{}/api/auth/register", s.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");

    let wrong = s
        .call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"email": u.email, "password": "wrong password"})),
        )
        .await;
    assert_eq!((wrong.status, wrong.code()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let failed: i64 = owner_client()
        .await
        .query_one(
            "SELECT count(*) FROM platform_audit_events WHERE action = 'auth.login_failed' AND actor_id = $1",
            &[&u.id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(failed, 1);

    let me = s.get("/api/me", &u.token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["email"], u.email.as_str());
    assert_eq!(me.body["memberships"], json!([]));

    // Missing, malformed, tampered and expired tokens.
    assert_eq!(
        s.call(Method::GET, "/api/me", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(s.get("/api/me", "garbage").await.status, StatusCode::UNAUTHORIZED);
    let mut tampered = u.token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(s.get("/api/me", &tampered).await.status, StatusCode::UNAUTHORIZED);
    let forged = tradebook_server::auth::sign_token(b"another-secret-another-secret-1234", u.id, 0, i64::MAX / 2);
    assert_eq!(s.get("/api/me", &forged).await.status, StatusCode::UNAUTHORIZED);
    let now = chrono::Utc::now().timestamp();
    let expired = tradebook_server::auth::sign_token(SECRET, u.id, now - 3600, now - 1800);
    let r = s.get("/api/me", &expired).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("expired"));

    // Rotation: the new pair works, the old refresh token is single-use, and reusing it
    // revokes the whole family (including the newest token).
    let r1 = s
        .call(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({"refresh_token": u.refresh})),
        )
        .await;
    assert_eq!(r1.status, StatusCode::OK, "{r1:?}");
    let newer = r1.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(newer, u.refresh);
    assert_eq!(
        s.get("/api/me", r1.body["access_token"].as_str().unwrap()).await.status,
        StatusCode::OK
    );
    let reuse = s
        .call(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({"refresh_token": u.refresh})),
        )
        .await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    let after = s
        .call(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({"refresh_token": newer})),
        )
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "family revoked after reuse");

    // Logout revokes a fresh session.
    let login = s
        .call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"email": u.email, "password": "correct horse battery"})),
        )
        .await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_string();
    let out = s
        .call(
            Method::POST,
            "/api/auth/logout",
            None,
            Some(json!({"refresh_token": refresh})),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let r = s
        .call(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({"refresh_token": refresh})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = s
        .call(
            Method::POST,
            "/api/auth/logout",
            None,
            Some(json!({"refresh_token": "unknown"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn platform_operators_create_suspend_and_resume() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let r = s.get("/api/platform/communities", &c.admin.token).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let r = s
        .post("/api/platform/communities", &op.token, json!({"name": ""}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .post(
            "/api/platform/communities",
            &op.token,
            json!({"name": "X", "admin_email": "nobody@x.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = s.get("/api/platform/communities", &op.token).await;
    let mine = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == c.id.to_string())
        .unwrap();
    assert_eq!(mine["members"], 5);

    let r = s
        .post(
            &format!("/api/platform/communities/{}/suspend", c.id),
            &op.token,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"].as_str()),
        (StatusCode::OK, Some("suspended"))
    );
    let r = s
        .get(&format!("/api/communities/{}/leaderboard", c.id), &c.trader.token)
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "community_suspended"));
    let r = s
        .get(&format!("/api/communities/{}/members", c.id), &c.admin.token)
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "community_suspended"));
    let r = s
        .post(
            &format!("/api/platform/communities/{}/resume", c.id),
            &op.token,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        s.get(&format!("/api/communities/{}/leaderboard", c.id), &c.trader.token)
            .await
            .status,
        StatusCode::OK
    );
    let r = s
        .post(
            &format!("/api/platform/communities/{}/suspend", Uuid::now_v7()),
            &op.token,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let audit = s
        .get(
            &format!("/api/communities/{}/audit?action=community.suspended", c.id),
            &c.admin.token,
        )
        .await;
    assert_eq!(audit.body.as_array().unwrap().len(), 1);
    assert_eq!(audit.body[0]["risk"], "high");
    assert_eq!(audit.body[0]["before"], json!({"status": "active"}));
}

#[tokio::test]
async fn invitations_roles_removal_and_audit() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let base = format!("/api/communities/{}", c.id);

    // Moderators invite traders and viewers only; traders cannot invite.
    let r = s
        .post(
            &format!("{base}/invitations"),
            &c.moderator.token,
            json!({"role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s
        .post(
            &format!("{base}/invitations"),
            &c.trader.token,
            json!({"role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s
        .post(&format!("{base}/invitations"), &c.admin.token, json!({"role": "boss"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .post(
            &format!("{base}/invitations"),
            &c.admin.token,
            json!({"role": "viewer", "max_uses": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let inv = s
        .post(
            &format!("{base}/invitations"),
            &c.moderator.token,
            json!({"role": "viewer", "max_uses": 1}),
        )
        .await;
    assert_eq!(inv.status, StatusCode::CREATED);
    let code = inv.body["code"].as_str().unwrap();
    let (u1, u2) = (s.user("u1").await, s.user("u2").await);
    let r = s
        .post(&format!("{base}/join"), &u1.token, json!({"code": "wrong"}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = s.post(&format!("{base}/join"), &u1.token, json!({"code": code})).await;
    assert_eq!((r.status, r.body["role"].as_str()), (StatusCode::OK, Some("viewer")));
    let r = s.post(&format!("{base}/join"), &u1.token, json!({"code": code})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "used up");
    let r = s.post(&format!("{base}/join"), &u2.token, json!({"code": code})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "max_uses is 1");
    let list = s.get(&format!("{base}/invitations"), &c.admin.token).await;
    assert_eq!(
        list.body
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == code)
            .unwrap()["use_count"],
        1
    );
    let me = s.get("/api/me", &u1.token).await;
    assert_eq!(me.body["memberships"][0]["community_id"], c.id.to_string());

    // Role changes: admins only, audited as high risk with before/after.
    let target = format!("{base}/members/{}", c.trader2.id);
    let r = s
        .call(
            Method::PATCH,
            &target,
            Some(&c.moderator.token),
            Some(json!({"role": "moderator"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s
        .call(
            Method::PATCH,
            &target,
            Some(&c.admin.token),
            Some(json!({"role": "moderator"})),
        )
        .await;
    assert_eq!((r.status, r.body["role"].as_str()), (StatusCode::OK, Some("moderator")));
    let r = s
        .call(
            Method::PATCH,
            &target,
            Some(&c.admin.token),
            Some(json!({"role": "root"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{r:?}");
    let r = s
        .call(
            Method::PATCH,
            &format!("{base}/members/{}", Uuid::now_v7()),
            Some(&c.admin.token),
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let own = format!("{base}/members/{}", c.admin.id);
    let r = s
        .call(
            Method::PATCH,
            &own,
            Some(&c.admin.token),
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "last_admin"));
    let r = s.call(Method::DELETE, &own, Some(&c.admin.token), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "last_admin"));

    // Removal: the removed member loses access at once.
    seed_trades(&s, &c.trader, c.id).await;
    let r = s
        .call(
            Method::DELETE,
            &format!("{base}/members/{}", c.trader.id),
            Some(&c.admin.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = s.get(&format!("{base}/me/overview"), &c.trader.token).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = s
        .call(
            Method::DELETE,
            &format!("{base}/members/{}", c.trader.id),
            Some(&c.admin.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let high = s.get(&format!("{base}/audit?risk=high"), &c.moderator.token).await;
    let actions: Vec<&str> = high
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["member.removed", "member.role_changed"]);
    assert_eq!(high.body[1]["before"], json!({"role": "trader"}));
    assert_eq!(high.body[1]["after"], json!({"role": "moderator"}));
    assert_eq!(high.body[1]["actor_id"], c.admin.id.to_string());
    let by_actor = s
        .get(
            &format!("{base}/audit?actor={}&action=invitation.created", c.moderator.id),
            &c.admin.token,
        )
        .await;
    assert_eq!(by_actor.body.as_array().unwrap().len(), 1);
    let future = s
        .get(&format!("{base}/audit?from=2999-01-01T00:00:00Z"), &c.admin.token)
        .await;
    assert_eq!(future.body, json!([]));
    let r = s.get(&format!("{base}/audit?risk=extreme"), &c.admin.token).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s.get(&format!("{base}/audit"), &c.trader2.token).await;
    assert_eq!(r.status, StatusCode::OK, "trader2 is a moderator now");
    let r = s.get(&format!("{base}/audit"), &c.viewer.token).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn trader_pages_use_core_round_trips() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let base = format!("/api/communities/{}", c.id);
    let (_, closed, open) = seed_trades(&s, &c.trader, c.id).await;

    let o = s.get(&format!("{base}/me/overview"), &c.trader.token).await;
    assert_eq!(o.status, StatusCode::OK, "{o:?}");
    assert_eq!(o.body["open_positions"].as_array().unwrap().len(), 1);
    assert_eq!(o.body["open_positions"][0]["symbol"], "MSFT");
    assert_eq!(o.body["last_30_days"]["trades"], 1);
    assert_eq!(o.body["last_30_days"]["win_rate"], 1.0);
    // (105 − 100) × 10 − 2.00 fees, exact.
    assert_eq!(o.body["last_30_days"]["net_pnl"], "48.00");

    let t = s.get(&format!("{base}/me/trades?status=closed"), &c.trader.token).await;
    assert_eq!(
        (t.body["total"].as_i64(), t.body["items"][0]["id"].as_str()),
        (Some(1), Some(closed.to_string().as_str()))
    );
    assert_eq!(t.body["items"][0]["gross_pnl"], "50");
    let all = s
        .get(
            &format!("{base}/me/trades?sort=symbol&order=asc&per_page=1&page=2"),
            &c.trader.token,
        )
        .await;
    assert_eq!(
        (all.body["total"].as_i64(), all.body["items"][0]["symbol"].as_str()),
        (Some(2), Some("MSFT"))
    );
    let today = chrono::Utc::now().date_naive();
    let r = s
        .get(
            &format!("{base}/me/trades?from={}", today.succ_opt().unwrap()),
            &c.trader.token,
        )
        .await;
    assert_eq!(r.body["total"], 0);
    for bad in [
        "sort=password_hash",
        "order=sideways",
        "status=won",
        "page=-1",
        "from=yesterday",
    ] {
        let r = s.get(&format!("{base}/me/trades?{bad}"), &c.trader.token).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let d = s.get(&format!("{base}/me/trades/{open}"), &c.trader.token).await;
    assert_eq!(
        (d.status, d.body["trade"]["status"].as_str()),
        (StatusCode::OK, Some("open"))
    );
    assert_eq!(
        s.get(&format!("{base}/me/trades/{}", Uuid::now_v7()), &c.trader.token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get(&format!("{base}/me/trades/not-a-uuid"), &c.trader.token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another member's trade is not found, whatever their role.
    for other in [&c.trader2, &c.admin] {
        assert_eq!(
            s.get(&format!("{base}/me/trades/{closed}"), &other.token).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // Viewers have no journal pages.
    assert_eq!(
        s.get(&format!("{base}/me/overview"), &c.viewer.token).await.status,
        StatusCode::FORBIDDEN
    );

    let a = s.get(&format!("{base}/me/analytics?days=7"), &c.trader.token).await;
    assert_eq!(a.body["summary"]["net_pnl"], "48.00");
    assert_eq!(a.body["daily"].as_array().unwrap().len(), 1);
    assert_eq!(
        s.get(&format!("{base}/me/analytics?days=0"), &c.trader.token)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let rp = s.get(&format!("{base}/me/risk-profile"), &c.trader.token).await;
    assert_eq!(rp.body["max_risk_per_trade_pct"], "1");
    let new = json!({"max_risk_per_trade_pct": "0.5", "max_daily_loss_pct": "2", "max_position_size_pct": "100"});
    let r = s
        .call(
            Method::PUT,
            &format!("{base}/me/risk-profile"),
            Some(&c.trader.token),
            Some(new.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        s.get(&format!("{base}/me/risk-profile"), &c.trader.token).await.body["max_risk_per_trade_pct"],
        "0.5"
    );
    for bad in [
        json!({"max_risk_per_trade_pct": "100.01", "max_daily_loss_pct": "2", "max_position_size_pct": "1"}),
        json!({"max_risk_per_trade_pct": "-1", "max_daily_loss_pct": "2", "max_position_size_pct": "1"}),
        json!({"max_risk_per_trade_pct": "abc", "max_daily_loss_pct": "2", "max_position_size_pct": "1"}),
    ] {
        let r = s
            .call(
                Method::PUT,
                &format!("{base}/me/risk-profile"),
                Some(&c.trader.token),
                Some(bad),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Leaderboard: opt-in only, alias instead of the name.
    let lb = s.get(&format!("{base}/leaderboard"), &c.viewer.token).await;
    assert_eq!(lb.body, json!([]));
    let r = s
        .call(
            Method::PUT,
            &format!("{base}/me/leaderboard"),
            Some(&c.trader.token),
            Some(json!({"opt_in": true, "alias": "Falcon"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let lb = s.get(&format!("{base}/leaderboard"), &c.viewer.token).await;
    assert_eq!(lb.body[0]["display_name"], "Falcon");
    assert_eq!(lb.body[0]["net_pnl"], "48.00");
    let r = s
        .call(
            Method::PUT,
            &format!("{base}/me/leaderboard"),
            Some(&c.trader.token),
            Some(json!({"opt_in": true, "alias": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn community_dashboards_for_staff() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let base = format!("/api/communities/{}", c.id);
    seed_trades(&s, &c.trader, c.id).await;

    for who in [&c.trader, &c.viewer] {
        for path in ["dashboard/overview", "members", "dashboard/analytics"] {
            assert_eq!(
                s.get(&format!("{base}/{path}"), &who.token).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    let o = s.get(&format!("{base}/dashboard/overview"), &c.moderator.token).await;
    assert_eq!(o.status, StatusCode::OK);
    assert_eq!(o.body["members"], 5);
    assert_eq!(o.body["active_traders_30d"], 1);
    let closed_today =
        (chrono::Utc::now() - chrono::Duration::minutes(20)).date_naive() == chrono::Utc::now().date_naive();
    assert_eq!(o.body["trades_today"], i64::from(closed_today));

    let m = s.get(&format!("{base}/members?per_page=2"), &c.admin.token).await;
    assert_eq!(
        (m.body["total"].as_i64(), m.body["items"].as_array().unwrap().len()),
        (Some(5), 2)
    );
    let m = s
        .get(&format!("{base}/members?q={}", &c.trader.email[..12]), &c.admin.token)
        .await;
    assert_eq!(m.body["total"], 1);
    assert_eq!(m.body["items"][0]["trade_count"], 1);
    assert_eq!(m.body["items"][0]["net_pnl"], "48.00");
    let m = s.get(&format!("{base}/members?role=trader"), &c.admin.token).await;
    assert_eq!(m.body["total"], 2);
    let m = s.get(&format!("{base}/members?q=%25"), &c.admin.token).await;
    assert_eq!(m.body["total"], 0, "a % in the search is literal");
    assert_eq!(
        s.get(&format!("{base}/members?role=king"), &c.admin.token).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let a = s
        .get(&format!("{base}/dashboard/analytics?days=7"), &c.admin.token)
        .await;
    assert_eq!(
        (a.body["trades"].as_i64(), a.body["net_pnl"].as_str()),
        (Some(1), Some("48.00"))
    );
    assert_eq!(a.body["win_rate"], 1.0);
    for days in [30, 90] {
        assert_eq!(
            s.get(&format!("{base}/dashboard/analytics?days={days}"), &c.admin.token)
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_eq!(
        s.get(&format!("{base}/dashboard/analytics?days=8"), &c.admin.token)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// With answers kept for an hour, every dashboard still follows a change made through the
/// server at once: a sync push, a member joining, a role change, a removal, a leaderboard
/// choice. The members page's order and count come from the kept list; its rows are fresh.
#[tokio::test]
async fn cached_dashboards_follow_every_change_made_through_the_server() {
    if skip() {
        return;
    }
    let mut config = test_config();
    config.analytics_cache_ttl = std::time::Duration::from_secs(3600);
    let s = start_with(config).await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let base = format!("/api/communities/{}", c.id);
    let get = |path: &'static str| {
        let (s, base, token) = (&s, base.clone(), c.admin.token.clone());
        async move { s.get(&format!("{base}/{path}"), &token).await.body }
    };
    // Read every dashboard once, so that each answer is kept.
    assert_eq!(get("dashboard/overview").await["members"], 5);
    assert_eq!(get("dashboard/analytics?days=7").await["trades"], 0);
    assert_eq!(get("members?per_page=2").await["total"], 5);
    assert_eq!(get("leaderboard").await, json!([]));

    // A push recomputes trades: overview, analytics and the members page's figures follow.
    seed_trades(&s, &c.trader, c.id).await;
    assert_eq!(get("dashboard/overview").await["active_traders_30d"], 1);
    let a = get("dashboard/analytics?days=7").await;
    assert_eq!((a["trades"].as_i64(), a["net_pnl"].as_str()), (Some(1), Some("48.00")));
    let m = s.get(&format!("{base}/members?role=trader"), &c.admin.token).await.body;
    let trader = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == c.trader.email.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (trader["trade_count"].as_i64(), trader["net_pnl"].as_str()),
        (Some(1), Some("48.00"))
    );

    // The leaderboard choice shows at once.
    let r = s
        .call(
            Method::PUT,
            &format!("{base}/me/leaderboard"),
            Some(&c.trader.token),
            Some(json!({"opt_in": true, "alias": "Tortoise"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r:?}");
    let board = get("leaderboard").await;
    assert_eq!(board[0]["display_name"], "Tortoise");
    assert_eq!(board[0]["net_pnl"], "48.00");

    // A member joining is on the first page (newest first) and in the count.
    let newcomer = s.user("newcomer").await;
    s.join(&c.admin, c.id, &newcomer, "viewer").await;
    let m = get("members?per_page=2").await;
    assert_eq!(m["total"], 6);
    assert_eq!(m["items"][0]["email"], newcomer.email.as_str());
    assert_eq!(get("dashboard/overview").await["members"], 6);

    // A role change moves them between role filters; a removal takes them out.
    let r = s
        .call(
            Method::PATCH,
            &format!("{base}/members/{}", newcomer.id),
            Some(&c.admin.token),
            Some(json!({"role": "trader"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{r:?}");
    assert_eq!(get("members?role=trader").await["total"], 3);
    assert_eq!(get("members?role=viewer").await["total"], 1);
    let r = s
        .call(
            Method::DELETE,
            &format!("{base}/members/{}", newcomer.id),
            Some(&c.admin.token),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{r:?}");
    assert_eq!(get("members").await["total"], 5);
    assert_eq!(get("dashboard/overview").await["members"], 5);
}

#[tokio::test]
async fn providers_follows_signals_and_performance() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let base = format!("/api/communities/{}", c.id);
    let r = s
        .post(&format!("{base}/providers"), &c.trader.token, json!({"name": "Nope"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s
        .post(&format!("{base}/providers"), &c.moderator.token, json!({"name": ""}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let good = s
        .post(
            &format!("{base}/providers"),
            &c.moderator.token,
            json!({"name": "Good calls"}),
        )
        .await;
    assert_eq!(good.status, StatusCode::CREATED);
    let good_id = good.body["id"].as_str().unwrap().to_string();
    let bad = s
        .post(
            &format!("{base}/providers"),
            &c.admin.token,
            json!({"name": "Bad calls", "description": "d"}),
        )
        .await;
    let bad_id = bad.body["id"].as_str().unwrap().to_string();

    // Follow is idempotent; unfollow twice is a 404 the second time.
    for _ in 0..2 {
        let r = s
            .post(
                &format!("{base}/providers/{good_id}/follow"),
                &c.trader.token,
                json!({}),
            )
            .await;
        assert_eq!((r.status, r.body["following"].as_bool()), (StatusCode::OK, Some(true)));
    }
    assert_eq!(
        s.post(
            &format!("{base}/providers/{}/follow", Uuid::now_v7()),
            &c.trader.token,
            json!({})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.post(
            &format!("{base}/providers/{good_id}/follow"),
            &c.viewer.token,
            json!({})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    s.post(&format!("{base}/providers/{bad_id}/follow"), &c.trader.token, json!({}))
        .await;
    let r = s
        .call(
            Method::DELETE,
            &format!("{base}/providers/{bad_id}/follow"),
            Some(&c.trader.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = s
        .call(
            Method::DELETE,
            &format!("{base}/providers/{bad_id}/follow"),
            Some(&c.trader.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let o = s.get(&format!("{base}/me/overview"), &c.trader.token).await;
    assert_eq!(o.body["followed_providers"][0]["name"], "Good calls");

    // Signals and the feed (followed providers by default).
    let sig = json!({"symbol": "AAPL", "side": "buy", "entry": "100.5", "stop": "99"});
    let r = s
        .post(
            &format!("{base}/providers/{good_id}/signals"),
            &c.moderator.token,
            sig.clone(),
        )
        .await;
    assert_eq!(
        (r.status, r.body["entry"].as_str()),
        (StatusCode::CREATED, Some("100.5"))
    );
    s.post(
        &format!("{base}/providers/{bad_id}/signals"),
        &c.moderator.token,
        sig.clone(),
    )
    .await;
    let r = s
        .post(
            &format!("{base}/providers/{good_id}/signals"),
            &c.moderator.token,
            json!({"symbol": "AAPL", "side": "up"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let feed = s.get(&format!("{base}/signals"), &c.trader.token).await;
    assert_eq!(feed.body.as_array().unwrap().len(), 1);
    let feed = s.get(&format!("{base}/signals?following=false"), &c.viewer.token).await;
    assert_eq!(feed.body.as_array().unwrap().len(), 2);

    // Performance from attributed trades, sorted by win rate.
    let (_, winner, _) = seed_trades(&s, &c.trader, c.id).await;
    let account = Uuid::now_v7();
    let (f1, f2) = (Uuid::now_v7(), Uuid::now_v7());
    let r = push(
        &s,
        &c.trader2,
        c.id,
        "d",
        vec![
            (1, "upsert_account", json!({"id": account, "name": "B"})),
            (
                2,
                "upsert_fill",
                json!({"id": f1, "account_id": account, "symbol": "TSLA", "asset_class": "stock",
                "side": "buy", "quantity": "1", "price": "200", "executed_at": "2026-01-05T15:00:00Z"}),
            ),
            (
                3,
                "upsert_fill",
                json!({"id": f2, "account_id": account, "symbol": "TSLA", "asset_class": "stock",
                "side": "sell", "quantity": "1", "price": "190", "executed_at": "2026-01-05T16:00:00Z"}),
            ),
            (
                4,
                "upsert_annotation",
                json!({"trade_id": f1, "provider_id": bad_id, "tags": ["fomo"]}),
            ),
        ],
    )
    .await;
    assert_eq!(r.body["rejected"], json!([]));
    push(
        &s,
        &c.trader,
        c.id,
        "seed",
        vec![(
            5,
            "upsert_annotation",
            json!({"trade_id": winner, "provider_id": good_id}),
        )],
    )
    .await;
    let list = s.get(&format!("{base}/providers"), &c.viewer.token).await;
    assert_eq!(list.body[0]["name"], "Good calls");
    assert_eq!(
        (list.body[0]["trades"].as_i64(), list.body[0]["win_rate"].as_f64()),
        (Some(1), Some(1.0))
    );
    assert_eq!(
        (list.body[1]["net_pnl"].as_str(), list.body[1]["win_rate"].as_f64()),
        (Some("-10"), Some(0.0))
    );
    assert_eq!(list.body[0]["followers"], 1);

    // Disabling: no new follows or signals, audited with before/after.
    let r = s
        .call(
            Method::PATCH,
            &format!("{base}/providers/{bad_id}"),
            Some(&c.moderator.token),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!((r.status, r.body["active"].as_bool()), (StatusCode::OK, Some(false)));
    let r = s
        .post(&format!("{base}/providers/{bad_id}/follow"), &c.trader.token, json!({}))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "provider_disabled"));
    let r = s
        .post(&format!("{base}/providers/{bad_id}/signals"), &c.moderator.token, sig)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = s
        .call(
            Method::PATCH,
            &format!("{base}/providers/{}", Uuid::now_v7()),
            Some(&c.admin.token),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let audit = s
        .get(&format!("{base}/audit?action=provider.updated"), &c.admin.token)
        .await;
    assert_eq!(audit.body[0]["before"]["active"], true);
    assert_eq!(audit.body[0]["after"]["active"], false);
}

#[tokio::test]
async fn feature_flags_roll_out_by_user_hash() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let base = format!("/api/communities/{}", c.id);
    let set = |token: String, body: Value| {
        let s = &s;
        let base = base.clone();
        async move {
            s.call(Method::PUT, &format!("{base}/flags/new_dash"), Some(&token), Some(body))
                .await
        }
    };
    let r = set(
        c.moderator.token.clone(),
        json!({"enabled": true, "rollout_percent": 50}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = set(c.admin.token.clone(), json!({"enabled": true, "rollout_percent": 101})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .call(
            Method::PUT,
            &format!("{base}/flags/bad key!"),
            Some(&c.admin.token),
            Some(json!({"enabled": true, "rollout_percent": 5})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = set(c.admin.token.clone(), json!({"enabled": true, "rollout_percent": 50})).await;
    assert_eq!(r.status, StatusCode::OK);
    for u in [&c.admin, &c.trader, &c.trader2, &c.viewer, &c.moderator] {
        let expected = tradebook_server::flags::is_enabled("new_dash", true, 50, u.id);
        for _ in 0..2 {
            let f = s.get(&format!("{base}/flags"), &u.token).await;
            assert_eq!(f.body["new_dash"].as_bool(), Some(expected));
        }
    }
    set(c.admin.token.clone(), json!({"enabled": true, "rollout_percent": 100})).await;
    assert_eq!(
        s.get(&format!("{base}/flags"), &c.viewer.token).await.body["new_dash"],
        true
    );
    set(c.admin.token.clone(), json!({"enabled": false, "rollout_percent": 100})).await;
    assert_eq!(
        s.get(&format!("{base}/flags"), &c.viewer.token).await.body["new_dash"],
        false
    );
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    if skip() {
        return;
    }
    let mut config = test_config();
    config.rate_per_user_per_minute = 3;
    let s = start_with(config).await;
    let u = s.user("limited").await;
    for _ in 0..3 {
        assert_eq!(s.get("/api/me", &u.token).await.status, StatusCode::OK);
    }
    let r = s.get("/api/me", &u.token).await;
    assert_eq!((r.status, r.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // Another user is not affected.
    let other = s.user("other").await;
    assert_eq!(s.get("/api/me", &other.token).await.status, StatusCode::OK);

    let mut config = test_config();
    config.rate_per_ip_per_minute = 2;
    let s = start_with(config).await;
    assert_eq!(s.call(Method::GET, "/healthz", None, None).await.status, StatusCode::OK);
    assert_eq!(s.call(Method::GET, "/healthz", None, None).await.status, StatusCode::OK);
    let r = s.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn push_is_exactly_once_and_pull_pages_with_tombstones() {
    if skip() {
        return;
    }
    let s = start().await;
    let op = s.operator().await;
    let c = community(&s, &op).await;
    let base = format!("/api/communities/{}", c.id);
    let note = |day: &str, body: &str| json!({"day": day, "body": body});

    let r = push(
        &s,
        &c.trader,
        c.id,
        "d1",
        vec![(2, "put_journal_note", note("2026-03-02", "x"))],
    )
    .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "mutation_gap"));
    let batch = vec![
        (1, "put_journal_note", note("2026-03-02", "first")),
        (2, "put_journal_note", note("2026-03-03", "second")),
        (3, "delete_journal_note", json!({"day": "2026-03-03"})),
        (4, "put_journal_note", note("2026-03-03", "after delete")),
        (
            5,
            "upsert_fill",
            json!({"id": Uuid::now_v7(), "account_id": Uuid::now_v7(), "symbol": "X", "asset_class": "stock",
            "side": "buy", "quantity": "1", "price": "1", "executed_at": "2026-01-01T00:00:00Z"}),
        ),
    ];
    let r = push(&s, &c.trader, c.id, "d1", batch.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{r:?}");
    assert_eq!(
        (r.body["last_mutation_id"].as_u64(), r.body["applied"].as_u64()),
        (Some(5), Some(4))
    );
    assert_eq!(r.body["rejected"][0]["code"], "unknown_account");
    let before = s
        .get(&format!("{base}/sync/pull?cookie=0&device_id=d1"), &c.trader.token)
        .await;
    // Replaying the same push is a no-op.
    let again = push(&s, &c.trader, c.id, "d1", batch).await;
    assert_eq!(
        (again.body["last_mutation_id"].as_u64(), again.body["applied"].as_u64()),
        (Some(5), Some(0))
    );
    let after = s
        .get(&format!("{base}/sync/pull?cookie=0&device_id=d1"), &c.trader.token)
        .await;
    assert_eq!(before.body, after.body);
    assert_eq!(after.body["last_mutation_id"], 5);
    let changes = after.body["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    let day3 = changes.iter().find(|ch| ch["data"]["day"] == "2026-03-03").unwrap();
    assert_eq!(day3["deleted"], true, "a delete wins over a later put");

    // Paging.
    let p1 = s
        .get(&format!("{base}/sync/pull?cookie=0&limit=1"), &c.trader.token)
        .await;
    assert_eq!(
        (
            p1.body["changes"].as_array().unwrap().len(),
            p1.body["has_more"].as_bool()
        ),
        (1, Some(true))
    );
    let p2 = s
        .get(
            &format!("{base}/sync/pull?cookie={}&limit=1", p1.body["cookie"]),
            &c.trader.token,
        )
        .await;
    assert_eq!(p2.body["has_more"], false);
    assert_eq!(p2.body["changes"][0], changes[1]);
    let p3 = s
        .get(
            &format!("{base}/sync/pull?cookie={}", p2.body["cookie"]),
            &c.trader.token,
        )
        .await;
    assert_eq!(
        (p3.body["changes"].as_array().unwrap().len(), &p3.body["cookie"]),
        (0, &p2.body["cookie"])
    );

    // Another trader of the community sees none of it.
    let other = s.get(&format!("{base}/sync/pull"), &c.trader2.token).await;
    assert_eq!(other.body["changes"], json!([]));
    // Bad requests.
    let r = s
        .post(
            &format!("{base}/sync/push"),
            &c.trader.token,
            json!({"device_id": "", "mutations": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .post(
            &format!("{base}/sync/push"),
            &c.trader.token,
            json!({"device_id": "d", "mutations": [{"id": 1, "name": "drop_table", "args": {}}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = push(
        &s,
        &c.trader,
        c.id,
        "d2",
        vec![
            (1, "put_journal_note", note("2026-03-04", "a")),
            (3, "put_journal_note", note("2026-03-05", "b")),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "ids must be consecutive");
    let r = push(
        &s,
        &c.viewer,
        c.id,
        "d",
        vec![(1, "put_journal_note", note("2026-03-04", "a"))],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s.get(&format!("{base}/sync/pull?cookie=-1"), &c.trader.token).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn the_binary_refuses_to_start_without_a_token_secret() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tradebook-server"))
        .args([
            "--database-url",
            "host=127.0.0.1 port=1 user=x",
            "--listen",
            "127.0.0.1:0",
        ])
        .env_remove("TRADEBOOK_JWT_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TRADEBOOK_JWT_SECRET"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tradebook-server"))
        .args(["--database-url", "host=127.0.0.1 port=1 user=x"])
        .env("TRADEBOOK_JWT_SECRET", "short")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 32 bytes"));
}
