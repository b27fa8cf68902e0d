//! Encoding of domain values in SQLite TEXT columns.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use tradebook_core::{AssetClass, Direction, OptionRight, Side, TradeStatus};

use crate::error::StoreError;

/// Fixed-width UTC form: text order equals time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt {
            what: "timestamp",
            value: s.to_string(),
        })
}

pub fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

pub fn parse_dec(s: &str) -> Result<Decimal, StoreError> {
    Decimal::from_str(s).map_err(|_| StoreError::Corrupt {
        what: "decimal",
        value: s.to_string(),
    })
}

pub fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt {
        what: "date",
        value: s.to_string(),
    })
}

pub fn parse_tz(s: &str) -> Result<Tz, StoreError> {
    s.parse::<Tz>().map_err(|_| StoreError::Corrupt {
        what: "time zone",
        value: s.to_string(),
    })
}

pub fn parse_asset_class(s: &str) -> Result<AssetClass, StoreError> {
    AssetClass::parse(s).ok_or_else(|| StoreError::Corrupt {
        what: "asset class",
        value: s.to_string(),
    })
}

pub fn parse_side(s: &str) -> Result<Side, StoreError> {
    Side::parse(s).ok_or_else(|| StoreError::Corrupt {
        what: "side",
        value: s.to_string(),
    })
}

pub fn parse_direction(s: &str) -> Result<Direction, StoreError> {
    Direction::parse(s).ok_or_else(|| StoreError::Corrupt {
        what: "direction",
        value: s.to_string(),
    })
}

pub fn parse_status(s: &str) -> Result<TradeStatus, StoreError> {
    TradeStatus::parse(s).ok_or_else(|| StoreError::Corrupt {
        what: "trade status",
        value: s.to_string(),
    })
}

pub fn parse_right(s: Option<String>) -> Result<Option<OptionRight>, StoreError> {
    s.map(|s| {
        OptionRight::parse(&s).ok_or(StoreError::Corrupt {
            what: "option right",
            value: s.clone(),
        })
    })
    .transpose()
}

pub fn now() -> String {
    ts(Utc::now())
}
