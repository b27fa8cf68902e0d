//! The local half of community sync (SPEC §7): the connection record, the outbox, building
//! a push from it, acknowledging it, and applying pulled pages.
//!
//! The outbox is written by triggers (`sync_triggers.sql`, created by
//! [`Store::connect_sync`] and dropped by [`Store::disconnect_sync`]) in the same transaction
//! as each change of a synced row, so no code path can change a row and forget to queue it.
//! An entry names a row and which of its fields changed; [`Store::next_push`] numbers the
//! oldest entries with the device's next mutation ids (frozen from then on, so a resent push
//! keeps its ids and the server skips what it already applied) and reads the named fields
//! as the row holds them now. [`Store::apply_pull`] applies pages in one transaction with
//! the triggers quiet, skips rows that still have local changes waiting (the pending change
//! is "re-applied on top": the local row already holds it and its push follows), except
//! tombstones, which always win, and recomputes the trades of every position it touched.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use tradebook_sync::{
    AccountArgs, AccountRow, AnnotationArgs, AnnotationRow, Change, FillArgs, FillDetail, FillRow, JournalNoteArgs,
    JournalNoteRow, Mutation, MutationKind, PullResponse, PushRequest, Row,
};
use uuid::Uuid;

use crate::codec::{self, parse_date, parse_dec, parse_ts};
use crate::error::StoreError;
use crate::fills::recompute_positions;
use crate::{Result, Store};

/// Where this journal syncs: a community on a server, as a user, from this device. Holds
/// no secret (tokens live in the OS keyring).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConnection {
    /// Server base URL (`https://tradebook.example.com`).
    pub server_url: String,
    pub community_id: Uuid,
    pub community_name: String,
    pub user_id: Uuid,
    pub email: String,
    /// The user's role in the community (`admin`, `moderator`, `trader`, `viewer`).
    pub role: String,
    /// This installation's device id for the connection (mutation ids count per device).
    pub device_id: Uuid,
}

/// What the journal knows of its sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    /// `None` while not connected.
    pub connection: Option<SyncConnection>,
    /// Local changes not yet acknowledged by the server ("n changes waiting").
    pub pending: u64,
    /// Version of the last pulled page applied.
    pub cookie: u64,
    /// When the last complete sync (push and pull) ended.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// What the last attempt failed with; `None` after a success.
    pub last_error: Option<String>,
}

/// What applying pulled pages did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullApplied {
    /// Rows written or deleted.
    pub applied: u64,
    /// Rows left as they are because a local change of them waits to be pushed.
    pub skipped_pending: u64,
    /// Rows that could not be applied here (a fill of an account this journal lacks).
    pub skipped_orphans: u64,
    /// Positions whose trades were recomputed.
    pub positions: u64,
}

/// Field bits of the outbox masks (see `migrations/V4__sync.sql`).
mod bits {
    pub const A_NAME: i64 = 1;
    pub const A_PLATFORM: i64 = 2;
    pub const A_BROKER_ID: i64 = 4;
    pub const A_CURRENCY: i64 = 8;
    pub const A_BALANCE: i64 = 16;
    pub const A_TIMEZONE: i64 = 32;
    pub const F_ACCOUNT: i64 = 1;
    pub const F_SYMBOL: i64 = 2;
    pub const F_CLASS: i64 = 4;
    pub const F_SIDE: i64 = 8;
    pub const F_QTY: i64 = 16;
    pub const F_PRICE: i64 = 32;
    pub const F_FEES: i64 = 64;
    pub const F_MULT: i64 = 128;
    pub const F_TIME: i64 = 256;
    pub const F_SEQ: i64 = 512;
    pub const F_DETAIL: i64 = 1024;
    pub const N_NOTES: i64 = 1;
    pub const N_TAGS: i64 = 2;
    pub const N_SETUP: i64 = 4;
    pub const N_STOP: i64 = 8;
    pub const N_MISTAKES: i64 = 16;
    pub const N_PROVIDER: i64 = 32;
}
use bits::*;

