//! Instruments: what a fill trades.
//!
//! An [`Instrument`] is identified within an account by its `symbol` (the broker's ticker,
//! OCC option symbol, or futures contract code such as `NQH6`). Its `multiplier` converts a
//! price difference into money: 1 for stock, 100 for a standard equity option, the point
//! value for a future (from [`crate::ContractTable`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Asset class of an instrument (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssetClass {
    /// Stock or ETF; multiplier 1.
    Stock,
    /// Equity or index option; multiplier 100 unless the contract says otherwise.
    Option,
    /// Futures contract; multiplier = point value from the contract table.
    Future,
    /// Option on a future; multiplier = the underlying future's point value.
    FutureOption,
    /// Crypto asset; multiplier 1, fractional quantities.
    Crypto,
    /// Currency pair; multiplier 1.
    Forex,
}

impl AssetClass {
    /// Every class, in display order.
    pub const ALL: [AssetClass; 6] = [
        AssetClass::Stock,
        AssetClass::Option,
        AssetClass::Future,
        AssetClass::FutureOption,
        AssetClass::Crypto,
        AssetClass::Forex,
    ];

    /// Stable lower-case identifier used in the database, CSV exports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetClass::Stock => "stock",
            AssetClass::Option => "option",
            AssetClass::Future => "future",
            AssetClass::FutureOption => "future_option",
            AssetClass::Crypto => "crypto",
            AssetClass::Forex => "forex",
        }
    }

    /// Inverse of [`AssetClass::as_str`]; `None` for anything else.
    pub fn parse(s: &str) -> Option<AssetClass> {
        AssetClass::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionRight {
    Call,
    Put,
}

impl OptionRight {
    /// `"call"` / `"put"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OptionRight::Call => "call",
            OptionRight::Put => "put",
        }
    }

    /// Accepts `call`/`put`/`C`/`P` in any case.
    pub fn parse(s: &str) -> Option<OptionRight> {
        match s.trim().to_ascii_lowercase().as_str() {
            "call" | "c" => Some(OptionRight::Call),
            "put" | "p" => Some(OptionRight::Put),
            _ => None,
        }
    }
}

/// A tradable instrument.
///
/// `symbol` is the matching key: fills of one account with the same `symbol` form one
/// position. Option and futures details are optional descriptive fields; `multiplier` is
/// the one that matters for P&L.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Instrument {
    pub asset_class: AssetClass,
    /// Matching key: `AAPL`, `SPY220930C00364000`, `NQH6`.
    pub symbol: String,
    /// Underlying ticker for options (`SPY`) or futures root for futures (`NQ`).
    pub underlying: Option<String>,
    /// Option expiry or futures contract month (first day of the month for futures).
    pub expiry: Option<NaiveDate>,
    /// Option strike price.
    pub strike: Option<Decimal>,
    /// Call or put, for options.
    pub right: Option<OptionRight>,
    /// Money per 1.0 of price per unit of quantity: 1 (stock), 100 (option), point value
    /// (future).
    pub multiplier: Decimal,
}

impl Instrument {
    /// A stock or ETF (multiplier 1).
    pub fn stock(symbol: impl Into<String>) -> Instrument {
        Instrument {
            asset_class: AssetClass::Stock,
            symbol: symbol.into(),
            underlying: None,
            expiry: None,
            strike: None,
            right: None,
            multiplier: Decimal::ONE,
        }
    }

    /// A crypto asset or pair (multiplier 1).
    pub fn crypto(symbol: impl Into<String>) -> Instrument {
        Instrument {
            asset_class: AssetClass::Crypto,
            ..Instrument::stock(symbol)
        }
    }

    /// An option. `multiplier` is usually 100.
    pub fn option(
        symbol: impl Into<String>,
        underlying: impl Into<String>,
        expiry: NaiveDate,
        strike: Decimal,
        right: OptionRight,
        multiplier: Decimal,
    ) -> Instrument {
        Instrument {
            asset_class: AssetClass::Option,
            symbol: symbol.into(),
            underlying: Some(underlying.into()),
            expiry: Some(expiry),
            strike: Some(strike),
            right: Some(right),
            multiplier,
        }
    }
}
