//! Import sessions: one file's fills written in one IMMEDIATE transaction, with the batch
//! record and the recomputed trades, committed together or not at all.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Statement, Transaction, TransactionBehavior};
use tradebook_core::{PositionMatcher, RoundTrip};

use crate::accounts::{account_by_name_in, create_account_tx, Account, NewAccount};
use crate::codec::{self, parse_ts};
use crate::fills::{
    insert_fill_with, position_has_fills, recompute_positions, write_trade_with, EncodedFill, INSERT_FILL, INSERT_TRADE,
};
use crate::{Result, Store};

/// Row counts of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    /// Data rows read (trade rows, non-trade rows and rejected rows).
    pub rows_read: u64,
    /// Fills inserted.
    pub fills_added: u64,
    /// Fills already stored (same account and dedupe key): not inserted again.
    pub duplicates: u64,
    /// Non-trade rows (dividends, transfers, cancelled orders, summaries).
    pub skipped: u64,
    /// Trade rows that could not be read.
    pub rejected: u64,
}

/// A committed (or, for a dry run, previewed) import of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportBatch {
    /// UUID of the batch.
    pub id: String,
    pub account_id: String,
    pub file_name: String,
    /// Hex SHA-256 of the file's bytes.
    pub file_sha256: String,
    /// Format id (`tradovate-fills`).
    pub format: String,
    pub counts: BatchCounts,
    pub imported_at: DateTime<Utc>,
    /// Trades written by the recomputation of the touched positions.
    pub trades_recomputed: usize,
}

/// An import in progress. Dropping it without [`ImportSession::finish`] rolls everything
/// back, including an account it created.
///
/// Foreign keys are not enforced row by row while it runs (checking each fill's account and
/// batch, and each trade's account, was a tenth of a big import's SQLite time). Every row
/// the session writes names the session's batch and an account the session created or
/// found in the same transaction, and [`ImportSession::finish`] checks those parents once
/// before committing. The session deletes only derived trades, which no key references, so
/// no cascade is missed. Enforcement is back on when the session ends, whichever way.
///
/// Trades are derived as the fills arrive where that is exact: a position with no stored
/// fills before this import, whose fills come in time order, is matched on the fly and its
/// trades written as they close (no second pass over a million fills, memory flat). Any other
/// touched position is recomputed from the store at [`ImportSession::finish`].
pub struct ImportSession<'s> {
    /// Declared before `_foreign_keys`: fields drop in order, and the pragma that turns
    /// enforcement back on is a no-op until the transaction has ended.
    tx: Transaction<'s>,
    _foreign_keys: ForeignKeysOff<'s>,
    /// The two statements run per fill and per trade, prepared once (a statement-cache
    /// look-up hashes the SQL text on every call).
    insert_fill: Statement<'s>,
    insert_trade: Statement<'s>,
    batch_id: String,
    account: Account,
    account_created: bool,
    /// Touched positions by account id, then symbol.
    positions: HashMap<String, HashMap<String, PositionState>>,
    completed: Vec<RoundTrip>,
    trades_written: usize,
    added: u64,
    duplicates: u64,
}

/// Foreign-key enforcement turned off on a connection, turned back on when dropped.
struct ForeignKeysOff<'c>(&'c Connection);

