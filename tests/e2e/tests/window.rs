//! Drives the real app window: import a fixture on the Import page, read the Dashboard's net
//! P&L, and compare it with the CLI's `stats --json` for the same file.
//!
//! Needs (the README's test command sets them up): `tauri-driver` and `WebKitWebDriver` on
//! PATH, an X display (Xvfb), the release app built with the UI embedded
//! (`TRADEBOOK_APP`, default `target/release/tradebook-app`) and the CLI (`TRADEBOOK_CLI`,
//! default `target/release/tradebook`).

mod common;

use std::time::{Duration, Instant};

use common::*;
use fantoccini::Locator;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn import_on_the_import_page_and_dashboard_matches_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let file = fixture("tradovate/hamtaro777-fills.csv");
    let (driver, client) = start(&db).await;

    by_test_id(&client, "page-dashboard").await;
    let fills = import_through_ui(&client, &file, "Tradovate E2E").await;
    assert!(
        fills.contains("20"),
        "preview should offer the file's 20 fills, showed {fills:?}"
    );
    by_test_id(&client, "import-commit-button").await.click().await.unwrap();
    let result = text_of(&client, "import-result").await;
    assert!(result.contains("20"), "result: {result}");

    by_test_id(&client, "nav-dashboard").await.click().await.unwrap();
    let imported_net = attr_when(&client, "stat-net-pnl", "data-value", |v| !v.is_empty() && v != "0.00").await;
    let imported_trades = attr_when(&client, "stat-trades", "data-value", |v| !v.is_empty() && v != "0").await;

    // Re-importing the same file offers nothing new.
    let again = import_through_ui(&client, &file, "Tradovate E2E").await;
    assert!(
        again.trim().starts_with('0'),
        "re-import should add 0 fills, preview showed {again:?}"
    );
    let dupes = text_of(&client, "preview-duplicates").await;
    assert!(dupes.contains("20"), "duplicates: {dupes}");

    // A trade typed by hand: its P&L shows as it is typed, and it joins the statistics.
    by_test_id(&client, "nav-add-trade").await.click().await.unwrap();
    by_test_id(&client, "page-add-trade").await;
    by_test_id(&client, "manual-symbol")
        .await
        .send_keys("AAPL")
        .await
        .unwrap();
    by_test_id(&client, "manual-quantity")
        .await
        .send_keys("10")
        .await
        .unwrap();
    by_test_id(&client, "manual-entry-price")
        .await
        .send_keys("100")
        .await
        .unwrap();
    by_test_id(&client, "manual-exit-price")
        .await
        .send_keys("101.5")
        .await
        .unwrap();
    by_test_id(&client, "manual-fees").await.send_keys("1").await.unwrap();
    set_input(&client, "manual-entry-time", "2026-02-10T10:00").await;
    set_input(&client, "manual-exit-time", "2026-02-10T11:30").await;
    // (101.5 − 100) × 10 shares = 15.00 gross; − 1.00 fees = 14.00 net.
    assert_eq!(
        attr_when(&client, "manual-net", "data-value", |v| !v.is_empty()).await,
        "14.00"
    );
    by_test_id(&client, "manual-save").await.click().await.unwrap();
    by_test_id(&client, "manual-saved").await;
    by_test_id(&client, "nav-dashboard").await.click().await.unwrap();
    let ui_trades = attr_when(&client, "stat-trades", "data-value", |v| v == "5").await;
    let ui_net = attr_when(&client, "stat-net-pnl", "data-value", |v| v != imported_net).await;

    // A screenshot of the dashboard with the imported and the hand-entered trades.
    by_test_id(&client, "nav-dashboard").await.click().await.unwrap();
    attr_when(&client, "stat-net-pnl", "data-value", |v| v == ui_net).await;
    assert_eq!(ui_net, "144.17", "130.17 imported + 14.00 typed by hand");
    tokio::time::sleep(Duration::from_millis(800)).await;
    let png = client.screenshot().await.unwrap();
    let shots = workspace().join("tests/e2e/artifacts");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join("dashboard.png"), png).unwrap();

    client.close().await.unwrap();
    drop(driver);

    // The CLI on a fresh database, from the same file, states the same figures as the
    // dashboard did after the import.
    let fresh = dir.path().join("cli.db");
    let report = cli(
        &fresh,
        &["import", file.to_str().unwrap(), "--account", "Tradovate E2E", "--json"],
    );
    assert_eq!(report["fills_added"], 20);
    let stats = cli(&fresh, &["stats", "--json"]);
    assert_eq!(
        stats["net_pnl"].as_str().unwrap(),
        imported_net,
        "dashboard net P&L vs CLI stats"
    );
    assert_eq!(stats["trades"].to_string(), imported_trades);
    // And the CLI reads the app's own database (import + manual trade) as the dashboard did.
    let app_stats = cli(&db, &["stats", "--json"]);
    assert_eq!(app_stats["net_pnl"].as_str().unwrap(), ui_net);
    assert_eq!(app_stats["trades"].to_string(), ui_trades);
}

#[tokio::test(flavor = "multi_thread")]
async fn undo_an_import_from_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let file = fixture("topstepx/omardawoud77-trades_export.csv");
    cli(&db, &["import", file.to_str().unwrap(), "--json"]);
    let (driver, client) = start(&db).await;

    by_test_id(&client, "page-dashboard").await;
    attr_when(&client, "stat-net-pnl", "data-value", |v| v == "4934.90").await;
    by_test_id(&client, "nav-import").await.click().await.unwrap();
    by_test_id(&client, "import-history-row").await;
    by_test_id(&client, "import-undo").await.click().await.unwrap();
    by_test_id(&client, "import-undo-confirm").await.click().await.unwrap();
    // The history empties and the dashboard has nothing left to measure.
    let deadline = Instant::now() + Duration::from_secs(20);
    while client
        .find(Locator::Css("[data-testid=\"import-history-row\"]"))
        .await
        .is_ok()
    {
        assert!(Instant::now() < deadline, "the batch stayed in the history");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    by_test_id(&client, "nav-dashboard").await.click().await.unwrap();
    by_test_id(&client, "page-dashboard").await;
    client.close().await.unwrap();
    drop(driver);
    let stats = cli(&db, &["stats", "--json"]);
    assert_eq!(
        (stats["trades"].as_u64(), stats["net_pnl"].as_str()),
        (Some(0), Some("0.00"))
    );
    assert_eq!(cli(&db, &["imports", "--json"]), json!([]));
}
