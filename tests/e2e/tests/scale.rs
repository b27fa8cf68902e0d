//! The Trades page of a 100,000-trade journal in the real window (issue 12): the table is a
//! window onto the list, so scrolling to its end and sorting by net P&L show the rows the
//! CLI lists at those places (`tradebook trades --sort net --desc --offset N --limit M`).
//! Run by the README's test command (see window.rs for what it needs).

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{Client, Locator};
use serde_json::json;

/// Fills of the generated Tradovate export: two per round trip.
const FILLS: usize = 200_000;

/// The ids of the trade rows on screen, in index order, with the first row's index.
async fn rows_on_screen(client: &Client) -> (usize, Vec<String>) {
    let rows = client
        .execute(
            "return [...document.querySelectorAll('[data-testid=\"trade-row\"]')]
                .map(r => [Number(r.dataset.index), r.dataset.tradeId])
                .sort((a, b) => a[0] - b[0]);",
            vec![],
        )
        .await
        .unwrap();
    let rows: Vec<(usize, String)> = serde_json::from_value(rows).unwrap();
    let first = rows.first().map_or(0, |r| r.0);
    // Rows in view are contiguous.
    for (k, (i, _)) in rows.iter().enumerate() {
        assert_eq!(*i, first + k, "rows on screen skip an index: {rows:?}");
    }
    (first, rows.into_iter().map(|r| r.1).collect())
}

/// Waits until the rows in view include index `index` (their pages have loaded).
async fn wait_for_index(client: &Client, index: usize) -> (usize, Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (first, ids) = rows_on_screen(client).await;
        let loading = client
            .find_all(Locator::Css("[data-testid=\"trade-row-loading\"]"))
            .await
            .unwrap()
            .len();
        if loading == 0 && first <= index && index < first + ids.len() {
            return (first, ids);
        }
        assert!(
            Instant::now() < deadline,
            "row {index} never showed (rows {first}.. on screen)"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn scroll_to(client: &Client, to_end: bool) {
    client
        .execute(
            "const el = document.querySelector('[data-testid=\"trades-scroll\"]');
             el.scrollTop = arguments[0] ? el.scrollHeight : 0;
             el.dispatchEvent(new Event('scroll'));",
            vec![json!(to_end)],
        )
        .await
        .unwrap();
}

/// The ids the CLI lists at `offset..offset + limit` in this order.
fn cli_ids(db: &std::path::Path, sort: &[&str], offset: usize, limit: usize) -> Vec<String> {
    let mut args = vec!["trades", "--json"];
    args.extend_from_slice(sort);
    let (offset, limit) = (offset.to_string(), limit.to_string());
    args.extend(["--offset", &offset, "--limit", &limit]);
    cli(db, &args)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_thousand_trades_scroll_to_the_end_and_sort_by_net() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let csv = dir.path().join("fills.csv");
    let generated = Command::new("python3")
        .arg(workspace().join("bench/gen_tradovate_fills.py"))
        .arg(FILLS.to_string())
        .arg(&csv)
        .status()
        .unwrap();
    assert!(generated.success());
    let report = cli(&db, &["import", csv.to_str().unwrap(), "--account", "Bot", "--json"]);
    assert_eq!(report["fills_added"], FILLS);
    let stats = cli(&db, &["stats", "--json"]);
    let total = (stats["trades"].as_u64().unwrap() + stats["open_trades"].as_u64().unwrap()) as usize;
    assert!(total >= 99_000, "about 100,000 trades: {total}");

    let (driver, client) = start(&db).await;
    by_test_id(&client, "page-dashboard").await;
    click(&client, "nav-trades").await;
    by_test_id(&client, "page-trades").await;
    attr_when(&client, "trades-total", "data-count", |v| v == total.to_string()).await;
    let net = attr_when(&client, "trades-total", "data-value", |_| true).await;
    assert_eq!(
        net,
        stats["net_pnl"].as_str().unwrap(),
        "the list's net P&L is the journal's"
    );

    // The default order (newest close first): the top rows and, scrolled down, the last ones.
    let (first, ids) = wait_for_index(&client, 0).await;
    assert_eq!(first, 0);
    assert_eq!(ids[..5], cli_ids(&db, &["--sort", "closed", "--desc"], 0, 5)[..]);
    scroll_to(&client, true).await;
    let (first, ids) = wait_for_index(&client, total - 1).await;
    assert_eq!(first + ids.len(), total, "the last row is the list's last");
    assert_eq!(ids, cli_ids(&db, &["--sort", "closed", "--desc"], first, ids.len()));
    screenshot(&client, "trades-100k-end.png").await;

    // Net P&L, largest first: the top of the list, then its end.
    click(&client, "sort-net").await;
    attr_when(&client, "trades-table", "data-count", |v| v == total.to_string()).await;
    let expected_top = cli_ids(&db, &["--sort", "net", "--desc"], 0, 10);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (first, ids) = wait_for_index(&client, 0).await;
        if first == 0 && ids[..10] == expected_top[..] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the top rows by net never matched the CLI: {:?}",
            &ids[..10]
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    screenshot(&client, "trades-100k-by-net.png").await;
    scroll_to(&client, true).await;
    let (first, ids) = wait_for_index(&client, total - 1).await;
    assert_eq!(ids, cli_ids(&db, &["--sort", "net", "--desc"], first, ids.len()));

    // Select all and tag: the bulk action takes the filter, not a loaded list.
    click(&client, "trades-select-all").await;
    attr_when(&client, "bulk-count", "data-value", |v| v == total.to_string()).await;
    let input = by_test_id(&client, "bulk-tag-input").await;
    input.send_keys("bot").await.unwrap();
    click(&client, "bulk-tag-add").await;
    let done = text_of(&client, "bulk-done").await;
    assert!(done.starts_with("Added “bot” to"), "{done}");
    let tagged = cli(&db, &["stats", "--tag", "bot", "--json"]);
    assert_eq!(
        (tagged["trades"].as_u64().unwrap() + tagged["open_trades"].as_u64().unwrap()) as usize,
        total
    );

    client.close().await.unwrap();
    drop(driver);
}
