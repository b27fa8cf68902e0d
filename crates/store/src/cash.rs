//! The cash ledger and the reconciliation of an account's balance with the broker's.
//!
//! An account's balance at an instant `t` is
//!
//! ```text
//! balance(t) = starting balance + Σ cash movements until t + Σ realized net P&L of the trades closed until t
//! ```
//!
//! (cash movements and trades in the account's currency; a movement in another currency is
//! never added raw and is reported instead). Broker files that state a balance (thinkorswim's
//! Cash Balance column, ...) are stored as [`BrokerBalance`]s, and [`Store::reconcile`]
//! compares the two at the last stated balance of each day.
//!
//! A broker's *cash* balance also moves when a position opens (a stock bought, an option's
//! premium paid or received) while realized P&L moves only when it closes, so on a day that
//! ends with open positions the two differ by the cash those positions hold. The report
//! splits each difference into that part, a starting-balance gap (what the first compared
//! day differs by beyond its open positions: the balance the broker's history starts from,
//! which the account's starting balance should be), and what neither explains (missing cash
//! activity, a missing or doubled fill).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::params;
use rust_decimal::Decimal;
use tradebook_core::AssetClass;

use crate::codec::{self, parse_dec, parse_ts};
use crate::import::ImportSession;
use crate::{Result, Store, StoreError};

/// What a cash movement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CashKind {
    /// Money paid in.
    Deposit,
    /// Money paid out.
    Withdrawal,
    /// A cash dividend (or its withholding tax, negative).
    Dividend,
    /// Interest earned (positive) or charged, margin interest included (negative).
    Interest,
    /// A fee outside trades: subscriptions, platform, account, ADR and regulatory fees.
    Fee,
    /// Money moved to or from another account of the same owner.
    Transfer,
    /// Anything else that moves cash (adjustments, cash in lieu, return of capital).
    Other,
}

impl CashKind {
    /// Every kind, in declaration order.
    pub const ALL: [CashKind; 7] = [
        CashKind::Deposit,
        CashKind::Withdrawal,
        CashKind::Dividend,
        CashKind::Interest,
        CashKind::Fee,
        CashKind::Transfer,
        CashKind::Other,
    ];

    /// The stored spelling (`deposit`).
    pub fn as_str(self) -> &'static str {
        match self {
            CashKind::Deposit => "deposit",
            CashKind::Withdrawal => "withdrawal",
            CashKind::Dividend => "dividend",
            CashKind::Interest => "interest",
            CashKind::Fee => "fee",
            CashKind::Transfer => "transfer",
            CashKind::Other => "other",
        }
    }

    /// Inverse of [`CashKind::as_str`].
    pub fn parse(s: &str) -> Option<CashKind> {
        CashKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A cash movement to record (from an import or typed by the user).
#[derive(Debug, Clone, PartialEq)]
pub struct NewCashMovement {
    pub kind: CashKind,
    /// Signed: > 0 into the account.
    pub amount: Decimal,
    /// ISO 4217; `None` is the account's currency.
    pub currency: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// Zone the source wrote the time in.
    pub source_tz: Tz,
    /// The broker's description (`ACH deposit`, `Cash Div: R/D 2023-06-20 ...`).
    pub description: String,
}

/// A stored cash movement.
#[derive(Debug, Clone, PartialEq)]
pub struct CashMovement {
    /// UUID.
    pub id: String,
    pub account_id: String,
    /// The import that brought it; `None` when entered by hand.
    pub batch_id: Option<String>,
    pub kind: CashKind,
    /// Signed: > 0 into the account.
    pub amount: Decimal,
    /// ISO 4217.
    pub currency: String,
    pub occurred_at: DateTime<Utc>,
    pub source_tz: Tz,
    pub description: String,
}

/// Which balance a broker file states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BalanceKind {
    /// The account's cash.
    Cash,
    /// Cash plus the market value of open positions: compared only when none is open.
    NetLiquidation,
}

impl BalanceKind {
    /// The stored spelling (`cash`, `net_liquidation`).
    pub fn as_str(self) -> &'static str {
        match self {
            BalanceKind::Cash => "cash",
            BalanceKind::NetLiquidation => "net_liquidation",
        }
    }

    /// Inverse of [`BalanceKind::as_str`].
    pub fn parse(s: &str) -> Option<BalanceKind> {
        match s {
            "cash" => Some(BalanceKind::Cash),
            "net_liquidation" => Some(BalanceKind::NetLiquidation),
            _ => None,
        }
    }
}

