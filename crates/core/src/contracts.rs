//! Futures contract table: point value and tick size per root (SPEC §3).
//!
//! Sources: the exchanges' contract specifications (CME Group product pages for the equity
//! index, energy, metals, treasury, FX and crypto contracts below). The point value is the
//! money value of a 1.0 move in the quoted price of one contract; the tick size is the
//! smallest price increment. The user can extend or override the table; an unknown root is
//! an error ([`CoreError::UnknownFuturesRoot`]), never a silent default.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::error::CoreError;
use crate::instrument::{AssetClass, Instrument};

/// One futures product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractSpec {
    /// Product root: `ES`, `MNQ`, `6E`.
    pub root: String,
    /// Human name: "E-mini S&P 500".
    pub name: String,
    /// Money per 1.0 price point per contract (ES: 50 USD).
    pub point_value: Decimal,
    /// Minimum price increment (ES: 0.25).
    pub tick_size: Decimal,
    /// Exchange time zone used to derive the trading day (CME: America/Chicago).
    pub exchange_tz: Tz,
    /// Settlement currency (ISO 4217).
    pub currency: String,
}

/// The built-in contracts: (root, name, point value, tick size). All CME Group (Chicago
/// time, USD).
const BUILTIN: &[(&str, &str, &str, &str)] = &[
    ("ES", "E-mini S&P 500", "50", "0.25"),
    ("MES", "Micro E-mini S&P 500", "5", "0.25"),
    ("NQ", "E-mini Nasdaq-100", "20", "0.25"),
    ("MNQ", "Micro E-mini Nasdaq-100", "2", "0.25"),
    ("RTY", "E-mini Russell 2000", "50", "0.1"),
    ("M2K", "Micro E-mini Russell 2000", "5", "0.1"),
    ("YM", "E-mini Dow ($5)", "5", "1"),
    ("MYM", "Micro E-mini Dow", "0.5", "1"),
    ("CL", "Crude Oil (WTI)", "1000", "0.01"),
    ("MCL", "Micro WTI Crude Oil", "100", "0.01"),
    ("NG", "Henry Hub Natural Gas", "10000", "0.001"),
    ("GC", "Gold", "100", "0.1"),
    ("MGC", "Micro Gold", "10", "0.1"),
    ("SI", "Silver", "5000", "0.005"),
    ("SIL", "Micro Silver (1,000 oz)", "1000", "0.005"),
    ("HG", "Copper", "25000", "0.0005"),
    ("ZT", "2-Year T-Note", "2000", "0.00390625"),
    ("ZF", "5-Year T-Note", "1000", "0.0078125"),
    ("ZN", "10-Year T-Note", "1000", "0.015625"),
    ("ZB", "U.S. Treasury Bond", "1000", "0.03125"),
    ("UB", "Ultra U.S. Treasury Bond", "1000", "0.03125"),
    ("ZC", "Corn", "50", "0.25"),
    ("ZS", "Soybeans", "50", "0.25"),
    ("ZW", "Chicago SRW Wheat", "50", "0.25"),
    ("6E", "Euro FX", "125000", "0.00005"),
    ("6B", "British Pound", "62500", "0.0001"),
    ("6J", "Japanese Yen", "12500000", "0.0000005"),
    ("BTC", "Bitcoin", "5", "5"),
    ("MBT", "Micro Bitcoin", "0.1", "5"),
    ("ETH", "Ether", "50", "0.5"),
    ("MET", "Micro Ether", "0.1", "0.5"),
];

/// Root → [`ContractSpec`]. Cheap to clone; look-ups are by exact upper-case root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractTable {
    specs: BTreeMap<String, ContractSpec>,
}

impl Default for ContractTable {
    fn default() -> Self {
        ContractTable::builtin()
    }
}

impl ContractTable {
    /// The built-in table (see the module doc for sources).
    pub fn builtin() -> ContractTable {
        let specs = BUILTIN
            .iter()
            .map(|(root, name, pv, tick)| {
                let spec = ContractSpec {
                    root: (*root).to_string(),
                    name: (*name).to_string(),
                    point_value: pv.parse().expect("built-in point value is a decimal"),
                    tick_size: tick.parse().expect("built-in tick size is a decimal"),
                    exchange_tz: chrono_tz::America::Chicago,
                    currency: "USD".to_string(),
                };
                (spec.root.clone(), spec)
            })
            .collect();
        ContractTable { specs }
    }