fn corrupt(what: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what,
        value: value.into(),
    }
}

fn uuid(what: &'static str, s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| corrupt(what, s))
}

impl Store {
    /// The sync connection, the number of changes waiting, the cookie and the last result.
    pub fn sync_state(&self) -> Result<SyncState> {
        let conn = self.conn();
        type MetaRow = (
            bool,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            Option<String>,
            Option<String>,
        );
        let m: MetaRow = conn.query_row(
            "SELECT enabled, server_url, community_id, community_name, user_id, email, role, device_id, cookie, \
             last_sync_at, last_error FROM sync_meta WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            },
        )?;
        let (enabled, url, community, name, user, email, role, device, cookie, last_sync, last_error) = m;
        let connection = match (enabled, url, community, user, device) {
            (true, Some(server_url), Some(c), Some(u), Some(d)) => Some(SyncConnection {
                server_url,
                community_id: uuid("community id", &c)?,
                community_name: name.unwrap_or_default(),
                user_id: uuid("user id", &u)?,
                email: email.unwrap_or_default(),
                role: role.unwrap_or_default(),
                device_id: uuid("device id", &d)?,
            }),
            _ => None,
        };
        let pending: i64 = conn.query_row("SELECT COUNT(*) FROM sync_outbox", [], |r| r.get(0))?;
        Ok(SyncState {
            connection,
            pending: pending as u64,
            cookie: cookie as u64,
            last_sync_at: last_sync.as_deref().map(parse_ts).transpose()?,
            last_error,
        })
    }

    /// Connects the journal to a community: records `connection` (a new device id starts
    /// mutation ids at 1 and the cookie at 0) and queues every row of the non-private
    /// accounts, so the first push uploads the journal. One transaction. Returns the number
    /// of changes queued.
    pub fn connect_sync(&mut self, connection: &SyncConnection) -> Result<u64> {
        self.with_tx(|tx| {
            tx.execute("DELETE FROM sync_outbox", [])?;
            tx.execute_batch(TRIGGERS)?;
            tx.execute(
                "UPDATE sync_meta SET enabled = 1, applying = 0, server_url = ?1, community_id = ?2, \
                 community_name = ?3, user_id = ?4, email = ?5, role = ?6, device_id = ?7, next_mutation_id = 1, \
                 cookie = 0, last_sync_at = NULL, last_error = NULL WHERE id = 1",
                params![
                    connection.server_url,
                    connection.community_id.to_string(),
                    connection.community_name,
                    connection.user_id.to_string(),
                    connection.email,
                    connection.role,
                    connection.device_id.to_string(),
                ],
            )?;
            let mut queued = queue_rows(tx, None)?;
            queued += tx.execute(
                "INSERT INTO sync_outbox (entity, key, op, fields) \
                 SELECT 'journal_note', day, 'upsert', 1 FROM journal_notes ORDER BY day",
                [],
            )? as u64;
            Ok(queued)
        })
    }

    /// Disconnects: sync is off, the connection record and the outbox are cleared. The
    /// journal's rows stay as they are.
    pub fn disconnect_sync(&mut self) -> Result<()> {
        self.with_tx(|tx| {
            drop_triggers(tx)?;
            tx.execute("DELETE FROM sync_outbox", [])?;
            tx.execute(
                "UPDATE sync_meta SET enabled = 0, applying = 0, server_url = NULL, community_id = NULL, \
                 community_name = NULL, user_id = NULL, email = NULL, role = NULL, device_id = NULL, \
                 next_mutation_id = 1, cookie = 0, last_sync_at = NULL, last_error = NULL WHERE id = 1",
                [],
            )?;
            Ok(())
        })
    }