/// A balance a broker file states for the account at an instant.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokerBalance {
    pub at: DateTime<Utc>,
    pub kind: BalanceKind,
    pub balance: Decimal,
    /// ISO 4217; `None` is the account's currency.
    pub currency: Option<String>,
}

/// Why ours and the broker's balance differ on a day: the part of the difference with the
/// largest size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LikelyCause {
    /// Positions open at that time hold cash (cost paid or premium received) that realized
    /// P&L counts only when they close.
    OpenPositions,
    /// The first balance the broker states differs from ours by more than the cash of the
    /// positions then open: its history starts from another balance than the account's
    /// starting balance. Set the starting balance.
    StartingBalance,
    /// Neither: cash activity the journal lacks (a deposit, a dividend, a fee outside
    /// trades), or a fill missing or imported twice.
    MissingActivity,
}

impl LikelyCause {
    /// Stable spelling (`open_positions`).
    pub fn as_str(self) -> &'static str {
        match self {
            LikelyCause::OpenPositions => "open_positions",
            LikelyCause::StartingBalance => "starting_balance",
            LikelyCause::MissingActivity => "missing_activity",
        }
    }
}

/// One day on which the journal's balance and the broker's differ.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconciliationDay {
    /// The day, in the account's zone.
    pub day: NaiveDate,
    /// The instant of the day's last stated balance.
    pub at: DateTime<Utc>,
    pub kind: BalanceKind,
    /// The broker's balance.
    pub theirs: Decimal,
    /// Starting balance + cash movements + realized net until `at`.
    pub ours: Decimal,
    /// `theirs − ours`.
    pub difference: Decimal,
    /// Positions open at `at`.
    pub open_positions: u32,
    /// Cash those positions hold (what opening them paid or received, net of partial exits
    /// and fees); for futures only their fees.
    pub open_positions_cash: Decimal,
    /// The starting-balance gap (see [`LikelyCause::StartingBalance`]): the first compared
    /// day's difference beyond its open positions' cash, the same on every day.
    pub starting_balance_gap: Decimal,
    /// `difference − open_positions_cash − starting_balance_gap`.
    pub unexplained: Decimal,
    pub likely_cause: LikelyCause,
    /// One sentence saying what the difference is and what to do.
    pub explanation: String,
}

/// An account's balance and how it compares with what its broker files state.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciliation {
    pub account_id: String,
    pub account_name: String,
    /// The account's currency: every amount below is in it.
    pub currency: String,
    pub starting_balance: Decimal,
    /// Σ cash movements in the account's currency.
    pub cash_total: Decimal,
    /// Σ realized net P&L of the closed trades.
    pub realized_net: Decimal,
    /// `starting_balance + cash_total + realized_net`.
    pub balance: Decimal,
    /// Cash movements in another currency, left out of every sum.
    pub foreign_cash_movements: u64,
    /// Days with a stated balance that could be compared.
    pub days_checked: u32,
    /// Of those, days where the two agree to the cent.
    pub days_matching: u32,
    /// The days that differ, oldest first.
    pub days: Vec<ReconciliationDay>,
}

const INSERT_CASH: &str = "INSERT OR IGNORE INTO cash_movements \
    (id, account_id, batch_id, kind, amount, currency, occurred_at, source_tz, description, dedupe_key) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

