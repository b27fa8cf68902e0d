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
//! Memory: the file is streamed; only the per-row-key occurrence counters of formats without
//! execution ids grow with the file.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};
use tradebook_core::ContractTable;
use tradebook_store::{BatchCounts, NewAccount, Store};

use crate::error::ImportError;
use crate::formats::{self, strip_bom, Format};
use crate::{ParseContext, RawFill, RowOutcome};

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
    /// Shared with the progress reporter while the parser holds the reader.
    bytes: Rc<Cell<u64>>,
    hash: Sha256,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
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

/// Imports the file at `path` into `store` (see the module doc for the steps).
///
/// `progress` is called every few thousand rows and at the end; returning `false` cancels
/// (nothing is written). Errors: [`ImportError::Io`] (missing/unreadable file),
/// [`ImportError::UnknownFormat`], [`ImportError::BadFormatId`],
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
            known: formats::known_ids(),
        })?,
    };
    let started = std::time::Instant::now();
    let file = File::open(path).map_err(io_err(path))?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bytes_read = Rc::new(Cell::new(0u64));
    let mut tap = Tap {
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

    let mut counts = BatchCounts::default();
    let mut rejected: Vec<RejectedRow> = Vec::new();
    let mut occurrences: HashMap<[u8; 32], u32> = HashMap::new();
    let mut symbols = BTreeSet::new();
    let (mut first, mut last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
    let mut cancelled = false;
    // Fills of the current row awaiting insertion: (line, fill, account override, dedupe key).
    let mut placed: Vec<(u64, RawFill, Option<String>, Option<String>)> = Vec::new();
    // Accounts named by the rows of Tradebook's own export, by lower-case name.
    let mut routed: HashMap<String, tradebook_store::Account> = HashMap::new();
    // Position of each fill in the file: the tie-breaker at equal timestamps.
    let mut ordinal: i64 = 0;

    {
        let mut sink = |outcome: RowOutcome| -> Result<(), ImportError> {
            counts.rows_read += 1;
            match outcome {
                RowOutcome::Skipped { .. } => counts.skipped += 1,
                RowOutcome::Rejected { line, reason } => {
                    counts.rejected += 1;
                    rejected.push(RejectedRow { line, reason });
                }
                RowOutcome::Exported {
                    line,
                    account: new,
                    fill,
                    dedupe_key,
                } => {
                    // Rows of Tradebook's own export name their account; --account puts every
                    // row into that account, as for any format.
                    let target = match options.account_name {
                        Some(_) => None,
                        None => {
                            let key = new.name.to_lowercase();
                            if !routed.contains_key(&key) {
                                let a = session.ensure_account(&new)?;
                                routed.insert(key.clone(), a);
                            }
                            routed.get(&key).map(|a| a.id.clone())
                        }
                    };
                    placed.push((line, *fill, target, Some(dedupe_key)));
                }
                RowOutcome::Fills { line, fills } => {
                    placed.extend(fills.into_iter().map(|raw| (line, raw, None, None)));
                }
            }
            // Each fill: into its account (None: the import's), keyed by the row's own
            // dedupe key or one derived from the raw row.
            for (line, raw, target, key) in placed.drain(..) {
                ordinal += 1;
                let seq = if format.newest_first() { -ordinal } else { ordinal };
                let account_id = target.as_deref().unwrap_or(&account.id);
                let key = key.unwrap_or_else(|| dedupe_key(&raw, &mut occurrences));
                let fill = raw.to_fill(fill_id(account_id, &key, raw.executed_at), account_id, seq);
                if let Err(e) = fill.validate() {
                    counts.rejected += 1;
                    rejected.push(RejectedRow {
                        line,
                        reason: e.to_string(),
                    });
                    continue;
                }
                session.add_fill(&fill, &key, raw.execution_id.as_deref())?;
                symbols.insert(raw.instrument.symbol.clone());
                first = Some(first.map_or(raw.executed_at, |f| f.min(raw.executed_at)));
                last = Some(last.map_or(raw.executed_at, |l| l.max(raw.executed_at)));
            }
            if counts.rows_read % 4096 == 0 {
                let bytes_read = bytes_read.get();
                if !progress(ImportProgress {
                    bytes_read,
                    total_bytes,
                    rows_read: counts.rows_read,
                }) {
                    cancelled = true;
                    return Err(ImportError::Cancelled);
                }
            }
            Ok(())
        };
        format.parse(&mut tap, &ctx, &mut sink)?;
    }
    if cancelled {
        return Err(ImportError::Cancelled);
    }
    // Hash whatever the parser did not read (a format may stop at its last section).
    std::io::copy(&mut tap, &mut std::io::sink()).map_err(io_err(path))?;
    if !progress(ImportProgress {
        bytes_read: bytes_read.get(),
        total_bytes,
        rows_read: counts.rows_read,
    }) {
        return Err(ImportError::Cancelled);
    }
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
    let sha = hex::encode(tap.hash.finalize());
    let batch = session.finish(counts, &sha, options.dry_run)?;
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
