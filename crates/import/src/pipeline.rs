//! The import pipeline: file → format → fills → store, in one transaction.
//!
//! 1. Read the first lines and detect the format (or take the one the user chose).
//! 2. Open an [`ImportSession`](tradebook_store::ImportSession) on the target account
//!    (created if missing, in the same transaction).
//! 3. Stream the rows through the format; each fill gets its dedupe key — `x:<execution id>`
//!    when the broker gives one, else `h:<SHA-256 of the row's normalized raw fields>:<n>`
//!    where `n` counts identical rows before it in the file (so two genuinely identical
//!    executions both import, and a re-import of the file matches both).
//! 4. Rejected rows: by default any rejected row aborts the import and nothing changes
//!    (SPEC §10); with `skip_invalid` the valid rows are imported and the rejected ones
//!    reported.
//! 5. Recompute the touched positions' trades, record the batch, commit (or roll back for a
//!    dry run / preview, which reports exactly what a commit would do).
//!
//! Equal timestamps keep the file's order (oldest first: files listed newest first are
//! numbered backwards, see [`Format::newest_first`]).
//!
//! Threads: a reading thread parses the file and keys each fill (steps 1 and 3) while the
//! calling thread writes the fills and their trades (steps 2, 4 and 5); a bounded channel of
//! chunks joins them, so the two cores of a small machine both work on a big file.
//!
//! Memory: the file is streamed and at most a few chunks of fills are in flight; only the
//! per-row-key occurrence counters of formats without execution ids grow with the file.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};
use tradebook_core::ContractTable;
use tradebook_store::{BatchCounts, EncodedFill, NewAccount, Store};

use crate::error::ImportError;
use crate::formats::{self, strip_bom, Format};
use crate::{OptionPositions, ParseContext, RawFill, Removal, RowOutcome};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Target account name; `None` = the format's platform name ("Tradovate"). Created if
    /// missing.
    pub account_name: Option<String>,
    /// Format id to use instead of detection.
    pub format: Option<String>,
    /// Zone of an account this import creates (default America/New_York).
    pub new_account_tz: Option<Tz>,
    /// Compute everything, then roll back.
    pub dry_run: bool,
    /// Import the valid rows even when some are rejected.
    pub skip_invalid: bool,
    /// Futures contracts (point values).
    pub contracts: ContractTable,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            account_name: None,
            format: None,
            new_account_tz: None,
            dry_run: false,
            skip_invalid: false,
            contracts: ContractTable::builtin(),
        }
    }
}

/// Progress of a running import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    pub bytes_read: u64,
    pub total_bytes: u64,
    pub rows_read: u64,
}

/// A row the format could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// 1-based line in the file.
    pub line: u64,
    pub reason: String,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub file_name: String,
    pub format_id: &'static str,
    pub format_name: &'static str,
    pub account_id: String,
    pub account_name: String,
    /// The account did not exist before this import.
    pub account_created: bool,
    pub batch_id: String,
    pub dry_run: bool,
    pub rows_read: u64,
    pub fills_added: u64,
    pub duplicates: u64,
    /// Cash movements recorded (deposits, dividends, interest, fees outside trades); those
    /// already stored are not counted.
    pub cash_movements_added: u64,
    /// Balances the file states, recorded for the reconciliation report.
    pub balances_added: u64,
    pub skipped: u64,
    pub rejected: Vec<RejectedRow>,
    /// Futures roots the contract table lacks (their rows are among `rejected`): the user
    /// adds each with its point value and tick size, then imports again.
    pub unknown_roots: BTreeSet<String>,
    /// Symbols of the fills read.
    pub symbols: BTreeSet<String>,
    pub first_fill_at: Option<DateTime<Utc>>,
    pub last_fill_at: Option<DateTime<Utc>>,
    pub trades_recomputed: usize,
}

/// Counts bytes and hashes them as the parser reads.
struct Tap<R> {
    inner: R,
    /// Shared with the writing thread, which reports progress.
    bytes: Arc<AtomicU64>,
    hash: Sha256,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        file: path.display().to_string(),
        source,
    }
}

fn read_head(path: &Path) -> Result<Vec<String>, ImportError> {
    let file = File::open(path).map_err(io_err(path))?;
    let mut buf = Vec::new();
    BufReader::new(file)
        .take(64 * 1024)
        .read_to_end(&mut buf)
        .map_err(io_err(path))?;
    let text = String::from_utf8_lossy(&buf);
    Ok(text
        .lines()
        .take(40)
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                strip_bom(l).to_string()
            } else {
                l.to_string()
            }
        })
        .collect())
}