impl ImportSession<'_> {
    /// Records a cash movement of the session's account. Returns `false` when the dedupe key
    /// is already stored for it (a re-import).
    pub fn add_cash(&mut self, movement: &NewCashMovement, dedupe_key: &str) -> Result<bool> {
        let account = self.account().clone();
        let currency = movement.currency.clone().unwrap_or(account.currency);
        let n = self.tx().prepare_cached(INSERT_CASH)?.execute(params![
            uuid::Uuid::now_v7().to_string(),
            account.id,
            self.batch_id(),
            movement.kind.as_str(),
            codec::dec(movement.amount),
            currency,
            codec::ts(movement.occurred_at),
            movement.source_tz.name(),
            movement.description,
            dedupe_key,
        ])?;
        Ok(n == 1)
    }

    /// Records a balance the broker file states. Returns `false` when already stored.
    pub fn add_broker_balance(&mut self, balance: &BrokerBalance, dedupe_key: &str) -> Result<bool> {
        let account = self.account().clone();
        let currency = balance.currency.clone().unwrap_or(account.currency);
        let n = self.tx().prepare_cached(
            "INSERT OR IGNORE INTO broker_balances (account_id, batch_id, at, kind, balance, currency, dedupe_key) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            account.id,
            self.batch_id(),
            codec::ts(balance.at),
            balance.kind.as_str(),
            codec::dec(balance.balance),
            currency,
            dedupe_key,
        ])?;
        Ok(n == 1)
    }
}

fn cash_kind(s: &str) -> Result<CashKind> {
    CashKind::parse(s).ok_or_else(|| StoreError::Corrupt {
        what: "cash movement kind",
        value: s.to_string(),
    })
}

