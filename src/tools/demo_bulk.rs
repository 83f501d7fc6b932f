//! The demo at benchmark scale: a million comments cannot go through the comment
//! service one by one (a few queries each), so they are generated in memory with the
//! same shape (threads up to depth 5, states, routing, response times) and written in
//! multi-row inserts.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::db::schema::comments;
use crate::db::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::markdown::{self, SafeHtml};
use crate::domain::response::{initial_state, ResponseState};
use crate::domain::thread::child_path;
use crate::domain::working_days::Calendar;

/// An official who answers in the generated discussion.
pub struct Answerer {
    pub user_id: i64,
    pub role_id: i64,
    pub department_id: i64,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub acronym: String,
}

#[derive(Insertable)]
#[diesel(table_name = comments, treat_none_as_default_value = false)]
struct Row {
    id: i64,
    post_id: i64,
    parent_id: Option<i64>,
    thread_id: i64,
    path: String,
    depth: i32,
    author_name: String,
    author_email: String,
    body_md: String,
    body_html: SafeHtml,
    status: CommentStatus,
    created_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
    user_id: Option<i64>,
    official_role_id: Option<i64>,
    badge_name: Option<String>,
    badge_title: Option<String>,
    badge_department: Option<String>,
    badge_acronym: Option<String>,
    response_state: Option<ResponseState>,
    department_id: Option<i64>,
    answered_by: Option<i64>,
    response_by: Option<String>,
    first_response_at: Option<NaiveDateTime>,
    response_days: Option<i32>,
    answered_at: Option<NaiveDateTime>,
    routed_at: Option<NaiveDateTime>,
}

/// Rows per INSERT: SQLite allows 32,766 bound values, at 27 columns a row.
const BATCH: usize = 1_000;

fn write(conn: &mut AnyConnection, rows: &[Row]) -> QueryResult<usize> {
    // Multi-row inserts are not offered through the multi-backend connection.
    match conn {
        AnyConnection::Sqlite(c) => diesel::insert_into(comments::table).values(rows).execute(c),
        AnyConnection::Postgresql(c) => diesel::insert_into(comments::table).values(rows).execute(c),
    }
}

pub struct Texts<'a> {
    pub openings: &'a [&'a str],
    pub replies: &'a [&'a str],
    pub answers: &'a [&'a str],
    pub first: &'a [&'a str],
    pub last: &'a [&'a str],
}

