//! Printing: human tables and the `--json` contract.
//!
//! JSON conventions: money, prices and quantities are exact decimal strings; ratios are
//! numbers or `null`; instants are RFC 3339 UTC; dates `YYYY-MM-DD`.

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};
use tradebook_core::{decimal_string, money_string, Decimal, Stats};
use tradebook_import::{ImportProgress, ImportReport, FORMATS};
use tradebook_store::{Account, ImportBatch, TradeRecord, UndoReport};

use crate::Failure;

/// Writes one line to stdout. A reader that went away (`tradebook formats | head -3`) is
/// [`Failure::ClosedPipe`], which ends the command quietly; any other write error is a
/// one-line failure.
pub fn write_line(args: std::fmt::Arguments<'_>) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure::ClosedPipe,
            _ => Failure::input(format!("cannot write the output: {e}")),
        })
}

fn money(d: Decimal) -> String {
    money_string(d)
}

fn opt_money(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |d| Value::String(money_string(d)))
}

fn print_json(v: &Value) -> Result<(), Failure> {
    out!("{}", serde_json::to_string_pretty(v).expect("JSON values serialize"));
    Ok(())
}

pub fn formats(json: bool) -> Result<(), Failure> {
    if json {
        let list: Vec<Value> = FORMATS
            .iter()
            .map(|f| json!({"id": f.id(), "name": f.name(), "platform": f.platform(), "description": f.description()}))
            .collect();
        print_json(&Value::Array(list))?;
    } else {
        for f in FORMATS {
            out!("{:<24} {:<28} {}", f.id(), f.name(), f.description());
        }
    }
    Ok(())
}

fn account_json(a: &Account) -> Value {
    json!({
        "id": a.id, "name": a.name, "platform": a.platform, "broker_account_id": a.broker_account_id,
        "currency": a.currency, "timezone": a.timezone.name(), "starting_balance": money(a.starting_balance),
        "archived": a.archived, "created_at": a.created_at.to_rfc3339(),
    })
}

pub fn account_added(a: &Account, json: bool) -> Result<(), Failure> {
    if json {
        print_json(&account_json(a))?;
    } else {
        out!(
            "added account {} ({}, {}, {})",
            a.name,
            a.platform,
            a.currency,
            a.timezone.name()
        );
    }
    Ok(())
}

pub fn accounts(list: &[Account], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&Value::Array(list.iter().map(account_json).collect()))?;
        return Ok(());
    }
    if list.is_empty() {
        out!("no accounts yet: `tradebook import FILE` creates one, or `tradebook accounts add NAME`");
    }
    for a in list {
        out!(
            "{:<28} {:<14} {:<4} {:<20} start {}",
            a.name,
            a.platform,
            a.currency,
            a.timezone.name(),
            money(a.starting_balance)
        );
    }
    Ok(())
}

pub fn import_report(r: &ImportReport, json: bool) -> Result<(), Failure> {
    if json {
        print_json(&json!({
            "format": r.format_id,
            "format_name": r.format_name,
            "file": r.file_name,
            "account": r.account_name,
            "account_id": r.account_id,
            "account_created": r.account_created,
            "rows_read": r.rows_read,
            "fills_added": r.fills_added,
            "duplicates": r.duplicates,
            "cash_movements_added": r.cash_movements_added,
            "balances_added": r.balances_added,
            "skipped": r.skipped,
            "rejected": r.rejected.iter().map(|x| json!({"line": x.line, "reason": x.reason})).collect::<Vec<_>>(),
            "batch_id": if r.dry_run { Value::Null } else { Value::String(r.batch_id.clone()) },
            "dry_run": r.dry_run,
            "trades_recomputed": r.trades_recomputed,
            "symbols": r.symbols,
            "unknown_roots": r.unknown_roots,
            "first_fill_at": r.first_fill_at.map(|t| t.to_rfc3339()),
            "last_fill_at": r.last_fill_at.map(|t| t.to_rfc3339()),
        }))?;
        return Ok(());
    }
    let verb = if r.dry_run { "would import" } else { "imported" };
    out!(
        "{}: {} ({}) into account {}{}",
        r.file_name,
        verb,
        r.format_name,
        r.account_name,
        if r.account_created { " (new)" } else { "" }
    );
    out!(
        "  rows read {}, fills added {}, duplicates {}, non-trade rows skipped {}, rejected {}",
        r.rows_read,
        r.fills_added,
        r.duplicates,
        r.skipped,
        r.rejected.len()
    );
    if r.cash_movements_added > 0 || r.balances_added > 0 {
        out!(
            "  cash movements added {}, broker balances added {}",
            r.cash_movements_added,
            r.balances_added
        );
    }
    for x in &r.rejected {
        out!("  line {}: {}", x.line, x.reason);
    }
    for root in &r.unknown_roots {
        out!(
            "  unknown futures root {root}: add it with `tradebook contracts add {root} --point-value N --tick-size T`, then import again"
        );
    }
    Ok(())
}