/// Fills per message from the reading thread to the writing thread.
const CHUNK: usize = 1024;
/// Messages in flight: the reader is at most this many chunks ahead (memory stays flat).
const CHUNKS_IN_FLIGHT: usize = 4;
/// Rows between progress reports (and cancellation checks) when rows give no fills.
const ROWS_PER_TICK: u64 = 4096;

/// A fill the reading thread has keyed, numbered and (when it can) validated.
enum Prepared {
    /// A fill of the import's account: id, dedupe key and file position set, validated.
    Fill {
        fill: Box<EncodedFill>,
        key: String,
        execution_id: Option<String>,
    },
    /// A row of Tradebook's own export that names its account: only the writing thread,
    /// which holds the store, can find or create the account and so key the fill.
    Routed {
        line: u64,
        account: Box<NewAccount>,
        raw: Box<RawFill>,
        key: String,
        seq: i64,
    },
    /// A cash movement of the import's account, with its dedupe key.
    Cash {
        movement: Box<tradebook_store::NewCashMovement>,
        key: String,
    },
    /// A balance the file states, with its dedupe key.
    Balance {
        balance: Box<tradebook_store::BrokerBalance>,
        key: String,
    },
}

/// The fill `raw` describes in `account_id`, with its id derived from `key`, numbered `seq`,
/// validated and encoded; one that fails validation is a rejected row at `line`.
fn keyed_fill(raw: &RawFill, account_id: &str, key: &str, seq: i64, line: u64) -> Result<EncodedFill, RejectedRow> {
    let fill = raw.to_fill(fill_id(account_id, key, raw.executed_at), account_id, seq);
    match fill.validate() {
        Ok(()) => Ok(EncodedFill::new(fill)),
        Err(e) => Err(RejectedRow {
            line,
            reason: e.to_string(),
        }),
    }
}

/// What the reading thread found besides the fills it sent.
struct ReadSummary {
    rows_read: u64,
    skipped: u64,
    /// Rows the format could not read and fills that failed validation, in file order.
    rejected: Vec<RejectedRow>,
    /// Hex SHA-256 of the whole file.
    sha256: String,
}

/// What the reading thread works with.
struct ReadJob<'a> {
    format: &'a dyn Format,
    ctx: &'a ParseContext<'a>,
    /// The import's account: fills of every row but routed ones go there.
    account_id: &'a str,
    /// Rows of Tradebook's own export go to the accounts they name (no `--account`).
    route_exported: bool,
    /// Rows read so far, for the writer's progress reports.
    rows_read: &'a AtomicU64,
    /// The file, for messages.
    path: &'a Path,
}

