//! Trading days (SPEC §3): the date of a trade's close in its exchange's zone.
//!
//! - US stocks and options: the calendar date in America/New_York.
//! - CME futures and futures options: the date in America/Chicago, except that the session
//!   opening at 17:00 CT counts toward the next day, as the exchange does (CME Globex trades
//!   Sunday–Friday 17:00–16:00 CT).
//! - Crypto: the UTC date (the market never closes).
//! - Forex: like futures, the day rolls at 17:00 New York time.

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};

use crate::instrument::AssetClass;

/// The trading day of an instant for an asset class (see the module doc).
pub fn trading_day(at: DateTime<Utc>, asset_class: AssetClass) -> NaiveDate {
    match asset_class {
        AssetClass::Stock | AssetClass::Option => at.with_timezone(&chrono_tz::America::New_York).date_naive(),
        AssetClass::Future | AssetClass::FutureOption => roll_at_17(at.with_timezone(&chrono_tz::America::Chicago)),
        AssetClass::Forex => roll_at_17(at.with_timezone(&chrono_tz::America::New_York)),
        AssetClass::Crypto => at.date_naive(),
    }
}

fn roll_at_17(local: DateTime<chrono_tz::Tz>) -> NaiveDate {
    let date = local.date_naive();
    if local.hour() >= 17 {
        date.checked_add_days(Days::new(1)).unwrap_or(date)
    } else {
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn futures_evening_session_counts_toward_next_day() {
        // 2026-02-11 23:30 UTC = 17:30 CST → trading day 2026-02-12.
        assert_eq!(
            trading_day(utc(2026, 2, 11, 23, 30), AssetClass::Future),
            day(2026, 2, 12)
        );
        // 2026-02-11 21:59 UTC = 15:59 CST → same day.
        assert_eq!(
            trading_day(utc(2026, 2, 11, 21, 59), AssetClass::Future),
            day(2026, 2, 11)
        );
        // Sunday evening open → Monday.
        assert_eq!(trading_day(utc(2026, 3, 1, 23, 5), AssetClass::Future), day(2026, 3, 2));
    }

    #[test]
    fn stocks_use_new_york_date() {
        // 2025-10-24 01:00 UTC is still 10/23 21:00 in New York.
        assert_eq!(
            trading_day(utc(2025, 10, 24, 1, 0), AssetClass::Stock),
            day(2025, 10, 23)
        );
        assert_eq!(
            trading_day(utc(2025, 10, 24, 1, 0), AssetClass::Crypto),
            day(2025, 10, 24)
        );
    }
}