pub fn contracts(list: &[(tradebook_core::ContractSpec, bool)], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&Value::Array(
            list.iter()
                .map(|(c, custom)| {
                    json!({"root": c.root, "name": c.name, "point_value": decimal_string(c.point_value),
                        "tick_size": decimal_string(c.tick_size), "exchange_tz": c.exchange_tz.name(),
                        "currency": c.currency, "custom": custom})
                })
                .collect(),
        ))?;
        return Ok(());
    }
    out!(
        "{:<6} {:<34} {:>12} {:>10} {:<18}",
        "root",
        "name",
        "point value",
        "tick",
        "exchange zone"
    );
    for (c, custom) in list {
        out!(
            "{:<6} {:<34} {:>12} {:>10} {:<18} {}",
            c.root,
            c.name,
            decimal_string(c.point_value),
            decimal_string(c.tick_size),
            c.exchange_tz.name(),
            if *custom { "yours" } else { "" }
        );
    }
    Ok(())
}

/// Each leg's strategy: trade id → (strategy id, kind) (`Store::strategy_of_trades`).
pub type StrategyOf = std::collections::HashMap<String, (String, tradebook_core::StrategyKind)>;

fn trade_json(r: &TradeRecord, strategies: &StrategyOf) -> Value {
    let t = &r.trade;
    let strategy = strategies.get(&t.id);
    let mut v = json!({
        "id": t.id, "account_id": t.account_id, "account": r.account_name, "symbol": t.instrument.symbol,
        "asset_class": t.instrument.asset_class.as_str(), "direction": t.direction.as_str(), "status": t.status.as_str(),
        "quantity": decimal_string(t.quantity), "entry_price": decimal_string(t.entry_price),
        "exit_price": t.exit_price.map(decimal_string), "opened_at": t.opened_at.to_rfc3339(),
        "closed_at": t.closed_at.map(|c| c.to_rfc3339()), "trading_day": t.trading_day.map(|d| d.to_string()),
        "hold_seconds": t.hold_seconds(), "multiplier": decimal_string(t.instrument.multiplier),
        "gross_pnl": money(t.gross_pnl), "fees": money(t.fees), "net_pnl": money(t.net_pnl), "fill_count": r.fill_count,
        "tags": r.tags, "setup": r.setup, "planned_stop": r.planned_stop.map(decimal_string),
    });
    v["strategy_id"] = strategy.map_or(Value::Null, |(id, _)| Value::String(id.clone()));
    v["strategy"] = strategy.map_or(Value::Null, |(_, kind)| Value::String(kind.as_str().to_string()));
    v
}

pub fn trades(list: &[TradeRecord], strategies: &StrategyOf, json: bool) -> Result<(), Failure> {
    if json {
        print_json(&Value::Array(list.iter().map(|r| trade_json(r, strategies)).collect()))?;
        return Ok(());
    }
    out!(
        "{:<10} {:<20} {:<5} {:>8} {:>12} {:>12} {:>12} {:>10}",
        "day",
        "symbol",
        "side",
        "qty",
        "entry",
        "exit",
        "net",
        "status"
    );
    for r in list {
        let t = &r.trade;
        out!(
            "{:<10} {:<20} {:<5} {:>8} {:>12} {:>12} {:>12} {:>10}",
            t.trading_day.map_or_else(|| "-".to_string(), |d| d.to_string()),
            t.instrument.symbol,
            t.direction.as_str(),
            decimal_string(t.quantity),
            decimal_string(t.entry_price),
            t.exit_price.map_or_else(|| "-".to_string(), decimal_string),
            money(t.net_pnl),
            t.status.as_str()
        );
    }
    Ok(())
}

