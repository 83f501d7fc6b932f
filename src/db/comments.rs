use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{comment_moderation, comments};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::markdown::SafeHtml;
use crate::domain::paging::ThreadSize;
use crate::domain::response::{self, ResponseState};
use crate::domain::thread::Threaded;

/// Statuses a thread can show: published, and taken down (deleted, rejected, spam,
/// hidden by reports) but kept as a placeholder because it has replies.
pub const SHOWN: [CommentStatus; 5] = [
    CommentStatus::Published,
    CommentStatus::Deleted,
    CommentStatus::Rejected,
    CommentStatus::Spam,
    CommentStatus::Hidden,
];

/// What a thread shows: published comments, and taken-down ones that have replies
/// (as "comment removed", so the conversation still reads). The `IN` keeps the
/// (post, status, thread) index usable.
macro_rules! shown {
    () => {
        comments::status
            .eq_any(SHOWN)
            .and(comments::status.eq(CommentStatus::Published).or(comments::reply_count.gt(0)))
    };
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub thread_id: i64,
    pub path: String,
    pub depth: i32,
    pub author_name: String,
    pub author_email: String,
    pub body_md: String,
    pub body_html: SafeHtml,
    pub status: CommentStatus,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub user_id: Option<i64>,
    pub official_role_id: Option<i64>,
    pub badge_name: Option<String>,
    pub badge_title: Option<String>,
    pub badge_department: Option<String>,
    pub badge_acronym: Option<String>,
    pub response_state: Option<ResponseState>,
    pub department_id: Option<i64>,
    pub suggested_department_id: Option<i64>,
    pub assigned_to: Option<i64>,
    pub answered_by: Option<i64>,
    pub response_by: Option<String>,
    pub response_note: Option<String>,
    pub referred_to: Option<String>,
    pub first_response_at: Option<NaiveDateTime>,
    pub response_days: Option<i32>,
    pub answered_at: Option<NaiveDateTime>,
    pub reply_count: i32,
    /// When it was routed to the department it is routed to (its target counts from then).
    pub routed_at: Option<NaiveDateTime>,
}

impl Comment {
    pub fn state(&self) -> Option<ResponseState> {
        self.response_state
    }

    /// Posted as an official (signed in, or recognised at import): a response itself.
    pub fn is_official_reply(&self) -> bool {
        self.official_role_id.is_some() || self.badge_name.is_some()
    }

    /// The state to act from (see `response::acting_state`): `None` for an official reply.
    pub fn acting_state(&self) -> Option<ResponseState> {
        response::acting_state(self.is_official_reply(), self.response_state)
    }

    pub fn is_published(&self) -> bool {
        self.status == CommentStatus::Published
    }
}

/// A comment as shown on a page, with its parent's author for "in reply to NAME".
#[derive(Debug, Clone, Hash, Queryable)]
pub struct CommentRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub thread_id: i64,
    pub path: String,
    pub depth: i32,
    pub author_name: String,
    pub body_html: SafeHtml,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub badge: BadgeColumns,
    pub response: ResponseColumns,
    pub parent_author_name: Option<String>,
    /// The moderator who last edited the text, if one did.
    pub moderator_edited: Option<String>,
    /// `Published`, or why a placeholder stands in for it (see `SHOWN`).
    pub status: CommentStatus,
}

/// Where a comment stands: its state, whom it is routed to, and who responded.
#[derive(Debug, Clone, Hash, Queryable)]
pub struct ResponseColumns {
    pub state: Option<ResponseState>,
    pub department_id: Option<i64>,
    pub answered_by: Option<i64>,
    pub response_by: Option<String>,
    pub note: Option<String>,
    pub referred_to: Option<String>,
    pub response_days: Option<i32>,
    pub routed_at: Option<NaiveDateTime>,
}

impl ResponseColumns {
    pub fn state(&self) -> Option<ResponseState> {
        self.state
    }
}

/// The verified-official badge as it was when the reply was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub name: String,
    pub title: String,
    pub department: String,
    pub acronym: String,
}

