//! Response states, routing, assignment, their events, and holidays.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{comments, holidays, response_events};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::response::ResponseState;

/// The columns a change of state writes.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = comments, treat_none_as_null = true)]
pub struct StateChange<'a> {
    pub response_state: ResponseState,
    pub response_by: Option<&'a str>,
    pub response_note: Option<&'a str>,
    pub referred_to: Option<&'a str>,
    pub answered_by: Option<i64>,
}

pub fn set_state(conn: &mut AnyConnection, comment_id: i64, change: &StateChange) -> QueryResult<usize> {
    diesel::update(comments::table.find(comment_id)).set(change).execute(conn)
}

/// Records the first official response (and first answer) once; later ones keep them.
pub fn record_first_response(
    conn: &mut AnyConnection,
    comment_id: i64,
    at: NaiveDateTime,
    working_days: i32,
    is_answer: bool,
) -> QueryResult<()> {
    diesel::update(comments::table.find(comment_id).filter(comments::first_response_at.is_null()))
        .set((comments::first_response_at.eq(at), comments::response_days.eq(working_days)))
        .execute(conn)?;
    if is_answer {
        diesel::update(comments::table.find(comment_id).filter(comments::answered_at.is_null()))
            .set(comments::answered_at.eq(at))
            .execute(conn)?;
    }
    Ok(())
}

/// Routes a comment to a department (or none) at `at`. A conversation reply that had
/// no response state of its own now awaits one.
pub fn route(
    conn: &mut AnyConnection,
    comment_id: i64,
    department_id: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let routed_at = department_id.map(|_| at);
    let changed = diesel::update(comments::table.find(comment_id))
        .set((comments::department_id.eq(department_id), comments::routed_at.eq(routed_at)))
        .execute(conn)?;
    if department_id.is_some() {
        diesel::update(
            comments::table
                .find(comment_id)
                .filter(comments::response_state.is_null())
                .filter(comments::official_role_id.is_null())
                .filter(comments::badge_name.is_null()),
        )
        .set(comments::response_state.eq(ResponseState::Awaiting))
        .execute(conn)?;
    }
    Ok(changed)
}

pub fn assign(conn: &mut AnyConnection, comment_id: i64, user_id: Option<i64>) -> QueryResult<usize> {
    diesel::update(comments::table.find(comment_id)).set(comments::assigned_to.eq(user_id)).execute(conn)
}

#[derive(Debug, Insertable)]
#[diesel(table_name = response_events)]
pub struct NewEvent<'a> {
    pub comment_id: i64,
    pub kind: &'a str,
    pub from_value: Option<&'a str>,
    pub to_value: Option<&'a str>,
    pub note: Option<&'a str>,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = response_events)]
pub struct Event {
    pub id: i64,
    pub comment_id: i64,
    pub kind: String,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub note: Option<String>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_event(conn: &mut AnyConnection, event: &NewEvent) -> QueryResult<usize> {
    diesel::insert_into(response_events::table).values(event).execute(conn)
}

pub fn events_for(conn: &mut AnyConnection, comment_id: i64) -> QueryResult<Vec<Event>> {
    response_events::table
        .filter(response_events::comment_id.eq(comment_id))
        .order(response_events::id)
        .select(Event::as_select())
        .load(conn)
}

/// The comments each of these official replies answers: (reply id, comment id, author).
pub fn answered_by_replies(conn: &mut AnyConnection, reply_ids: &[i64]) -> QueryResult<Vec<(i64, i64, String)>> {
    if reply_ids.is_empty() {
        return Ok(Vec::new());
    }
    comments::table
        .filter(comments::answered_by.eq_any(reply_ids))
        .filter(comments::status.eq(CommentStatus::Published))
        .order(comments::id)
        .select((comments::answered_by.assume_not_null(), comments::id, comments::author_name))
        .load(conn)
}

/// How many of a post's published comments are in each response state.
pub fn state_counts(conn: &mut AnyConnection, post_id: i64) -> QueryResult<Vec<(Option<ResponseState>, i64)>> {
    comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .group_by(comments::response_state)
        .select((comments::response_state, count_star()))
        .load(conn)
}

/// How many of a post's published comments are official replies.
pub fn official_reply_count(conn: &mut AnyConnection, post_id: i64) -> QueryResult<i64> {
    comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::official_role_id.is_not_null().or(comments::badge_name.is_not_null()))
        .count()
        .get_result(conn)
}

/// A post's routed comments still awaiting, as (department, routed at): when routed
/// there, or published for rows restored from an export that did not record it.
pub fn awaiting_routed(conn: &mut AnyConnection, post_id: i64) -> QueryResult<Vec<(i64, Option<NaiveDateTime>)>> {
    let rows: Vec<(i64, Option<NaiveDateTime>, Option<NaiveDateTime>)> = comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::response_state.eq(ResponseState::Awaiting))
        .filter(comments::department_id.is_not_null())
        .select((comments::department_id.assume_not_null(), comments::routed_at, comments::published_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(department, routed, published)| (department, routed.or(published))).collect())
}

// Holidays ----------------------------------------------------------------------

pub fn holidays(conn: &mut AnyConnection) -> QueryResult<Vec<(NaiveDate, String)>> {
    holidays::table.order(holidays::day).select((holidays::day, holidays::name)).load(conn)
}

pub fn add_holiday(conn: &mut AnyConnection, day: NaiveDate, name: &str) -> QueryResult<bool> {
    let exists: bool =
        diesel::select(diesel::dsl::exists(holidays::table.filter(holidays::day.eq(day)))).get_result(conn)?;
    if exists {
        diesel::update(holidays::table.filter(holidays::day.eq(day))).set(holidays::name.eq(name)).execute(conn)?;
        return Ok(false);
    }
    diesel::insert_into(holidays::table).values((holidays::day.eq(day), holidays::name.eq(name))).execute(conn)?;
    Ok(true)
}

pub fn remove_holiday(conn: &mut AnyConnection, day: NaiveDate) -> QueryResult<bool> {
    Ok(diesel::delete(holidays::table.filter(holidays::day.eq(day))).execute(conn)? > 0)
}

/// A post's comments in these states, oldest first, as (id, author, markdown).
/// (id, author, markdown, thread, department) of a comment open to an answer.
pub type OpenRow = (i64, String, String, i64, Option<i64>);

/// A post's comments still open to an answer (awaiting, acknowledged, referred),
/// oldest first, with their conversation and department: what an official reply may
/// also answer.
pub fn open_to_answer(conn: &mut AnyConnection, post_id: i64, limit: i64) -> QueryResult<Vec<OpenRow>> {
    let open = [ResponseState::Awaiting, ResponseState::Acknowledged, ResponseState::Referred];
    comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::response_state.eq_any(open))
        .order(comments::id)
        .limit(limit)
        .select((comments::id, comments::author_name, comments::body_md, comments::thread_id, comments::department_id))
        .load(conn)
}

pub fn open_comments(
    conn: &mut AnyConnection,
    post_id: i64,
    states: &[ResponseState],
    limit: i64,
) -> QueryResult<Vec<(i64, String, String)>> {
    comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::response_state.eq_any(states))
        .order(comments::id)
        .limit(limit)
        .select((comments::id, comments::author_name, comments::body_md))
        .load(conn)
}