pub fn stats(s: &Stats, json: bool) -> Result<(), Failure> {
    if json {
        print_json(&json!({
            "trades": s.trades, "open_trades": s.open_trades, "incomplete_trades": s.incomplete_trades, "winners": s.winners, "losers": s.losers,
            "scratches": s.scratches, "win_rate": s.win_rate, "win_rate_all": s.win_rate_all,
            "gross_pnl": money(s.gross_pnl), "fees": money(s.fees), "net_pnl": money(s.net_pnl),
            "avg_win": opt_money(s.avg_win), "avg_loss": opt_money(s.avg_loss),
            "largest_win": opt_money(s.largest_win), "largest_loss": opt_money(s.largest_loss),
            "payoff_ratio": s.payoff_ratio, "profit_factor": s.profit_factor, "expectancy": opt_money(s.expectancy),
            "max_drawdown": money(s.max_drawdown), "max_drawdown_pct": s.max_drawdown_pct,
            "avg_hold_seconds": s.avg_hold_seconds, "longest_win_streak": s.longest_win_streak,
            "longest_loss_streak": s.longest_loss_streak,
            "trading_days": s.trading_days, "sharpe": s.sharpe, "sortino": s.sortino,
            "avg_r": s.avg_r.map(|r| decimal_string(r.round_dp(4))), "r_trades": s.r_trades,
            "strategies": s.strategies, "currency": s.currency,
            "daily_pnl": s.daily_pnl.iter().map(|d| json!({
                "day": d.day.to_string(), "trades": d.trades, "gross_pnl": money(d.gross_pnl),
                "fees": money(d.fees), "net_pnl": money(d.net_pnl)})).collect::<Vec<_>>(),
        }))?;
        return Ok(());
    }
    let pct = |r: Option<f64>| r.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0));
    let num = |r: Option<f64>| r.map_or_else(|| "—".to_string(), |r| format!("{r:.2}"));
    let om = |d: Option<Decimal>| d.map_or_else(|| "—".to_string(), money);
    out!("trades          {} closed, {} open", s.trades, s.open_trades);
    if s.strategies > 0 {
        out!(
            "                {} of them multi-leg strategies, each counted as one trade",
            s.strategies
        );
    }
    if let Some(c) = &s.currency {
        out!("currency        {c}");
    }
    if s.incomplete_trades > 0 {
        out!(
            "                {} incomplete (opening position unknown: `tradebook trades --status incomplete`)",
            s.incomplete_trades
        );
    }
    out!(
        "winners/losers  {} / {} ({} scratches)",
        s.winners,
        s.losers,
        s.scratches
    );
    out!(
        "win rate        {} (of all trades {})",
        pct(s.win_rate),
        pct(s.win_rate_all)
    );
    out!(
        "net P&L         {}  (gross {}, fees {})",
        money(s.net_pnl),
        money(s.gross_pnl),
        money(s.fees)
    );
    out!(
        "avg win/loss    {} / {}  payoff {}",
        om(s.avg_win),
        om(s.avg_loss),
        num(s.payoff_ratio)
    );
    out!("largest win/loss {} / {}", om(s.largest_win), om(s.largest_loss));
    out!("profit factor   {}", num(s.profit_factor));
    out!("expectancy      {} per trade", om(s.expectancy));
    out!(
        "max drawdown    {}{}",
        money(s.max_drawdown),
        s.max_drawdown_pct.map_or_else(String::new, |p| format!(" ({p:.1}%)"))
    );
    out!(
        "sharpe/sortino  {} / {}  (daily, over {} days with trades)",
        num(s.sharpe),
        num(s.sortino),
        s.trading_days
    );
    if s.r_trades > 0 {
        let r = s
            .avg_r
            .map_or_else(|| "—".to_string(), |r| decimal_string(r.round_dp(2)));
        out!("average R       {r} over {} trades with a stop", s.r_trades);
    }
    Ok(())
}

