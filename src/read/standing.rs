//! What a reader needs to see where comments stand: the calendar and targets for
//! ages and overdue marks, what each official reply answers, and a post's totals.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::QueryResult;
use rustc_hash::FxHashMap;

use super::deadlines;
use crate::db::comments::CommentRow;
use crate::db::{self, AnyConnection};
use crate::domain::response::ResponseState;
use crate::domain::working_days::Calendar;

/// A department as a comment's state line names it.
#[derive(Debug, Clone)]
pub struct DepartmentTag {
    pub acronym: String,
    pub target_days: i32,
}

#[derive(Debug, Clone, Default)]
pub struct Standing {
    pub calendar: Calendar,
    pub now: NaiveDateTime,
    pub departments: FxHashMap<i64, DepartmentTag>,
    /// For each official reply on the page: the comments it answers, as (id, author).
    pub answers: FxHashMap<i64, Vec<(i64, String)>>,
    /// Replies whose badge was recognised at import, with the admin who confirmed it.
    pub badges_imported: FxHashMap<i64, Option<String>>,
    /// The comment this reader has just posted: it shows a confirmation.
    pub just_posted: Option<i64>,
    /// A hash of each row, worked out when the rows were read (`read::kept`), so that
    /// drawing does not hash every comment's text again; rows missing here are hashed
    /// when drawn.
    pub row_hashes: Arc<FxHashMap<i64, u64>>,
}

impl Standing {
    pub fn new(clock: Clock, replies: Replies) -> Self {
        Self {
            calendar: clock.calendar,
            now: clock.now,
            departments: clock.departments,
            answers: replies.answers,
            badges_imported: replies.badges_imported,
            just_posted: None,
            row_hashes: Arc::default(),
        }
    }

    /// Working days a comment has been waiting since it was published, and whether
    /// its department's target, counted from when it was routed there, has passed.
    pub fn waiting(&self, row: &CommentRow) -> (i64, bool) {
        let days = deadlines::age_in_working_days(&self.calendar, row.shown_at(), self.now);
        let routed = row.response.routed_at.unwrap_or_else(|| row.shown_at());
        let days_routed = deadlines::age_in_working_days(&self.calendar, routed, self.now);
        let overdue = row
            .response
            .department_id
            .and_then(|d| self.departments.get(&d))
            .is_some_and(|d| days_routed > i64::from(d.target_days));
        (days, overdue)
    }
}

/// The holidays and every department's acronym and target: what ages and overdue
/// marks are worked out from, read for each request (they are not a post's).
pub struct Clock {
    pub calendar: Calendar,
    pub departments: FxHashMap<i64, DepartmentTag>,
    pub now: NaiveDateTime,
}

impl Clock {
    pub fn read(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Self> {
        let calendar = deadlines::calendar(conn)?;
        let departments = db::departments::list(conn)?
            .into_iter()
            .map(|d| (d.id, DepartmentTag { acronym: d.acronym, target_days: d.target_days }))
            .collect();
        Ok(Self { calendar, departments, now })
    }

    /// How many of `awaiting` (department, routed at) are past their department's target.
    pub fn overdue(&self, awaiting: &[(i64, Option<NaiveDateTime>)]) -> i64 {
        let targets: Vec<(i64, i32)> = self.departments.iter().map(|(id, d)| (*id, d.target_days)).collect();
        let cutoffs: HashMap<i64, NaiveDateTime> =
            deadlines::cutoffs(&self.calendar, &targets, self.now).into_iter().collect();
        awaiting
            .iter()
            .filter(|(department, routed)| {
                matches!((cutoffs.get(department), routed), (Some(cutoff), Some(at)) if at < cutoff)
            })
            .count() as i64
    }
}

/// What the official replies among some rows show besides themselves: the comments
/// each answers, and the badges recognised at import.
#[derive(Debug, Clone, Default)]
pub struct Replies {
    pub answers: FxHashMap<i64, Vec<(i64, String)>>,
    pub badges_imported: FxHashMap<i64, Option<String>>,
}

impl Replies {
    pub fn read(conn: &mut AnyConnection, rows: &[&CommentRow]) -> QueryResult<Self> {
        let reply_ids: Vec<i64> = rows.iter().filter(|r| r.is_official()).map(|r| r.id).collect();
        let mut answers: FxHashMap<i64, Vec<(i64, String)>> = FxHashMap::default();
        for (reply, comment, author) in db::responses::answered_by_replies(conn, &reply_ids)? {
            answers.entry(reply).or_default().push((comment, author));
        }
        let badges_imported = db::imports::badges_imported(conn, &reply_ids)?.into_iter().collect();
        Ok(Self { answers, badges_imported })
    }
}

/// Loads what the state lines of `rows` need.
pub fn standing_for(conn: &mut AnyConnection, rows: &[&CommentRow], now: NaiveDateTime) -> QueryResult<Standing> {
    Ok(Standing::new(Clock::read(conn, now)?, Replies::read(conn, rows)?))
}

/// "N comments · A answered · W awaiting · O overdue" for a post.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommentTotals {
    pub comments: i64,
    pub answered: i64,
    pub acknowledged: i64,
    pub referred: i64,
    pub awaiting: i64,
    pub no_response_needed: i64,
    /// Imported history closed with no response recorded.
    pub no_response_recorded: i64,
    pub official_replies: i64,
    pub overdue: i64,
}

/// A post's totals by state, and its official replies; `overdue` is left at 0 (it
/// depends on the day: `Clock::overdue`).
pub fn state_totals(conn: &mut AnyConnection, post_id: i64) -> QueryResult<CommentTotals> {
    let mut summary = CommentTotals::default();
    for (state, count) in db::responses::state_counts(conn, post_id)? {
        summary.comments += count;
        match state {
            // Official replies, and replies that are part of the conversation.
            None => {}
            Some(ResponseState::Answered) => summary.answered += count,
            Some(ResponseState::Acknowledged) => summary.acknowledged += count,
            Some(ResponseState::Referred) => summary.referred += count,
            Some(ResponseState::Awaiting) => summary.awaiting += count,
            Some(ResponseState::NoResponseNeeded) => summary.no_response_needed += count,
            Some(ResponseState::NoResponseRecorded) => summary.no_response_recorded += count,
        }
    }
    summary.official_replies = db::responses::official_reply_count(conn, post_id)?;
    Ok(summary)
}