impl Store {
    /// The cash movements of `account_id`, oldest first. Errors: [`StoreError::NotFound`]
    /// for an unknown account.
    pub fn cash_movements(&self, account_id: &str) -> Result<Vec<CashMovement>> {
        self.account(account_id)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, account_id, batch_id, kind, amount, currency, occurred_at, source_tz, description \
             FROM cash_movements WHERE account_id = ?1 ORDER BY occurred_at, rowid",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, account_id, batch_id, kind, amount, currency, at, tz, description) = row?;
            out.push(CashMovement {
                id,
                account_id,
                batch_id,
                kind: cash_kind(&kind)?,
                amount: parse_dec(&amount)?,
                currency,
                occurred_at: parse_ts(&at)?,
                source_tz: codec::parse_tz(&tz)?,
                description,
            });
        }
        Ok(out)
    }

    /// Records a cash movement typed by the user. Errors: [`StoreError::NotFound`] for an
    /// unknown account; [`StoreError::Invalid`] for a zero amount, an empty description, or
    /// a sign that contradicts the kind (a deposit is > 0, a withdrawal < 0).
    pub fn add_cash_movement(&mut self, account_id: &str, movement: &NewCashMovement) -> Result<CashMovement> {
        let account = self.account(account_id)?;
        if movement.amount.is_zero() {
            return Err(StoreError::Invalid {
                field: "amount",
                message: "must not be 0".into(),
            });
        }
        match movement.kind {
            CashKind::Deposit if movement.amount < Decimal::ZERO => {
                return Err(StoreError::Invalid {
                    field: "amount",
                    message: "a deposit is money in: enter it as a positive amount".into(),
                })
            }
            CashKind::Withdrawal if movement.amount > Decimal::ZERO => {
                return Err(StoreError::Invalid {
                    field: "amount",
                    message: "a withdrawal is money out: enter it as a negative amount".into(),
                })
            }
            _ => {}
        }
        if movement.description.trim().is_empty() {
            return Err(StoreError::Invalid {
                field: "description",
                message: "say what it is (\"ACH deposit\")".into(),
            });
        }
        let id = uuid::Uuid::now_v7().to_string();
        let currency = movement.currency.clone().unwrap_or(account.currency);
        self.with_tx(|tx| {
            tx.execute(
                INSERT_CASH,
                params![
                    id,
                    account_id,
                    Option::<String>::None,
                    movement.kind.as_str(),
                    codec::dec(movement.amount),
                    currency,
                    codec::ts(movement.occurred_at),
                    movement.source_tz.name(),
                    movement.description.trim(),
                    format!("manual:{id}"),
                ],
            )?;
            Ok(())
        })?;
        Ok(CashMovement {
            id,
            account_id: account_id.to_string(),
            batch_id: None,
            kind: movement.kind,
            amount: movement.amount,
            currency,
            occurred_at: movement.occurred_at,
            source_tz: movement.source_tz,
            description: movement.description.trim().to_string(),
        })
    }

    /// The balances broker files stated for `account_id`, oldest first.
    pub fn broker_balances(&self, account_id: &str) -> Result<Vec<BrokerBalance>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT at, kind, balance, currency FROM broker_balances WHERE account_id = ?1 ORDER BY at, rowid",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, kind, balance, currency) = row?;
            out.push(BrokerBalance {
                at: parse_ts(&at)?,
                kind: BalanceKind::parse(&kind).ok_or(StoreError::Corrupt {
                    what: "broker balance kind",
                    value: kind,
                })?,
                balance: parse_dec(&balance)?,
                currency: Some(currency),
            });
        }
        Ok(out)
    }

    /// The account's balance and its reconciliation with the broker's stated balances (see
    /// the module docs). Errors: [`StoreError::NotFound`] for an unknown account.
    pub fn reconcile(&self, account_id: &str) -> Result<Reconciliation> {
        let account = self.account(account_id)?;
        let conn = self.conn();
        let currency = account.currency.clone();

        // Cash movements in the account's currency, oldest first.
        let mut cash: Vec<(DateTime<Utc>, Decimal)> = Vec::new();
        let mut foreign = 0u64;
        for m in self.cash_movements(account_id)? {
            if m.currency.eq_ignore_ascii_case(&currency) {
                cash.push((m.occurred_at, m.amount));
            } else {
                foreign += 1;
            }
        }
        // Realized net of closed trades, by close time (as the account's balance in the app;
        // an incomplete trade's P&L is unknown).
        let mut realized: Vec<(DateTime<Utc>, Decimal)> = Vec::new();
        {
            let mut stmt = conn.prepare_cached(
                "SELECT closed_at, net_pnl FROM trades WHERE account_id = ?1 AND status = 'closed' \
                 ORDER BY closed_at",
            )?;
            for row in stmt.query_map([account_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
                let (at, net) = row?;
                realized.push((parse_ts(&at)?, parse_dec(&net)?));
            }
        }
        let cash_total: Decimal = cash.iter().map(|(_, a)| *a).sum();
        let realized_net: Decimal = realized.iter().map(|(_, n)| *n).sum();

        let stated: Vec<BrokerBalance> = self
            .broker_balances(account_id)?
            .into_iter()
            .filter(|b| b.currency.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(&currency)))
            .collect();
        // The last stated balance of each day (in the account's zone), per kind.
        let mut last_of_day: Vec<BrokerBalance> = Vec::new();
        for b in &stated {
            let day = b.at.with_timezone(&account.timezone).date_naive();
            match last_of_day.last_mut() {
                Some(prev) if prev.kind == b.kind && prev.at.with_timezone(&account.timezone).date_naive() == day => {
                    *prev = b.clone();
                }
                _ => last_of_day.push(b.clone()),
            }
        }
        last_of_day.sort_by_key(|b| b.at);

        // Where the broker's history starts from: a cash balance it states before the
        // account's first fill (what it differs by from the starting balance and the cash
        // movements until then), else what the first compared day differs by beyond the cash
        // of the positions then open. The account's starting balance should make it match;
        // later days' differences are measured from it.
        let mut days = Vec::new();
        let (mut days_checked, mut days_matching) = (0u32, 0u32);
        if !last_of_day.is_empty() {
            let mut positions = OpenPositions::load(self, account_id)?;
            let first_fill = positions.fills.first().map(|f| f.at);
            let mut opening_gap: Option<Decimal> = stated
                .iter()
                .filter(|b| b.kind == BalanceKind::Cash)
                .find(|b| first_fill.is_none_or(|first| b.at < first))
                .map(|b| {
                    let cash_until: Decimal = cash.iter().filter(|(t, _)| *t <= b.at).map(|(_, a)| *a).sum();
                    b.balance - account.starting_balance - cash_until
                });
            let (mut ci, mut ri) = (0usize, 0usize);
            let (mut cash_sum, mut realized_sum) = (Decimal::ZERO, Decimal::ZERO);
            for b in &last_of_day {
                while ci < cash.len() && cash[ci].0 <= b.at {
                    cash_sum += cash[ci].1;
                    ci += 1;
                }
                while ri < realized.len() && realized[ri].0 <= b.at {
                    realized_sum += realized[ri].1;
                    ri += 1;
                }
                positions.advance_to(b.at);
                let open = positions.open_count();
                if b.kind == BalanceKind::NetLiquidation && open > 0 {
                    continue; // needs the market value of the open positions
                }
                days_checked += 1;
                let ours = account.starting_balance + cash_sum + realized_sum;
                let difference = b.balance - ours;
                let open_cash = if b.kind == BalanceKind::Cash {
                    positions.open_cash()
                } else {
                    Decimal::ZERO
                };
                if difference.abs() < Decimal::new(1, 2) {
                    opening_gap.get_or_insert(Decimal::ZERO);
                    days_matching += 1;
                    continue;
                }
                let opening_gap = *opening_gap.get_or_insert(difference - open_cash);
                let unexplained = difference - open_cash - opening_gap;
                let parts = [
                    (LikelyCause::OpenPositions, open_cash),
                    (LikelyCause::StartingBalance, opening_gap),
                    (LikelyCause::MissingActivity, unexplained),
                ];
                let likely_cause = parts
                    .iter()
                    .max_by_key(|(_, amount)| amount.abs())
                    .map(|(cause, _)| *cause)
                    .unwrap_or(LikelyCause::MissingActivity);
                let explanation = explain(
                    likely_cause,
                    open,
                    open_cash,
                    opening_gap,
                    unexplained,
                    &account,
                    &currency,
                );
                days.push(ReconciliationDay {
                    day: b.at.with_timezone(&account.timezone).date_naive(),
                    at: b.at,
                    kind: b.kind,
                    theirs: b.balance,
                    ours,
                    difference,
                    open_positions: open,
                    open_positions_cash: open_cash,
                    starting_balance_gap: opening_gap,
                    unexplained,
                    likely_cause,
                    explanation,
                });
            }
        }
        Ok(Reconciliation {
            account_id: account.id.clone(),
            account_name: account.name.clone(),
            currency,
            starting_balance: account.starting_balance,
            cash_total,
            realized_net,
            balance: account.starting_balance + cash_total + realized_net,
            foreign_cash_movements: foreign,
            days_checked,
            days_matching,
            days,
        })
    }
}