/// A progress bar on stderr (hidden when stderr is not a terminal or with `--json`).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            // Drawn only when stderr is a terminal (indicatif hides it otherwise).
            let bar = ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress { bar }
    }

    pub fn update(&mut self, p: ImportProgress) {
        if let Some(bar) = &self.bar {
            bar.set_length(p.total_bytes);
            bar.set_position(p.bytes_read);
            bar.set_message(format!("{} rows", p.rows_read));
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

pub fn batches(list: &[ImportBatch], accounts: &[Account], json: bool) -> Result<(), Failure> {
    let account_name = |id: &str| {
        accounts
            .iter()
            .find(|a| a.id == id)
            .map_or("?", |a| a.name.as_str())
            .to_string()
    };
    if json {
        let rows: Vec<Value> = list
            .iter()
            .map(|b| {
                json!({
                    "batch_id": b.id, "account_id": b.account_id, "account": account_name(&b.account_id),
                    "file": b.file_name, "sha256": b.file_sha256, "format": b.format,
                    "imported_at": b.imported_at.to_rfc3339(), "rows_read": b.counts.rows_read,
                    "fills_added": b.counts.fills_added, "duplicates": b.counts.duplicates,
                    "skipped": b.counts.skipped, "rejected": b.counts.rejected,
                })
            })
            .collect();
        print_json(&Value::Array(rows))?;
        return Ok(());
    }
    if list.is_empty() {
        out!("no imports yet");
    }
    for b in list {
        out!(
            "{}  {}  {:<24} {:<22} {} fills added, {} duplicates  ({})",
            b.id,
            b.imported_at.format("%Y-%m-%d %H:%M"),
            account_name(&b.account_id),
            b.format,
            b.counts.fills_added,
            b.counts.duplicates,
            b.file_name
        );
    }
    Ok(())
}

pub fn undo_report(batch_id: &str, r: &UndoReport, json: bool) -> Result<(), Failure> {
    if json {
        print_json(
            &json!({"batch_id": batch_id, "fills_removed": r.fills_removed, "trades_recomputed": r.trades_recomputed}),
        )?;
    } else {
        out!(
            "undid import {batch_id}: {} fills removed, trades recomputed",
            r.fills_removed
        );
    }
    Ok(())
}

/// One line on what a sync did.
pub fn sync_report_line(r: &tradebook_sync_client::SyncReport) -> String {
    let mut line = format!(
        "synced: {} change(s) pushed, {} pulled ({} applied)",
        r.pushed, r.pulled, r.applied.applied
    );
    if !r.rejected.is_empty() {
        line.push_str(&format!("; the server refused {}:", r.rejected.len()));
        for m in r.rejected.iter().take(5) {
            line.push_str(&format!(" #{} {} ({});", m.id, m.message, m.code));
        }
    }
    if r.pending > 0 {
        line.push_str(&format!("; {} change(s) waiting", r.pending));
    }
    line
}

/// `sync status` (and the JSON of `sync login`/`sync now`): the connection, changes waiting,
/// last sync and error; with a report, what the sync did.
pub fn sync_status(
    state: &tradebook_store::SyncState,
    report: Option<&tradebook_sync_client::SyncReport>,
    keyring: &str,
    json: bool,
) -> Result<(), Failure> {
    let c = state.connection.as_ref();
    if json {
        let mut v = serde_json::json!({
            "connected": c.is_some(),
            "server_url": c.map(|c| c.server_url.clone()),
            "community_id": c.map(|c| c.community_id.to_string()),
            "community_name": c.map(|c| c.community_name.clone()),
            "email": c.map(|c| c.email.clone()),
            "role": c.map(|c| c.role.clone()),
            "device_id": c.map(|c| c.device_id.to_string()),
            "pending": state.pending,
            "cookie": state.cookie,
            "last_sync_at": state.last_sync_at.map(|t| t.to_rfc3339()),
            "last_error": state.last_error,
            "keyring": keyring,
        });
        if let Some(r) = report {
            v["pushed"] = r.pushed.into();
            v["pulled"] = r.pulled.into();
            v["applied"] = r.applied.applied.into();
            v["skipped_pending"] = r.applied.skipped_pending.into();
            v["rejected"] = serde_json::Value::Array(
                r.rejected
                    .iter()
                    .map(|m| serde_json::json!({ "id": m.id, "code": m.code, "message": m.message }))
                    .collect(),
            );
        }
        out!("{v}");
        return Ok(());
    }
    match c {
        None => out!("not connected (tradebook sync login --server URL --email EMAIL)"),
        Some(c) => {
            out!("connected to {} on {}", c.community_name, c.server_url);
            out!("  as {} ({}), device {}", c.email, c.role, c.device_id);
            out!("  {} change(s) waiting", state.pending);
            match state.last_sync_at {
                Some(t) => out!("  last sync {}", t.to_rfc3339()),
                None => out!("  never synced"),
            }
            if let Some(e) = &state.last_error {
                out!("  last error: {e}");
            }
            out!("  session kept in the OS keyring ({keyring})");
        }
    }
    Ok(())
}

/// `tradebook cash ACCOUNT`: the account's cash movements, oldest first.
pub fn cash_movements(list: &[tradebook_store::CashMovement], json: bool) -> Result<(), Failure> {
    if json {
        let rows: Vec<Value> = list
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "kind": m.kind.as_str(),
                    "amount": money(m.amount),
                    "currency": m.currency,
                    "occurred_at": m.occurred_at.to_rfc3339(),
                    "description": m.description,
                    "batch_id": m.batch_id,
                })
            })
            .collect();
        return print_json(&Value::Array(rows));
    }
    if list.is_empty() {
        out!("no cash movements (imports of files with cash activity add them; `tradebook cash add` adds one)");
    }
    for m in list {
        out!(
            "{}  {:<10} {:>14} {}  {}",
            m.occurred_at.format("%Y-%m-%d %H:%M"),
            m.kind.as_str(),
            money(m.amount),
            m.currency,
            m.description
        );
    }
    Ok(())
}

