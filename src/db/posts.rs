use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{comments, posts};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::markdown::SafeHtml;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub body_html: SafeHtml,
    pub excerpt: String,
    pub author_name: String,
    pub published: bool,
    pub comments_open: bool,
    pub published_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Changes whenever the post's comments do; names cached comment sections.
    pub comments_version: i64,
    /// Pre-moderation for this post ('all', 'first_time', 'none'); `None` follows the site.
    pub moderation: Option<String>,
    /// The account whose name the byline shows, when one was chosen (older posts and
    /// imported ones have none: their byline is only `author_name`).
    pub author_id: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = posts)]
pub struct NewPost<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a SafeHtml,
    pub excerpt: &'a str,
    pub author_name: &'a str,
    pub published: bool,
    pub comments_open: bool,
    pub published_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, post: &NewPost) -> QueryResult<i64> {
    diesel::insert_into(posts::table).values(post).returning(posts::id).get_result(conn)
}

pub fn find_by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Post>> {
    posts::table.find(id).select(Post::as_select()).first(conn).optional()
}

pub fn find_published_by_slug(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<Post>> {
    posts::table
        .filter(posts::slug.eq(slug))
        .filter(posts::published.eq(true))
        .select(Post::as_select())
        .first(conn)
        .optional()
}

pub fn slug_taken(conn: &mut AnyConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(posts::table.filter(posts::slug.eq(slug)))).get_result(conn)
}

pub fn count_published(conn: &mut AnyConnection) -> QueryResult<i64> {
    posts::table.filter(posts::published.eq(true)).count().get_result(conn)
}

pub fn count_all(conn: &mut AnyConnection) -> QueryResult<i64> {
    posts::table.count().get_result(conn)
}

/// Published posts, newest first.
pub fn list_published(conn: &mut AnyConnection, limit: i64, offset: i64) -> QueryResult<Vec<Post>> {
    posts::table
        .filter(posts::published.eq(true))
        .order((posts::published_at.desc(), posts::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(Post::as_select())
        .load(conn)
}

/// Every post, drafts included, newest first (for the admin CLI).
pub fn list_all(conn: &mut AnyConnection) -> QueryResult<Vec<Post>> {
    posts::table.order((posts::published_at.desc(), posts::id.desc())).select(Post::as_select()).load(conn)
}

/// Published comment counts for the given posts, as (post id, count).
pub fn published_comment_counts(conn: &mut AnyConnection, post_ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    comments::table
        .filter(comments::post_id.eq_any(post_ids))
        .filter(comments::status.eq(CommentStatus::Published))
        .group_by(comments::post_id)
        .select((comments::post_id, count_star()))
        .load(conn)
}

/// Marks the post's comments as changed (call in the transaction that changes them).
/// Every change to what a post page shows of its comments must call it: the page's
/// rows (`read::kept`) and rendered section (`web::page_cache`) are kept under it,
/// and read again only when it moves.
pub fn bump_comments_version(conn: &mut AnyConnection, post_id: i64) -> QueryResult<usize> {
    diesel::update(posts::table.find(post_id))
        .set(posts::comments_version.eq(posts::comments_version + 1))
        .execute(conn)
}

/// What an edit changes in a post's words.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = posts)]
pub struct PostContent<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a SafeHtml,
    pub excerpt: &'a str,
    pub updated_at: NaiveDateTime,
}

pub fn update_content(conn: &mut AnyConnection, id: i64, content: &PostContent) -> QueryResult<usize> {
    diesel::update(posts::table.find(id)).set(content).execute(conn)
}

/// True when a post other than `except` has this slug.
pub fn slug_taken_by_other(conn: &mut AnyConnection, slug: &str, except: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(posts::table.filter(posts::slug.eq(slug)).filter(posts::id.ne(except))))
        .get_result(conn)
}

pub fn set_published(conn: &mut AnyConnection, id: i64, published: bool, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(posts::table.find(id)).set((posts::published.eq(published), posts::updated_at.eq(now))).execute(conn)
}

/// Sets the date a post shows as published (when a draft goes public).
pub fn set_published_at(conn: &mut AnyConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(posts::table.find(id)).set(posts::published_at.eq(at)).execute(conn)
}

pub fn set_comments_open(conn: &mut AnyConnection, id: i64, open: bool, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(posts::table.find(id)).set((posts::comments_open.eq(open), posts::updated_at.eq(now))).execute(conn)
}

/// Sets a post's own pre-moderation mode, or `None` to follow the site setting.
pub fn set_moderation(conn: &mut AnyConnection, id: i64, mode: Option<&str>) -> QueryResult<usize> {
    diesel::update(posts::table.find(id)).set(posts::moderation.eq(mode)).execute(conn)
}

/// Names an account as the post's author: the byline shows its name from now on.
pub fn set_author(
    conn: &mut AnyConnection,
    id: i64,
    author_id: i64,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(posts::table.find(id))
        .set((posts::author_id.eq(Some(author_id)), posts::author_name.eq(name), posts::updated_at.eq(now)))
        .execute(conn)
}
