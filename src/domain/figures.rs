//! The rules behind a department's public figures: which weeks the trend covers,
//! where the median and 90th percentile sit in a sorted list, the response rate, and
//! the definitions shown beside them. The database only counts; these decide.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// How many weeks the trend chart covers, the current week last.
pub const TREND_WEEKS: usize = 12;

/// How many of the oldest comments awaiting a response a department's page lists.
pub const OLDEST_LISTED: i64 = 5;

/// How many routed comments are in each response state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub awaiting: i64,
    pub acknowledged: i64,
    pub answered: i64,
    pub referred: i64,
    pub no_response_needed: i64,
}

impl StateCounts {
    /// Every routed comment, whatever its state.
    pub fn routed(&self) -> i64 {
        self.awaiting + self.acknowledged + self.answered + self.referred + self.no_response_needed
    }

    /// Comments that had a response: answered, acknowledged or referred.
    pub fn responded(&self) -> i64 {
        self.answered + self.acknowledged + self.referred
    }

    /// Routed comments that need a response: all but those marked no response needed.
    pub fn needing_response(&self) -> i64 {
        self.routed() - self.no_response_needed
    }

    /// `n` as a percentage of the routed comments that need a response, to one
    /// decimal place; `None` when none need one.
    fn share(&self, n: i64) -> Option<f64> {
        let needing = self.needing_response();
        (needing > 0).then(|| (n as f64 * 1000.0 / needing as f64).round() / 10.0)
    }

    /// The headline: answered, of those that need a response.
    pub fn answered_percent(&self) -> Option<f64> {
        self.share(self.answered)
    }

    /// Acknowledged (seen, not yet answered), of those that need a response.
    pub fn acknowledged_percent(&self) -> Option<f64> {
        self.share(self.acknowledged)
    }

    /// Any official response (answered, acknowledged or referred), of those that need one.
    pub fn response_rate_percent(&self) -> Option<f64> {
        self.share(self.responded())
    }
}

/// Where the median lies in an ascending list of `n` values: skip `offset`, then take
/// one value (odd `n`) or the two middle ones to average (even `n`).
pub fn median_position(n: i64) -> Option<(i64, i64)> {
    match n {
        n if n <= 0 => None,
        n if n % 2 == 1 => Some(((n - 1) / 2, 1)),
        n => Some((n / 2 - 1, 2)),
    }
}

/// The median from the one or two middle values `median_position` points at.
pub fn median_of_middle(middle: &[i32]) -> Option<f64> {
    match middle {
        [one] => Some(f64::from(*one)),
        [low, high] => Some((f64::from(*low) + f64::from(*high)) / 2.0),
        _ => None,
    }
}

/// How long first official responses took, in working days.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ResponseTimes {
    /// How many comments have had a first official response.
    pub timed: i64,
    pub median: Option<f64>,
    pub p90: Option<i32>,
}

impl ResponseTimes {
    /// From (days, how many comments) pairs in ascending order of days.
    pub fn from_histogram(histogram: &[(i32, i64)]) -> Self {
        let timed = histogram.iter().map(|(_, n)| n).sum();
        let median = median_position(timed).and_then(|(skip, take)| {
            let middle: Vec<i32> = (skip..skip + take).filter_map(|at| value_at(histogram, at)).collect();
            median_of_middle(&middle)
        });
        let p90 = percentile_offset(timed, 90).and_then(|at| value_at(histogram, at));
        Self { timed, median, p90 }
    }
}

/// The value at position `offset` (from 0) of the ascending list a histogram stands for.
fn value_at(histogram: &[(i32, i64)], offset: i64) -> Option<i32> {
    let mut before = 0;
    for &(value, count) in histogram {
        before += count;
        if offset < before {
            return Some(value);
        }
    }
    None
}

/// The nearest-rank `percent`th percentile of `n` ascending values, as the number of
/// values to skip: the smallest value with at least `percent`% of values at or below it.
pub fn percentile_offset(n: i64, percent: i64) -> Option<i64> {
    if n <= 0 {
        return None;
    }
    let rank = (n * percent.clamp(1, 100) + 99) / 100;
    Some(rank.clamp(1, n) - 1)
}

/// One week of the trend: from Monday 00:00 UTC to the next Monday, exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub monday: NaiveDate,
}

impl Week {
    pub fn containing(day: NaiveDate) -> Self {
        Self { monday: day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday())) }
    }

    pub fn start(&self) -> NaiveDateTime {
        self.monday.and_time(NaiveTime::MIN)
    }

    pub fn end(&self) -> NaiveDateTime {
        self.start() + TimeDelta::days(7)
    }
}

