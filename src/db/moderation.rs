//! What moderation keeps about comments (origin, why held, the last decision), the
//! queue of comments waiting for a moderator, and an author's history.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{comment_flags, comment_moderation, comments, posts};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::markdown::SafeHtml;

/// Statuses the queue shows.
pub const QUEUED: [CommentStatus; 2] = [CommentStatus::Pending, CommentStatus::Hidden];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comment_moderation)]
pub struct Moderation {
    pub comment_id: i64,
    pub ip: Option<String>,
    pub held_reason: Option<String>,
    pub spam_suspected: bool,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reject_reason: Option<String>,
    pub edited_by_moderator: Option<String>,
    pub edited_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut AnyConnection,
    comment_id: i64,
    ip: Option<&str>,
    held_reason: Option<&str>,
    spam_suspected: bool,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(comment_moderation::table)
        .values((
            comment_moderation::comment_id.eq(comment_id),
            comment_moderation::ip.eq(ip),
            comment_moderation::held_reason.eq(held_reason),
            comment_moderation::spam_suspected.eq(spam_suspected),
            comment_moderation::created_at.eq(at),
        ))
        .execute(conn)
}

pub fn find(conn: &mut AnyConnection, comment_id: i64) -> QueryResult<Option<Moderation>> {
    comment_moderation::table.find(comment_id).select(Moderation::as_select()).first(conn).optional()
}

/// Makes sure a comment has its moderation row (comments from before moderation, or
/// written by the demo, have none).
pub fn ensure(conn: &mut AnyConnection, comment_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    if find(conn, comment_id)?.is_none() {
        insert(conn, comment_id, None, None, false, at)?;
    }
    Ok(())
}

/// Records who decided, when, and (for a rejection) why.
pub fn record_decision(
    conn: &mut AnyConnection,
    comment_id: i64,
    by: &str,
    at: NaiveDateTime,
    reject_reason: Option<&str>,
) -> QueryResult<usize> {
    ensure(conn, comment_id, at)?;
    diesel::update(comment_moderation::table.find(comment_id))
        .set((
            comment_moderation::decided_by.eq(by),
            comment_moderation::decided_at.eq(at),
            comment_moderation::reject_reason.eq(reject_reason),
        ))
        .execute(conn)
}

pub fn set_held_reason(
    conn: &mut AnyConnection,
    comment_id: i64,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    ensure(conn, comment_id, at)?;
    diesel::update(comment_moderation::table.find(comment_id))
        .set(comment_moderation::held_reason.eq(reason))
        .execute(conn)
}

pub fn record_moderator_edit(
    conn: &mut AnyConnection,
    comment_id: i64,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    ensure(conn, comment_id, at)?;
    diesel::update(comment_moderation::table.find(comment_id))
        .set((comment_moderation::edited_by_moderator.eq(by), comment_moderation::edited_at.eq(at)))
        .execute(conn)
}

/// Sets a comment's status (and nothing else).
pub fn set_status(conn: &mut AnyConnection, comment_id: i64, status: CommentStatus) -> QueryResult<usize> {
    diesel::update(comments::table.find(comment_id)).set(comments::status.eq(status)).execute(conn)
}

pub fn set_body(conn: &mut AnyConnection, comment_id: i64, body_md: &str, body_html: &SafeHtml) -> QueryResult<usize> {
    diesel::update(comments::table.find(comment_id))
        .set((comments::body_md.eq(body_md), comments::body_html.eq(body_html)))
        .execute(conn)
}

/// A comment in the moderation queue.
#[derive(Debug, Clone, Queryable)]
pub struct QueueItem {
    pub id: i64,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub author_name: String,
    pub author_email: String,
    pub body_html: SafeHtml,
    pub status: CommentStatus,
    pub created_at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub post_title: String,
    pub post_slug: String,
    pub ip: Option<String>,
    pub held_reason: Option<String>,
    pub spam_suspected: Option<bool>,
}

/// In the queue: held or hidden, or published with a report still open.
macro_rules! in_queue {
    () => {
        comments::status.eq_any(QUEUED).or(comments::status.eq(CommentStatus::Published).and(diesel::dsl::exists(
            comment_flags::table
                .filter(comment_flags::comment_id.eq(comments::id))
                .filter(comment_flags::resolved_at.is_null()),
        )))
    };
}

/// Held, hidden and reported comments, oldest first.
pub fn queue(conn: &mut AnyConnection, limit: i64, offset: i64) -> QueryResult<Vec<QueueItem>> {
    comments::table
        .inner_join(posts::table)
        .left_join(comment_moderation::table)
        .filter(in_queue!())
        .order((comments::created_at.asc(), comments::id.asc()))
        .limit(limit)
        .offset(offset)
        .select((
            comments::id,
            comments::post_id,
            comments::parent_id,
            comments::author_name,
            comments::author_email,
            comments::body_html,
            comments::status,
            comments::created_at,
            comments::user_id,
            posts::title,
            posts::slug,
            comment_moderation::ip.nullable(),
            comment_moderation::held_reason.nullable(),
            comment_moderation::spam_suspected.nullable(),
        ))
        .load(conn)
}

