//! Encoding of domain values in SQLite TEXT columns.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use tradebook_core::{AssetClass, Direction, OptionRight, Side, TradeStatus};

use crate::error::StoreError;

/// Fixed-width UTC form `YYYY-MM-DDTHH:MM:SS.ffffffZ` (RFC 3339, microseconds): text order
/// equals time order. Written digit by digit: an import formats two per fill.
pub fn ts(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    }
    let mut b = *b"0000-00-00T00:00:00.000000Z";
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, year as u32);
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    // A leap second (nanosecond ≥ 1e9) keeps chrono's representation: second 59, 1.xxxxxx.
    put(17, 2, t.second());
    put(20, 6, (t.nanosecond() % 1_000_000_000) / 1_000);
    String::from_utf8(b.to_vec()).expect("ASCII digits")
}

/// `YYYY-MM-DD` (trading days, expiries), written digit by digit: an import formats one per
/// trade.
pub fn date(d: NaiveDate) -> String {
    use chrono::Datelike;
    if !(0..=9999).contains(&d.year()) {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut b = *b"0000-00-00";
    for (at, width, mut v) in [(0, 4, d.year() as u32), (5, 2, d.month()), (8, 2, d.day())] {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    String::from_utf8(b.to_vec()).expect("ASCII digits")
}

/// Reads [`ts`]'s form (fast path) or any RFC 3339 instant.
pub fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    parse_fixed_ts(s)
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc)))
        .ok_or_else(|| StoreError::Corrupt {
            what: "timestamp",
            value: s.to_string(),
        })
}

fn parse_fixed_ts(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 27 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if b[19] != b'.' || b[26] != b'Z' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    let time = date.and_hms_micro_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 26)?)?;
    Some(time.and_utc())
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_round_trip_in_fixed_width() {
        let t = Utc.with_ymd_and_hms(2025, 3, 7, 9, 5, 3).unwrap() + chrono::Duration::microseconds(42);
        assert_eq!(ts(t), "2025-03-07T09:05:03.000042Z");
        assert_eq!(parse_ts(&ts(t)).unwrap(), t);
        assert_eq!(ts(t), t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
        // Other RFC 3339 forms still read.
        assert_eq!(parse_ts("2025-03-07T04:05:03.000042-05:00").unwrap(), t);
        assert!(parse_ts("2025-13-07T09:05:03.000042Z").is_err());
        assert!(parse_ts("garbage").is_err());
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2025, 3, 7),
            (1999, 12, 31),
            (7, 1, 1),
            (9999, 10, 10),
            (-44, 3, 15),
            (10_000, 1, 2),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date(day), day.format("%Y-%m-%d").to_string(), "{y}-{m}-{d}");
            if (0..=9999).contains(&y) {
                assert_eq!(parse_date(&date(day)).unwrap(), day);
            }
        }
    }
}