/// The reading half of an import: parses the file with `job.format`, keys and numbers each
/// fill (file order decides `seq` and the dedupe key's occurrence index), and sends them to
/// the writing thread in chunks over `out`. Stops with [`ImportError::Cancelled`] when the
/// writer hangs up (it failed or was cancelled).
fn read_fills(
    job: ReadJob<'_>,
    mut tap: Tap<BufReader<File>>,
    out: SyncSender<Vec<Prepared>>,
) -> Result<ReadSummary, ImportError> {
    let ReadJob {
        format,
        ctx,
        account_id,
        route_exported,
        rows_read,
        path,
    } = job;
    let mut rows = 0u64;
    let mut skipped = 0u64;
    let mut rejected: Vec<RejectedRow> = Vec::new();
    let mut occurrences: HashMap<[u8; 32], u32> = HashMap::new();
    // The same for cash movements and stated balances (their keys are prefixed `c:`/`b:`).
    let mut ledger_occurrences: HashMap<[u8; 32], u32> = HashMap::new();
    // Position of each fill in the file: the tie-breaker at equal timestamps.
    let mut ordinal: i64 = 0;
    let mut chunk: Vec<Prepared> = Vec::with_capacity(CHUNK);
    let mut rows_in_chunk = 0u64;
    let mut next_seq = || {
        ordinal += 1;
        if format.newest_first() {
            -ordinal
        } else {
            ordinal
        }
    };
    // Removals wait for the whole file (see `OptionPositions`).
    let mut positions = OptionPositions::default();
    let mut removals: Vec<(u64, Removal, i64)> = Vec::new();
    let mut prepare = |line: u64, raw: RawFill, key: Option<String>, seq: i64, rejected: &mut Vec<RejectedRow>| {
        let key = key.unwrap_or_else(|| dedupe_key(&raw, &mut occurrences));
        match keyed_fill(&raw, account_id, &key, seq, line) {
            Ok(fill) => Some(Prepared::Fill {
                fill: Box::new(fill),
                key,
                execution_id: raw.execution_id,
            }),
            Err(row) => {
                rejected.push(row);
                None
            }
        }
    };
    {
        let mut sink = |outcome: RowOutcome| -> Result<(), ImportError> {
            rows += 1;
            rows_in_chunk += 1;
            match outcome {
                RowOutcome::Skipped { .. } => skipped += 1,
                RowOutcome::Rejected { line, reason } => rejected.push(RejectedRow { line, reason }),
                RowOutcome::Exported {
                    line,
                    account,
                    fill,
                    dedupe_key,
                } => {
                    let seq = next_seq();
                    if route_exported {
                        chunk.push(Prepared::Routed {
                            line,
                            account,
                            raw: fill,
                            key: dedupe_key,
                            seq,
                        });
                    } else if let Some(p) = prepare(line, *fill, Some(dedupe_key), seq, &mut rejected) {
                        chunk.push(p);
                    }
                }
                RowOutcome::Fills { line, fills } => {
                    for raw in fills {
                        let seq = next_seq();
                        positions.track(&raw);
                        if let Some(p) = prepare(line, raw, None, seq, &mut rejected) {
                            chunk.push(p);
                        }
                    }
                }
                RowOutcome::Removal { line, removal } => {
                    let seq = next_seq();
                    removals.push((line, removal, seq));
                }
                RowOutcome::Cash { movement, row_key, .. } => {
                    let key = occurrence_key("c", &row_key, &mut ledger_occurrences);
                    chunk.push(Prepared::Cash {
                        movement: Box::new(movement),
                        key,
                    });
                }
                RowOutcome::Balance {
                    balance,
                    row_key,
                    own_row,
                    ..
                } => {
                    if !own_row {
                        rows -= 1;
                    }
                    let key = occurrence_key("b", &row_key, &mut ledger_occurrences);
                    chunk.push(Prepared::Balance {
                        balance: Box::new(balance),
                        key,
                    });
                }
            }
            rows_read.store(rows, Ordering::Relaxed);
            if chunk.len() >= CHUNK || rows_in_chunk >= ROWS_PER_TICK {
                rows_in_chunk = 0;
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                out.send(full).map_err(|_| ImportError::Cancelled)?;
            }
            Ok(())
        };
        format.parse(&mut tap, ctx, &mut sink)?;
    }
    for (line, removal, seq) in removals {
        match positions.resolve(&removal) {
            Some(raw) => {
                if let Some(p) = prepare(line, raw, None, seq, &mut rejected) {
                    chunk.push(p);
                }
            }
            None => {
                tracing::debug!(
                    line,
                    symbol = %removal.instrument.symbol,
                    event = removal.event.as_str(),
                    "removal without a position in this file: skipped"
                );
                skipped += 1;
            }
        }
    }
    if !chunk.is_empty() {
        out.send(chunk).map_err(|_| ImportError::Cancelled)?;
    }
    drop(out);
    // Hash whatever the parser did not read (a format may stop at its last section).
    std::io::copy(&mut tap, &mut std::io::sink()).map_err(io_err(path))?;
    Ok(ReadSummary {
        rows_read: rows,
        skipped,
        rejected,
        sha256: hex::encode(tap.hash.finalize()),
    })
}

