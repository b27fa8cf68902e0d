//! Test harness: a real PostgreSQL (URLs from the environment, set by
//! `scripts/test-server.sh`), the real server on a real socket, and helpers that set up
//! users, communities and members. Every test makes its own users and communities, so tests
//! run in parallel against one database.

#![allow(dead_code)]

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::sync::OnceCell;
use tradebook_server::{db, AppState, Config};
use uuid::Uuid;

/// The secret tests sign tokens with (to forge expired or tampered ones).
pub const SECRET: &[u8] = b"test-secret-test-secret-test-secret!";

static MIGRATED: OnceCell<()> = OnceCell::const_new();

/// `true` when no test database is configured: plain `cargo test` then skips the database
/// tests (scripts/test-server.sh provides one and sets TRADEBOOK_REQUIRE_DATABASE=1, under
/// which a missing database is a failure, never a skip).
pub fn skip() -> bool {
    if std::env::var_os("TRADEBOOK_TEST_DATABASE_URL").is_some() {
        return false;
    }
    assert!(
        std::env::var_os("TRADEBOOK_REQUIRE_DATABASE").is_none(),
        "TRADEBOOK_TEST_DATABASE_URL is not set"
    );
    eprintln!("skipped: no TRADEBOOK_TEST_DATABASE_URL (run scripts/test-server.sh)");
    true
}

/// Owner (migrations, test set-up) connection string.
pub fn owner_url() -> String {
    std::env::var("TRADEBOOK_TEST_DATABASE_URL")
        .expect("TRADEBOOK_TEST_DATABASE_URL is not set: run scripts/test-server.sh")
}

/// Application role connection string.
pub fn app_url() -> String {
    std::env::var("TRADEBOOK_TEST_APP_DATABASE_URL")
        .expect("TRADEBOOK_TEST_APP_DATABASE_URL is not set: run scripts/test-server.sh")
}

/// Runs the migrations once per test binary.
pub async fn migrated() {
    MIGRATED
        .get_or_init(|| async {
            let role = std::env::var("TRADEBOOK_TEST_APP_ROLE").unwrap_or_else(|_| "tradebook_app".into());
            db::migrate(&owner_url(), Some(&role)).await.expect("migrations");
        })
        .await;
}

/// A connection as the owner role.
pub async fn owner_client() -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(&owner_url(), tokio_postgres::NoTls)
        .await
        .expect("owner connect");
    tokio::spawn(conn);
    client
}

/// A connection as the application role.
pub async fn app_client() -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(&app_url(), tokio_postgres::NoTls)
        .await
        .expect("app connect");
    tokio::spawn(conn);
    client
}

/// Test configuration: cheap argon2, generous rate limits.
pub fn test_config() -> Config {
    let mut c = Config::new(SECRET.to_vec());
    c.argon2_memory_kib = 64;
    c.argon2_iterations = 1;
    c.rate_per_ip_per_minute = 1_000_000;
    c.rate_per_user_per_minute = 1_000_000;
    c.analytics_cache_ttl = Duration::from_millis(0);
    c
}

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// HTTP client.
    pub http: reqwest::Client,
}

/// Starts the server with the test configuration.
pub async fn start() -> Server {
    start_with(test_config()).await
}