    /// Records how a sync attempt ended: `None` for a complete sync (sets the last sync
    /// time), else the error the user should read.
    pub fn record_sync_result(&mut self, error: Option<&str>) -> Result<()> {
        self.with_tx(|tx| {
            match error {
                None => tx.execute(
                    "UPDATE sync_meta SET last_sync_at = ?1, last_error = NULL WHERE id = 1",
                    [codec::now()],
                )?,
                Some(e) => tx.execute("UPDATE sync_meta SET last_error = ?1 WHERE id = 1", [e])?,
            };
            Ok(())
        })
    }

    /// Updates the user's role as the server last said it.
    pub fn set_sync_role(&mut self, role: &str) -> Result<()> {
        self.with_tx(|tx| {
            tx.execute("UPDATE sync_meta SET role = ?1 WHERE id = 1", [role])?;
            Ok(())
        })
    }

    /// Marks an account private (never synced) or shared again. Making it private drops its
    /// changes that no push has numbered yet; making it shared queues all its rows. Data a
    /// community already received stays there.
    ///
    /// Errors: [`StoreError::NotFound`].
    pub fn set_account_private(&mut self, id: &str, private: bool) -> Result<crate::Account> {
        let account = self.account(id)?;
        if account.private == private {
            return Ok(account);
        }
        self.with_tx(|tx| {
            tx.execute("UPDATE accounts SET private = ?2 WHERE id = ?1", params![id, private])?;
            let enabled: bool = tx.query_row("SELECT enabled FROM sync_meta WHERE id = 1", [], |r| r.get(0))?;
            if !enabled {
                return Ok(());
            }
            if private {
                tx.execute(
                    "DELETE FROM sync_outbox WHERE mutation_id IS NULL AND ( \
                       (entity = 'account' AND key = ?1) \
                       OR (entity = 'fill' AND key IN (SELECT id FROM fills WHERE account_id = ?1)) \
                       OR (entity = 'annotation' AND key IN (SELECT id FROM fills WHERE account_id = ?1)))",
                    [id],
                )?;
            } else {
                queue_rows(tx, Some(id))?;
            }
            Ok(())
        })?;
        self.account(id)
    }

