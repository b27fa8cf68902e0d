//! # tradebook-store — the local SQLite store
//!
//! One SQLite file holds a trader's journal: accounts, fills (the source of truth), the
//! round-trip trades derived from them, and import batches. Migrations are embedded from
//! the workspace's `migrations/` folder (refinery, `V<n>__name.sql`; shipped files never
//! change). The connection runs in WAL mode with foreign keys on; every write goes through
//! an IMMEDIATE transaction, so a crash leaves the file as before or as after.
//!
//! Invariants:
//! - `trades` are a pure function of `fills`: every write that changes
//!   fills of an (account, symbol) recomputes that position's trades in the same transaction.
//! - `(account_id, dedupe_key)` is unique: re-importing a file adds nothing twice.
//! - A database written by a newer Tradebook (a migration this build does not know) is
//!   refused, never modified.
//!
//! This crate knows nothing of broker formats, Tauri or HTTP.

mod accounts;
mod cash;
mod codec;
mod error;
mod fills;
mod import;
mod journal;
mod paging;
mod strategies;
mod sync;
mod trades;

pub use accounts::{Account, NewAccount};
pub use cash::{
    BalanceKind, BrokerBalance, CashKind, CashMovement, LikelyCause, NewCashMovement, Reconciliation, ReconciliationDay,
};
pub use error::StoreError;
pub use fills::{EncodedFill, FillEdit, FillRecord};
pub use import::{BatchCounts, ImportBatch, ImportSession, UndoReport};
pub use journal::{Annotation, AnnotationEdit, JournalNote, JournalSettings, Screenshot, IMAGE_EXTENSIONS};
pub use paging::{TradeOrder, TradePage, TradeSort};
pub use strategies::{Strategy, StrategySource};
pub use sync::{PullApplied, SyncConnection, SyncState};
pub use trades::{AccountTotals, Breakdowns, TradeQuery, TradeRecord};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// Result alias of this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The journal database. Not `Sync`: one connection, used from one thread at a time (the
/// app wraps it in a mutex and calls it from a blocking task).
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The trades the last statistics read, while the journal is unchanged (see
    /// `trades::StatCache`).
    stat_cache: std::cell::RefCell<Option<trades::StatCache>>,
    /// The order of the last trade list paged through, while the journal is unchanged
    /// (see `paging::OrderCache`).
    order_cache: std::cell::RefCell<Option<paging::OrderCache>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it to the current
    /// schema. The parent folder must exist.
    ///
    /// Errors: [`StoreError::Open`] when the file cannot be opened or is not a database,
    /// [`StoreError::SchemaTooNew`] for a file written by a newer Tradebook.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        // A new journal gets 16 KiB pages (SQLite's default is 4 KiB): a million-fill import
        // splits a quarter as many B-tree pages, about 30 % less insert time in SQLite alone.
        // It must be set before the first table exists and before WAL; an existing file
        // keeps its page size. A file that is not SQLite fails at the first read.
        let empty: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .map_err(open_err)?;
        if empty == 0 {
            conn.pragma_update(None, "page_size", 16_384).map_err(open_err)?;
        }
        // WAL and the pragmas below.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(open_err)?;
        Store::init(conn, Some(path.to_path_buf()))
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        Store::init(conn, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A bounded page cache (64 MiB) and temp B-trees in memory: a large import is one
        // transaction touching several indexes, and with SQLite's 2 MiB default it spends
        // most of its time re-reading pages. Memory stays flat in the file size.
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        check_schema_version(&conn)?;
        embedded::migrations::runner().run(&mut conn)?;
        Ok(Store {
            conn,
            path,
            stat_cache: std::cell::RefCell::new(None),
            order_cache: std::cell::RefCell::new(None),
        })
    }

    /// Where the app and the CLI keep the journal by default: `$TRADEBOOK_DB` when set,
    /// else `<OS data dir>/tradebook/journal.db` (Linux: `~/.local/share/tradebook`).
    /// `None` when the system has no data directory.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("TRADEBOOK_DB").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        dirs::data_dir().map(|d| d.join("tradebook").join("journal.db"))
    }

    /// The file path, `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The newest schema version this build knows.
    pub fn supported_schema_version() -> i64 {
        embedded::migrations::runner()
            .get_migrations()
            .iter()
            .map(|m| i64::from(m.version()))
            .max()
            .unwrap_or(0)
    }

    /// Runs `f` in an IMMEDIATE transaction, committing when it returns `Ok`.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Writes a consistent copy of the whole journal to `dest` (`VACUUM INTO` a temporary
    /// file beside it, then a rename, so `dest` is never half-written). Replaces `dest`.
    /// Returns the size in bytes.
    ///
    /// Errors: [`StoreError::Invalid`] (`field: "backup"`) when `dest`'s folder does not
    /// exist; [`StoreError::Sqlite`] for a write failure.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        let folder = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(StoreError::Invalid {
                field: "backup",
                message: format!("the folder {} does not exist", folder.display()),
            });
        }
        let tmp = tempfile::Builder::new()
            .prefix(".tradebook-backup-")
            .tempfile_in(&folder)
            .map_err(|e| io_invalid("backup", &folder, e))?
            .into_temp_path();
        std::fs::remove_file(&tmp).map_err(|e| io_invalid("backup", &tmp, e))?;
        self.conn.execute("VACUUM INTO ?1", [tmp.to_string_lossy().as_ref()])?;
        tmp.persist(dest).map_err(|e| io_invalid("backup", dest, e.error))?;
        Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
    }

    /// Replaces the whole journal with the backup at `src`, in one step (SQLite's online
    /// backup API writing into this database as one transaction), then migrates it to this
    /// build's schema. The backup is checked first: it must be a Tradebook journal that
    /// passes `PRAGMA integrity_check` and is not from a newer Tradebook. Nothing changes
    /// when a check fails.
    ///
    /// Errors: [`StoreError::Invalid`] (`field: "backup"`) naming what is wrong with the
    /// file; [`StoreError::SchemaTooNew`].
    pub fn restore_from(&mut self, src: &Path) -> Result<()> {
        check_backup(src)?;
        // The backup API writes pages, not rows: the statistics cache cannot see it.
        self.stat_cache.replace(None);
        self.order_cache.replace(None);
        self.conn
            .restore(rusqlite::MAIN_DB, src, None::<fn(rusqlite::backup::Progress)>)?;
        check_schema_version(&self.conn)?;
        embedded::migrations::runner().run(&mut self.conn)?;
        Ok(())
    }

    /// `PRAGMA integrity_check` — `"ok"` for a healthy file.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