/// Starts the server with `config` on a free port.
pub async fn start_with(config: Config) -> Server {
    migrated().await;
    let pool = db::pool(&app_url(), 8).expect("pool");
    let state = AppState::new(config, pool);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(tradebook_server::serve(listener, state, std::future::pending()));
    Server {
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
    }
}

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub token: String,
    pub refresh: String,
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl Server {
    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Answer { status, headers, body }
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// POST JSON with a token.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Registers and signs in a new user with a unique email.
    pub async fn user(&self, name: &str) -> User {
        let email = format!("{name}-{}@example.test", Uuid::new_v4().simple());
        let r = self
            .call(
                Method::POST,
                "/api/auth/register",
                None,
                Some(json!({"email": email, "name": name, "password": "correct horse battery"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{r:?}");
        let id: Uuid = r.body["id"].as_str().unwrap().parse().unwrap();
        let r = self
            .call(
                Method::POST,
                "/api/auth/login",
                None,
                Some(json!({"email": email, "password": "correct horse battery"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{r:?}");
        User {
            id,
            email,
            token: r.body["access_token"].as_str().unwrap().to_string(),
            refresh: r.body["refresh_token"].as_str().unwrap().to_string(),
        }
    }

    /// A new platform operator.
    pub async fn operator(&self) -> User {
        let u = self.user("operator").await;
        owner_client()
            .await
            .execute("UPDATE users SET is_operator = true WHERE id = $1", &[&u.id])
            .await
            .unwrap();
        u
    }

    /// A new community with `admin` as its first admin.
    pub async fn community(&self, op: &User, admin: &User) -> Uuid {
        let r = self
            .post(
                "/api/platform/communities",
                &op.token,
                json!({"name": format!("Community {}", Uuid::new_v4().simple()), "admin_email": admin.email}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{r:?}");
        r.body["id"].as_str().unwrap().parse().unwrap()
    }

    /// `user` joins `community` with `role` through an invitation of `admin`.
    pub async fn join(&self, admin: &User, community: Uuid, user: &User, role: &str) {
        let r = self
            .post(
                &format!("/api/communities/{community}/invitations"),
                &admin.token,
                json!({"role": role}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{r:?}");
        let code = r.body["code"].as_str().unwrap().to_string();
        let r = self
            .post(
                &format!("/api/communities/{community}/join"),
                &user.token,
                json!({"code": code}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{r:?}");
    }
}

/// A community with an admin, a moderator, two traders and a viewer.
pub struct Community {
    pub id: Uuid,
    pub admin: User,
    pub moderator: User,
    pub trader: User,
    pub trader2: User,
    pub viewer: User,
}

/// Sets up a [`Community`] (`op` creates it).
pub async fn community(s: &Server, op: &User) -> Community {
    let admin = s.user("admin").await;
    let id = s.community(op, &admin).await;
    let moderator = s.user("moderator").await;
    let trader = s.user("trader").await;
    let trader2 = s.user("trader2").await;
    let viewer = s.user("viewer").await;
    s.join(&admin, id, &moderator, "moderator").await;
    s.join(&admin, id, &trader, "trader").await;
    s.join(&admin, id, &trader2, "trader").await;
    s.join(&admin, id, &viewer, "viewer").await;
    Community {
        id,
        admin,
        moderator,
        trader,
        trader2,
        viewer,
    }
}

/// Pushes mutations `(id, name, args)` for `device` and returns the answer.
pub async fn push(
    s: &Server,
    user: &User,
    community: Uuid,
    device: &str,
    mutations: Vec<(u64, &str, Value)>,
) -> Answer {
    let mutations: Vec<Value> = mutations
        .into_iter()
        .map(|(id, name, args)| json!({"id": id, "name": name, "args": args}))
        .collect();
    s.post(
        &format!("/api/communities/{community}/sync/push"),
        &user.token,
        json!({"device_id": device, "mutations": mutations}),
    )
    .await
}

/// Seeds a closed winning trade (buy 10 @ 100, sell 10 @ 105, 1.00 fees each) and an open
/// one for `user`, returning (account id, closed trade id, open trade id).
pub async fn seed_trades(s: &Server, user: &User, community: Uuid) -> (Uuid, Uuid, Uuid) {
    let account = Uuid::now_v7();
    let (f1, f2, f3) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let now = chrono::Utc::now();
    let t = |mins: i64| (now - chrono::Duration::minutes(mins)).to_rfc3339();
    let r = push(
        s,
        user,
        community,
        "seed",
        vec![
            (
                1,
                "upsert_account",
                json!({"id": account, "name": "Main", "starting_balance": "10000"}),
            ),
            (
                2,
                "upsert_fill",
                json!({"id": f1, "account_id": account, "symbol": "AAPL", "asset_class": "stock",
                "side": "buy", "quantity": "10", "price": "100", "fees": "1.00", "executed_at": t(30)}),
            ),
            (
                3,
                "upsert_fill",
                json!({"id": f2, "account_id": account, "symbol": "AAPL", "asset_class": "stock",
                "side": "sell", "quantity": "10", "price": "105", "fees": "1.00", "executed_at": t(20)}),
            ),
            (
                4,
                "upsert_fill",
                json!({"id": f3, "account_id": account, "symbol": "MSFT", "asset_class": "stock",
                "side": "buy", "quantity": "5", "price": "400", "executed_at": t(10)}),
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{r:?}");
    assert_eq!(r.body["rejected"], json!([]), "{r:?}");
    (account, f1, f3)
}