    /// Adds or replaces a contract (user extensions win over the built-ins).
    pub fn insert(&mut self, spec: ContractSpec) {
        self.specs.insert(spec.root.to_ascii_uppercase(), spec);
    }

    /// All contracts, ordered by root.
    pub fn iter(&self) -> impl Iterator<Item = &ContractSpec> {
        self.specs.values()
    }

    /// The contract for `root`, or [`CoreError::UnknownFuturesRoot`].
    pub fn get(&self, root: &str) -> Option<&ContractSpec> {
        self.specs.get(&root.to_ascii_uppercase())
    }

    /// Builds the [`Instrument`] of a futures contract symbol (`NQH6`, `/MESZ24`,
    /// `MNQ 03-26`, `/NQM22:XCME`). `reference` is a date near the trade (the fill date),
    /// used to place a one-digit year in its decade.
    ///
    /// Errors: [`CoreError::BadFuturesSymbol`] when the symbol has no month/year,
    /// [`CoreError::UnknownFuturesRoot`] when the root is not in the table.
    pub fn future(&self, symbol: &str, reference: NaiveDate) -> Result<Instrument, CoreError> {
        let parsed = FuturesSymbol::parse(symbol, reference)?;
        let spec = self.get(&parsed.root).ok_or_else(|| CoreError::UnknownFuturesRoot {
            symbol: symbol.trim().to_string(),
            root: parsed.root.clone(),
        })?;
        Ok(Instrument {
            asset_class: AssetClass::Future,
            symbol: parsed.code(),
            underlying: Some(spec.root.clone()),
            expiry: NaiveDate::from_ymd_opt(parsed.year, parsed.month, 1),
            strike: None,
            right: None,
            multiplier: spec.point_value,
        })
    }
}

impl ContractTable {
    /// The instrument for a symbol typed by hand: stock/ETF and crypto (multiplier 1), option
    /// (multiplier 100, the symbol as typed, e.g. an OCC symbol), future (point value from
    /// this table). Other classes are refused with [`CoreError::Invalid`] on `asset_class`
    /// until they have their own entry form.
    pub fn instrument_for(
        &self,
        asset_class: AssetClass,
        symbol: &str,
        reference: NaiveDate,
    ) -> Result<Instrument, CoreError> {
        let symbol = symbol.trim().to_ascii_uppercase();
        if symbol.is_empty() {
            return Err(CoreError::Invalid {
                field: "symbol",
                message: "enter a symbol".into(),
            });
        }
        match asset_class {
            AssetClass::Stock => Ok(Instrument::stock(symbol)),
            AssetClass::Crypto => Ok(Instrument::crypto(symbol)),
            AssetClass::Option => Ok(Instrument {
                asset_class: AssetClass::Option,
                symbol,
                underlying: None,
                expiry: None,
                strike: None,
                right: None,
                multiplier: Decimal::ONE_HUNDRED,
            }),
            AssetClass::Future => self.future(&symbol, reference),
            AssetClass::FutureOption | AssetClass::Forex => Err(CoreError::Invalid {
                field: "asset_class",
                message: format!(
                    "{} trades cannot be entered by hand yet; import them",
                    asset_class.as_str()
                ),
            }),
        }
    }
}

/// A parsed futures contract code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuturesSymbol {
    /// Upper-case root (`MNQ`).
    pub root: String,
    /// Contract month 1–12.
    pub month: u32,
    /// Four-digit year.
    pub year: i32,
}

/// CME month codes, January to December.
const MONTH_CODES: &[u8; 12] = b"FGHJKMNQUVXZ";
const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