/// The badge columns as display rows read them (`CommentRow`, `feeds::FeedComment`),
/// selected with `BADGE_COLUMNS`.
#[derive(Debug, Clone, Hash, Queryable)]
pub struct BadgeColumns {
    pub name: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub acronym: Option<String>,
}

pub type BadgeSelection =
    (comments::badge_name, comments::badge_title, comments::badge_department, comments::badge_acronym);

/// The select clause for `BadgeColumns`.
pub const BADGE_COLUMNS: BadgeSelection =
    (comments::badge_name, comments::badge_title, comments::badge_department, comments::badge_acronym);

impl BadgeColumns {
    /// The badge of an official reply: all four columns are set on one, none otherwise.
    pub fn badge(&self) -> Option<Badge> {
        Some(Badge {
            name: self.name.clone()?,
            title: self.title.clone()?,
            department: self.department.clone()?,
            acronym: self.acronym.clone().unwrap_or_default(),
        })
    }
}

impl CommentRow {
    pub fn shown_at(&self) -> NaiveDateTime {
        self.published_at.unwrap_or(self.created_at)
    }

    pub fn badge(&self) -> Option<Badge> {
        self.badge.badge()
    }

    pub fn is_official(&self) -> bool {
        self.badge.title.is_some()
    }

    /// Taken down, and shown only as a placeholder because it has replies.
    pub fn is_removed(&self) -> bool {
        self.status != CommentStatus::Published
    }
}

impl Threaded for CommentRow {
    fn id(&self) -> i64 {
        self.id
    }
    fn depth(&self) -> i32 {
        self.depth
    }
    fn path(&self) -> &str {
        &self.path
    }
}

/// Every `None` is written as NULL: an official reply's response state must be NULL,
/// not the column's default.
#[derive(Debug, Insertable)]
#[diesel(table_name = comments, treat_none_as_default_value = false)]
pub struct NewCommentRow<'a> {
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub author_name: &'a str,
    pub author_email: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a SafeHtml,
    pub status: CommentStatus,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub user_id: Option<i64>,
    pub official_role_id: Option<i64>,
    pub badge_name: Option<&'a str>,
    pub badge_title: Option<&'a str>,
    pub badge_department: Option<&'a str>,
    pub badge_acronym: Option<&'a str>,
    pub response_state: Option<ResponseState>,
    pub suggested_department_id: Option<i64>,
}

diesel::alias!(comments as parents: ParentComments);

/// The display columns, joined to the parent for its author's name.
macro_rules! comment_rows {
    () => {
        comments::table
            .left_join(parents.on(parents.field(comments::id).nullable().eq(comments::parent_id)))
            .left_join(comment_moderation::table.on(comment_moderation::comment_id.eq(comments::id)))
            .select((
                comments::id,
                comments::parent_id,
                comments::thread_id,
                comments::path,
                comments::depth,
                comments::author_name,
                comments::body_html,
                comments::created_at,
                comments::published_at,
                BADGE_COLUMNS,
                (
                    comments::response_state,
                    comments::department_id,
                    comments::answered_by,
                    comments::response_by,
                    comments::response_note,
                    comments::referred_to,
                    comments::response_days,
                    comments::routed_at,
                ),
                parents.field(comments::author_name).nullable(),
                comment_moderation::edited_by_moderator.nullable(),
                comments::status,
            ))
    };
}

/// Inserts a comment and fills in its thread and path, which need its new id. The
/// parent counts the reply when it is published.
pub fn insert(conn: &mut AnyConnection, row: &NewCommentRow, parent: Option<&Comment>) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(comments::table).values(row).returning(comments::id).get_result(conn)?;
    let path = crate::domain::thread::child_path(parent.map(|p| p.path.as_str()), id);
    let thread_id = parent.map_or(id, |p| p.thread_id);
    diesel::update(comments::table.find(id))
        .set((comments::path.eq(path), comments::thread_id.eq(thread_id)))
        .execute(conn)?;
    Ok(id)
}

/// Makes a comment public from `at` (see `services::comments::published`).
pub fn publish(conn: &mut AnyConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((comments::status.eq(CommentStatus::Published), comments::published_at.eq(Some(at))))
        .execute(conn)
}