/// Writes `count` comments on a post over the year before `now`, ids from `first_id`.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    post_id: i64,
    first_id: i64,
    count: usize,
    now: NaiveDateTime,
    answerers: &[Answerer],
    departments: &[i64],
    calendar: &Calendar,
    texts: &Texts,
) -> QueryResult<i32> {
    let start = now - TimeDelta::days(364);
    let step_seconds = (364 * 24 * 3600 / count.max(1) as i64).max(1);
    let rendered: Vec<(String, SafeHtml)> = texts
        .openings
        .iter()
        .chain(texts.replies)
        .chain(texts.answers)
        .map(|t| ((*t).to_owned(), markdown::render_comment(t)))
        .collect();
    let html_of = |text: &str| rendered.iter().find(|(t, _)| t == text).map(|(_, h)| h.clone()).unwrap_or_default();
    // Recent comments replies are drawn from: (id, depth, path, thread, official).
    let mut recent: Vec<(i64, i32, String, i64, bool)> = Vec::with_capacity(16);
    let mut batch: Vec<Row> = Vec::with_capacity(BATCH);
    let mut at = start;
    let mut deepest = 0;
    for n in 0..count {
        let id = first_id + n as i64;
        at += TimeDelta::seconds(rng.gen_range(1..=2 * step_seconds));
        let at = at.min(now);
        let parent = if recent.is_empty() || rng.gen_ratio(1, 5) {
            None
        } else {
            recent.choose(rng).filter(|(_, depth, _, _, official)| *depth < 5 && !official).cloned()
        };
        let official = match (&parent, answerers.choose(rng)) {
            (Some((_, 0, ..)), Some(answerer)) if rng.gen_ratio(1, 8) => Some(answerer),
            _ => None,
        };
        let (depth, path, thread_id) = match &parent {
            Some((_, depth, path, thread, _)) => (depth + 1, child_path(Some(path), id), *thread),
            None => (0, child_path(None, id), id),
        };
        deepest = deepest.max(depth);
        let text = match (official, &parent) {
            (Some(_), _) => texts.answers.choose(rng),
            (None, None) => texts.openings.choose(rng),
            (None, Some(_)) => texts.replies.choose(rng),
        }
        .copied()
        .unwrap_or_default();
        let (first, last) =
            (texts.first.choose(rng).copied().unwrap_or("Sam"), texts.last.choose(rng).copied().unwrap_or("Taylor"));
        let mut row = Row {
            id,
            post_id,
            parent_id: parent.as_ref().map(|p| p.0),
            thread_id,
            path: path.clone(),
            depth,
            author_name: format!("{first} {last}"),
            author_email: format!("{}.{}@example.org", first.to_lowercase(), last.to_lowercase()),
            body_md: text.to_owned(),
            body_html: html_of(text),
            status: CommentStatus::Published,
            created_at: at,
            published_at: Some(at),
            user_id: None,
            official_role_id: None,
            badge_name: None,
            badge_title: None,
            badge_department: None,
            badge_acronym: None,
            response_state: initial_state(false, parent.is_some()),
            department_id: None,
            answered_by: None,
            response_by: None,
            first_response_at: None,
            response_days: None,
            answered_at: None,
            routed_at: None,
        };
        if let Some(a) = official {
            row.author_name = a.name.clone();
            row.author_email = a.email.clone();
            row.user_id = Some(a.user_id);
            row.official_role_id = Some(a.role_id);
            row.badge_name = Some(a.name.clone());
            row.badge_title = Some(a.title.clone());
            row.badge_department = Some(a.department.clone());
            row.badge_acronym = Some(a.acronym.clone());
            row.response_state = None;
        } else {
            assign_state(rng, &mut row, departments, calendar, now);
        }
        if let (Some(a), Some((parent_id, ..))) = (official, &parent) {
            // The reply answers the comment it replies to (when that is still in hand).
            if let Some(answered) = batch.iter_mut().find(|r| r.id == *parent_id && r.official_role_id.is_none()) {
                let published = answered.published_at.unwrap_or(answered.created_at);
                answered.response_state = Some(ResponseState::Answered);
                answered.answered_by = Some(id);
                answered.department_id = Some(a.department_id);
                answered.routed_at = answered.routed_at.or(Some(at));
                answered.response_by = Some(format!("{}, {}, {}", a.name, a.title, a.acronym));
                answered.first_response_at = answered.first_response_at.or(Some(at));
                answered.response_days = i32::try_from(calendar.between(published.date(), at.date())).ok();
                answered.answered_at = Some(at);
            }
        }
        recent.push((id, depth, path, thread_id, official.is_some()));
        if recent.len() > 12 {
            recent.remove(0);
        }
        batch.push(row);
        if batch.len() == BATCH {
            write(conn, &batch)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        write(conn, &batch)?;
    }
    diesel::sql_query(
        "UPDATE comments SET reply_count = (SELECT COUNT(*) FROM comments AS c WHERE c.parent_id = comments.id) \
         WHERE post_id = $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(post_id)
    .execute(conn)?;
    Ok(deepest)
}

/// Most top-level comments and a few replies are routed; of those, some are answered,
/// acknowledged, referred or closed, with response times of a few working days.
fn assign_state(rng: &mut StdRng, row: &mut Row, departments: &[i64], calendar: &Calendar, now: NaiveDateTime) {
    if departments.is_empty() || rng.gen_ratio(2, 5) || (row.parent_id.is_some() && rng.gen_ratio(9, 10)) {
        return;
    }
    row.department_id = departments.choose(rng).copied();
    let published = row.published_at.unwrap_or(row.created_at);
    row.routed_at = Some(published);
    row.response_state.get_or_insert(ResponseState::Awaiting);
    let (state, by) = match rng.gen_range(0..100) {
        0..=29 => (ResponseState::Answered, "an official"),
        30..=39 => (ResponseState::Acknowledged, "an official"),
        40..=44 => (ResponseState::Referred, "an official"),
        45..=49 => (ResponseState::NoResponseNeeded, "a moderator"),
        _ => return,
    };
    let responded = (published + TimeDelta::hours(rng.gen_range(2..=24 * 20))).min(now);
    row.response_state = Some(state);
    row.response_by = Some(format!("Demo response by {by}"));
    if state != ResponseState::NoResponseNeeded {
        row.first_response_at = Some(responded);
        row.response_days = i32::try_from(calendar.between(published.date(), responded.date())).ok();
    }
    if state == ResponseState::Answered {
        row.answered_at = Some(responded);
    }
}
