//! What the JSON API reads: pages of posts and comments, and single comments, with
//! what each needs (comment counts, departments, the comments a reply answers).

use diesel::QueryResult;

use crate::db::comments::Comment;
use crate::db::departments::Department;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};

pub struct PostsPage {
    /// (post, published comments).
    pub posts: Vec<(Post, i64)>,
    pub more: bool,
}

/// One page of posts, `limit` at most, after the post id `before`.
pub fn posts(conn: &mut AnyConnection, before: Option<i64>, limit: i64) -> QueryResult<PostsPage> {
    let mut posts = db::api::posts_page(conn, before, limit + 1)?;
    let more = posts.len() as i64 > limit;
    posts.truncate(limit as usize);
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let counts = db::posts::published_comment_counts(conn, &ids)?;
    let posts = posts
        .into_iter()
        .map(|p| {
            let n = counts.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
            (p, n)
        })
        .collect();
    Ok(PostsPage { posts, more })
}

pub fn post(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<(Post, i64)>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let count = db::posts::published_comment_counts(conn, &[post.id])?.first().map_or(0, |(_, n)| *n);
    Ok(Some((post, count)))
}

/// Comments with what their JSON needs.
pub struct CommentsPage {
    pub post: Post,
    /// (comment, the comments it answers if it is an official reply).
    pub comments: Vec<(Comment, Vec<i64>)>,
    pub departments: Vec<Department>,
    pub more: bool,
}

fn with_answers(
    conn: &mut AnyConnection,
    post_id: i64,
    comments: Vec<Comment>,
) -> QueryResult<Vec<(Comment, Vec<i64>)>> {
    let replies: Vec<i64> = comments.iter().filter(|c| c.official_role_id.is_some()).map(|c| c.id).collect();
    let answers = db::api::answers_of(conn, post_id, &replies)?;
    Ok(comments
        .into_iter()
        .map(|c| {
            let answered = answers.iter().filter(|(reply, _)| *reply == c.id).map(|(_, id)| *id).collect();
            (c, answered)
        })
        .collect())
}

/// A page of a post's published comments, oldest first, after the comment id `after`.
pub fn comments(
    conn: &mut AnyConnection,
    slug: &str,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Option<CommentsPage>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let mut comments = db::api::comments_page(conn, post.id, after, limit + 1)?;
    let more = comments.len() as i64 > limit;
    comments.truncate(limit as usize);
    let comments = with_answers(conn, post.id, comments)?;
    let departments = db::departments::list(conn)?;
    Ok(Some(CommentsPage { post, comments, departments, more }))
}

/// One published comment on a published post.
pub fn comment(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<CommentsPage>> {
    let Some(comment) = db::comments::find(conn, id)?.filter(Comment::is_published) else {
        return Ok(None);
    };
    let Some(post) = db::posts::find_by_id(conn, comment.post_id)?.filter(|p| p.published) else {
        return Ok(None);
    };
    let comments = with_answers(conn, post.id, vec![comment])?;
    let departments = db::departments::list(conn)?;
    Ok(Some(CommentsPage { post, comments, departments, more: false }))
}
