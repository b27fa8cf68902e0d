//! Sync and the community pages in the real window (issue 6): a community admin connects
//! the app to a local `tradebook-server` (over a throwaway PostgreSQL from
//! `scripts/with-test-db.sh`), the journal imported from a fixture goes up, the admin shows
//! on the leaderboard with the fixture's trade count on the members table, changes another
//! member's role after confirming, and the audit log shows the change. The session token is
//! in the OS keyring and nowhere in the data folder.
//!
//! Needs TRADEBOOK_SERVER (the release server binary), TRADEBOOK_TEST_DATABASE_URL and
//! TRADEBOOK_TEST_APP_DATABASE_URL (set by the README's test command); skipped with a notice
//! when they are missing and TRADEBOOK_REQUIRE_DATABASE is unset.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(method: &str, url: &str, token: Option<&str>, body: Value) -> Value {
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "-f", "-X", method, url, "-H", "content-type: application/json"]);
    if !body.is_null() {
        cmd.arg("-d").arg(body.to_string());
    }
    if let Some(t) = token {
        cmd.arg("-H").arg(format!("authorization: Bearer {t}"));
    }
    let out = cmd.output().expect("curl");
    assert!(
        out.status.success(),
        "{method} {url} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn psql(url: &str, sql: &str) {
    let ok = Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .status()
        .expect("psql")
        .success();
    assert!(ok, "psql: {sql}");
}

async fn select(client: &Client, element: &fantoccini::elements::Element, value: &str) {
    client
        .execute(
            "const el = arguments[0];
             const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
             setter.call(el, arguments[1]);
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::to_value(element).unwrap(), json!(value)],
        )
        .await
        .unwrap();
}