impl FuturesSymbol {
    /// Parses `ESZ4`, `ESZ24`, `/ESZ2024`, `/NQM22:XCME`, `MNQ 03-26`, `MNQ SEP26`.
    /// One- and two-digit years are placed nearest to `reference` (at most 2 years back).
    pub fn parse(symbol: &str, reference: NaiveDate) -> Result<FuturesSymbol, CoreError> {
        let bad = || CoreError::BadFuturesSymbol(symbol.to_string());
        let s = symbol.trim().trim_start_matches('/');
        let s = s.split(':').next().unwrap_or(s).trim().to_ascii_uppercase();
        if let Some((root, rest)) = s.split_once(' ') {
            // NinjaTrader: `MNQ 03-26` or `MNQ SEP26`.
            let rest = rest.trim();
            let (month, year) = if let Some((m, y)) = rest.split_once('-') {
                (m.parse::<u32>().map_err(|_| bad())?, y)
            } else if rest.len() > 3 && rest.is_char_boundary(3) {
                let idx = MONTH_NAMES.iter().position(|n| *n == &rest[..3]).ok_or_else(bad)?;
                (idx as u32 + 1, &rest[3..])
            } else {
                return Err(bad());
            };
            if !(1..=12).contains(&month) || root.is_empty() {
                return Err(bad());
            }
            let year = place_year(year, reference).ok_or_else(bad)?;
            return Ok(FuturesSymbol {
                root: root.to_string(),
                month,
                year,
            });
        }
        let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 4 || digits == 3 || s.len() < digits + 2 {
            return Err(bad());
        }
        let (head, year) = s.split_at(s.len() - digits);
        let code = *head.as_bytes().last().ok_or_else(bad)?;
        let month = MONTH_CODES.iter().position(|c| *c == code).ok_or_else(bad)? as u32 + 1;
        let root = &head[..head.len() - 1];
        if root.is_empty() || !root.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad());
        }
        let year = place_year(year, reference).ok_or_else(bad)?;
        Ok(FuturesSymbol {
            root: root.to_string(),
            month,
            year,
        })
    }

    /// Canonical code: root + month code + two-digit year (`NQH26`).
    pub fn code(&self) -> String {
        format!(
            "{}{}{:02}",
            self.root,
            MONTH_CODES[(self.month - 1) as usize] as char,
            self.year.rem_euclid(100)
        )
    }
}

/// Places a 1-, 2- or 4-digit year. A one-digit year resolves to the candidate in
/// `[reference − 2, reference + 8)` (contracts trade before expiry, and exports arrive
/// after); a two-digit year to the one in `[reference − 50, reference + 50)`.
fn place_year(digits: &str, reference: NaiveDate) -> Option<i32> {
    let value: i32 = digits.parse().ok()?;
    let modulus = match digits.len() {
        4 => return Some(value),
        1 => 10,
        2 => 100,
        _ => return None,
    };
    let low = reference.year() - if modulus == 10 { 2 } else { 50 };
    let base = low - low.rem_euclid(modulus);
    let mut year = base + value;
    if year < low {
        year += modulus;
    }
    Some(year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn check(symbol: &str, root: &str, month: u32, year: i32) {
        let p = FuturesSymbol::parse(symbol, d(2026, 2, 11)).unwrap();
        assert_eq!((p.root.as_str(), p.month, p.year), (root, month, year), "{symbol}");
    }

    #[test]
    fn parses_contract_codes() {
        check("NQH6", "NQ", 3, 2026);
        check("MESH5", "MES", 3, 2025);
        check("/ESZ24", "ES", 12, 2024);
        check("/NQM22:XCME", "NQ", 6, 2022);
        check("6EH6", "6E", 3, 2026);
        check("MNQ 03-26", "MNQ", 3, 2026);
        check("MNQ SEP26", "MNQ", 9, 2026);
        check("M2KZ2027", "M2K", 12, 2027);
        assert_eq!(FuturesSymbol::parse("MESH5", d(2026, 1, 1)).unwrap().code(), "MESH25");
    }

    #[test]
    fn rejects_non_contract_codes() {
        for s in ["", "ES", "AAPL", "ESA4", "4", "/", "MNQ 13-26", "ES 0326"] {
            assert!(FuturesSymbol::parse(s, d(2026, 1, 1)).is_err(), "{s}");
        }
    }

    #[test]
    fn point_values_and_unknown_root() {
        let t = ContractTable::builtin();
        assert_eq!(t.future("NQH6", d(2026, 2, 1)).unwrap().multiplier, dec!(20));
        assert_eq!(t.future("MNQM5", d(2025, 5, 1)).unwrap().multiplier, dec!(2));
        assert_eq!(t.future("ZNM4", d(2024, 2, 1)).unwrap().multiplier, dec!(1000));
        assert_eq!(t.get("MBT").unwrap().point_value, dec!(0.1));
        let err = t.future("QQQH6", d(2026, 2, 1)).unwrap_err();
        assert!(matches!(err, CoreError::UnknownFuturesRoot { ref root, .. } if root == "QQQ"));
    }

    #[test]
    fn every_required_root_is_built_in() {
        let t = ContractTable::builtin();
        for root in [
            "ES", "MES", "NQ", "MNQ", "RTY", "M2K", "YM", "MYM", "CL", "MCL", "GC", "MGC", "SI", "SIL", "ZN", "ZB",
            "6E", "MBT", "BTC",
        ] {
            assert!(t.get(root).is_some(), "{root}");
        }
    }
}
