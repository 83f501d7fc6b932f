//! The counts behind a department's public figures. Each is a few rows or one index
//! range: no query reads a department's comments to count them in Rust.
//!
//! - state counts: `department_state_counts`, kept by triggers in every transaction
//! - overdue: awaiting less the recently routed ones, `comments_routed (response_state, department_id, routed_at)`
//! - response times: `department_response_days`, kept by triggers
//! - received per week: `comments_department_published (department_id, published_at)`
//! - answered per week: `comments_department_answered (department_id, answered_at)`

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{comments, department_response_days, department_state_counts, posts};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::response::ResponseState;

/// Published comments routed to `department_id` in `state`, from the totals the
/// database keeps (see the department_counts migration).
pub fn count_in_state(conn: &mut AnyConnection, department_id: i64, state: ResponseState) -> QueryResult<i64> {
    Ok(department_state_counts::table
        .filter(department_state_counts::department_id.eq(department_id))
        .filter(department_state_counts::response_state.eq(state))
        .select(department_state_counts::n)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// Published comments routed to `department_id` awaiting a response that are not
/// overdue (routed there at or after `cutoff`). Overdue is awaiting less these, which
/// counts a few recent entries rather than every old one.
pub fn count_awaiting_not_overdue(
    conn: &mut AnyConnection,
    department_id: i64,
    cutoff: NaiveDateTime,
) -> QueryResult<i64> {
    comments::table
        .filter(comments::response_state.eq(ResponseState::Awaiting))
        .filter(comments::department_id.eq(department_id))
        .filter(comments::routed_at.ge(cutoff))
        .filter(comments::status.eq(CommentStatus::Published))
        .count()
        .get_result(conn)
}

/// How many published comments routed to `department_id` had their first official
/// response after each number of working days: (days, comments), fewest days first,
/// from the totals the database keeps.
pub fn response_days_histogram(conn: &mut AnyConnection, department_id: i64) -> QueryResult<Vec<(i32, i64)>> {
    department_response_days::table
        .filter(department_response_days::department_id.eq(department_id))
        .filter(department_response_days::n.gt(0))
        .order(department_response_days::days.asc())
        .select((department_response_days::days, department_response_days::n))
        .load(conn)
}

/// Comments routed to `department_id` published in `[from, to)`.
pub fn count_received(
    conn: &mut AnyConnection,
    department_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    comments::table
        .filter(comments::department_id.eq(department_id))
        .filter(comments::published_at.ge(from))
        .filter(comments::published_at.lt(to))
        .filter(comments::status.eq(CommentStatus::Published))
        .count()
        .get_result(conn)
}

/// Comments routed to `department_id` first answered in `[from, to)`.
pub fn count_answered(
    conn: &mut AnyConnection,
    department_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    comments::table
        .filter(comments::department_id.eq(department_id))
        .filter(comments::answered_at.ge(from))
        .filter(comments::answered_at.lt(to))
        .filter(comments::status.eq(CommentStatus::Published))
        .count()
        .get_result(conn)
}

/// A comment awaiting a response, as the oldest-unanswered list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct AwaitingRow {
    pub id: i64,
    pub author_name: String,
    pub body_md: String,
    pub published_at: NaiveDateTime,
    pub routed_at: Option<NaiveDateTime>,
    pub post_title: String,
    pub post_slug: String,
}

/// The `limit` published comments routed to `department_id` that have awaited a
/// response longest, oldest first.
pub fn oldest_awaiting(conn: &mut AnyConnection, department_id: i64, limit: i64) -> QueryResult<Vec<AwaitingRow>> {
    comments::table
        .inner_join(posts::table)
        .filter(comments::response_state.eq(ResponseState::Awaiting))
        .filter(comments::department_id.eq(department_id))
        .filter(comments::published_at.is_not_null())
        .filter(comments::status.eq(CommentStatus::Published))
        .order((comments::published_at.asc(), comments::id.asc()))
        .limit(limit)
        .select((
            comments::id,
            comments::author_name,
            comments::body_md,
            comments::published_at.assume_not_null(),
            comments::routed_at,
            posts::title,
            posts::slug,
        ))
        .load(conn)
}

/// Recomputes the department totals from the comments (after a bulk load that wrote
/// them with the counting trigger off).
pub fn recount_departments(conn: &mut AnyConnection) -> QueryResult<()> {
    diesel::delete(department_state_counts::table).execute(conn)?;
    diesel::delete(department_response_days::table).execute(conn)?;
    diesel::sql_query(
        "INSERT INTO department_state_counts (department_id, response_state, n) \
         SELECT department_id, response_state, COUNT(*) FROM comments \
         WHERE status = 'published' AND department_id IS NOT NULL AND response_state IS NOT NULL \
         GROUP BY department_id, response_state",
    )
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO department_response_days (department_id, days, n) \
         SELECT department_id, response_days, COUNT(*) FROM comments \
         WHERE status = 'published' AND department_id IS NOT NULL AND response_days IS NOT NULL \
         GROUP BY department_id, response_days",
    )
    .execute(conn)?;
    Ok(())
}