/// Imports the file at `path` into `store` (see the module doc for the steps).
///
/// Two threads share the work: one reads and parses the file and keys each fill, the
/// calling thread writes them (and the trades they close) into the store's transaction.
/// `progress` is called on the calling thread every few thousand rows and at the end;
/// returning `false` cancels (nothing is written). Errors: [`ImportError::Io`]
/// (missing/unreadable file), [`ImportError::UnknownFormat`], [`ImportError::BadFormatId`],
/// [`ImportError::RowsRejected`] (strict mode), [`ImportError::Cancelled`],
/// [`ImportError::Store`].
pub fn import_file(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(ImportProgress) -> bool,
) -> Result<ImportReport, ImportError> {
    let file_name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    // The first lines, read once: for detection and for a format's default account.
    let head = read_head(path)?;
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let format: &'static dyn Format = match &options.format {
        Some(id) => formats::format_by_id(id).ok_or_else(|| ImportError::BadFormatId {
            id: id.clone(),
            known: formats::known_ids(),
        })?,
        None => formats::detect(&head).ok_or_else(|| ImportError::UnknownFormat {
            file: path.display().to_string(),
            closest: formats::closest_layout(&head)
                .map(|(format, missing)| {
                    format!(
                        "; closest known layout: {} (`{}`), which also has the column(s) {}",
                        format.name(),
                        format.id(),
                        missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                    )
                })
                .unwrap_or_default(),
            known: formats::known_ids(),
        })?,
    };
    let started = std::time::Instant::now();
    let file = File::open(path).map_err(io_err(path))?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let tap = Tap {
        inner: BufReader::with_capacity(256 * 1024, file),
        bytes: bytes_read.clone(),
        hash: Sha256::new(),
    };

    // The target account: --account, else the one the file names, else the platform's name.
    let new_account = match (&options.account_name, format.default_account(&head)) {
        (None, Some(named)) => named,
        (name, _) => {
            let name = name.clone().unwrap_or_else(|| format.platform().to_string());
            let mut new = NewAccount::named(name, format.platform());
            if let Some(tz) = options.new_account_tz {
                new.timezone = tz;
            }
            new
        }
    };
    let account_name = new_account.name.clone();
    let mut session = store.begin_import(&account_name, &new_account, &file_name, format.id())?;
    let account = session.account().clone();
    let ctx = ParseContext {
        file_name: file_name.clone(),
        tz: account.timezone,
        contracts: &options.contracts,
    };

    // Rejections of routed fills (the reader rejects the rest).
    let mut rejected: Vec<RejectedRow> = Vec::new();
    let mut symbols = BTreeSet::new();
    let (mut first, mut last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
    // Accounts named by the rows of Tradebook's own export, by lower-case name.
    let mut routed: HashMap<String, tradebook_store::Account> = HashMap::new();
    let rows_read = AtomicU64::new(0);
    let (mut cash_added, mut balances_added) = (0u64, 0u64);
    let (sender, receiver) = sync_channel::<Vec<Prepared>>(CHUNKS_IN_FLIGHT);

    let (written, read) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let job = ReadJob {
                format,
                ctx: &ctx,
                account_id: &account.id,
                route_exported: options.account_name.is_none(),
                rows_read: &rows_read,
                path,
            };
            read_fills(job, tap, sender)
        });
        let write = || -> Result<(), ImportError> {
            // Iterating ends when the reader is done (or failed); returning early drops the
            // receiver, which stops the reader.
            for chunk in receiver {
                for prepared in chunk {
                    let (fill, key, execution_id) = match prepared {
                        Prepared::Cash { movement, key } => {
                            if session.add_cash(&movement, &key)? {
                                cash_added += 1;
                            }
                            continue;
                        }
                        Prepared::Balance { balance, key } => {
                            if session.add_broker_balance(&balance, &key)? {
                                balances_added += 1;
                            }
                            continue;
                        }
                        Prepared::Fill {
                            fill,
                            key,
                            execution_id,
                        } => (fill, key, execution_id),
                        Prepared::Routed {
                            line,
                            account: new,
                            raw,
                            key,
                            seq,
                        } => {
                            let name = new.name.to_lowercase();
                            let account_id = match routed.get(&name) {
                                Some(a) => a.id.clone(),
                                None => {
                                    let a = session.ensure_account(&new)?;
                                    let id = a.id.clone();
                                    routed.insert(name, a);
                                    id
                                }
                            };
                            match keyed_fill(&raw, &account_id, &key, seq, line) {
                                Ok(fill) => (Box::new(fill), key, raw.execution_id),
                                Err(row) => {
                                    rejected.push(row);
                                    continue;
                                }
                            }
                        }
                    };
                    session.add_fill(&fill, &key, execution_id.as_deref())?;
                    let fill = fill.fill();
                    first = Some(first.map_or(fill.executed_at, |f| f.min(fill.executed_at)));
                    last = Some(last.map_or(fill.executed_at, |l| l.max(fill.executed_at)));
                    if !symbols.contains(&fill.instrument.symbol) {
                        symbols.insert(fill.instrument.symbol.clone());
                    }
                }
                if !progress(ImportProgress {
                    bytes_read: bytes_read.load(Ordering::Relaxed),
                    total_bytes,
                    rows_read: rows_read.load(Ordering::Relaxed),
                }) {
                    return Err(ImportError::Cancelled);
                }
            }
            Ok(())
        };
        let written = write();
        let read = reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (written, read)
    });
    // The writer's error comes first: when it stopped, the reader only saw the hang-up.
    written?;
    let read = read?;
    if !progress(ImportProgress {
        bytes_read: bytes_read.load(Ordering::Relaxed),
        total_bytes,
        rows_read: read.rows_read,
    }) {
        return Err(ImportError::Cancelled);
    }
    rejected.extend(read.rejected);
    rejected.sort_by_key(|r| r.line);
    let counts = BatchCounts {
        rows_read: read.rows_read,
        skipped: read.skipped,
        rejected: rejected.len() as u64,
        ..BatchCounts::default()
    };
    if !rejected.is_empty() && !options.skip_invalid && !options.dry_run {
        let first = &rejected[0];
        return Err(ImportError::RowsRejected {
            file: path.display().to_string(),
            rejected: rejected.len(),
            first_line: first.line,
            first_reason: first.reason.clone(),
        });
    }
    let account_created = session.account_created();
    tracing::info!(
        rows = counts.rows_read,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "rows read and fills inserted"
    );
    let batch = session.finish(counts, &read.sha256, options.dry_run)?;
    tracing::info!(
        trades = batch.trades_recomputed,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "trades recomputed and import committed"
    );
    Ok(ImportReport {
        file_name,
        format_id: format.id(),
        format_name: format.name(),
        account_id: account.id,
        account_name: account.name,
        account_created,
        batch_id: batch.id,
        dry_run: options.dry_run,
        rows_read: batch.counts.rows_read,
        fills_added: batch.counts.fills_added,
        duplicates: batch.counts.duplicates,
        cash_movements_added: cash_added,
        balances_added,
        skipped: batch.counts.skipped,
        unknown_roots: rejected
            .iter()
            .filter_map(|r| tradebook_core::CoreError::unknown_root_in(&r.reason))
            .map(str::to_string)
            .collect(),
        rejected,
        symbols,
        first_fill_at: first,
        last_fill_at: last,
        trades_recomputed: batch.trades_recomputed,
    })
}

