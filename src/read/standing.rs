//! What a reader needs to see where comments stand: the calendar and targets for
//! ages and overdue marks, what each official reply answers, and a post's totals.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::QueryResult;

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
    pub departments: HashMap<i64, DepartmentTag>,
    /// For each official reply on the page: the comments it answers, as (id, author).
    pub answers: HashMap<i64, Vec<(i64, String)>>,
    /// Official replies whose badge was recognised when importing, not posted signed in.
    /// Replies whose badge was recognised at import, with the admin who confirmed it.
    pub badges_imported: HashMap<i64, Option<String>>,
    /// The comment this reader has just posted: it shows a confirmation.
    pub just_posted: Option<i64>,
}

impl Standing {
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

/// Loads what the state lines of `rows` need.
pub fn standing_for(conn: &mut AnyConnection, rows: &[&CommentRow], now: NaiveDateTime) -> QueryResult<Standing> {
    let calendar = deadlines::calendar(conn)?;
    let departments = db::departments::list(conn)?
        .into_iter()
        .map(|d| (d.id, DepartmentTag { acronym: d.acronym, target_days: d.target_days }))
        .collect();
    let reply_ids: Vec<i64> = rows.iter().filter(|r| r.is_official()).map(|r| r.id).collect();
    let mut answers: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (reply, comment, author) in db::responses::answered_by_replies(conn, &reply_ids)? {
        answers.entry(reply).or_default().push((comment, author));
    }
    let badges_imported = db::imports::badges_imported(conn, &reply_ids)?.into_iter().collect();
    Ok(Standing { calendar, now, departments, answers, badges_imported, just_posted: None })
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

pub fn post_summary(conn: &mut AnyConnection, post_id: i64, now: NaiveDateTime) -> QueryResult<CommentTotals> {
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
    let cutoffs: HashMap<i64, NaiveDateTime> = deadlines::overdue_cutoffs(conn, now)?.into_iter().collect();
    summary.overdue = db::responses::awaiting_routed(conn, post_id)?
        .into_iter()
        .filter(
            |(department, routed)| matches!((cutoffs.get(department), routed), (Some(cutoff), Some(at)) if at < cutoff),
        )
        .count() as i64;
    Ok(summary)
}