/// The `count` weeks ending with the one that contains `today`, oldest first.
pub fn trend_weeks(today: NaiveDate, count: usize) -> Vec<Week> {
    let current = Week::containing(today);
    (0..count).rev().map(|back| Week { monday: current.monday - TimeDelta::weeks(back as i64) }).collect()
}

/// One figure's name and what it means, as shown on the page and in the JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The field in the JSON and the column in the CSV.
    pub field: &'static str,
    pub term: &'static str,
    pub meaning: String,
}

/// What each figure means. `target_days` is the department's response target, when
/// the definitions are for one department.
pub fn definitions(target_days: Option<i32>) -> Vec<Definition> {
    let target = match target_days {
        Some(1) => "1 working day, this department's response target".to_owned(),
        Some(days) => format!("{days} working days, this department's response target"),
        None => "the department's response target in working days".to_owned(),
    };
    let d = |field, term, meaning: &str| Definition { field, term, meaning: meaning.to_owned() };
    vec![
        d("routed", "Routed", "Comments currently routed to the department, in any response state. Only comments that carry a response state are counted: every top-level comment, and replies that were routed, answered or acted on. Other replies are part of their thread's conversation; official replies are responses. Neither is counted."),
        d("answered", "Answered", "Routed comments linked to an official reply that answers them."),
        d("acknowledged", "Acknowledged", "Routed comments an official or moderator has marked as seen, with an optional note, but not yet answered. An acknowledgement is not an answer."),
        d("referred", "Referred", "Routed comments sent on to another department or channel, with where and why."),
        d("awaiting", "Awaiting", "Routed comments with no response yet."),
        d("no_response_needed", "No response needed", "Routed comments a moderator decided need no response, such as thanks or duplicates. They are left out of the response rate."),
        Definition {
            field: "overdue",
            term: "Overdue",
            meaning: format!("Comments awaiting a response for more than {target}, counted from when each was routed to the department (a comment routed today is not overdue today, however old it is). Readers see how long a comment has waited since it was published. Working days are Monday to Friday, less the holidays this site lists."),
        },
        d("answered_percent", "Answered share", "Answered comments as a percentage of routed comments that need a response (routed less no response needed). Acknowledged and referred comments are not counted as answered."),
        d("acknowledged_percent", "Acknowledged share", "Acknowledged comments as a percentage of routed comments that need a response."),
        d("response_rate_percent", "Any official response", "Answered, acknowledged and referred comments together as a percentage of routed comments that need a response: the share that has had any official response, even if only an acknowledgement."),
        d("responses_timed", "Responses timed", "Routed comments that have had a first official response: an answer, or an acknowledgement or referral by an official of the department."),
        d("median_working_days", "Median working days to first official response", "Half of the timed comments had their first official response within this many working days of publication (the average of the two middle values when there is an even number). A comment published on a Friday and answered the next Monday took 1 working day."),
        d("p90_working_days", "90th percentile working days to first official response", "Nine in ten timed comments had their first official response within this many working days (nearest rank)."),
        d("weeks.received", "Received (each week)", "Comments routed to the department that were published in the week, Monday to Sunday (UTC)."),
        d("weeks.answered", "Answered (each week)", "Comments routed to the department that were first answered in the week."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_median_sits_in_the_middle_or_between_the_two_middle_values() {
        assert_eq!(median_position(0), None);
        assert_eq!(median_position(1), Some((0, 1)));
        assert_eq!(median_position(2), Some((0, 2)));
        assert_eq!(median_position(5), Some((2, 1)));
        assert_eq!(median_position(6), Some((2, 2)));
        assert_eq!(median_of_middle(&[3]), Some(3.0));
        assert_eq!(median_of_middle(&[0, 5]), Some(2.5));
        assert_eq!(median_of_middle(&[]), None);
        // Against a sorted list: [0, 0, 5, 10] → middle values 0 and 5.
        let values = [0, 0, 5, 10];
        let (skip, take) = median_position(values.len() as i64).unwrap();
        assert_eq!(median_of_middle(&values[skip as usize..(skip + take) as usize]), Some(2.5));
    }

    #[test]
    fn response_times_come_from_a_histogram_as_from_the_sorted_list() {
        // Days 0, 0, 5, 10.
        let times = ResponseTimes::from_histogram(&[(0, 2), (5, 1), (10, 1)]);
        assert_eq!(times, ResponseTimes { timed: 4, median: Some(2.5), p90: Some(10) });
        assert_eq!(ResponseTimes::from_histogram(&[]), ResponseTimes::default());
        assert_eq!(
            ResponseTimes::from_histogram(&[(3, 1)]),
            ResponseTimes { timed: 1, median: Some(3.0), p90: Some(3) }
        );
        // Against a brute-force sort of a larger list.
        let histogram: Vec<(i32, i64)> = (0..40).map(|d| (d, i64::from((d * 7) % 5 + 1))).collect();
        let mut sorted: Vec<i32> = histogram.iter().flat_map(|&(d, n)| std::iter::repeat_n(d, n as usize)).collect();
        sorted.sort_unstable();
        let n = sorted.len();
        let times = ResponseTimes::from_histogram(&histogram);
        assert_eq!(times.timed, n as i64);
        let expected_median = if n % 2 == 1 {
            f64::from(sorted[n / 2])
        } else {
            (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
        };
        assert_eq!(times.median, Some(expected_median));
        assert_eq!(times.p90, Some(sorted[(n * 9).div_ceil(10) - 1]));
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        assert_eq!(percentile_offset(0, 90), None);
        assert_eq!(percentile_offset(1, 90), Some(0));
        assert_eq!(percentile_offset(4, 90), Some(3), "rank ceil(3.6) = 4");
        assert_eq!(percentile_offset(10, 90), Some(8), "rank 9 of 10");
        assert_eq!(percentile_offset(11, 90), Some(9), "rank ceil(9.9) = 10");
        assert_eq!(percentile_offset(100, 90), Some(89));
        assert_eq!(percentile_offset(1_000_000, 90), Some(899_999));
        assert_eq!(percentile_offset(7, 100), Some(6), "the 100th percentile is the largest");
        assert_eq!(percentile_offset(7, 50), Some(3));
    }

    #[test]
    fn the_response_rate_leaves_out_comments_needing_no_response() {
        let counts = StateCounts { awaiting: 2, acknowledged: 1, answered: 2, referred: 1, no_response_needed: 1 };
        assert_eq!(counts.routed(), 7);
        assert_eq!(counts.responded(), 4);
        assert_eq!(counts.response_rate_percent(), Some(66.7));
        assert_eq!(StateCounts::default().response_rate_percent(), None);
        let only_thanks = StateCounts { no_response_needed: 3, ..StateCounts::default() };
        assert_eq!(only_thanks.response_rate_percent(), None);
        let all = StateCounts { answered: 3, ..StateCounts::default() };
        assert_eq!(all.response_rate_percent(), Some(100.0));
        let third = StateCounts { answered: 1, awaiting: 2, ..StateCounts::default() };
        assert_eq!(third.response_rate_percent(), Some(33.3));
    }

    #[test]
    fn the_answered_share_does_not_count_acknowledgements() {
        // HMRC as reported: 39 needing a response, 9 answered, 15 acknowledged.
        let hmrc = StateCounts { answered: 9, acknowledged: 15, awaiting: 15, no_response_needed: 2, referred: 0 };
        assert_eq!(hmrc.needing_response(), 39);
        assert_eq!(hmrc.answered_percent(), Some(23.1));
        assert_eq!(hmrc.acknowledged_percent(), Some(38.5));
        assert_eq!(hmrc.response_rate_percent(), Some(61.5));
        assert_eq!(StateCounts::default().answered_percent(), None);
    }

    #[test]
    fn weeks_start_on_monday_and_end_with_the_current_one() {
        // Wed 2 Dec 2026 is in the week of Mon 30 Nov.
        assert_eq!(Week::containing(d(2026, 12, 2)).monday, d(2026, 11, 30));
        assert_eq!(Week::containing(d(2026, 11, 30)).monday, d(2026, 11, 30), "a Monday starts its own week");
        assert_eq!(Week::containing(d(2026, 12, 6)).monday, d(2026, 11, 30), "Sunday ends it");
        let weeks = trend_weeks(d(2026, 12, 2), TREND_WEEKS);
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[11].monday, d(2026, 11, 30));
        assert_eq!(weeks[0].monday, d(2026, 9, 14));
        for pair in weeks.windows(2) {
            assert_eq!(pair[0].end(), pair[1].start(), "weeks follow one another without gaps");
        }
        assert_eq!(weeks[11].end(), d(2026, 12, 7).and_time(NaiveTime::MIN));
    }

    #[test]
    fn every_figure_is_defined_once() {
        let defs = definitions(Some(5));
        let mut fields: Vec<_> = defs.iter().map(|d| d.field).collect();
        fields.sort_unstable();
        fields.dedup();
        assert_eq!(fields.len(), defs.len());
        let overdue = defs.iter().find(|d| d.field == "overdue").unwrap();
        assert!(overdue.meaning.contains("more than 5 working days, this department's response target"));
        assert!(definitions(None).iter().any(|d| d.meaning.contains("the department's response target")));
    }
}
