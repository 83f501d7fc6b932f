//! When a comment awaiting a response is late: the working-day calendar (with the
//! holidays), each department's overdue cutoff, and a comment's age in working days.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::{self, AnyConnection};
use crate::domain::working_days::Calendar;

pub fn calendar(conn: &mut AnyConnection) -> QueryResult<Calendar> {
    Ok(Calendar::new(db::responses::holidays(conn)?.into_iter().map(|(day, _)| day)))
}

/// For each department, the instant before which a routed comment still awaiting is
/// overdue: `routed_at < cutoff`. Computed from today, its target in working days
/// and the holidays, so queries can use a plain index range.
pub fn overdue_cutoffs(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    let calendar = calendar(conn)?;
    let targets: Vec<(i64, i32)> = db::departments::list(conn)?.into_iter().map(|d| (d.id, d.target_days)).collect();
    Ok(cutoffs(&calendar, &targets, now))
}

/// `overdue_cutoffs` for departments already read, as (id, target in working days).
pub fn cutoffs(calendar: &Calendar, targets: &[(i64, i32)], now: NaiveDateTime) -> Vec<(i64, NaiveDateTime)> {
    targets
        .iter()
        .map(|&(id, target_days)| {
            let last_overdue_day = calendar.overdue_cutoff(now.date(), i64::from(target_days));
            let cutoff = last_overdue_day.succ_opt().unwrap_or(last_overdue_day).and_time(chrono::NaiveTime::MIN);
            (id, cutoff)
        })
        .collect()
}

/// Working days since publication, for "Awaiting response · 6 working days".
pub fn age_in_working_days(calendar: &Calendar, published: NaiveDateTime, now: NaiveDateTime) -> i64 {
    calendar.between(published.date(), now.date())
}
