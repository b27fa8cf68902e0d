//! The `tradebook` command line as scripts use it: the commands and `--json` fields named in
//! the issues are a contract.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(rel)
        .display()
        .to_string()
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tradebook"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn import_trades_and_stats_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let report = json(
        &db,
        &[
            "import",
            &fixture("topstepx/omardawoud77-trades_export.csv"),
            "--account",
            "Combine",
            "--json",
        ],
    );
    for field in [
        "format",
        "rows_read",
        "fills_added",
        "duplicates",
        "rejected",
        "batch_id",
    ] {
        assert!(report.get(field).is_some(), "import --json lacks {field}");
    }
    assert_eq!(report["format"], "topstepx");
    assert_eq!(report["fills_added"], 92);
    assert!(report["batch_id"].is_string());
    assert_eq!(report["rejected"], Value::Array(vec![]));

    let again = json(
        &db,
        &[
            "import",
            &fixture("topstepx/omardawoud77-trades_export.csv"),
            "--account",
            "Combine",
            "--json",
        ],
    );
    assert_eq!(
        (again["fills_added"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(92))
    );

    let stats = json(&db, &["stats", "--account", "Combine", "--json"]);
    for field in [
        "trades",
        "open_trades",
        "winners",
        "losers",
        "win_rate",
        "gross_pnl",
        "fees",
        "net_pnl",
        "profit_factor",
        "expectancy",
        "max_drawdown",
    ] {
        assert!(stats.get(field).is_some(), "stats --json lacks {field}");
    }
    assert_eq!(stats["gross_pnl"], "5235.00");
    assert_eq!(stats["net_pnl"], "4934.90");
    assert_eq!(stats["fees"], "300.10");
    assert!(stats["win_rate"].is_number());

    let trades = json(&db, &["trades", "--account", "Combine", "--json"]);
    let trades = trades.as_array().unwrap();
    assert_eq!(
        trades.len() as u64,
        stats["trades"].as_u64().unwrap() + stats["open_trades"].as_u64().unwrap()
    );
    assert!(trades
        .iter()
        .all(|t| t["net_pnl"].is_string() && t["symbol"].is_string()));

    // Sorted and paged: the same --json fields, the window of the sorted list.
    let by_net = json(&db, &["trades", "--sort", "net", "--desc", "--json"]);
    let by_net = by_net.as_array().unwrap();
    assert_eq!(by_net.len(), trades.len());
    let nets: Vec<rust_decimal::Decimal> = by_net
        .iter()
        .map(|t| t["net_pnl"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(nets.windows(2).all(|w| w[0] >= w[1]), "net P&L descending: {nets:?}");
    assert_eq!(
        by_net[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        trades[0].as_object().unwrap().keys().collect::<Vec<_>>()
    );
    let window = json(
        &db,
        &[
            "trades", "--sort", "net", "--desc", "--offset", "5", "--limit", "3", "--json",
        ],
    );
    assert_eq!(window.as_array().unwrap().as_slice(), &by_net[5..8]);
    let err = run(&db, &["trades", "--sort", "nett"]);
    assert_eq!(err.status.code(), Some(2));

    // A date range with no trades.
    let none = json(&db, &["stats", "--from", "2030-01-01", "--json"]);
    assert_eq!(none["trades"], 0);
    assert_eq!(none["net_pnl"], "0.00");
    assert_eq!(none["win_rate"], Value::Null);
}

#[test]
fn imports_list_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let report = json(&db, &["import", &fixture("tradovate/hamtaro777-fills.csv"), "--json"]);
    let batch = report["batch_id"].as_str().unwrap().to_string();
    let list = json(&db, &["imports", "list", "--json"]);
    assert_eq!(list[0]["batch_id"], batch.as_str());
    assert_eq!(list[0]["fills_added"], 20);
    let undone = json(&db, &["imports", "undo", &batch, "--json"]);
    assert_eq!(undone["fills_removed"], 20);
    let stats = json(&db, &["stats", "--json"]);
    assert_eq!(stats["trades"], 0);
    assert_eq!(json(&db, &["imports", "--json"]), Value::Array(vec![]));
    assert_eq!(run(&db, &["imports", "undo", &batch]).status.code(), Some(2));
    // Preview first: a dry run changes nothing and reports what a commit would add.
    let preview = json(
        &db,
        &[
            "import",
            &fixture("tradovate/hamtaro777-fills.csv"),
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(
        (preview["fills_added"].as_u64(), preview["batch_id"].is_null()),
        (Some(20), true)
    );
    assert_eq!(json(&db, &["stats", "--json"])["trades"], 0);
}

#[test]
fn export_then_import_into_a_fresh_journal_gives_identical_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    json(
        &db,
        &[
            "accounts",
            "add",
            "Combine",
            "--platform",
            "TopstepX",
            "--starting-balance",
            "50000",
            "--tz",
            "America/Chicago",
            "--json",
        ],
    );
    json(
        &db,
        &[
            "import",
            &fixture("topstepx/omardawoud77-trades_export.csv"),
            "--account",
            "Combine",
            "--json",
        ],
    );
    json(
        &db,
        &[
            "import",
            &fixture("tradovate/hamtaro777-fills.csv"),
            "--account",
            "Tradovate",
            "--json",
        ],
    );
    json(
        &db,
        &[
            "import",
            &fixture("webull/mlyhoops-orders-options-2022.csv"),
            "--account",
            "Webull",
            "--json",
        ],
    );
    json(
        &db,
        &[
            "import",
            &fixture("tastytrade/avion23-legacy-transaction-history-2021.csv"),
            "--account",
            "Tasty",
            "--json",
        ],
    );
    let before = json(&db, &["stats", "--json"]);
    let trades_before = json(&db, &["trades", "--json"]).as_array().unwrap().len();

    let file = dir.path().join("export.csv");
    let exported = json(&db, &["export", file.to_str().unwrap(), "--json"]);
    let fills = exported["fills"].as_u64().unwrap();
    assert_eq!(fills, 92 + 20 + 351 + 31);

    let fresh = dir.path().join("fresh.db");
    let report = json(&fresh, &["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(report["format"], "tradebook-generic");
    assert_eq!(report["fills_added"].as_u64(), Some(fills));
    assert_eq!(
        json(&fresh, &["stats", "--json"]),
        before,
        "statistics after export and re-import"
    );
    assert_eq!(
        json(&fresh, &["trades", "--json"]).as_array().unwrap().len(),
        trades_before
    );
    for account in ["Combine", "Tradovate", "Webull", "Tasty"] {
        let a = json(&fresh, &["stats", "--account", account, "--json"]);
        assert_eq!(a, json(&db, &["stats", "--account", account, "--json"]), "{account}");
    }
    // The accounts came back with their settings.
    let accounts = json(&fresh, &["accounts", "--json"]);
    let combine = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Combine")
        .unwrap();
    assert_eq!(
        (combine["starting_balance"].as_str(), combine["timezone"].as_str()),
        (Some("50000.00"), Some("America/Chicago"))
    );

    // Importing the export into the journal it came from adds nothing.
    let again = json(&db, &["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        (again["fills_added"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(fills))
    );
}

#[test]
fn accounts_add_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let added = json(
        &db,
        &[
            "accounts",
            "add",
            "Webull cash",
            "--platform",
            "Webull",
            "--tz",
            "America/Chicago",
            "--json",
        ],
    );
    assert_eq!(added["timezone"], "America/Chicago");
    let list = json(&db, &["accounts", "--json"]);
    assert_eq!(list[0]["name"], "Webull cash");
    let out = run(&db, &["accounts", "add", "webull CASH"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn errors_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let unknown = dir.path().join("notes.csv");
    std::fs::write(&unknown, "colour,shape\nred,circle\n").unwrap();
    let cases: Vec<(PathBuf, Vec<String>)> = vec![
        (
            db.clone(),
            vec!["import".into(), dir.path().join("missing.csv").display().to_string()],
        ),
        (db.clone(), vec!["import".into(), unknown.display().to_string()]),
        (
            db.clone(),
            vec![
                "import".into(),
                fixture("topstepx/omardawoud77-trades_export.csv"),
                "--format".into(),
                "nope".into(),
            ],
        ),
        (dir.path().join("no/such/folder/j.db"), vec!["stats".into()]),
        (db.clone(), vec!["stats".into(), "--account".into(), "ghost".into()]),
    ];
    for (db, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {stderr:?}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // A file that is not a database.
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "x".repeat(4096)).unwrap();
    let out = run(&text, &["stats"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Failures a script handles differently exit with different codes (`failure.rs`): the
/// journal locked by another writer is 3 (run again), no community session is 4 (log in),
/// a server that does not answer is 5 (queued changes wait).
#[test]
fn exit_codes_say_what_kind_of_failure() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    json(&db, &["accounts", "--json"]);

    let out = run(&db, &["sync", "now"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("tradebook sync login"), "{stderr}");

    // Nothing listens on port 9 (discard) of localhost here.
    let out = Command::new(env!("CARGO_BIN_EXE_tradebook"))
        .arg("--db")
        .arg(&db)
        .args([
            "sync",
            "login",
            "--server",
            "http://127.0.0.1:9",
            "--email",
            "a@example.com",
        ])
        .env("TRADEBOOK_PASSWORD", "correct horse battery")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");

    // Another program holds the write lock for longer than the busy timeout.
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let out = run(&db, &["accounts", "add", "Second"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("busy"), "{stderr}");
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(run(&db, &["accounts", "add", "Second"]).status.success());
}

/// `tradebook reconcile ACCOUNT --json` and `tradebook cash` (issue 15): the balance is the
/// starting balance + cash + realized net, and the day a thinkorswim statement's balance
/// differs is listed with the cash its open positions hold (−5,170.62, as the import
/// pipeline test works out); a deposit added by hand joins the ledger; a deposit entered
/// negative is refused with exit 2.
#[test]
fn reconcile_and_cash_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    json(
        &db,
        &[
            "accounts",
            "add",
            "TOS",
            "--tz",
            "America/Chicago",
            "--starting-balance",
            "5003.76",
            "--json",
        ],
    );
    let report = json(
        &db,
        &[
            "import",
            &fixture("thinkorswim/claytonduffin-exampleStatement.csv"),
            "--account",
            "TOS",
            "--json",
        ],
    );
    assert_eq!(report["balances_added"], 104);
    assert_eq!(report["cash_movements_added"], 0);
    let r = json(&db, &["reconcile", "TOS", "--json"]);
    for key in [
        "account",
        "account_id",
        "currency",
        "starting_balance",
        "cash_total",
        "realized_net",
        "balance",
        "foreign_cash_movements",
        "days_checked",
        "days_matching",
        "days",
    ] {
        assert!(r.get(key).is_some(), "reconcile --json lacks {key}: {r}");
    }
    assert_eq!(
        (r["days_checked"].as_u64(), r["days_matching"].as_u64()),
        (Some(1), Some(0))
    );
    let day = &r["days"][0];
    assert_eq!(day["day"], "2022-04-26");
    assert_eq!(day["theirs"], "5309.70");
    assert_eq!(day["difference"], "-5170.62");
    assert_eq!(day["open_positions_cash"], "-5170.62");
    assert_eq!(day["likely_cause"], "open_positions");

    let added = json(
        &db,
        &[
            "cash",
            "add",
            "TOS",
            "--kind",
            "deposit",
            "--amount",
            "1000",
            "--at",
            "2022-04-25",
            "--description",
            "ACH deposit",
            "--json",
        ],
    );
    assert_eq!(added[0]["amount"], "1000.00");
    let list = json(&db, &["cash", "TOS", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["kind"], "deposit");
    // A deposit before the statement's opening balance is already in that balance: the
    // journal now counts it twice, and says the starting balance should be 4,003.76.
    let r = json(&db, &["reconcile", "TOS", "--json"]);
    assert_eq!(r["cash_total"], "1000.00");
    assert_eq!(r["days"][0]["starting_balance_gap"], "-1000.00");
    assert_eq!(r["days"][0]["unexplained"], "0.00");
    assert!(
        r["days"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("set it to 4003.76"),
        "{}",
        r["days"][0]["explanation"]
    );
    let out = run(
        &db,
        &[
            "cash",
            "add",
            "TOS",
            "--kind",
            "deposit",
            "--amount",
            "-5",
            "--at",
            "2022-04-25",
            "--description",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Multi-leg strategies (issue 15): E*TRADE's INTC 07/10/26 133/135 call vertical, opened
/// on 07/02/26 by `Bought To Open ... 133.000` (Amount −312.51) and `Sold Short ...
/// 135.000` (Amount 257.48), expired worthless on 07/10: one strategy, net −55.03 by hand
/// from the two rows. `stats` counts each strategy as one trade: its closed trades are the
/// closed legs less the legs of closed strategies plus those strategies, with the same net
/// P&L. A split gives the legs back; a merge groups them again.
#[test]
fn strategies_are_counted_as_one_trade_and_can_be_split_and_merged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    json(
        &db,
        &["import", &fixture("etrade/adyamlife-DownloadTxnHistory.csv"), "--json"],
    );
    let strategies = json(&db, &["strategies", "--json"]);
    let list = strategies.as_array().unwrap();
    let intc = list
        .iter()
        .find(|s| s["underlying"] == "INTC" && s["opened_at"].as_str().unwrap().starts_with("2026-07-02"))
        .expect("the INTC vertical");
    assert_eq!(intc["kind"], "vertical");
    assert_eq!(intc["net_pnl"], "-55.03");
    assert_eq!(intc["status"], "closed");
    let legs: Vec<String> = intc["legs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert_eq!(legs.len(), 2);

    let trades = json(&db, &["trades", "--status", "closed", "--json"]);
    let trades = trades.as_array().unwrap();
    for t in trades
        .iter()
        .filter(|t| legs.contains(&t["id"].as_str().unwrap().to_string()))
    {
        assert_eq!(t["strategy"], "vertical");
        assert_eq!(t["strategy_id"], intc["id"]);
    }
    let closed_strategies: Vec<&serde_json::Value> = list.iter().filter(|s| s["status"] == "closed").collect();
    let legs_in_closed: usize = closed_strategies
        .iter()
        .map(|s| s["legs"].as_array().unwrap().len())
        .sum();
    let stats = json(&db, &["stats", "--json"]);
    assert_eq!(stats["currency"], "USD");
    assert_eq!(stats["strategies"].as_u64().unwrap() as usize, closed_strategies.len());
    assert_eq!(
        stats["trades"].as_u64().unwrap() as usize,
        trades.len() - legs_in_closed + closed_strategies.len()
    );
    let net_of_legs: rust_decimal::Decimal = trades
        .iter()
        .map(|t| t["net_pnl"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(
        stats["net_pnl"]
            .as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap(),
        net_of_legs
    );

    let id = intc["id"].as_str().unwrap();
    let split = json(&db, &["strategies", "split", id, "--json"]);
    assert_eq!(split["trades"].as_array().unwrap().len(), 2);
    let after = json(&db, &["stats", "--json"]);
    assert_eq!(after["trades"].as_u64().unwrap(), stats["trades"].as_u64().unwrap() + 1);
    // Split legs are not grouped again by a re-import.
    json(
        &db,
        &["import", &fixture("etrade/adyamlife-DownloadTxnHistory.csv"), "--json"],
    );
    assert_eq!(json(&db, &["stats", "--json"])["trades"], after["trades"]);
    let merged = json(&db, &["strategies", "merge", &legs[0], &legs[1], "--json"]);
    assert_eq!(merged[0]["kind"], "vertical");
    assert_eq!(merged[0]["source"], "user");
    assert_eq!(json(&db, &["stats", "--json"])["trades"], stats["trades"]);
    let out = run(&db, &["strategies", "merge", &legs[0]]);
    assert_eq!(out.status.code(), Some(2));
}

/// A futures root the contract table lacks is listed by the preview; once the user adds
/// it (`contracts add`), the same file imports whole. Backup and restore round-trip.
#[test]
fn unknown_roots_are_confirmed_then_imported_and_backups_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let source = std::fs::read_to_string(fixture("tradovate/hamtaro777-fills.csv")).unwrap();
    let file = dir.path().join("fills.csv");
    let edited: Vec<String> = source
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if (1..=2).contains(&i) {
                l.replace("NQH6,NQ,", "QQZH6,QQZ,")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&file, edited.join("\n")).unwrap();
    let file = file.display().to_string();

    let preview = json(&db, &["import", &file, "--dry-run", "--json"]);
    assert_eq!(preview["unknown_roots"], serde_json::json!(["QQZ"]));
    assert_eq!(preview["rejected"].as_array().unwrap().len(), 2);
    assert!(
        !run(&db, &["import", &file]).status.success(),
        "rejected rows stop the import"
    );

    let contracts = json(
        &db,
        &[
            "contracts",
            "add",
            "qqz",
            "--point-value",
            "20",
            "--tick-size",
            "0.25",
            "--json",
        ],
    );
    assert!(contracts
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["root"] == "QQZ" && c["point_value"] == "20" && c["custom"] == true));
    let report = json(&db, &["import", &file, "--json"]);
    assert_eq!(
        (
            report["fills_added"].as_u64(),
            report["unknown_roots"].as_array().map(Vec::len)
        ),
        (Some(20), Some(0))
    );

    let before = json(&db, &["stats", "--json"]);
    let backup = dir.path().join("backup.db").display().to_string();
    json(&db, &["backup", &backup, "--json"]);
    let fresh = dir.path().join("fresh.db");
    let restored = json(&fresh, &["restore", &backup, "--json"]);
    assert_eq!(restored["fills"], 20);
    assert_eq!(json(&fresh, &["stats", "--json"]), before);
    assert!(
        !run(&fresh, &["restore", &file]).status.success(),
        "a CSV is not a backup"
    );
}

/// A journal holding the TopstepX fixture (account "Combine"); keep the folder alive.
fn topstepx_journal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    json(
        &db,
        &[
            "import",
            &fixture("topstepx/omardawoud77-trades_export.csv"),
            "--account",
            "Combine",
            "--json",
        ],
    );
    (dir, db)
}

/// `tradebook stats` reads the journal's break-even band, the setting the app's Settings page
/// writes (`Store::save_journal_settings`), so both report the same figures; `--break-even`
/// still overrides it.
#[test]
fn stats_use_the_journals_break_even_band_like_the_app() {
    use tradebook_store::{JournalSettings, Store, TradeQuery};
    let (_dir, db) = topstepx_journal();
    let plain = json(&db, &["stats", "--json"]);
    {
        let mut store = Store::open(&db).unwrap();
        let settings = JournalSettings {
            break_even_band: rust_decimal::Decimal::new(25, 0),
            ..store.journal_settings().unwrap()
        };
        store.save_journal_settings(&settings).unwrap();
    }
    let banded = json(&db, &["stats", "--json"]);
    assert_ne!(
        (plain["winners"].clone(), plain["scratches"].clone()),
        (banded["winners"].clone(), banded["scratches"].clone()),
        "a $25 band turns some small trades into scratches on this file"
    );
    // The app's figures: the same store call its get_stats command makes.
    let app = Store::open(&db).unwrap().journal_stats(&TradeQuery::default()).unwrap();
    assert_eq!(banded["winners"], app.winners);
    assert_eq!(banded["losers"], app.losers);
    assert_eq!(banded["scratches"], app.scratches);
    assert_eq!(banded["win_rate"].as_f64(), app.win_rate);
    assert_eq!(banded["profit_factor"].as_f64(), app.profit_factor);
    assert_eq!(banded["net_pnl"], tradebook_core::money_string(app.net_pnl));
    let overridden = json(&db, &["stats", "--break-even", "0", "--json"]);
    assert_eq!(overridden, plain, "--break-even 0 gives the figures without the band");
}

/// A reader that goes away early (`tradebook formats | head -3`) ends the command quietly:
/// exit 0, nothing on stderr, no panic.
#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let (_dir, db) = topstepx_journal();
    for args in [vec!["formats"], vec!["trades"], vec!["trades", "--json"], vec!["stats"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tradebook"))
            .arg("--db")
            .arg(&db)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then hang up, as `head -c 1` does.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} printed on stderr: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}
