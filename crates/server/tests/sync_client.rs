//! The desktop sync client (`tradebook-sync-client`) against the real server: real SQLite
//! journals (two devices of one member, and a fresh third one), the real `tradebook-server`
//! binary over the test PostgreSQL, and a fault-injecting proxy between them that drops
//! requests, drops responses after the server handled them, duplicates and delays requests,
//! while the server process is killed (-9) and restarted mid-push. Also kill -9 of the
//! client (`tradebook sync now`) mid-sync, and the session token's absence from the data
//! folder (it lives in the OS keyring).
//!
//! Checks: after quiescence every device holds the same fills, annotations, journal notes,
//! trades and statistics; deletes win; nothing a device wrote and the server acknowledged
//! is lost; no fill is duplicated; `PRAGMA integrity_check` is ok.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, Response, StatusCode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use tradebook_store::{AnnotationEdit, FillEdit, Store, TradeQuery};
use tradebook_sync_client::{self as client, Api, ConnectOptions, MemoryTokens, Retry, SyncOptions, TokenStore};
use uuid::Uuid;

const PASSWORD: &str = "correct horse battery";

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(rel)
}

// ---------------------------------------------------------------------------------------
// The server as a separate process, so it can be killed -9 and restarted.

struct ServerProcess {
    port: u16,
    child: Option<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl ServerProcess {
    fn start() -> ServerProcess {
        let mut s = ServerProcess {
            port: free_port(),
            child: None,
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_tradebook-server"))
            .args(["serve", "--listen", &format!("127.0.0.1:{}", self.port)])
            .env("DATABASE_URL", common::app_url())
            .env("TRADEBOOK_JWT_SECRET", std::str::from_utf8(common::SECRET).unwrap())
            .env("TRADEBOOK_RATE_PER_IP_PER_MINUTE", "1000000")
            .env("TRADEBOOK_RATE_PER_USER_PER_MINUTE", "1000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start tradebook-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("tradebook-server did not listen on {}", self.port);
    }

    /// kill -9 and start again on the same port.
    fn crash_and_restart(&mut self) {
        self.kill();
        self.spawn();
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

// ---------------------------------------------------------------------------------------
// The fault-injecting proxy.

#[derive(Debug, Clone, Copy, Default)]
struct Faults {
    /// Refuse everything (the server is "down").
    down: bool,
    /// Answer 502 without forwarding.
    drop_request: f64,
    /// Forward, then answer 502 (the server applied it; the client never hears).
    drop_response: f64,
    /// Forward twice concurrently, answer with one of the two.
    duplicate: f64,
    /// Wait up to this long before forwarding.
    max_delay_ms: u64,
}

#[derive(Clone)]
struct ProxyState {
    upstream: String,
    faults: Arc<Mutex<Faults>>,
    rng: Arc<Mutex<StdRng>>,
    http: reqwest::Client,
    injected: Arc<Mutex<BTreeMap<&'static str, u32>>>,
}

async fn forward_once(
    p: &ProxyState,
    method: &reqwest::Method,
    uri: &str,
    headers: &axum::http::HeaderMap,
    body: &axum::body::Bytes,
) -> Result<(u16, Vec<u8>), ()> {
    let mut req = p.http.request(method.clone(), format!("{}{uri}", p.upstream));
    for name in ["authorization", "content-type"] {
        if let Some(v) = headers.get(name) {
            req = req.header(name, v.as_bytes());
        }
    }
    let res = req.body(body.to_vec()).send().await.map_err(|_| ())?;
    let status = res.status().as_u16();
    let bytes = res.bytes().await.map_err(|_| ())?;
    Ok((status, bytes.to_vec()))
}

fn bad_gateway() -> Response<Body> {
    Response::builder()
        .status(StatusCode::BAD_GATEWAY)
        .header("content-type", "application/json")
        .body(Body::from(
            r#"{"error":{"code":"bad_gateway","message":"injected fault"}}"#,
        ))
        .unwrap()
}

async fn proxy(State(p): State<ProxyState>, req: Request<Body>) -> Response<Body> {
    let faults = *p.faults.lock().unwrap();
    let (roll_req, roll_resp, roll_dup, delay) = {
        let mut rng = p.rng.lock().unwrap();
        (
            rng.gen::<f64>(),
            rng.gen::<f64>(),
            rng.gen::<f64>(),
            if faults.max_delay_ms > 0 {
                rng.gen_range(0..faults.max_delay_ms)
            } else {
                0
            },
        )
    };
    let count = |what: &'static str| *p.injected.lock().unwrap().entry(what).or_default() += 1;
    if faults.down {
        count("down");
        return Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .body(Body::from(
                r#"{"error":{"code":"unavailable","message":"server down"}}"#,
            ))
            .unwrap();
    }
    if roll_req < faults.drop_request {
        count("drop_request");
        return bad_gateway();
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let uri = parts.uri.path_and_query().map(|pq| pq.to_string()).unwrap_or_default();
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).unwrap();
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let result = if roll_dup < faults.duplicate {
        count("duplicate");
        let (a, b) = tokio::join!(
            forward_once(&p, &method, &uri, &parts.headers, &body),
            forward_once(&p, &method, &uri, &parts.headers, &body)
        );
        if roll_resp < 0.5 {
            a
        } else {
            b
        }
    } else {
        forward_once(&p, &method, &uri, &parts.headers, &body).await
    };
    let Ok((status, bytes)) = result else {
        count("upstream_gone");
        return bad_gateway();
    };
    if roll_resp < faults.drop_response {
        count("drop_response");
        return bad_gateway();
    }
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(bytes))
        .unwrap()
}

struct Proxy {
    base: String,
    faults: Arc<Mutex<Faults>>,
    injected: Arc<Mutex<BTreeMap<&'static str, u32>>>,
}

fn start_proxy(rt: &tokio::runtime::Runtime, upstream_port: u16, seed: u64) -> Proxy {
    let state = ProxyState {
        upstream: format!("http://127.0.0.1:{upstream_port}"),
        faults: Arc::default(),
        rng: Arc::new(Mutex::new(StdRng::seed_from_u64(seed))),
        http: reqwest::Client::new(),
        injected: Arc::default(),
    };
    let faults = Arc::clone(&state.faults);
    let injected = Arc::clone(&state.injected);
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(proxy).with_state(state);
    rt.spawn(async move { axum::serve(listener, app).await });
    Proxy {
        base: format!("http://{addr}"),
        faults,
        injected,
    }
}

// ---------------------------------------------------------------------------------------
// Devices.

struct Device {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
    api: Api,
}

fn retry() -> Retry {
    Retry {
        attempts: 12,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(400),
    }
}

impl Device {
    fn new() -> Device {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let store = Store::open(&path).unwrap();
        Device {
            _dir: dir,
            path,
            store,
            api: Api::new("http://127.0.0.1:1", Arc::new(MemoryTokens::default())).unwrap(),
        }
    }

    fn import(&mut self, rel: &str, account: &str) {
        let options = tradebook_import::ImportOptions {
            account_name: Some(account.into()),
            ..Default::default()
        };
        tradebook_import::import_file(&mut self.store, &fixture(rel), &options, &mut |_| true).unwrap();
    }

    fn connect(&mut self, server: &str, email: &str) {
        let tokens: Arc<dyn TokenStore> = Arc::new(MemoryTokens::default());
        let t = Arc::clone(&tokens);
        let options = ConnectOptions {
            server_url: server.into(),
            email: email.into(),
            password: PASSWORD.into(),
            ..Default::default()
        };
        client::connect(&mut self.store, &options, &move |_| Ok(Arc::clone(&t))).unwrap();
        self.api = Api::new(server, tokens).unwrap().with_retry(retry());
    }

    fn sync(&mut self) -> client::Result<client::SyncReport> {
        client::sync_now(&mut self.store, &self.api, &SyncOptions::default())
    }

    /// Syncs until a sync succeeds (faults may defeat a whole retry budget).
    fn sync_until_ok(&mut self) -> client::SyncReport {
        let mut last = None;
        for _ in 0..20 {
            match self.sync() {
                Ok(r) => return r,
                Err(e) => last = Some(e),
            }
        }
        panic!("sync never succeeded: {last:?}");
    }

    /// Everything that must be equal across devices, as comparable text.
    fn snapshot(&self) -> Snapshot {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        let rows = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let n = stmt.column_count();
            stmt.query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
        };
        let stats = self.store.stats(&TradeQuery::default(), Decimal::ZERO).unwrap();
        Snapshot {
            accounts: rows("SELECT id, platform, currency, timezone, starting_balance FROM accounts ORDER BY id"),
            fills: rows(
                "SELECT id, account_id, asset_class, symbol, underlying, expiry, strike, option_right, multiplier, \
                 side, quantity, price, fees, executed_at, source_tz, seq, position_effect, dedupe_key \
                 FROM fills ORDER BY id",
            ),
            trades: rows(
                "SELECT id, account_id, symbol, direction, status, quantity, entry_price, exit_price, opened_at, \
                 closed_at, trading_day, gross_pnl, fees, net_pnl, fill_count, closing_fill_id FROM trades ORDER BY id",
            ),
            annotations: rows(
                "SELECT a.trade_id, a.notes, a.setup, a.planned_stop, \
                 (SELECT group_concat(tag, ',') FROM (SELECT tag FROM trade_tags t WHERE t.trade_id = a.trade_id ORDER BY tag)), \
                 (SELECT group_concat(mistake, ',') FROM (SELECT mistake FROM trade_mistakes m WHERE m.trade_id = a.trade_id ORDER BY mistake)) \
                 FROM annotations a ORDER BY a.trade_id",
            ),
            notes: rows("SELECT day, notes FROM journal_notes ORDER BY day"),
            stats: format!(
                "{} {} {} {:?} {}",
                stats.trades, stats.net_pnl, stats.gross_pnl, stats.win_rate, stats.fees
            ),
        }
    }

    fn integrity(&self) -> String {
        self.store.integrity_check().unwrap()
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    accounts: Vec<String>,
    fills: Vec<String>,
    trades: Vec<String>,
    annotations: Vec<String>,
    notes: Vec<String>,
    stats: String,
}

fn assert_same(a: &Snapshot, b: &Snapshot, what: &str) {
    for (name, x, y) in [
        ("accounts", &a.accounts, &b.accounts),
        ("fills", &a.fills, &b.fills),
        ("trades", &a.trades, &b.trades),
        ("annotations", &a.annotations, &b.annotations),
        ("journal notes", &a.notes, &b.notes),
    ] {
        if x != y {
            let only_a: Vec<_> = x.iter().filter(|r| !y.contains(r)).take(3).collect();
            let only_b: Vec<_> = y.iter().filter(|r| !x.contains(r)).take(3).collect();
            panic!(
                "{what}: {name} differ ({} vs {} rows)\n only in first: {only_a:#?}\n only in second: {only_b:#?}",
                x.len(),
                y.len()
            );
        }
    }
    assert_eq!(a.stats, b.stats, "{what}: statistics differ");
}

/// A member with the trader role in a fresh community, through the in-process test server
/// (same database, same signing secret).
fn member(rt: &tokio::runtime::Runtime) -> String {
    rt.block_on(async {
        let s = common::start().await;
        let op = s.operator().await;
        let c = common::community(&s, &op).await;
        c.trader.email.clone()
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn first_trade(store: &Store) -> String {
    store.trades(&TradeQuery::default()).unwrap()[0].trade.id.clone()
}

fn edit_price(store: &mut Store, fill_id: &str, delta: Decimal) {
    let f = store.fill(fill_id).unwrap().fill;
    store
        .update_fill(
            fill_id,
            &FillEdit {
                side: f.side,
                quantity: f.quantity,
                price: f.price + delta,
                fees: f.fees,
                executed_at: f.executed_at,
            },
        )
        .unwrap();
}

#[test]
fn two_devices_converge_after_offline_edits_and_deletes_win() {
    if common::skip() {
        return;
    }
    let rt = runtime();
    let email = member(&rt);
    let server = ServerProcess::start();
    let proxy = start_proxy(&rt, server.port, 1);

    let mut a = Device::new();
    a.import("webull/jonesjakeryan-orders-stocks-2025.csv", "Webull");
    a.connect(&proxy.base, &email);
    let report = a.sync().unwrap();
    assert!(report.pushed > 10, "{report:?}");
    assert_eq!(a.store.sync_state().unwrap().pending, 0);

    let mut b = Device::new();
    b.connect(&proxy.base, &email);
    let report = b.sync().unwrap();
    assert!(
        report.pulled >= report.applied.applied && report.applied.applied > 10,
        "{report:?}"
    );
    assert_same(&a.snapshot(), &b.snapshot(), "after the first sync");

    // The server goes down; both devices keep working.
    proxy.faults.lock().unwrap().down = true;
    let trade = first_trade(&a.store);
    let fills: Vec<String> = a.store.fills(None).unwrap().into_iter().map(|r| r.fill.id).collect();
    let (edited, deleted) = (fills[0].clone(), fills[3].clone());
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();

    a.store
        .annotate(
            &trade,
            &AnnotationEdit {
                notes: "Entered on the retest".into(),
                tags: vec!["a-side".into()],
                ..Default::default()
            },
        )
        .unwrap();
    edit_price(&mut a.store, &edited, Decimal::ONE);
    a.store.delete_fills(std::slice::from_ref(&deleted)).unwrap();
    a.store.set_journal_note(day, "note from A").unwrap();

    let current = b.store.annotation(&trade).unwrap();
    b.store
        .annotate(
            &trade,
            &AnnotationEdit {
                notes: current.notes,
                setup: Some("Breakout".into()),
                tags: vec!["b-side".into()],
                ..Default::default()
            },
        )
        .unwrap();
    edit_price(&mut b.store, &deleted, Decimal::TEN);
    b.store.set_journal_note(day, "note from B").unwrap();
    b.import("tradovate/hamtaro777-fills.csv", "Tradovate");

    for d in [&mut a, &mut b] {
        let e = d.sync().expect_err("the server is down");
        let state = d.store.sync_state().unwrap();
        assert!(state.pending > 0, "changes wait while offline");
        assert!(state.last_error.is_some(), "the failure is recorded for the UI: {e}");
    }

    proxy.faults.lock().unwrap().down = false;
    a.sync().unwrap();
    b.sync().unwrap();
    a.sync().unwrap();
    let (sa, sb) = (a.snapshot(), b.snapshot());
    assert_same(&sa, &sb, "after the offline edits");
    for d in [&a, &b] {
        assert_eq!(d.store.sync_state().unwrap().pending, 0);
        assert_eq!(d.integrity(), "ok");
        assert!(d.store.fill(&deleted).is_err(), "a delete wins over a concurrent edit");
        let ann = d.store.annotation(&trade).unwrap();
        assert_eq!(
            ann.notes, "Entered on the retest",
            "A's notes stay: B did not change them"
        );
        assert_eq!(
            ann.setup.as_deref(),
            Some("Breakout"),
            "B's setup joins them (per-field)"
        );
        assert_eq!(
            ann.tags,
            vec!["b-side".to_string()],
            "tags: B wrote last in server order"
        );
        assert_eq!(d.store.journal_note(day).unwrap().unwrap().notes, "note from B");
    }
    let b_fills = b
        .store
        .fills(Some(&b.store.account_by_name("Tradovate").unwrap().unwrap().id))
        .unwrap();
    assert!(!b_fills.is_empty());
    assert!(
        b_fills.iter().all(|f| a.store.fill(&f.fill.id).is_ok()),
        "B's offline import reached A"
    );

    // A new device gets exactly the same journal from the server alone.
    let mut c = Device::new();
    c.connect(&proxy.base, &email);
    c.sync().unwrap();
    assert_same(&sa, &c.snapshot(), "a new device");

    // An undo removes the file's fills everywhere; importing the file again (same fill ids)
    // brings them back everywhere: a whole fill re-created after its delete is not an edit.
    let batch = a
        .store
        .import_batches()
        .unwrap()
        .into_iter()
        .find(|b| b.file_name.contains("jonesjakeryan"))
        .unwrap();
    a.store.undo_import(&batch.id).unwrap();
    a.sync().unwrap();
    b.sync().unwrap();
    assert!(b.store.fill(&edited).is_err(), "the undo reached B");
    a.import("webull/jonesjakeryan-orders-stocks-2025.csv", "Webull");
    a.sync().unwrap();
    b.sync().unwrap();
    assert!(b.store.fill(&edited).is_ok(), "the re-import reached B");
    assert_same(&a.snapshot(), &b.snapshot(), "after an undo and a re-import");
}

#[test]
fn sync_converges_under_dropped_duplicated_delayed_requests_and_server_crashes() {
    if common::skip() {
        return;
    }
    let rt = runtime();
    let email = member(&rt);
    let server = Arc::new(Mutex::new(ServerProcess::start()));
    let port = server.lock().unwrap().port;
    let proxy = start_proxy(&rt, port, 7);

    let mut a = Device::new();
    a.import("tradovate/hamtaro777-fills.csv", "Tradovate");
    a.import("webull/jonesjakeryan-orders-stocks-2025.csv", "Webull");
    a.connect(&proxy.base, &email);
    let mut b = Device::new();
    b.connect(&proxy.base, &email);

    *proxy.faults.lock().unwrap() = Faults {
        down: false,
        drop_request: 0.1,
        drop_response: 0.2,
        duplicate: 0.2,
        max_delay_ms: 30,
    };
    // Crash and restart the server now and then while the devices sync.
    let stop = Arc::new(AtomicBool::new(false));
    let crasher = {
        let (server, stop) = (Arc::clone(&server), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut crashes = 0;
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(700));
                server.lock().unwrap().crash_and_restart();
                crashes += 1;
            }
            crashes
        })
    };

    let mut rng = StdRng::seed_from_u64(42);
    for round in 0..4 {
        // Random local edits on both devices between syncs.
        for d in [&mut a, &mut b] {
            let fills: Vec<String> = d.store.fills(None).unwrap().into_iter().map(|r| r.fill.id).collect();
            if fills.is_empty() {
                continue;
            }
            for _ in 0..3 {
                let f = &fills[rng.gen_range(0..fills.len())];
                edit_price(&mut d.store, f, Decimal::new(rng.gen_range(1..100), 2));
            }
            if round == 2 {
                let f = fills[rng.gen_range(0..fills.len())].clone();
                d.store.delete_fills(&[f]).unwrap();
            }
            let trades = d.store.trades(&TradeQuery::default()).unwrap();
            let t = &trades[rng.gen_range(0..trades.len())].trade.id;
            d.store
                .add_tag(std::slice::from_ref(t), &format!("round-{round}"))
                .unwrap();
            let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1 + round).unwrap();
            d.store
                .set_journal_note(day, &format!("round {round} {}", rng.gen::<u32>()))
                .unwrap();
        }
        // Both devices sync at the same time; any attempt may fail.
        std::thread::scope(|s| {
            let (a, b) = (&mut a, &mut b);
            s.spawn(move || {
                let _ = a.sync();
            });
            s.spawn(move || {
                let _ = b.sync();
            });
        });
    }
    stop.store(true, Ordering::SeqCst);
    let crashes = crasher.join().unwrap();
    assert!(crashes >= 1, "the server was restarted at least once");
    let injected = proxy.injected.lock().unwrap().clone();
    for fault in ["drop_request", "drop_response", "duplicate"] {
        assert!(
            injected.get(fault).copied().unwrap_or(0) > 0,
            "{fault} was injected: {injected:?}"
        );
    }

    // Quiescence: faults off, everyone syncs until nothing moves.
    *proxy.faults.lock().unwrap() = Faults::default();
    a.sync_until_ok();
    b.sync_until_ok();
    a.sync_until_ok();
    let (sa, sb) = (a.snapshot(), b.snapshot());
    assert_same(&sa, &sb, "devices after the storm");
    let mut c = Device::new();
    c.connect(&proxy.base, &email);
    c.sync_until_ok();
    assert_same(&sa, &c.snapshot(), "a new device after the storm");
    for d in [&a, &b, &c] {
        assert_eq!(d.integrity(), "ok");
        assert_eq!(d.store.sync_state().unwrap().pending, 0);
    }
    let mut ids: Vec<&String> = sa.fills.iter().collect();
    ids.dedup();
    assert_eq!(ids.len(), sa.fills.len(), "no fill twice");
    eprintln!("faults injected: {injected:?}; server crashes: {crashes}");
}

// ---------------------------------------------------------------------------------------
// The CLI: kill -9 mid-sync, and the token only in the keyring.

fn cli(db: &Path) -> Command {
    let exe = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target")
        .join(if cfg!(debug_assertions) {
            "debug/tradebook"
        } else {
            "release/tradebook"
        });
    let exe = std::env::var_os("TRADEBOOK_CLI").map(PathBuf::from).unwrap_or(exe);
    let mut c = Command::new(exe);
    c.arg("--db").arg(db).env_remove("DBUS_SESSION_BUS_ADDRESS");
    c
}

fn cli_json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().expect("run tradebook");
    assert!(
        out.status.success(),
        "tradebook failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn grep_dir(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(grep_dir(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn a_client_killed_mid_sync_resumes_and_the_token_lives_only_in_the_keyring() {
    if common::skip() {
        return;
    }
    // The CLI is built by scripts/test-server.sh; skip quietly when run alone without it.
    let probe = cli(Path::new("/nonexistent/x.sqlite"));
    if !Path::new(probe.get_program()).exists() {
        assert!(
            std::env::var_os("TRADEBOOK_REQUIRE_DATABASE").is_none(),
            "the tradebook CLI is not built"
        );
        return;
    }
    std::env::remove_var("DBUS_SESSION_BUS_ADDRESS");
    let rt = runtime();
    let email = member(&rt);
    let server = ServerProcess::start();
    let base = format!("http://127.0.0.1:{}", server.port);

    // Device A (in-process) uploads a journal.
    let mut a = Device::new();
    a.import("tradovate/hamtaro777-fills.csv", "Tradovate");
    a.import("webull/jonesjakeryan-orders-stocks-2025.csv", "Webull");
    a.import("webull/mlyhoops-orders-options-2022.csv", "Webull options");
    // Enough rows that a sync takes a while and a kill lands in the middle of it.
    let account = a
        .store
        .create_account(&tradebook_store::NewAccount::named("Generated", "other"))
        .unwrap();
    let start = chrono::Utc::now() - chrono::Duration::days(30);
    let fills: Vec<tradebook_core::Fill> = (0..6000)
        .map(|i: i64| tradebook_core::Fill {
            id: Uuid::now_v7().to_string(),
            account_id: account.id.clone(),
            instrument: tradebook_core::Instrument::stock(format!("SYM{}", i % 20)),
            side: if (i / 20) % 2 == 0 {
                tradebook_core::Side::Buy
            } else {
                tradebook_core::Side::Sell
            },
            quantity: Decimal::from(10),
            price: Decimal::new(10_000 + (i * 37) % 500, 2),
            fees: Decimal::new(35, 2),
            executed_at: start + chrono::Duration::seconds(i * 60),
            source_tz: chrono_tz::America::New_York,
            seq: 0,
            position_effect: None,
        })
        .collect();
    a.store.add_manual_fills(&fills).unwrap();
    a.connect(&base, &email);
    a.sync().unwrap();

    // Device B is the CLI: log in without syncing, then kill -9 its syncs at random moments.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let mut login = cli(&db);
    login
        .args([
            "sync",
            "login",
            "--server",
            &base,
            "--email",
            &email,
            "--no-sync",
            "--json",
        ])
        .env("TRADEBOOK_PASSWORD", PASSWORD);
    let status = cli_json(&mut login);
    assert_eq!(status["connected"], true, "{status}");
    assert_eq!(status["keyring"], "keyutils", "{status}");
    let device: Uuid = status["device_id"].as_str().unwrap().parse().unwrap();

    let mut rng = StdRng::seed_from_u64(9);
    let mut killed = 0;
    for _ in 0..8 {
        let mut child = cli(&db)
            .args(["sync", "now", "--json"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.gen_range(30..250)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        let store = Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
    let done = cli_json(cli(&db).args(["sync", "now", "--json"]));
    assert_eq!(done["pending"], 0, "{done}");
    eprintln!("killed {killed} syncs mid-way");
    assert!(killed >= 2, "the kills landed mid-sync ({killed})");
    let b = Store::open(&db).unwrap();
    let snapshot_b = Device {
        _dir: tempfile::tempdir().unwrap(),
        path: db.clone(),
        store: b,
        api: a.api.clone(),
    }
    .snapshot();
    assert_same(&a.snapshot(), &snapshot_b, "the CLI device after kill -9s");

    // The session is in the keyring (this process shares the kernel session keyring with
    // the CLI it started) and nowhere in the data folder.
    let tokens = client::KeyringTokens::for_device(device)
        .unwrap()
        .load()
        .unwrap()
        .expect("tokens in the keyring");
    for secret in [&tokens.access_token, &tokens.refresh_token] {
        let hits = grep_dir(dir.path(), secret.as_bytes());
        assert!(hits.is_empty(), "a token is written in {hits:?}");
    }
    let out = cli(&db).args(["sync", "logout"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        client::KeyringTokens::for_device(device)
            .unwrap()
            .load()
            .unwrap()
            .is_none(),
        "logout removes the session from the keyring"
    );
}

/// A client signed in as `user` of the in-process server at `base`.
fn signed_in(base: &str, user: &common::User) -> Api {
    let tokens = MemoryTokens::default();
    tokens
        .save(&client::Tokens {
            access_token: user.token.clone(),
            refresh_token: user.refresh.clone(),
        })
        .unwrap();
    Api::new(base, Arc::new(tokens)).unwrap()
}

/// Every named method of the client reaches its route and reads the answer as the
/// contract's type, against the real server, as the role the route asks for; a role below
/// it gets the contract's `forbidden` code, not a parse failure.
#[test]
fn the_clients_named_methods_speak_the_contract() {
    use client::contract::{
        flags::FlagSetting, members::AuditQuery, platform::CreateCommunity, platform::PlatformAuditQuery,
        providers::CreateProvider, providers::FeedQuery, providers::NewSignal, trader::RiskProfile,
        trader::TradesQuery, AuditAction, CommunityStatus, ErrorCode, PlatformAuditAction, SignalSide,
    };
    if common::skip() {
        return;
    }
    let rt = runtime();
    let (base, op, c) = rt.block_on(async {
        let s = common::start().await;
        let op = s.operator().await;
        let c = common::community(&s, &op).await;
        (s.base.clone(), op, c)
    });
    let operator = signed_in(&base, &op);
    let moderator = signed_in(&base, &c.moderator);
    let admin = signed_in(&base, &c.admin);
    let trader = signed_in(&base, &c.trader);
    let viewer = signed_in(&base, &c.viewer);

    // Providers and signals.
    let provider = moderator
        .create_provider(
            c.id,
            &CreateProvider {
                name: "Opening range".into(),
                description: None,
            },
        )
        .unwrap();
    let signal = moderator
        .post_signal(
            c.id,
            provider.id,
            &NewSignal {
                symbol: "ES".into(),
                side: SignalSide::Buy,
                entry: Some(Decimal::new(500_025, 2)),
                stop: None,
                target: None,
                note: None,
            },
        )
        .unwrap();
    assert_eq!(signal.side, SignalSide::Buy);
    assert!(trader.follow(c.id, provider.id, true).unwrap().following);
    let feed = trader.signals(c.id, &FeedQuery::default()).unwrap();
    assert_eq!(feed.iter().map(|s| s.id).collect::<Vec<_>>(), vec![signal.id]);
    match viewer.post_signal(
        c.id,
        provider.id,
        &NewSignal {
            symbol: "NQ".into(),
            side: SignalSide::Sell,
            entry: None,
            stop: None,
            target: None,
            note: None,
        },
    ) {
        Err(client::SyncError::Server { code, .. }) => assert_eq!(code, ErrorCode::Forbidden),
        other => panic!("a viewer posted a signal: {other:?}"),
    }

    // The trader's own data.
    let page = trader.my_trades(c.id, &TradesQuery::default()).unwrap();
    assert_eq!(page.total, 0);
    let limits = RiskProfile {
        max_risk_per_trade_pct: Decimal::new(1, 0),
        max_daily_loss_pct: Decimal::new(3, 0),
        max_position_size_pct: Decimal::new(25, 0),
    };
    assert_eq!(trader.set_my_risk_profile(c.id, &limits).unwrap(), limits);
    assert_eq!(trader.my_risk_profile(c.id).unwrap(), limits);

    // Flags: set by an admin, evaluated for a member.
    let on = FlagSetting {
        enabled: true,
        rollout_percent: 100,
    };
    assert_eq!(admin.set_flag(c.id, "new_dashboard", &on).unwrap(), on);
    assert_eq!(viewer.flags(c.id).unwrap().get("new_dashboard"), Some(&true));

    // The audit log reads its actions as the contract's enum, and filters by one.
    let log = admin
        .audit_log(
            c.id,
            &AuditQuery {
                action: Some(AuditAction::FlagSet),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, AuditAction::FlagSet);

    // The platform operator.
    let created = operator
        .create_community(&CreateCommunity {
            name: format!("Client {}", Uuid::new_v4().simple()),
            admin_email: None,
        })
        .unwrap();
    assert!(operator.communities().unwrap().iter().any(|v| v.id == created.id));
    let suspended = operator.set_community_suspended(created.id, true).unwrap();
    assert_eq!(suspended.status, CommunityStatus::Suspended);
    let resumed = operator.set_community_suspended(created.id, false).unwrap();
    assert_eq!(resumed.status, CommunityStatus::Active);
    let events = operator
        .platform_audit(&PlatformAuditQuery {
            action: Some(PlatformAuditAction::CommunitySuspended),
            ..Default::default()
        })
        .unwrap();
    assert!(events
        .iter()
        .any(|e| e.target.as_deref() == Some(created.id.to_string().as_str())));
    assert!(matches!(
        trader.communities(),
        Err(client::SyncError::Server {
            code: ErrorCode::Forbidden,
            ..
        })
    ));
}
