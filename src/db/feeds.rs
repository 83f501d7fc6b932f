//! What the Atom feeds list: published comments with their post, newest first.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::comments::{BadgeColumns, BADGE_COLUMNS};
use super::schema::{comments, official_roles, posts};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::markdown::SafeHtml;

/// A published comment with the post it is on, as a feed entry needs it.
#[derive(Debug, Clone, Queryable)]
pub struct FeedComment {
    pub id: i64,
    pub thread_id: i64,
    pub parent_id: Option<i64>,
    pub author_name: String,
    pub body_html: SafeHtml,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub badge: BadgeColumns,
    pub post_slug: String,
    pub post_title: String,
}

impl FeedComment {
    pub fn shown_at(&self) -> NaiveDateTime {
        self.published_at.unwrap_or(self.created_at)
    }

    /// "Name, Title, Department" for an official reply.
    pub fn badge_text(&self) -> Option<String> {
        self.badge.badge().map(|b| format!("{}, {}, {}", b.name, b.title, b.department))
    }
}

macro_rules! feed_comments {
    () => {
        comments::table
            .inner_join(posts::table)
            .filter(comments::status.eq(CommentStatus::Published))
            .filter(posts::published.eq(true))
            .select((
                comments::id,
                comments::thread_id,
                comments::parent_id,
                comments::author_name,
                comments::body_html,
                comments::created_at,
                comments::published_at,
                BADGE_COLUMNS,
                posts::slug,
                posts::title,
            ))
    };
}

/// The newest published comments of a post.
pub fn post_comments(conn: &mut AnyConnection, post_id: i64, limit: i64) -> QueryResult<Vec<FeedComment>> {
    feed_comments!().filter(comments::post_id.eq(post_id)).order(comments::id.desc()).limit(limit).load(conn)
}

/// The newest published comments of one thread (on `post_id`, so the post-and-thread
/// index gives them in id order).
pub fn thread_comments(
    conn: &mut AnyConnection,
    post_id: i64,
    thread_id: i64,
    limit: i64,
) -> QueryResult<Vec<FeedComment>> {
    feed_comments!()
        .filter(comments::post_id.eq(post_id))
        .filter(comments::thread_id.eq(thread_id))
        .order(comments::id.desc())
        .limit(limit)
        .load(conn)
}

/// The newest official replies, of every department or of one.
pub fn official_replies(
    conn: &mut AnyConnection,
    department_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<FeedComment>> {
    let query =
        feed_comments!().filter(comments::official_role_id.is_not_null()).order(comments::id.desc()).limit(limit);
    match department_id {
        None => query.load(conn),
        Some(department) => {
            let roles = official_roles::table
                .filter(official_roles::department_id.eq(department))
                .select(official_roles::id.nullable());
            query.filter(comments::official_role_id.eq_any(roles)).load(conn)
        }
    }
}
