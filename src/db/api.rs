//! Lists the JSON API pages through by id: posts newest first, comments oldest first.

use diesel::prelude::*;

use super::comments::Comment;
use super::posts::Post;
use super::schema::{comments, posts};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;

/// Published posts with an id below `before` (all when `None`), newest first.
pub fn posts_page(conn: &mut AnyConnection, before: Option<i64>, limit: i64) -> QueryResult<Vec<Post>> {
    posts::table
        .filter(posts::published.eq(true))
        .filter(posts::id.lt(before.unwrap_or(i64::MAX)))
        .order(posts::id.desc())
        .limit(limit)
        .select(Post::as_select())
        .load(conn)
}

/// A post's published comments with an id above `after`, oldest first.
pub fn comments_page(
    conn: &mut AnyConnection,
    post_id: i64,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Comment>> {
    comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(comments::id.gt(after.unwrap_or(0)))
        .order(comments::id)
        .limit(limit)
        .select(Comment::as_select())
        .load(conn)
}

/// (official reply, comment it answers) for the given replies.
pub fn answers_of(conn: &mut AnyConnection, post_id: i64, reply_ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    if reply_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Option<i64>, i64)> = comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::answered_by.eq_any(reply_ids))
        .filter(comments::status.eq(CommentStatus::Published))
        .order(comments::id)
        .select((comments::answered_by, comments::id))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(reply, id)| reply.map(|r| (r, id))).collect())
}