/// The day's difference in words: each part that is not zero, the likely cause first.
fn explain(
    cause: LikelyCause,
    open: u32,
    open_cash: Decimal,
    opening_gap: Decimal,
    unexplained: Decimal,
    account: &crate::Account,
    currency: &str,
) -> String {
    let money = |d: Decimal| format!("{} {currency}", d.round_dp(2));
    let cent = Decimal::new(1, 2);
    let part = |c: LikelyCause| -> Option<String> {
        match c {
            LikelyCause::OpenPositions if open_cash.abs() >= cent => Some(if open_cash < Decimal::ZERO {
                format!(
                    "{open} open position(s) took {} of the broker's cash (what opening them cost), which realized P&L counts only when they close",
                    money(-open_cash)
                )
            } else {
                format!(
                    "{open} open position(s) brought {} into the broker's cash (premium or proceeds received), which realized P&L counts only when they close",
                    money(open_cash)
                )
            }),
            LikelyCause::StartingBalance if opening_gap.abs() >= cent => Some(format!(
                "the broker's history starts {} away from the account's starting balance {} (set it to {})",
                money(opening_gap),
                money(account.starting_balance),
                money(account.starting_balance + opening_gap)
            )),
            LikelyCause::MissingActivity if unexplained.abs() >= cent => Some(format!(
                "{} is unexplained: cash activity the journal lacks (a deposit, withdrawal, dividend, interest or a fee outside trades: import the broker's cash activity or add it), or a fill missing or imported twice",
                money(unexplained)
            )),
            _ => None,
        }
    };
    let order = [
        cause,
        LikelyCause::OpenPositions,
        LikelyCause::StartingBalance,
        LikelyCause::MissingActivity,
    ];
    let mut seen = Vec::new();
    let mut parts = Vec::new();
    for c in order {
        if !seen.contains(&c) {
            seen.push(c);
            parts.extend(part(c));
        }
    }
    parts.join("; ")
}

/// One fill as the cash it moves: the position change and the cash flow.
struct CashFill {
    at: DateTime<Utc>,
    symbol: String,
    /// Signed quantity (> 0 bought).
    signed: Decimal,
    /// −signed × price × multiplier − fees; for futures −fees only.
    flow: Decimal,
}