    /// The next push: the numbered but unacknowledged mutations (a resend keeps their ids),
    /// then newly numbered ones, up to `max` in all, in mutation id order. `None` when
    /// nothing waits or sync is off. Numbering commits before the request is sent, so the
    /// same id never names two different changes.
    pub fn next_push(&mut self, max: usize) -> Result<Option<PushRequest>> {
        let max = max.max(1) as i64;
        self.with_tx(|tx| {
            let (enabled, device, mut next): (bool, Option<String>, i64) = tx.query_row(
                "SELECT enabled, device_id, next_mutation_id FROM sync_meta WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let (true, Some(device_id)) = (enabled, device) else {
                return Ok(None);
            };
            let numbered: i64 = tx.query_row(
                "SELECT COUNT(*) FROM sync_outbox WHERE mutation_id IS NOT NULL",
                [],
                |r| r.get(0),
            )?;
            if numbered < max {
                let ids: Vec<i64> = {
                    let mut stmt =
                        tx.prepare("SELECT id FROM sync_outbox WHERE mutation_id IS NULL ORDER BY id LIMIT ?1")?;
                    let rows = stmt.query_map([max - numbered], |r| r.get(0))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                let mut number = tx.prepare_cached("UPDATE sync_outbox SET mutation_id = ?2 WHERE id = ?1")?;
                for id in ids {
                    number.execute(params![id, next])?;
                    next += 1;
                }
                tx.execute("UPDATE sync_meta SET next_mutation_id = ?1 WHERE id = 1", [next])?;
            }
            let entries: Vec<(i64, String, String, String, i64)> = {
                let mut stmt = tx.prepare(
                    "SELECT mutation_id, entity, key, op, fields FROM sync_outbox \
                     WHERE mutation_id IS NOT NULL ORDER BY mutation_id LIMIT ?1",
                )?;
                let rows = stmt.query_map([max], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            if entries.is_empty() {
                return Ok(None);
            }
            let mut mutations = Vec::with_capacity(entries.len());
            for (id, entity, key, op, fields) in entries {
                mutations.push(Mutation {
                    id: id as u64,
                    kind: build_mutation(tx, &entity, &key, &op, fields)?,
                });
            }
            let waiting: i64 = tx.query_row("SELECT COUNT(*) FROM sync_outbox", [], |r| r.get(0))?;
            let more = waiting > mutations.len() as i64;
            Ok(Some(PushRequest {
                device_id,
                mutations,
                more,
            }))
        })
    }

    /// Drops the outbox entries the server acknowledged (mutation ids up to
    /// `last_mutation_id`).
    pub fn ack_push(&mut self, last_mutation_id: u64) -> Result<()> {
        self.with_tx(|tx| {
            tx.execute(
                "DELETE FROM sync_outbox WHERE mutation_id IS NOT NULL AND mutation_id <= ?1",
                [last_mutation_id as i64],
            )?;
            Ok(())
        })
    }

    /// Applies pulled pages in one transaction: acknowledges the entries each page reports
    /// applied, writes every change (tombstones always; upserts unless the row has a local
    /// change waiting), recomputes the trades of the touched positions and stores the last
    /// page's cookie. Nothing it writes is queued for push.
    pub fn apply_pull(&mut self, pages: &[PullResponse]) -> Result<PullApplied> {
        let Some(last) = pages.last() else {
            return Ok(PullApplied::default());
        };
        self.with_tx(|tx| {
            tx.execute("UPDATE sync_meta SET applying = 1 WHERE id = 1", [])?;
            let mut report = PullApplied::default();
            let mut positions = BTreeSet::new();
            for page in pages {
                tx.execute(
                    "DELETE FROM sync_outbox WHERE mutation_id IS NOT NULL AND mutation_id <= ?1",
                    [page.last_mutation_id as i64],
                )?;
                for change in &page.changes {
                    apply_change(tx, change, &mut positions, &mut report)?;
                }
            }
            report.positions = positions.len() as u64;
            recompute_positions(tx, &positions, &mut |_| {})?;
            // Strategies are local (not synced): group the pulled legs as an import does, so
            // two devices count the same trades.
            crate::strategies::prune(tx)?;
            let accounts: BTreeSet<&String> = positions.iter().map(|(account, _)| account).collect();
            for account in accounts {
                crate::strategies::detect_in(tx, account)?;
            }
            tx.execute(
                "UPDATE sync_meta SET applying = 0, cookie = ?1 WHERE id = 1",
                [last.cookie as i64],
            )?;
            Ok(report)
        })
    }
}

/// The outbox triggers, created while the journal is connected (a journal that does not
/// sync pays nothing for them on its writes).
const TRIGGERS: &str = include_str!("sync_triggers.sql");

/// Drops the outbox triggers (every trigger named `sync_…`).
fn drop_triggers(tx: &Transaction<'_>) -> Result<()> {
    let names: Vec<String> = {
        let mut stmt =
            tx.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for name in names {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    Ok(())
}

/// Queues whole rows (every field) of the non-private accounts, or of one account: the
/// accounts, their fills in time order, and the annotations of their trades. Returns how
/// many were queued.
fn queue_rows(tx: &Transaction<'_>, account: Option<&str>) -> Result<u64> {
    let mut queued = tx.execute(
        "INSERT INTO sync_outbox (entity, key, op, fields) \
         SELECT 'account', id, 'upsert', 63 FROM accounts \
         WHERE NOT private AND (?1 IS NULL OR id = ?1) ORDER BY created_at, id",
        [account],
    )?;
    queued += tx.execute(
        "INSERT INTO sync_outbox (entity, key, op, fields) \
         SELECT 'fill', f.id, 'upsert', 2047 FROM fills f JOIN accounts a ON a.id = f.account_id \
         WHERE NOT a.private AND (?1 IS NULL OR a.id = ?1) ORDER BY f.executed_at, f.seq, f.rowid",
        [account],
    )?;
    queued += tx.execute(
        "INSERT INTO sync_outbox (entity, key, op, fields) \
         SELECT 'annotation', t.trade_id, 'upsert', 63 FROM \
           (SELECT trade_id FROM annotations UNION SELECT trade_id FROM trade_tags \
            UNION SELECT trade_id FROM trade_mistakes) t \
         LEFT JOIN fills f ON f.id = t.trade_id LEFT JOIN accounts a ON a.id = f.account_id \
         WHERE NOT COALESCE(a.private, 0) AND (?1 IS NULL OR a.id = ?1) \
         ORDER BY t.trade_id",
        [account],
    )?;
    Ok(queued as u64)
}

fn has_pending(tx: &Transaction<'_>, entity: &str, key: &str) -> Result<bool> {
    let mut stmt = tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE entity = ?1 AND key = ?2)")?;
    Ok(stmt.query_row(params![entity, key], |r| r.get(0))?)
}

fn build_mutation(tx: &Transaction<'_>, entity: &str, key: &str, op: &str, fields: i64) -> Result<MutationKind> {
    let on = |bit: i64| fields & bit != 0;
    Ok(match (entity, op) {
        ("account", "delete") => MutationKind::DeleteAccount {
            id: uuid("account id", key)?,
        },
        ("account", _) => {
            let row = tx
                .query_row(
                    "SELECT name, platform, broker_account_id, currency, starting_balance, timezone FROM accounts \
                     WHERE id = ?1",
                    [key],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, String>(5)?,
                        ))
                    },
                )
                .optional()?;
            let id = uuid("account id", key)?;
            match row {
                None => MutationKind::DeleteAccount { id },
                Some((name, platform, broker, currency, balance, tz)) => MutationKind::UpsertAccount(AccountArgs {
                    id,
                    name: on(A_NAME).then_some(name),
                    platform: on(A_PLATFORM).then_some(platform),
                    // An emptied broker number is sent as "" (a missing field means "unchanged").
                    broker_account_id: on(A_BROKER_ID).then(|| broker.unwrap_or_default()),
                    currency: on(A_CURRENCY).then_some(currency),
                    starting_balance: on(A_BALANCE).then(|| parse_dec(&balance)).transpose()?,
                    timezone: on(A_TIMEZONE).then_some(tz),
                }),
            }
        }
        ("fill", "delete") => MutationKind::DeleteFill {
            id: uuid("fill id", key)?,
        },
        ("fill", _) => {
            let id = uuid("fill id", key)?;
            let record = tx
                .query_row(
                    &format!("SELECT {} FROM fills f WHERE f.id = ?1", crate::fills::FILL_COLUMNS),
                    [key],
                    crate::fills::fill_from_row,
                )
                .optional()?
                .transpose()?;
            match record {
                None => MutationKind::DeleteFill { id },
                Some(r) => {
                    let f = &r.fill;
                    let i = &f.instrument;
                    MutationKind::UpsertFill(FillArgs {
                        id,
                        account_id: on(F_ACCOUNT).then(|| uuid("account id", &f.account_id)).transpose()?,
                        symbol: on(F_SYMBOL).then(|| i.symbol.clone()),
                        asset_class: on(F_CLASS).then(|| i.asset_class.as_str().to_string()),
                        side: on(F_SIDE).then(|| f.side.as_str().to_string()),
                        quantity: on(F_QTY).then_some(f.quantity),
                        price: on(F_PRICE).then_some(f.price),
                        fees: on(F_FEES).then_some(f.fees),
                        multiplier: on(F_MULT).then_some(i.multiplier),
                        executed_at: on(F_TIME).then_some(f.executed_at),
                        seq: on(F_SEQ).then_some(f.seq),
                        detail: if on(F_DETAIL) {
                            FillDetail {
                                underlying: i.underlying.clone(),
                                expiry: i.expiry,
                                strike: i.strike,
                                option_right: i.right.map(|r| r.as_str().to_string()),
                                source_tz: Some(f.source_tz.name().to_string()),
                                position_effect: f.position_effect.map(|e| e.as_str().to_string()),
                                dedupe_key: Some(r.dedupe_key.clone()),
                                execution_id: r.execution_id.clone(),
                            }
                        } else {
                            FillDetail::default()
                        },
                    })
                }
            }
        }
        ("annotation", _) => {
            let trade_id = uuid("trade id", key)?;
            type AnnotationColumns = (String, Option<String>, Option<String>, Option<String>);
            let row: Option<AnnotationColumns> = tx
                .query_row(
                    "SELECT notes, setup, planned_stop, provider_id FROM annotations WHERE trade_id = ?1",
                    [key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let (notes, setup, stop, provider) = row.unwrap_or_default();
            let labels = |sql: &str| -> Result<Vec<String>> {
                let mut stmt = tx.prepare_cached(sql)?;
                let rows = stmt.query_map([key], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            };
            let mut clear = Vec::new();
            if on(N_SETUP) && setup.is_none() {
                clear.push("setup".to_string());
            }
            if on(N_STOP) && stop.is_none() {
                clear.push("planned_stop".to_string());
            }
            if on(N_PROVIDER) && provider.is_none() {
                clear.push("provider_id".to_string());
            }
            MutationKind::UpsertAnnotation(AnnotationArgs {
                trade_id,
                notes: on(N_NOTES).then_some(notes),
                tags: on(N_TAGS)
                    .then(|| labels("SELECT tag FROM trade_tags WHERE trade_id = ?1 ORDER BY tag"))
                    .transpose()?,
                setup: if on(N_SETUP) { setup } else { None },
                planned_stop: if on(N_STOP) {
                    stop.as_deref().map(parse_dec).transpose()?
                } else {
                    None
                },
                mistakes: on(N_MISTAKES)
                    .then(|| labels("SELECT mistake FROM trade_mistakes WHERE trade_id = ?1 ORDER BY mistake"))
                    .transpose()?,
                provider_id: if on(N_PROVIDER) {
                    provider.as_deref().map(|p| uuid("provider id", p)).transpose()?
                } else {
                    None
                },
                clear,
            })
        }
        ("journal_note", _) => {
            let body: Option<String> = tx
                .query_row("SELECT notes FROM journal_notes WHERE day = ?1", [key], |r| r.get(0))
                .optional()?;
            MutationKind::PutJournalNote(JournalNoteArgs {
                day: parse_date(key)?,
                body: body.unwrap_or_default(),
            })
        }
        _ => return Err(corrupt("outbox entry", format!("{entity} {op} {key}"))),
    })
}

fn apply_change(
    tx: &Transaction<'_>,
    change: &Change,
    positions: &mut BTreeSet<(String, String)>,
    report: &mut PullApplied,
) -> Result<()> {
    let (entity, key) = match &change.row {
        Row::Account(a) => ("account", a.id.to_string()),
        Row::Fill(f) => ("fill", f.id.to_string()),
        Row::Annotation(a) => ("annotation", a.trade_id.to_string()),
        Row::JournalNote(n) => ("journal_note", codec::date(n.day)),
    };
    if !change.deleted && has_pending(tx, entity, &key)? {
        report.skipped_pending += 1;
        return Ok(());
    }
    let applied = match &change.row {
        Row::Account(a) => apply_account(tx, a, change.deleted, &key, positions)?,
        Row::Fill(f) => apply_fill(tx, f, change.deleted, &key, positions)?,
        Row::Annotation(a) => apply_annotation(tx, a, change.deleted, &key)?,
        Row::JournalNote(n) => apply_journal_note(tx, n, change.deleted, &key)?,
    };
    if applied {
        report.applied += 1;
    } else {
        report.skipped_orphans += 1;
    }
    Ok(())
}

fn positions_of_account(tx: &Transaction<'_>, id: &str, positions: &mut BTreeSet<(String, String)>) -> Result<()> {
    let mut stmt = tx.prepare_cached("SELECT DISTINCT symbol FROM fills WHERE account_id = ?1")?;
    let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
    for symbol in rows {
        positions.insert((id.to_string(), symbol?));
    }
    Ok(())
}

fn apply_account(
    tx: &Transaction<'_>,
    a: &AccountRow,
    deleted: bool,
    id: &str,
    positions: &mut BTreeSet<(String, String)>,
) -> Result<bool> {
    if deleted {
        // Its fills and trades go with it (ON DELETE CASCADE); nothing is left to recompute.
        tx.execute("DELETE FROM accounts WHERE id = ?1", [id])?;
        positions.retain(|(account, _)| account != id);
        return Ok(true);
    }
    let tz = codec::parse_tz(&a.timezone)?;
    let broker = Some(a.broker_account_id.clone().unwrap_or_default()).filter(|s| !s.is_empty());
    // Names are unique per journal: another device's account of the same name keeps a
    // suffix here until the trader renames one of them.
    let taken = |name: &str| -> Result<bool> {
        Ok(tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE name = ?1 AND id != ?2)",
            params![name, id],
            |r| r.get(0),
        )?)
    };
    let mut name = if a.name.trim().is_empty() {
        "Synced account".to_string()
    } else {
        a.name.trim().to_string()
    };
    if taken(&name)? {
        let short: String = id.chars().take(4).collect();
        name = format!("{name} ({short})");
    }
    let old_tz: Option<String> = tx
        .query_row("SELECT timezone FROM accounts WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    tx.execute(
        "INSERT INTO accounts (id, name, platform, broker_account_id, currency, timezone, starting_balance, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform, \
         broker_account_id = excluded.broker_account_id, currency = excluded.currency, \
         timezone = excluded.timezone, starting_balance = excluded.starting_balance",
        params![
            id,
            name,
            a.platform,
            broker,
            a.currency,
            tz.name(),
            codec::dec(a.starting_balance),
            codec::now()
        ],
    )?;
    if old_tz.is_some_and(|old| old != tz.name()) {
        positions_of_account(tx, id, positions)?;
    }
    Ok(true)
}

fn apply_fill(
    tx: &Transaction<'_>,
    f: &FillRow,
    deleted: bool,
    id: &str,
    positions: &mut BTreeSet<(String, String)>,
) -> Result<bool> {
    let old: Option<(String, String)> = tx
        .query_row("SELECT account_id, symbol FROM fills WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some(position) = &old {
        positions.insert(position.clone());
    }
    if deleted {
        tx.execute("DELETE FROM fills WHERE id = ?1", [id])?;
        return Ok(true);
    }
    let account = f.account_id.to_string();
    let account_tz: Option<String> = tx
        .query_row("SELECT timezone FROM accounts WHERE id = ?1", [&account], |r| r.get(0))
        .optional()?;
    let Some(account_tz) = account_tz else {
        return Ok(false);
    };
    let d = &f.detail;
    let source_tz = match &d.source_tz {
        Some(tz) => codec::parse_tz(tz)?.name().to_string(),
        None => account_tz,
    };
    let mut dedupe_key = d.dedupe_key.clone().unwrap_or_else(|| format!("sync:{id}"));
    let collides: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM fills WHERE account_id = ?1 AND dedupe_key = ?2 AND id != ?3)",
        params![account, dedupe_key, id],
        |r| r.get(0),
    )?;
    if collides {
        dedupe_key = format!("sync:{id}");
    }
    let effect = d.position_effect.as_deref().filter(|e| *e == "open" || *e == "close");
    let right = d.option_right.as_deref().filter(|r| *r == "call" || *r == "put");
    let class = codec::parse_asset_class(&f.asset_class)?;
    let side = codec::parse_side(&f.side)?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO fills (id, account_id, batch_id, dedupe_key, execution_id, asset_class, symbol, underlying, \
         expiry, strike, option_right, multiplier, side, quantity, price, fees, executed_at, source_tz, seq, \
         position_effect) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
         ?18, ?19) \
         ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, dedupe_key = excluded.dedupe_key, \
         execution_id = excluded.execution_id, asset_class = excluded.asset_class, symbol = excluded.symbol, \
         underlying = excluded.underlying, expiry = excluded.expiry, strike = excluded.strike, \
         option_right = excluded.option_right, multiplier = excluded.multiplier, side = excluded.side, \
         quantity = excluded.quantity, price = excluded.price, fees = excluded.fees, \
         executed_at = excluded.executed_at, source_tz = excluded.source_tz, seq = excluded.seq, \
         position_effect = excluded.position_effect",
    )?;
    stmt.execute(params![
        id,
        account,
        dedupe_key,
        d.execution_id,
        class.as_str(),
        f.symbol,
        d.underlying,
        d.expiry.map(codec::date),
        d.strike.map(codec::dec),
        right,
        codec::dec(f.multiplier),
        side.as_str(),
        codec::dec(f.quantity),
        codec::dec(f.price),
        codec::dec(f.fees),
        codec::ts(f.executed_at),
        source_tz,
        f.seq,
        effect,
    ])?;
    positions.insert((account, f.symbol.clone()));
    Ok(true)
}