pub fn queue_len(conn: &mut AnyConnection) -> QueryResult<i64> {
    comments::table.filter(in_queue!()).count().get_result(conn)
}

/// The email as comments are matched by it: any case (an index covers it).
fn lower_email() -> diesel::expression::SqlLiteral<diesel::sql_types::Text> {
    diesel::dsl::sql::<diesel::sql_types::Text>("LOWER(comments.author_email)")
}

/// How many comments from each of these emails (lower-cased) have each status:
/// (email, status, n). One small indexed query per email (a queue page has few).
pub fn history(conn: &mut AnyConnection, emails: &[String]) -> QueryResult<Vec<(String, CommentStatus, i64)>> {
    let mut found = Vec::new();
    for email in emails {
        let email = email.to_lowercase();
        let counts: Vec<(CommentStatus, i64)> = comments::table
            .filter(lower_email().eq(&email))
            .group_by(comments::status)
            .select((comments::status, count_star()))
            .load(conn)?;
        found.extend(counts.into_iter().map(|(status, n)| (email.clone(), status, n)));
    }
    Ok(found)
}

/// True when some comment from this email (any case) has been published.
pub fn approved_before(conn: &mut AnyConnection, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        comments::table
            .filter(lower_email().eq(email.to_lowercase()))
            .filter(comments::status.eq(CommentStatus::Published)),
    ))
    .get_result(conn)
}

/// The first words of these comments, for "in reply to": (id, author, body_md).
pub fn excerpts(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    comments::table
        .filter(comments::id.eq_any(ids))
        .select((comments::id, comments::author_name, comments::body_md))
        .load(conn)
}

/// A held comment as its author's browser shows it.
#[derive(Debug, Clone, Queryable)]
pub struct HeldRow {
    pub id: i64,
    pub post_id: i64,
    pub author_name: String,
    pub body_html: SafeHtml,
    pub created_at: NaiveDateTime,
}

/// Of these comment ids, those (on `post_id`, if given) still held.
pub fn held_among(conn: &mut AnyConnection, post_id: Option<i64>, ids: &[i64]) -> QueryResult<Vec<HeldRow>> {
    let mut query = comments::table
        .filter(comments::id.eq_any(ids))
        .filter(comments::status.eq(CommentStatus::Pending))
        .select((comments::id, comments::post_id, comments::author_name, comments::body_html, comments::created_at))
        .order(comments::id)
        .into_boxed::<<AnyConnection as diesel::Connection>::Backend>();
    if let Some(post_id) = post_id {
        query = query.filter(comments::post_id.eq(post_id));
    }
    query.load(conn)
}

/// Drops the addresses of comments older than `before`; returns how many.
pub fn purge_ips(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        comment_moderation::table
            .filter(comment_moderation::created_at.lt(before))
            .filter(comment_moderation::ip.is_not_null()),
    )
    .set(comment_moderation::ip.eq(None::<String>))
    .execute(conn)
}

/// The texts of this email's comments (any status) since `since`, newest 200.
pub fn duplicates(conn: &mut AnyConnection, email: &str, since: NaiveDateTime) -> QueryResult<Vec<String>> {
    comments::table
        .filter(lower_email().eq(email.to_lowercase()))
        .filter(comments::created_at.ge(since))
        .select(comments::body_md)
        .limit(200)
        .load(conn)
}

/// Keeps the text a comment had before an edit.
pub fn record_edit(
    conn: &mut AnyConnection,
    comment_id: i64,
    old_body: &str,
    by: &str,
    by_moderator: bool,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    use super::schema::comment_edits;
    diesel::insert_into(comment_edits::table)
        .values((
            comment_edits::comment_id.eq(comment_id),
            comment_edits::body_md.eq(old_body),
            comment_edits::edited_by.eq(by),
            comment_edits::by_moderator.eq(by_moderator),
            comment_edits::edited_at.eq(at),
        ))
        .execute(conn)
}

/// A comment's earlier versions, oldest first: (text before, edited by, by a moderator, when).
pub fn edits(conn: &mut AnyConnection, comment_id: i64) -> QueryResult<Vec<(String, String, bool, NaiveDateTime)>> {
    use super::schema::comment_edits;
    comment_edits::table
        .filter(comment_edits::comment_id.eq(comment_id))
        .order(comment_edits::id)
        .select((
            comment_edits::body_md,
            comment_edits::edited_by,
            comment_edits::by_moderator,
            comment_edits::edited_at,
        ))
        .load(conn)
}

/// A member's comment with its post's slug and title and any reason it was rejected.
pub type OwnRow = (super::comments::Comment, String, String, Option<String>);

/// A member's own comments, newest first.
pub fn by_user(conn: &mut AnyConnection, user_id: i64, limit: i64) -> QueryResult<Vec<OwnRow>> {
    comments::table
        .inner_join(posts::table)
        .left_join(comment_moderation::table)
        .filter(comments::user_id.eq(user_id))
        .order(comments::id.desc())
        .limit(limit)
        .select((
            super::comments::Comment::as_select(),
            posts::slug,
            posts::title,
            comment_moderation::reject_reason.nullable(),
        ))
        .load(conn)
}
