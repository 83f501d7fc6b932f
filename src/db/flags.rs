//! Readers' reports of comments, and comment freezes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{comment_flags, freezes};
use super::AnyConnection;
use crate::domain::moderation::FreezeWindow;

/// Records a report; `false` when this reporter already reported the comment.
pub fn insert(
    conn: &mut AnyConnection,
    comment_id: i64,
    reporter: &str,
    reason: &str,
    note: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let exists = diesel::select(diesel::dsl::exists(
        comment_flags::table
            .filter(comment_flags::comment_id.eq(comment_id))
            .filter(comment_flags::reporter.eq(reporter)),
    ))
    .get_result::<bool>(conn)?;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(comment_flags::table)
        .values((
            comment_flags::comment_id.eq(comment_id),
            comment_flags::reporter.eq(reporter),
            comment_flags::reason.eq(reason),
            comment_flags::note.eq(note),
            comment_flags::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn open_count(conn: &mut AnyConnection, comment_id: i64) -> QueryResult<i64> {
    comment_flags::table
        .filter(comment_flags::comment_id.eq(comment_id))
        .filter(comment_flags::resolved_at.is_null())
        .count()
        .get_result(conn)
}

/// Open reports on these comments: (comment id, reason, note).
pub fn open_for(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    comment_flags::table
        .filter(comment_flags::comment_id.eq_any(ids))
        .filter(comment_flags::resolved_at.is_null())
        .order(comment_flags::id)
        .select((comment_flags::comment_id, comment_flags::reason, comment_flags::note))
        .load(conn)
}

/// Closes a comment's reports (a moderator decided).
pub fn resolve(conn: &mut AnyConnection, comment_id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        comment_flags::table
            .filter(comment_flags::comment_id.eq(comment_id))
            .filter(comment_flags::resolved_at.is_null()),
    )
    .set(comment_flags::resolved_at.eq(at))
    .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = freezes)]
pub struct Freeze {
    pub id: i64,
    pub post_id: Option<i64>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub notice: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_freeze(
    conn: &mut AnyConnection,
    post_id: Option<i64>,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
    notice: &str,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(freezes::table)
        .values((
            freezes::post_id.eq(post_id),
            freezes::starts_at.eq(starts_at),
            freezes::ends_at.eq(ends_at),
            freezes::notice.eq(notice),
            freezes::created_at.eq(at),
        ))
        .returning(freezes::id)
        .get_result(conn)
}

impl Freeze {
    pub fn window(&self) -> FreezeWindow {
        FreezeWindow { starts_at: self.starts_at, ends_at: self.ends_at }
    }
}

/// Every freeze not yet over, soonest first. (Admins make few freezes: the rule is
/// applied to all of them here rather than restated in SQL.)
pub fn current_and_coming(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<Freeze>> {
    let all: Vec<Freeze> =
        freezes::table.order((freezes::starts_at.asc(), freezes::id.asc())).select(Freeze::as_select()).load(conn)?;
    Ok(all.into_iter().filter(|f| !f.window().is_over(now)).collect())
}

/// The freeze in force on a post now (its own, or one on all posts), newest first.
pub fn in_force(conn: &mut AnyConnection, post_id: i64, now: NaiveDateTime) -> QueryResult<Option<Freeze>> {
    let covering: Vec<Freeze> = freezes::table
        .filter(freezes::post_id.is_null().or(freezes::post_id.eq(post_id)))
        .order(freezes::id.desc())
        .select(Freeze::as_select())
        .load(conn)?;
    Ok(covering.into_iter().find(|f| f.window().in_force(now)))
}

pub fn find_freeze(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Freeze>> {
    freezes::table.find(id).select(Freeze::as_select()).first(conn).optional()
}

/// Lifts a freeze now (it ends at `at`).
pub fn end_freeze(conn: &mut AnyConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(freezes::table.find(id)).set(freezes::ends_at.eq(at)).execute(conn)
}