fn apply_annotation(tx: &Transaction<'_>, a: &AnnotationRow, deleted: bool, id: &str) -> Result<bool> {
    tx.execute("DELETE FROM trade_tags WHERE trade_id = ?1", [id])?;
    tx.execute("DELETE FROM trade_mistakes WHERE trade_id = ?1", [id])?;
    if deleted {
        tx.execute("DELETE FROM annotations WHERE trade_id = ?1", [id])?;
        return Ok(true);
    }
    let setup = a.setup.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let stop = a.planned_stop.filter(|s| *s > Decimal::ZERO).map(codec::dec);
    tx.execute(
        "INSERT INTO annotations (trade_id, notes, setup, planned_stop, provider_id, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (trade_id) DO UPDATE SET notes = excluded.notes, setup = excluded.setup, \
         planned_stop = excluded.planned_stop, provider_id = excluded.provider_id, updated_at = excluded.updated_at",
        params![
            id,
            a.notes,
            setup,
            stop,
            a.provider_id.map(|p| p.to_string()),
            codec::now()
        ],
    )?;
    let mut tag = tx.prepare_cached("INSERT OR IGNORE INTO trade_tags (trade_id, tag) VALUES (?1, ?2)")?;
    for t in a.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        tag.execute(params![id, t])?;
    }
    let mut mistake = tx.prepare_cached("INSERT OR IGNORE INTO trade_mistakes (trade_id, mistake) VALUES (?1, ?2)")?;
    for m in a.mistakes.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
        mistake.execute(params![id, m])?;
    }
    Ok(true)
}

fn apply_journal_note(tx: &Transaction<'_>, n: &JournalNoteRow, deleted: bool, day: &str) -> Result<bool> {
    if deleted || n.body.trim().is_empty() {
        tx.execute("DELETE FROM journal_notes WHERE day = ?1", [day])?;
    } else {
        tx.execute(
            "INSERT INTO journal_notes (day, notes, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (day) DO UPDATE SET notes = excluded.notes, updated_at = excluded.updated_at",
            params![day, n.body, codec::now()],
        )?;
    }
    Ok(true)
}
