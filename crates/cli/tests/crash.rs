//! Crash consistency (SPEC §10): `kill -9` at any moment of an import leaves the database as
//! before or as after — `PRAGMA integrity_check` is ok and the file's fills are all there or
//! none is.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use tradebook_store::Store;

const ROWS: usize = 40_000;

/// A Tradovate Fills export of `rows` fills alternating buys and sells on MES.
fn write_fills(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        f,
        "_id,_orderId,_contractId,_timestamp,_tradeDate,_action,_qty,_price,_active,_accountId,Fill ID,Order ID,\
         Timestamp,Date,Account,B/S,Quantity,Price,_priceFormat,_priceFormatType,_tickSize,Contract,Product,\
         Product Description,commission"
    )
    .unwrap();
    for i in 0..rows {
        let id = 500_000_000_000u64 + i as u64;
        let (action, side) = if i % 2 == 0 { (0, "Buy") } else { (1, "Sell") };
        let (min, sec) = ((i / 60) % 60, i % 60);
        let hour = 14 + i / 3600 % 8;
        let day = 2 + i / (3600 * 8);
        let price = format!("{}.{:02}", 6900 + (i % 40), (i % 4) * 25);
        writeln!(
            f,
            "{id},{id},4214195,2026-01-{day:02} {hour:02}:{min:02}:{sec:02}.000Z,2026-01-{day:02},{action},1,{price},\
             true,39681696,{id},{id},01/{day:02}/2026 09:00:00,1/{day}/26,CRASH1, {side},1,{price},-2,0,0.25,MESH6,MES,\
             Micro E-mini S&P 500,0.52"
        )
        .unwrap();
    }
}

fn fills_in(db: &Path) -> usize {
    let store = Store::open(db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    store.fills(None).unwrap().len()
}

#[test]
fn kill_9_during_an_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fills.csv");
    write_fills(&file, ROWS);
    let db = dir.path().join("journal.db");
    let import = || {
        Command::new(env!("CARGO_BIN_EXE_tradebook"))
            .arg("--db")
            .arg(&db)
            .args(["import", file.to_str().unwrap(), "--account", "Crash", "--json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };

    // How long a whole import takes here, on a scratch copy.
    let started = Instant::now();
    let mut whole = Command::new(env!("CARGO_BIN_EXE_tradebook"))
        .arg("--db")
        .arg(dir.path().join("timing.db"))
        .args(["import", file.to_str().unwrap(), "--json"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    assert!(whole.wait().unwrap().success());
    let full = started.elapsed();

    // Kill at moments spread over the import: while opening, parsing, inserting,
    // recomputing trades and committing.
    let mut saw_partial_progress = false;
    for fraction in [0.02, 0.15, 0.35, 0.55, 0.75, 0.9, 0.97] {
        let mut child = import();
        std::thread::sleep(full.mul_f64(fraction));
        let finished = matches!(child.try_wait(), Ok(Some(_)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let n = fills_in(&db);
        assert!(
            n == 0 || n == ROWS,
            "after kill -9 at {fraction}: {n} of {ROWS} fills — half-written"
        );
        if n == ROWS {
            // It committed before the kill; start the next round from nothing.
            std::fs::remove_file(&db).unwrap();
            let _ = std::fs::remove_file(db.with_extension("db-wal"));
            let _ = std::fs::remove_file(db.with_extension("db-shm"));
        } else if !finished {
            saw_partial_progress = true;
        }
    }
    assert!(
        saw_partial_progress,
        "no kill landed before the commit; the test measured nothing"
    );

    // After all that, a clean import still completes and adds every fill once.
    assert!(import().wait().unwrap().success());
    assert_eq!(fills_in(&db), ROWS);
}