impl<'c> ForeignKeysOff<'c> {
    /// Must be called outside a transaction (the pragma is a no-op inside one).
    fn new(conn: &'c Connection) -> Result<ForeignKeysOff<'c>> {
        conn.pragma_update(None, "foreign_keys", false)?;
        Ok(ForeignKeysOff(conn))
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.pragma_update(None, "foreign_keys", true) {
            tracing::error!(error = %e, "could not turn foreign-key enforcement back on");
        }
    }
}

/// How a touched position gets its trades.
enum PositionState {
    /// New position, fills in time order so far: matched as they arrive. Holds the time
    /// order key (executed at, seq) of the last fill.
    Streaming {
        matcher: Box<PositionMatcher>,
        last: (DateTime<Utc>, i64),
        /// Trades of this position written so far.
        written: usize,
    },
    /// Held fills before, or fills out of order: recomputed from the store at the end.
    Recompute,
}

impl Store {
    /// Starts an import into the account named `account_name`, creating it from
    /// `new_account` if no account has that name. Takes the write lock (IMMEDIATE).
    pub fn begin_import(
        &mut self,
        account_name: &str,
        new_account: &NewAccount,
        file_name: &str,
        format: &str,
    ) -> Result<ImportSession<'_>> {
        let foreign_keys = ForeignKeysOff::new(&self.conn)?;
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let (account, account_created) = match account_by_name_in(&tx, account_name)? {
            Some(a) => (a, false),
            None => {
                let new = NewAccount {
                    name: account_name.to_string(),
                    ..new_account.clone()
                };
                (create_account_tx(&tx, &new)?, true)
            }
        };
        let batch_id = uuid::Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO import_batches (id, account_id, file_name, file_sha256, format, imported_at) \
             VALUES (?1, ?2, ?3, '', ?4, ?5)",
            params![batch_id, account.id, file_name, format, codec::now()],
        )?;
        Ok(ImportSession {
            insert_fill: self.conn.prepare(INSERT_FILL)?,
            insert_trade: self.conn.prepare(INSERT_TRADE)?,
            tx,
            _foreign_keys: foreign_keys,
            batch_id,
            account,
            account_created,
            positions: HashMap::new(),
            completed: Vec::new(),
            trades_written: 0,
            added: 0,
            duplicates: 0,
        })
    }

    /// Import batches, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, account_id, file_name, file_sha256, format, rows_read, fills_added, duplicates, skipped, \
             rejected, imported_at FROM import_batches ORDER BY imported_at DESC, rowid DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            let imported_at: String = r.get(10)?;
            Ok((
                ImportBatch {
                    id: r.get(0)?,
                    account_id: r.get(1)?,
                    file_name: r.get(2)?,
                    file_sha256: r.get(3)?,
                    format: r.get(4)?,
                    counts: BatchCounts {
                        rows_read: r.get::<_, i64>(5)? as u64,
                        fills_added: r.get::<_, i64>(6)? as u64,
                        duplicates: r.get::<_, i64>(7)? as u64,
                        skipped: r.get::<_, i64>(8)? as u64,
                        rejected: r.get::<_, i64>(9)? as u64,
                    },
                    imported_at: Utc::now(),
                    trades_recomputed: 0,
                },
                imported_at,
            ))
        })?;
        rows.map(|r| {
            let (mut batch, at) = r?;
            batch.imported_at = parse_ts(&at)?;
            Ok(batch)
        })
        .collect()
    }
}

/// What undoing a batch removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UndoReport {
    pub fills_removed: u64,
    /// Trades written by the recomputation of the positions the batch touched.
    pub trades_recomputed: usize,
}

impl Store {
    /// Removes an import batch and everything derived from it (its fills, and the trades of
    /// the positions they touched, recomputed from the remaining fills) in one transaction.
    /// An account the import created stays (it may hold other data; archive it separately).
    ///
    /// Errors: [`crate::StoreError::NotFound`] for an unknown batch id.
    pub fn undo_import(&mut self, batch_id: &str) -> Result<UndoReport> {
        self.with_tx(|tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM import_batches WHERE id = ?1)",
                [batch_id],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(crate::StoreError::NotFound {
                    what: "import batch",
                    id: batch_id.to_string(),
                });
            }
            let mut positions = BTreeSet::new();
            {
                let mut stmt = tx.prepare("SELECT DISTINCT account_id, symbol FROM fills WHERE batch_id = ?1")?;
                for row in stmt.query_map([batch_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
                    positions.insert(row?);
                }
            }
            let fills_removed = tx.execute("DELETE FROM fills WHERE batch_id = ?1", [batch_id])? as u64;
            tx.execute("DELETE FROM cash_movements WHERE batch_id = ?1", [batch_id])?;
            tx.execute("DELETE FROM broker_balances WHERE batch_id = ?1", [batch_id])?;
            tx.execute("DELETE FROM import_batches WHERE id = ?1", [batch_id])?;
            let trades_recomputed = recompute_positions(tx, &positions, &mut |_| {})?;
            crate::strategies::prune(tx)?;
            Ok(UndoReport {
                fills_removed,
                trades_recomputed,
            })
        })
    }
}

