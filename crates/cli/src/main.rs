//! # tradebook — the command line
//!
//! The same crates as the desktop app, scriptable, on the same SQLite file (`--db PATH`,
//! default: the OS data dir, as the app). The commands and their `--json` output are a
//! contract for scripts and tests: fields are added, never renamed or removed.
//!
//! Exit codes: 0 success; on failure one line on stderr (never a panic or backtrace) and a
//! code by what it means: 2 bad input (the command, a file, a path), 3 the journal is busy,
//! 4 no community session, 5 the server is unreachable, 6 the server refused, 1 a bug.
//! The table is in `failure.rs`.

/// `println!` for command output: a closed pipe stops the command quietly
/// ([`Failure::ClosedPipe`]) instead of panicking. Use inside functions returning
/// `Result<_, Failure>`.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_line(format_args!($($arg)*))?
    };
}

mod failure;
mod output;

use failure::Failure;

use chrono::NaiveDate;
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::process::ExitCode;
use tradebook_core::{AssetClass, Direction, TradeStatus};
use tradebook_import::{import_file, ImportOptions};
use tradebook_store::{NewAccount, Store, TradeOrder, TradeQuery, TradeSort};

/// mimalloc: an import allocates fills on its reading thread and frees them on the writing
/// thread, where the system allocator contends on its arena locks (a million-fill import
/// took 12.5 s with it, 8.9 s with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "tradebook", version, about = "Tradebook: a local-first trading journal")]
struct Cli {
    /// The journal database (default: $TRADEBOOK_DB, else the OS data dir's tradebook/journal.db).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List or add accounts.
    Accounts {
        #[command(subcommand)]
        action: Option<AccountsAction>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import a broker CSV export (format detected from its header).
    Import(ImportArgs),
    /// List round-trip trades.
    Trades {
        #[command(flatten)]
        filter: FilterArgs,
        /// Only open or closed trades.
        #[arg(long, value_parser = ["open", "closed", "incomplete"])]
        status: Option<String>,
        /// Sort by this column (nulls last); without it, open trades first, then the newest close.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(TradeSort::ALL.map(|(name, _)| name)))]
        sort: Option<String>,
        /// Largest first (with --sort).
        #[arg(long, requires = "sort")]
        desc: bool,
        /// At most this many trades (default: all).
        #[arg(long)]
        limit: Option<u64>,
        /// Skip this many trades of the sorted list first.
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long)]
        json: bool,
    },
    /// Statistics over closed trades (SPEC §4).
    Stats {
        #[command(flatten)]
        filter: FilterArgs,
        /// Trades with |net| up to this amount count as scratches (default: the journal's
        /// break-even band setting, the one the app uses; 0 when unset).
        #[arg(long)]
        break_even: Option<Decimal>,
        #[arg(long)]
        json: bool,
    },
    /// Import history: list batches, or undo one (its fills and derived trades).
    Imports {
        #[command(subcommand)]
        action: Option<ImportsAction>,
        #[arg(long)]
        json: bool,
    },
    /// Give an incomplete trade ("opening position unknown") its opening price.
    Resolve {
        /// The trade id (`tradebook trades --status incomplete --json`).
        trade_id: String,
        /// Price of the opening fill.
        #[arg(long)]
        open_price: Decimal,
        /// When the position was opened (RFC 3339); default one second before the close.
        #[arg(long)]
        opened_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    },
    /// Write every fill to FILE in Tradebook's own CSV (re-importable, lossless).
    Export {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Back up the whole journal to FILE (one SQLite file; replaces FILE).
    Backup {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Replace the journal with the backup in FILE (checked first; all or nothing).
    Restore {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The futures contract table (point values): list, add or change a root, remove yours.
    Contracts {
        #[command(subcommand)]
        action: Option<ContractsAction>,
        /// Print JSON (the table after the change).
        #[arg(long, global = true)]
        json: bool,
    },
    /// Sync with a community on a Tradebook server (SPEC §7): login, status, now, logout.
    Sync {
        #[command(subcommand)]
        action: SyncAction,
        /// Print JSON.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Mark an account private (never synced) or shared again.
    Private {
        /// Account name.
        account: String,
        /// Share it again.
        #[arg(long)]
        off: bool,
        #[arg(long)]
        json: bool,
    },
    /// An account's cash movements (deposits, withdrawals, dividends, interest, fees outside
    /// trades), or add one.
    Cash {
        #[command(subcommand)]
        action: Option<CashAction>,
        /// Account name (for the list).
        account: Option<String>,
        /// Print JSON.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Compare the account's balance (starting balance + cash + realized net) with the
    /// balances its broker files state: each day that differs, by how much, and why.
    Reconcile {
        /// Account name.
        account: String,
        #[arg(long)]
        json: bool,
    },
    /// Multi-leg strategies (legs opened together on one underlying, counted as one trade
    /// in `stats`): list them, split one back into its trades, or merge trades into one.
    Strategies {
        #[command(subcommand)]
        action: Option<StrategiesAction>,
        /// Only this account's (for the list).
        #[arg(long)]
        account: Option<String>,
        /// Print JSON.
        #[arg(long, global = true)]
        json: bool,
    },
    /// List the supported import formats.
    Formats {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum SyncAction {
    /// Sign in and connect this journal to a community; the session goes to the OS keyring.
    /// The password is read from TRADEBOOK_PASSWORD, else from the first line of stdin.
    Login {
        /// Server URL (https://...).
        #[arg(long)]
        server: String,
        #[arg(long)]
        email: String,
        /// Join with an invitation COMMUNITY_ID/CODE (from the community's Admin page).
        #[arg(long)]
        invite: Option<String>,
        /// Which community (id or name) when the user belongs to several.
        #[arg(long)]
        community: Option<String>,
        /// Create the user first, with this display name.
        #[arg(long)]
        register: Option<String>,
        /// Do not sync right after connecting.
        #[arg(long)]
        no_sync: bool,
    },
    /// The connection, changes waiting, last sync and last error.
    Status,
    /// Push the changes waiting, then pull the community's changes.
    Now,
    /// Revoke the session, remove it from the keyring and disconnect (the journal stays).
    Logout,
}

#[derive(Subcommand)]
enum ContractsAction {
    /// Add a futures root, or change a built-in one.
    Add {
        root: String,
        /// Currency per 1.0 of price per contract (ES: 50).
        #[arg(long)]
        point_value: Decimal,
        /// Minimum price increment (ES: 0.25).
        #[arg(long)]
        tick_size: Decimal,
        #[arg(long, default_value = "")]
        name: String,
        /// IANA zone of the exchange (trading days).
        #[arg(long, default_value = "America/Chicago")]
        tz: String,
        #[arg(long, default_value = "USD")]
        currency: String,
    },
    /// Remove one of your contracts (a built-in root returns to its built-in values).
    Remove { root: String },
}

#[derive(Subcommand)]
enum StrategiesAction {
    /// Split a strategy back into its trades (they are not grouped automatically again).
    Split { strategy_id: String },
    /// Group two or more trades of one account into one strategy.
    Merge {
        #[arg(required = true, num_args = 2..)]
        trade_ids: Vec<String>,
    },
}

#[derive(Subcommand)]
enum CashAction {
    /// Record a cash movement by hand.
    Add {
        /// Account name.
        account: String,
        /// deposit, withdrawal, dividend, interest, fee, transfer or other.
        #[arg(long, value_parser = ["deposit", "withdrawal", "dividend", "interest", "fee", "transfer", "other"])]
        kind: String,
        /// Signed amount in the account's currency: > 0 into the account (a withdrawal or a
        /// fee is negative).
        #[arg(long, allow_hyphen_values = true)]
        amount: Decimal,
        /// When (RFC 3339, or a date: its start in the account's zone).
        #[arg(long)]
        at: String,
        /// What it is ("ACH deposit").
        #[arg(long)]
        description: String,
    },
}

#[derive(Subcommand)]
enum AccountsAction {
    /// Add an account.
    Add {
        name: String,
        #[arg(long, default_value = "Other")]
        platform: String,
        #[arg(long, default_value = "USD")]
        currency: String,
        /// IANA time zone its exports are written in.
        #[arg(long, default_value = "America/New_York")]
        tz: String,
        #[arg(long, default_value = "0")]
        starting_balance: Decimal,
        #[arg(long)]
        broker_account_id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List accounts.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ImportsAction {
    /// List import batches, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a batch and everything derived from it.
    Undo {
        batch_id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ImportArgs {
    file: PathBuf,
    /// Target account (created if missing; default: the broker's name).
    #[arg(long)]
    account: Option<String>,
    /// Format id instead of detection (see `tradebook formats`).
    #[arg(long)]
    format: Option<String>,
    /// Time zone of an account this import creates.
    #[arg(long)]
    tz: Option<String>,
    /// Show what would be imported; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the valid rows even if some rows are rejected.
    #[arg(long)]
    skip_invalid: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct FilterArgs {
    /// Account name.
    #[arg(long)]
    account: Option<String>,
    /// First trading day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last trading day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Symbol.
    #[arg(long)]
    symbol: Option<String>,
    /// Trades carrying this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Trades annotated with this setup.
    #[arg(long)]
    setup: Option<String>,
    /// Long or short trades.
    #[arg(long, value_parser = ["long", "short"])]
    side: Option<String>,
    /// Asset class.
    #[arg(long, value_parser = ["stock", "option", "future", "future_option", "crypto", "forex"])]
    asset_class: Option<String>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("TRADEBOOK_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Error { kind, message }) => {
            eprintln!("error: {message}");
            ExitCode::from(kind.exit_code())
        }
        Err(Failure::ClosedPipe) => ExitCode::SUCCESS,
    }
}

fn default_db() -> Result<PathBuf, Failure> {
    let path =
        Store::default_path().ok_or_else(|| Failure::input("no data directory on this system; pass --db PATH"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
    }
    Ok(path)
}

fn open_store(db: Option<PathBuf>) -> Result<Store, Failure> {
    let path = match db {
        Some(p) => p,
        None => default_db()?,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Failure::input(format!(
                "cannot open the database {}: folder {} does not exist",
                path.display(),
                parent.display()
            )));
        }
    }
    Ok(Store::open(&path)?)
}

fn parse_tz(s: &str) -> Result<Tz, Failure> {
    s.parse::<Tz>().map_err(|_| {
        Failure::input(format!(
            "unknown time zone `{s}` (use an IANA name such as America/New_York)"
        ))
    })
}

fn query(store: &Store, filter: &FilterArgs, status: Option<TradeStatus>) -> Result<TradeQuery, Failure> {
    let account_id = match &filter.account {
        Some(name) => Some(
            store
                .account_by_name(name)?
                .ok_or_else(|| Failure::input(format!("no account named `{name}`")))?
                .id,
        ),
        None => None,
    };
    Ok(TradeQuery {
        account_id,
        from: filter.from,
        to: filter.to,
        symbol: filter.symbol.clone(),
        status,
        tag: filter.tag.clone(),
        setup: filter.setup.clone(),
        direction: filter.side.as_deref().and_then(Direction::parse),
        asset_class: filter.asset_class.as_deref().and_then(AssetClass::parse),
        search: None,
        limit: None,
    })
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Formats { json } => {
            output::formats(json)?;
            Ok(())
        }
        Command::Accounts { action, json } => {
            let mut store = open_store(cli.db)?;
            match action {
                Some(AccountsAction::Add {
                    name,
                    platform,
                    currency,
                    tz,
                    starting_balance,
                    broker_account_id,
                    json,
                }) => {
                    let account = store.create_account(&NewAccount {
                        name,
                        platform,
                        broker_account_id,
                        currency,
                        timezone: parse_tz(&tz)?,
                        starting_balance,
                    })?;
                    output::account_added(&account, json)?;
                }
                Some(AccountsAction::List { json }) => output::accounts(&store.accounts()?, json)?,
                None => output::accounts(&store.accounts()?, json)?,
            }
            Ok(())
        }
        Command::Import(args) => {
            if !args.file.is_file() {
                return Err(Failure::input(format!("{}: no such file", args.file.display())));
            }
            let mut store = open_store(cli.db)?;
            let options = ImportOptions {
                account_name: args.account,
                format: args.format,
                new_account_tz: args.tz.as_deref().map(parse_tz).transpose()?,
                dry_run: args.dry_run,
                skip_invalid: args.skip_invalid,
                contracts: store.contract_table()?,
            };
            let mut bar = output::Progress::new(!args.json);
            let report = import_file(&mut store, &args.file, &options, &mut |p| {
                bar.update(p);
                true
            });
            bar.finish();
            output::import_report(&report?, args.json)?;
            Ok(())
        }
        Command::Imports { action, json } => {
            let mut store = open_store(cli.db)?;
            match action {
                Some(ImportsAction::Undo { batch_id, json }) => {
                    let report = store.undo_import(&batch_id)?;
                    output::undo_report(&batch_id, &report, json)?;
                }
                Some(ImportsAction::List { json: list_json }) => {
                    output::batches(&store.import_batches()?, &store.accounts()?, json || list_json)?
                }
                None => output::batches(&store.import_batches()?, &store.accounts()?, json)?,
            }
            Ok(())
        }
        Command::Export { file, json } => {
            let store = open_store(cli.db)?;
            let display = file.display().to_string();
            let fills = tradebook_import::formats::generic::export_file(&store, &file)?;
            if json {
                out!(
                    "{}",
                    serde_json::json!({ "file": display, "fills": fills, "format": "tradebook-generic" })
                );
            } else {
                out!("exported {fills} fills to {display}");
            }
            Ok(())
        }
        Command::Contracts { action, json } => {
            let mut store = open_store(cli.db)?;
            match action {
                Some(ContractsAction::Add {
                    root,
                    point_value,
                    tick_size,
                    name,
                    tz,
                    currency,
                }) => store.save_contract(&tradebook_core::ContractSpec {
                    root,
                    name,
                    point_value,
                    tick_size,
                    exchange_tz: parse_tz(&tz)?,
                    currency,
                })?,
                Some(ContractsAction::Remove { root }) if !store.delete_contract(&root)? => {
                    return Err(Failure::input(format!("`{root}` is not one of your contracts")));
                }
                Some(ContractsAction::Remove { .. }) => {}
                None => {}
            }
            let list = store.contracts()?;
            output::contracts(&list, json)?;
            Ok(())
        }
        Command::Sync { action, json } => sync_command(cli.db, action, json),
        Command::Cash { action, account, json } => {
            let mut store = open_store(cli.db)?;
            match action {
                Some(CashAction::Add {
                    account,
                    kind,
                    amount,
                    at,
                    description,
                }) => {
                    let found = account_named(&store, &account)?;
                    let kind = tradebook_store::CashKind::parse(&kind)
                        .ok_or_else(|| Failure::input(format!("unknown cash kind `{kind}`")))?;
                    let occurred_at = parse_instant(&at, found.timezone)?;
                    let added = store.add_cash_movement(
                        &found.id,
                        &tradebook_store::NewCashMovement {
                            kind,
                            amount,
                            currency: None,
                            occurred_at,
                            source_tz: found.timezone,
                            description,
                        },
                    )?;
                    output::cash_movements(std::slice::from_ref(&added), json)?;
                }
                None => {
                    let name = account.ok_or_else(|| Failure::input("name the account: tradebook cash ACCOUNT"))?;
                    let found = account_named(&store, &name)?;
                    output::cash_movements(&store.cash_movements(&found.id)?, json)?;
                }
            }
            Ok(())
        }
        Command::Strategies { action, account, json } => {
            let mut store = open_store(cli.db)?;
            match action {
                None => {
                    let id = account
                        .map(|name| account_named(&store, &name))
                        .transpose()?
                        .map(|a| a.id);
                    output::strategies(&store.strategies(id.as_deref())?, json)?;
                }
                Some(StrategiesAction::Split { strategy_id }) => {
                    let legs = store.split_strategy(&strategy_id)?;
                    if json {
                        out!("{}", serde_json::json!({ "split": strategy_id, "trades": legs }));
                    } else {
                        out!("split {strategy_id} into {} trades", legs.len());
                    }
                }
                Some(StrategiesAction::Merge { trade_ids }) => {
                    let merged = store.merge_strategy(&trade_ids)?;
                    output::strategies(std::slice::from_ref(&merged), json)?;
                }
            }
            Ok(())
        }
        Command::Reconcile { account, json } => {
            let store = open_store(cli.db)?;
            let found = account_named(&store, &account)?;
            output::reconciliation(&store.reconcile(&found.id)?, json)?;
            Ok(())
        }
        Command::Private { account, off, json } => {
            let mut store = open_store(cli.db)?;
            let found = store
                .account_by_name(&account)?
                .ok_or_else(|| Failure::input(format!("no account named `{account}` (see `tradebook accounts`)")))?;
            let a = store.set_account_private(&found.id, !off)?;
            if json {
                out!(
                    "{}",
                    serde_json::json!({ "id": a.id, "name": a.name, "private": a.private })
                );
            } else if a.private {
                out!("{} is private: it is never synced", a.name);
            } else {
                out!("{} is shared: it syncs with the community", a.name);
            }
            Ok(())
        }
        Command::Backup { file, json } => {
            let store = open_store(cli.db)?;
            let bytes = store.backup_to(&file)?;
            let display = file.display().to_string();
            if json {
                out!("{}", serde_json::json!({ "file": display, "bytes": bytes }));
            } else {
                out!("backed up the journal to {display} ({bytes} bytes)");
            }
            Ok(())
        }
        Command::Restore { file, json } => {
            let mut store = open_store(cli.db)?;
            store.restore_from(&file)?;
            let accounts = store.accounts()?.len();
            let fills = store.fill_count()?;
            let display = file.display().to_string();
            if json {
                out!(
                    "{}",
                    serde_json::json!({ "file": display, "accounts": accounts, "fills": fills })
                );
            } else {
                out!("restored the journal from {display}: {accounts} accounts, {fills} fills");
            }
            Ok(())
        }
        Command::Resolve {
            trade_id,
            open_price,
            opened_at,
        } => {
            let mut store = open_store(cli.db)?;
            store.resolve_incomplete(&trade_id, open_price, opened_at.map(|t| t.with_timezone(&chrono::Utc)))?;
            out!("trade {trade_id}: opening fill added at {open_price}; the trade is now measured");
            Ok(())
        }
        Command::Trades {
            filter,
            status,
            sort,
            desc,
            limit,
            offset,
            json,
        } => {
            let store = open_store(cli.db)?;
            let status = status.as_deref().and_then(TradeStatus::parse);
            let q = query(&store, &filter, status)?;
            let order = TradeOrder {
                sort: sort.as_deref().and_then(TradeSort::parse),
                descending: desc,
            };
            let page = store.trade_page(&q, order, offset, limit)?;
            let ids: Vec<&str> = page.trades.iter().map(|t| t.trade.id.as_str()).collect();
            output::trades(&page.trades, &store.strategy_of(&ids)?, json)?;
            Ok(())
        }
        Command::Stats {
            filter,
            break_even,
            json,
        } => {
            let store = open_store(cli.db)?;
            let q = query(&store, &filter, None)?;
            let stats = match break_even {
                Some(band) => store.stats(&q, band)?,
                None => store.journal_stats(&q)?,
            };
            output::stats(&stats, json)?;
            Ok(())
        }
    }
}

/// The account named `name` (case-insensitive). Errors: a one-line failure naming it.
fn account_named(store: &Store, name: &str) -> Result<tradebook_store::Account, Failure> {
    store
        .account_by_name(name)?
        .ok_or_else(|| Failure::input(format!("no account named `{name}` (see `tradebook accounts`)")))
}

/// An instant from RFC 3339, or a `YYYY-MM-DD` date (its start in `tz`).
fn parse_instant(s: &str, tz: Tz) -> Result<chrono::DateTime<chrono::Utc>, Failure> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(tz).earliest())
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| Failure::input(format!("`{s}` is not an RFC 3339 instant or a YYYY-MM-DD date")))
}

fn read_password() -> Result<String, Failure> {
    if let Ok(p) = std::env::var("TRADEBOOK_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::input(format!("cannot read the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(Failure::input(
            "no password: set TRADEBOOK_PASSWORD or write it on the first line of stdin",
        ));
    }
    Ok(password)
}

fn sync_command(db: Option<PathBuf>, action: SyncAction, json: bool) -> Result<(), Failure> {
    use tradebook_sync_client as client;
    let mut store = open_store(db)?;
    match action {
        SyncAction::Login {
            server,
            email,
            invite,
            community,
            register,
            no_sync,
        } => {
            let options = client::ConnectOptions {
                server_url: server,
                email,
                password: read_password()?,
                register_name: register,
                invite,
                community,
            };
            let connection = client::connect(&mut store, &options, &client::keyring_tokens)?;
            let report = if no_sync {
                None
            } else {
                let (api, _) = client::api_for(&store)?;
                Some(client::sync_now(&mut store, &api, &client::SyncOptions::default())?)
            };
            if !json {
                out!(
                    "connected to {} on {} as {} ({})",
                    connection.community_name,
                    connection.server_url,
                    connection.email,
                    connection.role
                );
                if let Some(r) = &report {
                    out!("{}", output::sync_report_line(r));
                }
                return Ok(());
            }
            output::sync_status(&store.sync_state()?, report.as_ref(), client::keyring_backend(), true)?;
            Ok(())
        }
        SyncAction::Status => {
            output::sync_status(&store.sync_state()?, None, client::keyring_backend(), json)?;
            Ok(())
        }
        SyncAction::Now => {
            let (api, _) = client::api_for(&store)?;
            let report = client::sync_now(&mut store, &api, &client::SyncOptions::default())?;
            if json {
                output::sync_status(&store.sync_state()?, Some(&report), client::keyring_backend(), true)?;
            } else {
                out!("{}", output::sync_report_line(&report));
            }
            Ok(())
        }
        SyncAction::Logout => {
            let was = store.sync_state()?.connection;
            client::disconnect(&mut store)?;
            if json {
                out!("{}", serde_json::json!({ "connected": false }));
            } else if let Some(c) = was {
                out!(
                    "disconnected from {} on {}; the session is removed from the keyring",
                    c.community_name,
                    c.server_url
                );
            } else {
                out!("not connected");
            }
            Ok(())
        }
    }
}