async fn wait_for_text(client: &Client, id: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let texts: Vec<String> = {
            let mut v = Vec::new();
            for e in client
                .find_all(Locator::Css(&format!("[data-testid=\"{id}\"]")))
                .await
                .unwrap()
            {
                v.push(e.text().await.unwrap_or_default());
            }
            v
        };
        if let Some(t) = texts.into_iter().find(|t| t.contains(needle)) {
            return t;
        }
        assert!(Instant::now() < deadline, "no {id} showing {needle:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn grep_dir(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let p = e.unwrap().path();
        if p.is_dir() {
            grep_dir(&p, needle)
        } else {
            std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
        }
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_sync_see_the_leaderboard_change_a_role_and_read_the_audit_log() {
    let (Ok(owner), Ok(app_url)) = (
        std::env::var("TRADEBOOK_TEST_DATABASE_URL"),
        std::env::var("TRADEBOOK_TEST_APP_DATABASE_URL"),
    ) else {
        assert!(
            std::env::var_os("TRADEBOOK_REQUIRE_DATABASE").is_none(),
            "TRADEBOOK_TEST_DATABASE_URL is not set"
        );
        eprintln!("skipped: no database (run through scripts/with-test-db.sh, as scripts/test.sh does)");
        return;
    };
    let server_bin = binary("TRADEBOOK_SERVER", "tradebook-server");
    let role = std::env::var("TRADEBOOK_TEST_APP_ROLE").unwrap_or_else(|_| "tradebook_app".into());
    let ok = Command::new(&server_bin)
        .args(["migrate", "--database-url", &owner, "--app-role", &role])
        .status()
        .unwrap()
        .success();
    assert!(ok, "migrations");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = Server(
        Command::new(&server_bin)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &app_url)
            .env("TRADEBOOK_JWT_SECRET", "e2e-secret-e2e-secret-e2e-secret-e2e")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A community: an operator creates it for Ada (admin); Ben joins as a trader.
    let password = "correct horse battery";
    for (email, name) in [("ada@e2e.test", "Ada Admin"), ("ben@e2e.test", "Ben Trader")] {
        http(
            "POST",
            &format!("{base}/api/auth/register"),
            None,
            json!({"email": email, "name": name, "password": password}),
        );
    }
    psql(
        &owner,
        "UPDATE users SET is_operator = true WHERE email = 'ada@e2e.test'",
    );
    let login = |email: &str| {
        http(
            "POST",
            &format!("{base}/api/auth/login"),
            None,
            json!({"email": email, "password": password}),
        )["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let ada = login("ada@e2e.test");
    let community = http(
        "POST",
        &format!("{base}/api/platform/communities"),
        Some(&ada),
        json!({"name": "Morning Desk", "admin_email": "ada@e2e.test"}),
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let code = http(
        "POST",
        &format!("{base}/api/communities/{community}/invitations"),
        Some(&ada),
        json!({"role": "trader"}),
    )["code"]
        .as_str()
        .unwrap()
        .to_string();
    let ben = login("ben@e2e.test");
    http(
        "POST",
        &format!("{base}/api/communities/{community}/join"),
        Some(&ben),
        json!({ "code": code }),
    );

    // Ada's journal: a real broker export.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let file = fixture("tradovate/hamtaro777-fills.csv");
    cli(
        &db,
        &["import", file.to_str().unwrap(), "--account", "Tradovate", "--json"],
    );
    let closed = cli(&db, &["stats", "--json"])["trades"].as_u64().unwrap();
    assert!(closed > 0);

    let (_driver, client) = start(&db).await;
    by_test_id(&client, "page-dashboard").await;

    // Settings → Community: connect.
    click(&client, "nav-settings").await;
    set_input(&client, "community-server-url", &base).await;
    set_input(&client, "community-email", "ada@e2e.test").await;
    set_input(&client, "community-password", password).await;
    click(&client, "community-connect").await;
    let status = wait_for_text(&client, "community-status", "Morning Desk").await;
    assert!(status.to_lowercase().contains("admin"), "{status}");
    // The upload finishes: nothing waits.
    wait_for_text(&client, "community-pending", "everything is on the server").await;
    screenshot(&client, "community-settings.png").await;

    // Community: opt in to the leaderboard and find Ada on it.
    click(&client, "nav-community").await;
    // Nobody is on it yet and the form shows Ada's current choice: off. The cards above are
    // still loading and move the form, so its controls are clicked from script (their own
    // handlers run) rather than at a coordinate.
    by_test_id(&client, "leaderboard-empty").await;
    let opt_in = by_test_id(&client, "leaderboard-opt-in").await;
    assert_eq!(
        opt_in.prop("checked").await.unwrap().as_deref(),
        Some("false"),
        "off until chosen"
    );
    js_click(&client, &opt_in).await;
    let save = by_test_id(&client, "leaderboard-save").await;
    js_click(&client, &save).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if client
            .find(Locator::Css("[data-testid=\"leaderboard-saved\"]"))
            .await
            .is_ok()
        {
            break;
        }
        if Instant::now() > deadline {
            screenshot(&client, "community-save-failed.png").await;
            let page = client.source().await.unwrap_or_default();
            let at = page.find("data-testid=\"leaderboard\"").unwrap_or(0);
            panic!(
                "the leaderboard choice was not saved: {}",
                &page[at..(at + 1500).min(page.len())]
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    wait_for_text(&client, "leaderboard-row", "Ada Admin").await;
    screenshot(&client, "community.png").await;

    // Admin: Ada's synced trades count on the members table; Ben becomes a moderator.
    click(&client, "nav-admin").await;
    let row = wait_for_text(&client, "admin-members-row", "ada@e2e.test").await;
    assert!(
        row.contains(&closed.to_string()),
        "members table shows {closed} trades: {row}"
    );
    let rows = client
        .find_all(Locator::Css("[data-testid=\"admin-members-row\"]"))
        .await
        .unwrap();
    let mut ben_row = None;
    for r in rows {
        if r.text().await.unwrap().contains("ben@e2e.test") {
            ben_row = Some(r);
        }
    }
    let ben_row = ben_row.expect("Ben on the members table");
    let role_select = ben_row
        .find(Locator::Css("[data-testid=\"role-select\"]"))
        .await
        .unwrap();
    select(&client, &role_select, "moderator").await;
    click(&client, "confirm-role-change").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let role_now = client
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"admin-members-row\"]')]
                   .find(r => r.textContent.includes('ben@e2e.test'))?.getAttribute('data-role')",
                vec![],
            )
            .await
            .unwrap();
        if role_now == json!("moderator") {
            break;
        }
        assert!(Instant::now() < deadline, "Ben's role did not change: {role_now}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let audit = wait_for_text(&client, "audit-row", "member.role_changed").await;
    assert!(audit.contains("moderator"), "the audit row shows the new role: {audit}");
    screenshot(&client, "admin.png").await;

    // The server agrees, and the session is in the keyring, not in the data folder.
    let members = http(
        "GET",
        &format!("{base}/api/communities/{community}/members?q=ben"),
        Some(&ada),
        Value::Null,
    );
    assert_eq!(members["items"][0]["role"], "moderator", "{members}");
    let status = cli(&db, &["sync", "status", "--json"]);
    assert_eq!(status["connected"], true);
    assert_eq!(status["pending"], 0, "{status}");
    let device = status["device_id"].as_str().unwrap();
    let out = Command::new("keyctl")
        .args(["search", "@s", "user", &format!("keyring-rs:{device}@tradebook-sync")])
        .output()
        .unwrap();
    assert!(out.status.success(), "the session is in the kernel keyring");
    let key = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let secret = Command::new("keyctl").args(["pipe", &key]).output().unwrap().stdout;
    let tokens: Value = serde_json::from_slice(&secret).expect("the session JSON");
    for t in ["access_token", "refresh_token"] {
        let token = tokens[t].as_str().unwrap();
        assert!(
            !grep_dir(dir.path(), token.as_bytes()),
            "{t} is written in the data folder"
        );
    }
    client.close().await.unwrap();
}