fn io_invalid(field: &'static str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Invalid {
        field,
        message: format!("{}: {e}", path.display()),
    }
}

/// Checks that `src` is a readable, healthy Tradebook journal this build can open.
fn check_backup(src: &Path) -> Result<()> {
    let bad = |message: String| StoreError::Invalid {
        field: "backup",
        message: format!("{}: {message}", src.display()),
    };
    if !src.is_file() {
        return Err(bad("no such file".into()));
    }
    let conn = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad(format!("cannot open: {e}")))?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| bad("not a SQLite database".into()))?;
    if ok != "ok" {
        return Err(bad(format!("the file is damaged ({ok})")));
    }
    let is_journal: bool = conn.query_row(
        "SELECT COUNT(*) = 2 FROM sqlite_master WHERE type = 'table' AND name IN ('refinery_schema_history', 'fills')",
        [],
        |r| r.get(0),
    )?;
    if !is_journal {
        return Err(bad("not a Tradebook journal (no fills table)".into()));
    }
    check_schema_version(&conn)
}

/// Refuses a database that has migrations applied beyond what this build embeds.
fn check_schema_version(conn: &Connection) -> Result<()> {
    let has_history: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history')",
        [],
        |r| r.get(0),
    )?;
    if !has_history {
        return Ok(());
    }
    let found: Option<i64> = conn.query_row("SELECT MAX(version) FROM refinery_schema_history", [], |r| r.get(0))?;
    let supported = Store::supported_schema_version();
    match found {
        Some(found) if found > supported => Err(StoreError::SchemaTooNew { found, supported }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_migrates_and_refuses_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.integrity_check().unwrap(), "ok");
            let mode: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
            assert_eq!(mode, "wal");
        }
        // Reopening is a no-op migration.
        drop(Store::open(&path).unwrap());
        // A newer app wrote migration 999: this build refuses the file.
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'future', '2030-01-01', '0')",
            [],
        )
        .unwrap();
        drop(conn);
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::SchemaTooNew { found: 999, .. }), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_an_open_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(
            &path,
            "this is not sqlite, just some text that is long enough to be a header",
        )
        .unwrap();
        assert!(matches!(Store::open(&path), Err(StoreError::Open { .. })));
    }

    /// A journal written by schema 1 (trades linked to fills through `trade_fills`) keeps
    /// every trade and each trade's fills after migration 2 replaces the link table.
    #[test]
    fn schema_2_keeps_the_fills_of_schema_1_trades() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        let mut conn = Connection::open(&path).unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(1))
            .run(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (id, name, platform, created_at) VALUES ('a', 'Main', 'Test', '2025-01-01T00:00:00.000000Z');
             INSERT INTO fills (id, account_id, dedupe_key, asset_class, symbol, multiplier, side, quantity, price, fees,
                                executed_at, source_tz, seq)
             VALUES ('f1', 'a', 'k1', 'stock', 'AAPL', '1', 'buy', '10', '100', '0', '2025-03-03T15:00:00.000000Z', 'UTC', 0),
                    ('f2', 'a', 'k2', 'stock', 'AAPL', '1', 'sell', '4', '101', '0', '2025-03-03T15:01:00.000000Z', 'UTC', 0),
                    ('f3', 'a', 'k3', 'stock', 'AAPL', '1', 'sell', '6', '102', '0', '2025-03-03T15:02:00.000000Z', 'UTC', 0),
                    ('f4', 'a', 'k4', 'stock', 'AAPL', '1', 'buy', '1', '103', '0', '2025-03-03T15:03:00.000000Z', 'UTC', 0);
             INSERT INTO trades (id, account_id, symbol, asset_class, multiplier, direction, status, quantity,
                                 closed_quantity, entry_price, exit_price, opened_at, closed_at, trading_day, source_tz,
                                 gross_pnl, fees, net_pnl, fill_count)
             VALUES ('f1', 'a', 'AAPL', 'stock', '1', 'long', 'closed', '10', '10', '100', '101.6',
                     '2025-03-03T15:00:00.000000Z', '2025-03-03T15:02:00.000000Z', '2025-03-03', 'UTC', '16', '0', '16', 3),
                    ('f4', 'a', 'AAPL', 'stock', '1', 'long', 'open', '1', '0', '103', NULL,
                     '2025-03-03T15:03:00.000000Z', NULL, NULL, 'UTC', '0', '0', '0', 1);
             INSERT INTO trade_fills (trade_id, fill_id, quantity, fees, opening)
             VALUES ('f1', 'f1', '10', '0', 1), ('f1', 'f2', '4', '0', 0), ('f1', 'f3', '6', '0', 0),
                    ('f4', 'f4', '1', '0', 1);",
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        let ids = |trade: &str| -> Vec<String> {
            store
                .trade_fills(trade)
                .unwrap()
                .into_iter()
                .map(|r| r.fill.id)
                .collect()
        };
        assert_eq!(ids("f1"), ["f1", "f2", "f3"]);
        assert_eq!(ids("f4"), ["f4"]);
        assert_eq!(store.trades(&TradeQuery::default()).unwrap().len(), 2);
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
}