/// The account's fills walked in time order, tracking each position and the cash its
/// current trip holds: what opening it paid or received (quantity × price × multiplier,
/// signed), net of partial exits, minus fees. A futures fill moves no cash but its fees.
struct OpenPositions {
    fills: Vec<CashFill>,
    next: usize,
    /// symbol → (position, cash of the current trip)
    state: HashMap<String, (Decimal, Decimal)>,
}

impl OpenPositions {
    fn load(store: &Store, account_id: &str) -> Result<OpenPositions> {
        let mut stmt = store.conn().prepare_cached(
            "SELECT executed_at, symbol, asset_class, side, quantity, price, multiplier, fees FROM fills \
             WHERE account_id = ?1 ORDER BY executed_at, seq, rowid",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut fills = Vec::new();
        for row in rows {
            let (at, symbol, class, side, qty, price, mult, fees) = row?;
            let signed = codec::parse_side(&side)?.sign() * parse_dec(&qty)?;
            let fees = parse_dec(&fees)?;
            let flow = if codec::parse_asset_class(&class)? == AssetClass::Future {
                -fees
            } else {
                -signed * parse_dec(&price)? * parse_dec(&mult)? - fees
            };
            fills.push(CashFill {
                at: parse_ts(&at)?,
                symbol,
                signed,
                flow,
            });
        }
        Ok(OpenPositions {
            fills,
            next: 0,
            state: HashMap::new(),
        })
    }

    /// Applies the fills up to and including `at`.
    fn advance_to(&mut self, at: DateTime<Utc>) {
        while let Some(f) = self.fills.get(self.next).filter(|f| f.at <= at) {
            let entry = self.state.entry(f.symbol.clone()).or_default();
            entry.0 += f.signed;
            entry.1 += f.flow;
            if entry.0.is_zero() {
                *entry = (Decimal::ZERO, Decimal::ZERO);
            }
            self.next += 1;
        }
    }

    fn open_count(&self) -> u32 {
        self.state.values().filter(|(q, _)| !q.is_zero()).count() as u32
    }

    fn open_cash(&self) -> Decimal {
        self.state.values().filter(|(q, _)| !q.is_zero()).map(|(_, c)| *c).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewAccount;
    use rust_decimal_macros::dec;

    #[test]
    fn kinds_round_trip() {
        for k in CashKind::ALL {
            assert_eq!(CashKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(CashKind::parse("bonus"), None);
    }

    #[test]
    fn manual_movements_are_checked_and_summed() {
        let mut store = Store::open_in_memory().unwrap();
        let account = store
            .create_account(&NewAccount {
                name: "Cash".into(),
                platform: "Test".into(),
                broker_account_id: None,
                currency: "USD".into(),
                timezone: chrono_tz::America::New_York,
                starting_balance: dec!(1000),
            })
            .unwrap();
        let at = "2025-03-03T15:00:00Z".parse().unwrap();
        let deposit = |amount: Decimal, kind: CashKind| NewCashMovement {
            kind,
            amount,
            currency: None,
            occurred_at: at,
            source_tz: chrono_tz::America::New_York,
            description: "ACH".into(),
        };
        assert!(matches!(
            store.add_cash_movement(&account.id, &deposit(dec!(-5), CashKind::Deposit)),
            Err(StoreError::Invalid { field: "amount", .. })
        ));
        assert!(matches!(
            store.add_cash_movement(&account.id, &deposit(dec!(0), CashKind::Fee)),
            Err(StoreError::Invalid { field: "amount", .. })
        ));
        store
            .add_cash_movement(&account.id, &deposit(dec!(500), CashKind::Deposit))
            .unwrap();
        store
            .add_cash_movement(&account.id, &deposit(dec!(-9.99), CashKind::Fee))
            .unwrap();
        let mut eur = deposit(dec!(50), CashKind::Dividend);
        eur.currency = Some("EUR".into());
        store.add_cash_movement(&account.id, &eur).unwrap();
        let r = store.reconcile(&account.id).unwrap();
        assert_eq!((r.cash_total, r.balance), (dec!(490.01), dec!(1490.01)));
        assert_eq!(r.foreign_cash_movements, 1);
        assert_eq!((r.days_checked, r.days.len()), (0, 0));
    }
}
