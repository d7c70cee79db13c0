//! Dates and times of meetings, checked strictly and computed without a clock: a plugin has
//! none of its own, so "today" comes from the host's `now()` and day arithmetic is done here.
//!
//! Roundtable keeps its own, older and looser checks (it accepts `2027-02-31` and `+9:30`):
//! tightening them could make a configuration it already stored fail the upgrade re-check.

use std::fmt;

/// A day of the (proleptic Gregorian) calendar, years 1000 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    /// `YYYY-MM-DD`, a day that exists (no 31 April, 29 February only in leap years).
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let (year, month, day) = (digits(y, 4)? as i32, digits(m, 2)?, digits(d, 2)?);
        let valid = year >= 1000 && (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Date { year, month, day })
    }

    /// The day of an RFC 3339 timestamp such as the host's `now()`, in the offset it is
    /// written in (`2027-03-04T23:30:00-03:00` is 4 March).
    pub fn of_timestamp(s: &str) -> Option<Date> {
        Date::parse(s.get(..10)?)
    }

    /// Days since 1970-01-01 (negative before), after Howard Hinnant's `days_from_civil`.
    pub fn day_number(self) -> i64 {
        let y = self.year as i64 - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `n` days from day 0 (1970-01-01), the inverse of [`Date::day_number`].
    pub fn from_day_number(n: i64) -> Date {
        let z = n + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The day `days` later (earlier if negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_day_number(self.day_number() + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `HH:MM`, 24-hour clock, two digits each.
pub fn valid_time(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else { return false };
    matches!(digits(h, 2), Some(0..=23)) && matches!(digits(m, 2), Some(0..=59))
}
