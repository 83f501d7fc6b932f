//! What a daily digest lists.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{comments, posts};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::response::ResponseState;

/// One comment as a digest lists it: who wrote what, where, and since when it waits.
#[derive(Debug, Clone, Queryable)]
pub struct Line {
    pub id: i64,
    pub author: String,
    pub post_title: String,
    pub post_slug: String,
    pub body_md: String,
    /// When it was published; a held comment has not been yet.
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub department_id: Option<i64>,
    /// Where it stands now, who put it there, where it was referred, and the note.
    pub response_state: Option<ResponseState>,
    pub response_by: Option<String>,
    pub referred_to: Option<String>,
    pub response_note: Option<String>,
}

macro_rules! line {
    () => {
        (
            comments::id,
            comments::author_name,
            posts::title,
            posts::slug,
            comments::body_md,
            comments::published_at,
            comments::created_at,
            comments::department_id,
            comments::response_state,
            comments::response_by,
            comments::referred_to,
            comments::response_note,
        )
    };
}

/// Published comments awaiting a response in a department, published before `before`
/// (past the target), oldest first.
pub fn overdue(
    conn: &mut AnyConnection,
    department_id: i64,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Line>> {
    comments::table
        .inner_join(posts::table)
        .filter(comments::department_id.eq(department_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::response_state.eq(ResponseState::Awaiting))
        .filter(comments::routed_at.lt(before))
        .order((comments::routed_at.asc(), comments::id.asc()))
        .limit(limit)
        .select(line!())
        .load(conn)
}

/// Top-level comments awaiting a response that nobody has routed, oldest first.
pub fn unrouted_threads(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<Line>> {
    comments::table
        .inner_join(posts::table)
        .filter(comments::department_id.is_null())
        .filter(comments::parent_id.is_null())
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::response_state.eq(ResponseState::Awaiting))
        .order((comments::published_at.asc(), comments::id.asc()))
        .limit(limit)
        .select(line!())
        .load(conn)
}

/// Comments held for moderation, oldest first.
pub fn held(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<Line>> {
    comments::table
        .inner_join(posts::table)
        .filter(comments::status.eq(CommentStatus::Pending))
        .order((comments::created_at.asc(), comments::id.asc()))
        .limit(limit)
        .select(line!())
        .load(conn)
}

/// Digest lines for these comments, in the order of `ids`.
pub fn lines(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<Line>> {
    let found: Vec<Line> =
        comments::table.inner_join(posts::table).filter(comments::id.eq_any(ids)).select(line!()).load(conn)?;
    Ok(ids.iter().filter_map(|id| found.iter().find(|l| l.id == *id).cloned()).collect())
}
