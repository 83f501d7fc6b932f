//! Working days: Monday to Friday, minus the holidays the site lists. Response targets
//! and ages are counted in them.

use std::collections::BTreeSet;
use std::ops::Bound::{Excluded, Included};

use chrono::{Datelike, NaiveDate, Weekday};

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { holidays: holidays.into_iter().collect() }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// Working days after `from` up to and including `to`: a comment published on a
    /// Friday and answered on the next Monday took 1 working day. Zero when `to` is
    /// not after `from`.
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        // Counted, not walked: a page works this out for hundreds of comments.
        let holidays = self.holidays.range((Excluded(from), Included(to))).filter(|day| is_weekday(**day)).count();
        weekdays_through(to) - weekdays_through(from) - holidays as i64
    }

    /// The latest publication date that is more than `target` working days before
    /// `today`: comments published on or before it are overdue.
    pub fn overdue_cutoff(&self, today: NaiveDate, target: i64) -> NaiveDate {
        // Moving the publication date back one day adds that day to the age when it
        // is a working day; stop at the first date whose age is past the target.
        let mut day = today;
        let mut age = 0;
        while age <= target.max(0) {
            if self.is_working_day(day) {
                age += 1;
            }
            match day.pred_opt() {
                Some(previous) => day = previous,
                None => break,
            }
        }
        day
    }
}

fn is_weekday(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Mondays to Fridays from Monday 1 January of year 1 up to and including `day`.
fn weekdays_through(day: NaiveDate) -> i64 {
    let since_monday = i64::from(day.num_days_from_ce()) - 1;
    since_monday.div_euclid(7) * 5 + (since_monday.rem_euclid(7) + 1).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekends_do_not_count() {
        let cal = Calendar::default();
        // Fri 27 Nov 2026 → Mon 30 Nov: one working day.
        assert_eq!(cal.between(d(2026, 11, 27), d(2026, 11, 30)), 1);
        assert_eq!(cal.between(d(2026, 11, 23), d(2026, 11, 30)), 5, "Mon to next Mon");
        assert_eq!(cal.between(d(2026, 11, 28), d(2026, 11, 29)), 0, "Sat to Sun");
        assert_eq!(cal.between(d(2026, 11, 30), d(2026, 11, 30)), 0, "same day");
        assert_eq!(cal.between(d(2026, 11, 30), d(2026, 11, 27)), 0, "never negative");
    }

    #[test]
    fn counting_agrees_with_walking_day_by_day() {
        let cal = Calendar::new([d(2026, 12, 25), d(2026, 12, 26), d(2026, 12, 28), d(2027, 1, 1)]);
        let walked = |from: NaiveDate, to: NaiveDate| {
            let mut day = from;
            let mut days = 0;
            while day < to {
                day = day.succ_opt().unwrap();
                days += i64::from(cal.is_working_day(day));
            }
            days
        };
        let start = d(2026, 11, 20);
        for a in 0..60 {
            for b in 0..60 {
                let (from, to) = (start + chrono::Days::new(a), start + chrono::Days::new(b));
                assert_eq!(cal.between(from, to), walked(from, to), "{from} to {to}");
            }
        }
    }

    #[test]
    fn holidays_do_not_count() {
        let cal = Calendar::new([d(2026, 12, 25), d(2026, 12, 28)]);
        // Thu 24 Dec → Tue 29 Dec: Fri 25 and Mon 28 are holidays, so only Tue 29 counts.
        assert_eq!(cal.between(d(2026, 12, 24), d(2026, 12, 29)), 1);
        assert!(!cal.is_working_day(d(2026, 12, 25)));
        assert!(cal.is_working_day(d(2026, 12, 24)));
    }

    #[test]
    fn overdue_means_older_than_the_target_in_working_days() {
        let cal = Calendar::new([d(2026, 12, 25)]);
        for today in [d(2026, 11, 30), d(2026, 12, 2), d(2026, 12, 28), d(2027, 1, 4), d(2026, 12, 26)] {
            for target in [1, 3, 5, 10] {
                let cutoff = cal.overdue_cutoff(today, target);
                // Brute force: every date in the last 40 days is overdue exactly when
                // its age exceeds the target, and that matches `published <= cutoff`.
                let mut day = today - chrono::TimeDelta::days(40);
                while day <= today {
                    let overdue = cal.between(day, today) > target;
                    assert_eq!(
                        overdue,
                        day <= cutoff,
                        "today {today}, target {target}, published {day}, cutoff {cutoff}"
                    );
                    day = day.succ_opt().unwrap();
                }
            }
        }
    }
}