/// `tradebook reconcile ACCOUNT`: the account's balance and the days it differs from the
/// broker's stated balance.
pub fn reconciliation(r: &tradebook_store::Reconciliation, json: bool) -> Result<(), Failure> {
    if json {
        let days: Vec<Value> = r
            .days
            .iter()
            .map(|d| {
                json!({
                    "day": d.day.to_string(),
                    "at": d.at.to_rfc3339(),
                    "kind": d.kind.as_str(),
                    "theirs": money(d.theirs),
                    "ours": money(d.ours),
                    "difference": money(d.difference),
                    "open_positions": d.open_positions,
                    "open_positions_cash": money(d.open_positions_cash),
                    "starting_balance_gap": money(d.starting_balance_gap),
                    "unexplained": money(d.unexplained),
                    "likely_cause": d.likely_cause.as_str(),
                    "explanation": d.explanation,
                })
            })
            .collect();
        return print_json(&json!({
            "account": r.account_name,
            "account_id": r.account_id,
            "currency": r.currency,
            "starting_balance": money(r.starting_balance),
            "cash_total": money(r.cash_total),
            "realized_net": money(r.realized_net),
            "balance": money(r.balance),
            "foreign_cash_movements": r.foreign_cash_movements,
            "days_checked": r.days_checked,
            "days_matching": r.days_matching,
            "days": days,
        }));
    }
    out!(
        "{}: balance {} {} = starting balance {} + cash {} + realized net {}",
        r.account_name,
        money(r.balance),
        r.currency,
        money(r.starting_balance),
        money(r.cash_total),
        money(r.realized_net)
    );
    if r.foreign_cash_movements > 0 {
        out!(
            "  {} cash movement(s) in another currency than {} are left out",
            r.foreign_cash_movements,
            r.currency
        );
    }
    if r.days_checked == 0 {
        out!("  no broker balance to compare with: import a file that states one (a thinkorswim Account Statement)");
        return Ok(());
    }
    out!(
        "  {} day(s) with a broker balance, {} matching to the cent",
        r.days_checked,
        r.days_matching
    );
    for d in &r.days {
        out!(
            "  {}  theirs {}  ours {}  difference {}: {}",
            d.day,
            money(d.theirs),
            money(d.ours),
            money(d.difference),
            d.explanation
        );
    }
    Ok(())
}

/// `tradebook strategies`: the multi-leg strategies, oldest first.
pub fn strategies(list: &[tradebook_store::Strategy], json: bool) -> Result<(), Failure> {
    if json {
        let rows: Vec<Value> = list
            .iter()
            .map(|s| {
                json!({
                    "id": s.id, "account_id": s.account_id, "kind": s.kind.as_str(), "underlying": s.underlying,
                    "opened_at": s.opened_at.to_rfc3339(), "source": s.source.as_str(), "rolled_from": s.rolled_from,
                    "legs": s.legs, "status": s.status.as_str(), "gross_pnl": money(s.gross_pnl),
                    "fees": money(s.fees), "net_pnl": money(s.net_pnl),
                })
            })
            .collect();
        return print_json(&Value::Array(rows));
    }
    if list.is_empty() {
        out!("no strategies (legs opened together on one underlying are grouped at import; `tradebook strategies merge` groups trades)");
    }
    for s in list {
        out!(
            "{}  {:<14} {:<8} {} legs  {:>12}  {:<10} {}{}",
            s.opened_at.format("%Y-%m-%d %H:%M"),
            s.kind.as_str(),
            s.underlying,
            s.legs.len(),
            money(s.net_pnl),
            s.status.as_str(),
            s.id,
            s.rolled_from
                .as_ref()
                .map_or(String::new(), |r| format!("  (rolled from {r})"))
        );
    }
    Ok(())
}
