//! Helpers shared by the window tests: start the real app under tauri-driver, find
//! elements by `data-testid`, run the CLI on the same journal.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

pub fn binary(env: &str, name: &str) -> PathBuf {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("release").join(name));
    assert!(
        path.is_file(),
        "{} not found: build it first or set {env}",
        path.display()
    );
    path
}

pub fn fixture(rel: &str) -> PathBuf {
    workspace().join("../shared/fixtures").join(rel).canonicalize().unwrap()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// tauri-driver, stopped with SIGTERM so that it stops WebKitWebDriver too.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
    }
}

pub fn cli(db: &Path, args: &[&str]) -> Value {
    let out = Command::new(binary("TRADEBOOK_CLI", "tradebook"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tradebook {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub async fn start(db: &Path) -> (Driver, Client) {
    let port = free_port();
    let native_port = free_port();
    let child = Command::new("tauri-driver")
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .env("TRADEBOOK_DB", db)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tauri-driver on PATH (cargo install tauri-driver --locked)");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert(
        "tauri:options".into(),
        json!({ "application": binary("TRADEBOOK_APP", "tradebook-app").display().to_string() }),
    );
    // tauri-driver listens before its WebKitWebDriver is ready to start a session; a refused
    // first attempt is retried (the app itself is started anew by each attempt).
    let mut attempt = 0;
    let client = loop {
        attempt += 1;
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(e) if attempt < 4 => {
                eprintln!("no WebDriver session yet ({e}); retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => panic!("a WebDriver session with the app: {e}"),
        }
    };
    (driver, client)
}

pub async fn by_test_id(client: &Client, id: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(&format!("[data-testid=\"{id}\"]")))
        .await
        .unwrap_or_else(|e| panic!("element {id} did not appear: {e}"))
}

pub async fn text_of(client: &Client, id: &str) -> String {
    by_test_id(client, id).await.text().await.unwrap()
}

/// Waits until the element's attribute has a value satisfying `ok`, returns it.
pub async fn attr_when(client: &Client, id: &str, attr: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(el) = client.find(Locator::Css(&format!("[data-testid=\"{id}\"]"))).await {
            if let Ok(Some(v)) = el.attr(attr).await {
                if ok(&v) {
                    return v;
                }
            }
        }
        assert!(Instant::now() < deadline, "{id}[{attr}] never became ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Sets an input's value the way typing does (for `datetime-local`, whose segments
/// WebDriver cannot type into portably): the native setter, then an `input` event.
pub async fn set_input(client: &Client, id: &str, value: &str) {
    by_test_id(client, id).await;
    client
        .execute(
            "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);
             const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
             setter.call(el, arguments[1]);
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(id), json!(value)],
        )
        .await
        .unwrap();
}

pub async fn import_through_ui(client: &Client, file: &Path, account: &str) -> String {
    by_test_id(client, "nav-import").await.click().await.unwrap();
    by_test_id(client, "page-import").await;
    let path = by_test_id(client, "import-path").await;
    path.clear().await.unwrap();
    path.send_keys(&file.display().to_string()).await.unwrap();
    let acct = by_test_id(client, "import-account").await;
    acct.clear().await.unwrap();
    acct.send_keys(account).await.unwrap();
    by_test_id(client, "import-preview-button").await.click().await.unwrap();
    text_of(client, "preview-fills").await
}

/// Answers the OS file dialogs (outside the page, so WebDriver cannot click them) with
/// `path`: the page's dialog helpers return it instead of opening (see `ui/src/lib/ipc.ts`,
/// `dialogAnswerForTests`); the commands that follow run for real.
pub async fn answer_file_dialogs(client: &Client, path: &Path) {
    client
        .execute(
            "window.__tradebookDialogAnswer = arguments[0];",
            vec![json!(path.display().to_string())],
        )
        .await
        .unwrap();
}

/// Clicks an element from script (a `<tr>` WebDriver may refuse as not interactable).
pub async fn js_click(client: &Client, element: &fantoccini::elements::Element) {
    client
        .execute("arguments[0].click();", vec![serde_json::to_value(element).unwrap()])
        .await
        .unwrap();
}

/// Clicks the element with this test id.
pub async fn click(client: &Client, id: &str) {
    by_test_id(client, id).await.click().await.unwrap();
}

/// Waits until no element has this test id.
pub async fn gone(client: &Client, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while client
        .find(Locator::Css(&format!("[data-testid=\"{id}\"]")))
        .await
        .is_ok()
    {
        assert!(Instant::now() < deadline, "{id} stayed on screen");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Saves a screenshot of the window under `tests/e2e/artifacts/`.
pub async fn screenshot(client: &Client, name: &str) {
    tokio::time::sleep(Duration::from_millis(600)).await;
    let png = client.screenshot().await.unwrap();
    let shots = workspace().join("tests/e2e/artifacts");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join(name), png).unwrap();
}
