//! How times read on a page: "3 hours ago" beside "26 Nov 2026, 14:05 UTC".

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike};

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// "just now", "5 minutes ago", "yesterday", "3 weeks ago", "2 years ago".
pub fn relative(then: NaiveDateTime, now: NaiveDateTime) -> String {
    match ago(then, now) {
        Ago::JustNow => "just now".into(),
        Ago::Yesterday => "yesterday".into(),
        Ago::Units(1, unit) => format!("1 {unit} ago"),
        Ago::Units(n, unit) => format!("{n} {unit}s ago"),
    }
}

/// How long ago, as `relative` words it: what a drawn page depends on, without
/// writing the words out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ago {
    JustNow,
    Yesterday,
    Units(i64, &'static str),
}

pub fn ago(then: NaiveDateTime, now: NaiveDateTime) -> Ago {
    let secs = (now - then).num_seconds();
    match secs {
        ..=59 => Ago::JustNow,
        60..=3_599 => Ago::Units(secs / 60, "minute"),
        3_600..=86_399 => Ago::Units(secs / 3_600, "hour"),
        86_400..=172_799 => Ago::Yesterday,
        172_800..=1_209_599 => Ago::Units(secs / 86_400, "day"),
        1_209_600..=5_183_999 => Ago::Units(secs / 604_800, "week"),
        5_184_000..=31_535_999 => Ago::Units(secs / 2_592_000, "month"),
        _ => Ago::Units(secs / 31_536_000, "year"),
    }
}

/// "26 Nov 2026, 14:05 UTC".
pub fn absolute(t: NaiveDateTime) -> String {
    // Written out rather than through strftime: pages show hundreds of these.
    let month = MONTHS[t.month0() as usize];
    format!("{} {month} {}, {:02}:{:02} UTC", t.day(), t.year(), t.hour(), t.minute())
}

/// The machine-readable form for `<time datetime>`.
pub fn iso(t: NaiveDateTime) -> String {
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// The time with its seconds dropped.
pub fn start_of_minute(t: NaiveDateTime) -> NaiveDateTime {
    t.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}

pub fn now() -> NaiveDateTime {
    // Stored to the second: both backends then hold exactly the same value.
    let now = chrono::Utc::now().naive_utc();
    now - TimeDelta::nanoseconds(i64::from(now.and_utc().timestamp_subsec_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = at(12, 0);
        assert_eq!(relative(at(11, 59), now), "1 minute ago");
        assert_eq!(relative(at(11, 30), now), "30 minutes ago");
        assert_eq!(relative(at(9, 0), now), "3 hours ago");
        assert_eq!(relative(now - TimeDelta::days(1), now), "yesterday");
        assert_eq!(relative(now - TimeDelta::days(4), now), "4 days ago");
        assert_eq!(relative(now - TimeDelta::days(21), now), "3 weeks ago");
        assert_eq!(relative(now - TimeDelta::days(800), now), "2 years ago");
        assert_eq!(relative(at(12, 5), now), "just now", "clock skew never shows a future time");
    }

    #[test]
    fn absolute_times_name_the_zone() {
        assert_eq!(absolute(at(14, 5)), "26 Nov 2026, 14:05 UTC");
        assert_eq!(iso(at(14, 5)), "2026-11-26T14:05:00Z");
        let early = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap().and_hms_opt(3, 4, 5).unwrap();
        assert_eq!(absolute(early), "2 Jan 2026, 03:04 UTC");
        assert_eq!(iso(early), "2026-01-02T03:04:05Z");
    }
}