/// The id of an imported fill: a UUID in the version-7 layout whose time field is the
/// execution's millisecond (so the primary-key index grows at its end, RFC 9562 §5.7) and
/// whose remaining 74 bits come from SHA-256 of the account id and the dedupe key. The same
/// row imported into the same account — again after an undo — gets the same id, so the trade
/// it opens keeps its id and its annotations (notes, tags, stop) find it again.
pub fn fill_id(account_id: &str, dedupe_key: &str, executed_at: DateTime<Utc>) -> String {
    let digest = Sha256::new()
        .chain_update(account_id.as_bytes())
        .chain_update([0x1f])
        .chain_update(dedupe_key.as_bytes())
        .finalize();
    let mut tail = [0u8; 10];
    tail.copy_from_slice(&digest[..10]);
    let millis = u64::try_from(executed_at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &tail)
        .into_uuid()
        .to_string()
}

/// `x:<execution id>`, else `h:<hex SHA-256 of the row key>:<occurrence>`.
/// The dedupe key of a cash movement (`prefix` `c`) or a stated balance (`b`): as a fill's
/// without an execution id, `<prefix>:<SHA-256 of the row key, 16 bytes hex>:<n>`.
fn occurrence_key(prefix: &str, row_key: &str, occurrences: &mut HashMap<[u8; 32], u32>) -> String {
    let digest: [u8; 32] = Sha256::digest(row_key.as_bytes()).into();
    let n = occurrences.entry(digest).or_insert(0);
    let key = format!("{prefix}:{}:{n}", hex::encode(&digest[..16]));
    *n += 1;
    key
}

fn dedupe_key(raw: &RawFill, occurrences: &mut HashMap<[u8; 32], u32>) -> String {
    if let Some(id) = &raw.execution_id {
        return format!("x:{id}");
    }
    let digest: [u8; 32] = Sha256::digest(raw.row_key.as_bytes()).into();
    let n = occurrences.entry(digest).or_insert(0);
    let key = format!("h:{}:{n}", hex::encode(&digest[..16]));
    *n += 1;
    key
}