impl ImportSession<'_> {
    /// The session's transaction (for the other rows an import writes: `cash.rs`).
    pub(crate) fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }

    /// The account the fills go to.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Whether this import created the account.
    pub fn account_created(&self) -> bool {
        self.account_created
    }

    /// The batch id (fills reference it).
    pub fn batch_id(&self) -> &str {
        &self.batch_id
    }

    /// The account named `new.name`, created in this transaction if missing (imports of
    /// Tradebook's own export, which carry several accounts).
    pub fn ensure_account(&mut self, new: &NewAccount) -> Result<Account> {
        match account_by_name_in(&self.tx, &new.name)? {
            Some(a) => Ok(a),
            None => create_account_tx(&self.tx, new),
        }
    }

    /// Adds a fill of this session's account, or of one from [`ImportSession::ensure_account`].
    /// Returns `false` when the dedupe key is already stored for that account.
    pub fn add_fill(&mut self, encoded: &EncodedFill, dedupe_key: &str, execution_id: Option<&str>) -> Result<bool> {
        let fill = encoded.fill();
        let account = fill.account_id.as_str();
        let symbol = fill.instrument.symbol.as_str();
        let known = self.positions.get(account).is_some_and(|p| p.contains_key(symbol));
        let fresh = !known && !position_has_fills(&self.tx, account, symbol)?;
        let added = insert_fill_with(
            &mut self.insert_fill,
            encoded,
            dedupe_key,
            execution_id,
            Some(&self.batch_id),
        )?;
        if !added {
            self.duplicates += 1;
            return Ok(false);
        }
        self.added += 1;
        let key = (fill.executed_at, fill.seq);
        // Look up before inserting: `entry` would allocate the account id for every fill.
        let by_symbol = match self.positions.get_mut(account) {
            Some(by_symbol) => by_symbol,
            None => self.positions.entry(account.to_string()).or_default(),
        };
        if !known {
            let state = if fresh {
                PositionState::Streaming {
                    matcher: Box::default(),
                    last: key,
                    written: 0,
                }
            } else {
                PositionState::Recompute
            };
            by_symbol.insert(fill.instrument.symbol.clone(), state);
        }
        let state = by_symbol.get_mut(symbol).expect("position recorded above");
        if let PositionState::Streaming { matcher, last, written } = state {
            if key < *last {
                // Out of time order: the trades written so far are replaced at finish.
                self.trades_written -= *written;
                *state = PositionState::Recompute;
            } else {
                *last = key;
                matcher.push(fill, &mut self.completed);
                for t in self.completed.drain(..) {
                    write_trade_with(&mut self.insert_trade, &t)?;
                    *written += 1;
                    self.trades_written += 1;
                }
            }
        }
        Ok(true)
    }

    /// Fills added so far.
    pub fn fills_added(&self) -> u64 {
        self.added
    }

    /// The parents of every row this session wrote exist: its batch and the accounts of the
    /// positions it touched (their fills and trades name them). Stands in for the
    /// per-row foreign-key checks (see [`ImportSession`]).
    fn check_parents(&self, accounts: &BTreeSet<String>) -> Result<()> {
        let mut account_exists = self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?1)")?;
        for account_id in accounts {
            if !account_exists.query_row([account_id], |r| r.get::<_, bool>(0))? {
                return Err(crate::StoreError::Corrupt {
                    what: "account of imported fills",
                    value: account_id.clone(),
                });
            }
        }
        let batch_exists: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM import_batches WHERE id = ?1 AND account_id = ?2)",
            params![self.batch_id, self.account.id],
            |r| r.get(0),
        )?;
        if !batch_exists {
            return Err(crate::StoreError::Corrupt {
                what: "import batch",
                value: self.batch_id.clone(),
            });
        }
        Ok(())
    }

    /// Recomputes the touched positions, records the batch, and commits — or, with
    /// `dry_run`, computes the same figures and rolls everything back. `counts` supplies
    /// the rows read, skipped and rejected; the fill counts come from the session.
    pub fn finish(mut self, counts: BatchCounts, file_sha256: &str, dry_run: bool) -> Result<ImportBatch> {
        let counts = BatchCounts {
            fills_added: self.added,
            duplicates: self.duplicates,
            ..counts
        };
        let mut recompute = BTreeSet::new();
        // Every account the session touched (each has positions).
        let touched_accounts: BTreeSet<String> = self.positions.keys().cloned().collect();
        for (account_id, by_symbol) in std::mem::take(&mut self.positions) {
            for (symbol, state) in by_symbol {
                match state {
                    PositionState::Streaming { matcher, .. } => {
                        matcher.finish(&mut self.completed);
                        for t in self.completed.drain(..) {
                            write_trade_with(&mut self.insert_trade, &t)?;
                            self.trades_written += 1;
                        }
                    }
                    PositionState::Recompute => {
                        recompute.insert((account_id.clone(), symbol));
                    }
                }
            }
        }
        let trades_recomputed = self.trades_written + recompute_positions(&self.tx, &recompute, &mut |_| {})?;
        // Legs opened together become strategies (tradebook_core::strategy).
        for account_id in &touched_accounts {
            crate::strategies::detect_in(&self.tx, account_id)?;
        }
        // The positions were taken above: check the accounts they named.
        self.check_parents(&touched_accounts)?;
        self.tx.execute(
            "UPDATE import_batches SET file_sha256 = ?2, rows_read = ?3, fills_added = ?4, duplicates = ?5, \
             skipped = ?6, rejected = ?7 WHERE id = ?1",
            params![
                self.batch_id,
                file_sha256,
                counts.rows_read as i64,
                counts.fills_added as i64,
                counts.duplicates as i64,
                counts.skipped as i64,
                counts.rejected as i64,
            ],
        )?;
        let (file_name, format, imported_at): (String, String, String) = self.tx.query_row(
            "SELECT file_name, format, imported_at FROM import_batches WHERE id = ?1",
            [&self.batch_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let batch = ImportBatch {
            id: self.batch_id.clone(),
            account_id: self.account.id.clone(),
            file_name,
            file_sha256: file_sha256.to_string(),
            format,
            counts,
            imported_at: parse_ts(&imported_at)?,
            trades_recomputed,
        };
        if dry_run {
            self.tx.rollback()?;
        } else {
            self.tx.commit()?;
        }
        Ok(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TradeQuery;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;
    use tradebook_core::{Fill, Instrument, Side};

    fn fill(account: &str, id: &str, side: Side, price: rust_decimal::Decimal, minute: u32) -> Fill {
        Fill {
            id: id.into(),
            account_id: account.into(),
            instrument: Instrument::stock("AAPL"),
            side,
            quantity: dec!(10),
            price,
            fees: dec!(0.5),
            executed_at: Utc.with_ymd_and_hms(2025, 3, 3, 15, minute, 0).unwrap(),
            source_tz: chrono_tz::America::New_York,
            seq: 0,
            position_effect: None,
        }
    }

    fn import(store: &mut Store, ids: [&str; 2], dry_run: bool) -> ImportBatch {
        let mut s = store
            .begin_import("Main", &NewAccount::named("Main", "Test"), "f.csv", "test")
            .unwrap();
        let acct = s.account().id.clone();
        s.add_fill(
            &EncodedFill::new(fill(&acct, ids[0], Side::Buy, dec!(100), 0)),
            "k1",
            Some("x1"),
        )
        .unwrap();
        s.add_fill(
            &EncodedFill::new(fill(&acct, ids[1], Side::Sell, dec!(101.5), 5)),
            "k2",
            Some("x2"),
        )
        .unwrap();
        s.finish(
            BatchCounts {
                rows_read: 2,
                ..Default::default()
            },
            "abc",
            dry_run,
        )
        .unwrap()
    }

    #[test]
    fn import_is_atomic_idempotent_and_recomputes_trades() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("j.db")).unwrap();

        let preview = import(&mut store, ["a", "b"], true);
        assert_eq!(preview.counts.fills_added, 2);
        assert!(
            store.accounts().unwrap().is_empty(),
            "a dry run leaves nothing, not even the account"
        );

        let first = import(&mut store, ["a", "b"], false);
        assert_eq!(
            (
                first.counts.fills_added,
                first.counts.duplicates,
                first.trades_recomputed
            ),
            (2, 0, 1)
        );
        let again = import(&mut store, ["c", "d"], false);
        assert_eq!((again.counts.fills_added, again.counts.duplicates), (0, 2));
        assert_eq!(store.fills(None).unwrap().len(), 2);

        let trades = store.trades(&TradeQuery::default()).unwrap();
        assert_eq!(trades.len(), 1);
        assert_eq!(trades[0].trade.gross_pnl, dec!(15));
        assert_eq!(trades[0].trade.net_pnl, dec!(14));
        assert_eq!(trades[0].fill_count, 2);
        assert_eq!(store.trade_fills(&trades[0].trade.id).unwrap().len(), 2);
        assert_eq!(store.import_batches().unwrap().len(), 2);

        // An abandoned session (an error mid-import) leaves nothing behind.
        {
            let mut s = store
                .begin_import("Other", &NewAccount::named("Other", "Test"), "g.csv", "test")
                .unwrap();
            let acct = s.account().id.clone();
            s.add_fill(&EncodedFill::new(fill(&acct, "e", Side::Buy, dec!(1), 0)), "k9", None)
                .unwrap();
        }
        assert_eq!(store.accounts().unwrap().len(), 1);
        assert_eq!(store.fills(None).unwrap().len(), 2);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        // Foreign keys, off while a session runs, are enforced again after a commit, a dry
        // run and an abandoned session alike.
        let enforced: bool = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert!(enforced);
        let violations: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(violations, 0);
        let orphan = store.conn().execute(
            "INSERT INTO fills (id, account_id, dedupe_key, asset_class, symbol, multiplier, side, quantity, price, \
             fees, executed_at, source_tz) VALUES ('o', 'no-such-account', 'k', 'stock', 'X', '1', 'buy', '1', '1', \
             '0', '2025-01-01T00:00:00.000000Z', 'UTC')",
            [],
        );
        assert!(orphan.is_err(), "a fill of a missing account is refused again");

        // Undo the first batch: its fills and trades go; the second batch added nothing.
        let undone = store.undo_import(&first.id).unwrap();
        assert_eq!(undone.fills_removed, 2);
        assert!(store.fills(None).unwrap().is_empty());
        assert!(store.trades(&TradeQuery::default()).unwrap().is_empty());
        assert_eq!(store.import_batches().unwrap().len(), 1);
        assert!(matches!(
            store.undo_import(&first.id),
            Err(crate::StoreError::NotFound { .. })
        ));
        // Re-importing after an undo adds the fills again.
        let back = import(&mut store, ["e", "f"], false);
        assert_eq!(back.counts.fills_added, 2);
    }

    #[test]
    fn an_incomplete_trade_is_resolved_by_its_opening_price() {
        let mut store = Store::open_in_memory().unwrap();
        let acct = store.create_account(&NewAccount::named("M", "Manual")).unwrap();
        let mut close = fill(&acct.id, "c1", Side::Sell, dec!(12), 5);
        close.position_effect = Some(tradebook_core::PositionEffect::Close);
        store.add_manual_fills(&[close]).unwrap();
        let trades = store.trades(&TradeQuery::default()).unwrap();
        assert_eq!(trades[0].trade.status, tradebook_core::TradeStatus::Incomplete);
        let stats = store.stats(&TradeQuery::default(), dec!(0)).unwrap();
        assert_eq!((stats.trades, stats.incomplete_trades), (0, 1));

        store.resolve_incomplete(&trades[0].trade.id, dec!(10), None).unwrap();
        let trades = store.trades(&TradeQuery::default()).unwrap();
        assert_eq!(trades.len(), 1);
        assert_eq!(trades[0].trade.status, tradebook_core::TradeStatus::Closed);
        assert_eq!(trades[0].trade.gross_pnl, dec!(20)); // (12 − 10) × 10, long
        assert!(matches!(
            store.resolve_incomplete(&trades[0].trade.id, dec!(10), None),
            Err(crate::StoreError::Invalid { .. })
        ));
    }

    #[test]
    fn manual_fills_recompute_and_keep_trade_ids() {
        let mut store = Store::open_in_memory().unwrap();
        let acct = store.create_account(&NewAccount::named("M", "Manual")).unwrap();
        let ids = store
            .add_manual_fills(&[fill(&acct.id, "m1", Side::Buy, dec!(10), 0)])
            .unwrap();
        assert_eq!(ids.len(), 1);
        let ids2 = store
            .add_manual_fills(&[fill(&acct.id, "m2", Side::Sell, dec!(12), 1)])
            .unwrap();
        assert_eq!(ids, ids2, "closing the trade keeps its id");
        let stats = store.stats(&TradeQuery::default(), dec!(0)).unwrap();
        assert_eq!((stats.trades, stats.net_pnl), (1, dec!(19)));
    }

    /// Trades derived on the fly (a new position in time order) and trades recomputed from
    /// the store (fills out of order, or a position that held fills) are the same trades
    /// `match_round_trips` derives, and each trade's fills are its allocations' fills.
    #[test]
    fn streamed_and_recomputed_trades_agree_with_matching() {
        use tradebook_core::match_round_trips;
        // Long 20, out 10, a flip to short 15, cover 10, a flip to long 5 left open.
        let legs = [
            (Side::Buy, 10, 100),
            (Side::Buy, 10, 101),
            (Side::Sell, 10, 103),
            (Side::Sell, 25, 98),
            (Side::Buy, 10, 97),
            (Side::Buy, 10, 96),
        ];
        let make = |acct: &str| -> Vec<Fill> {
            legs.iter()
                .enumerate()
                .map(|(i, (side, qty, price))| Fill {
                    quantity: (*qty).into(),
                    ..fill(acct, &format!("{acct}-{i}"), *side, (*price).into(), i as u32)
                })
                .collect()
        };
        for order in [vec![0, 1, 2, 3, 4, 5], vec![3, 0, 5, 1, 2, 4]] {
            let mut store = Store::open_in_memory().unwrap();
            let mut s = store
                .begin_import("Main", &NewAccount::named("Main", "Test"), "f.csv", "test")
                .unwrap();
            let acct = s.account().id.clone();
            let fills = make(&acct);
            for &i in &order {
                s.add_fill(&EncodedFill::new(fills[i].clone()), &format!("k{i}"), None)
                    .unwrap();
            }
            let batch = s.finish(BatchCounts::default(), "sha", false).unwrap();
            let expected = match_round_trips(&fills);
            assert_eq!(batch.trades_recomputed, expected.len(), "order {order:?}");
            let mut stored = store.trades(&TradeQuery::default()).unwrap();
            stored.sort_by_key(|a| a.trade.opened_at);
            assert_eq!(stored.len(), expected.len());
            for (got, want) in stored.iter().zip(&expected) {
                let mut want_trade = want.clone();
                want_trade.allocations.clear();
                assert_eq!(got.trade, want_trade, "order {order:?}");
                let mut want_fills: Vec<&str> = want.allocations.iter().map(|a| a.fill_id.as_str()).collect();
                want_fills.dedup();
                let got_fills: Vec<String> = store
                    .trade_fills(&got.trade.id)
                    .unwrap()
                    .into_iter()
                    .map(|r| r.fill.id)
                    .collect();
                assert_eq!(got_fills, want_fills, "fills of trade {}", got.trade.id);
                assert_eq!(got.fill_count as usize, want_fills.len());
            }
        }
    }
}
