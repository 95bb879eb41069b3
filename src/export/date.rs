//! Calendar dates for export footnotes, from the system clock in UTC, without a date-time dependency.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
}

impl Date {
    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    ///
    /// ```
    /// use trainprint::export::date::Date;
    /// assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
    /// assert_eq!(Date::from_days_since_epoch(20_415).to_string(), "2025-11-23");
    /// assert_eq!(Date::from_days_since_epoch(11_016).to_string(), "2000-02-29");
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Date {
        let (year, month, day) = crate::units::civil_from_days(days);
        Date {
            year: year as i32,
            month,
            day,
        }
    }

    /// Today in UTC, from the system clock (1970-01-01 if the clock is before the epoch).
    pub fn today_utc() -> Date {
        Date::from_days_since_epoch((crate::clock::unix_now() / 86_400) as i64)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}