/// Counts a published reply in (or out of) its parent's reply count.
pub fn add_reply_count(conn: &mut AnyConnection, id: i64, delta: i32) -> QueryResult<usize> {
    diesel::update(comments::table.find(id)).set(comments::reply_count.eq(comments::reply_count + delta)).execute(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Comment>> {
    comments::table.find(id).select(Comment::as_select()).first(conn).optional()
}

pub fn find_row(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<CommentRow>> {
    comment_rows!().filter(comments::id.eq(id)).first(conn).optional()
}

/// Size of each thread of a post, in thread order (oldest first).
pub fn thread_sizes(conn: &mut AnyConnection, post_id: i64) -> QueryResult<Vec<ThreadSize>> {
    // Published comments from the covering index, then the few placeholders.
    let mut rows: Vec<(i64, i64)> = comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .group_by(comments::thread_id)
        .select((comments::thread_id, count_star()))
        .order(comments::thread_id)
        .load(conn)?;
    let placeholders: Vec<i64> = comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq_any(&SHOWN[1..]))
        .filter(comments::reply_count.gt(0))
        .select(comments::thread_id)
        .load(conn)?;
    for thread_id in placeholders {
        match rows.binary_search_by_key(&thread_id, |(t, _)| *t) {
            Ok(i) => rows[i].1 += 1,
            Err(i) => rows.insert(i, (thread_id, 1)),
        }
    }
    Ok(rows.into_iter().map(|(thread_id, comments)| ThreadSize { thread_id, comments }).collect())
}

/// The published comments of threads `first..=last` of a post, in tree order.
pub fn rows_for_threads(
    conn: &mut AnyConnection,
    post_id: i64,
    first_thread: i64,
    last_thread: i64,
    limit: i64,
) -> QueryResult<Vec<CommentRow>> {
    comment_rows!()
        .filter(comments::post_id.eq(post_id))
        .filter(shown!())
        .filter(comments::thread_id.between(first_thread, last_thread))
        .order(comments::path)
        .limit(limit)
        .load(conn)
}

/// One slice of a single thread, in tree order.
pub fn rows_in_thread(
    conn: &mut AnyConnection,
    thread_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<CommentRow>> {
    comment_rows!()
        .filter(comments::thread_id.eq(thread_id))
        .filter(shown!())
        .order(comments::path)
        .offset(offset)
        .limit(limit)
        .load(conn)
}

/// How many published comments of a thread come before `path` in tree order.
pub fn position_in_thread(conn: &mut AnyConnection, thread_id: i64, path: &str) -> QueryResult<i64> {
    comments::table
        .filter(comments::thread_id.eq(thread_id))
        .filter(shown!())
        .filter(comments::path.lt(path))
        .count()
        .get_result(conn)
}

/// A post's published official replies, in tree order.
pub fn official_rows(conn: &mut AnyConnection, post_id: i64, limit: i64) -> QueryResult<Vec<CommentRow>> {
    comment_rows!()
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::badge_title.is_not_null())
        .order(comments::path)
        .limit(limit)
        .load(conn)
}

pub fn rows_by_ids(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<CommentRow>> {
    comment_rows!().filter(comments::id.eq_any(ids)).filter(comments::status.eq(CommentStatus::Published)).load(conn)
}

/// A post's published comments in one response state, in tree order.
pub fn rows_in_state(
    conn: &mut AnyConnection,
    post_id: i64,
    state: ResponseState,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<CommentRow>> {
    comment_rows!()
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::response_state.eq(state))
        .order(comments::path)
        .offset(offset)
        .limit(limit)
        .load(conn)
}

pub fn max_id(conn: &mut AnyConnection) -> QueryResult<i64> {
    Ok(comments::table.select(diesel::dsl::max(comments::id)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// How many comments are in `status` (e.g. held for a moderator).
pub fn count_in_status(conn: &mut AnyConnection, status: CommentStatus) -> QueryResult<i64> {
    comments::table.filter(comments::status.eq(status)).count().get_result(conn)
}
