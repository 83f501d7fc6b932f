use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{self, AnyConnection};
use crate::domain::comment::NewComment;
use crate::domain::markdown;
use crate::domain::time;

#[derive(Debug, thiserror::Error)]
pub enum PostCommentError {
    #[error("the post is not open for comments")]
    Closed,
    #[error("the post does not exist")]
    NoSuchPost,
    #[error("the comment being replied to is not on this post")]
    NoSuchParent,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Stores a guest's comment (or reply) and returns its id. The comment is on disk,
/// with its tree position, before this returns.
pub fn post_comment(conn: &mut AnyConnection, post_id: i64, comment: &NewComment) -> Result<i64, PostCommentError> {
    post_comment_at(conn, post_id, comment, time::now())
}

/// As `post_comment`, at a given time (the demo writes a discussion that happened).
pub fn post_comment_at(
    conn: &mut AnyConnection,
    post_id: i64,
    comment: &NewComment,
    at: NaiveDateTime,
) -> Result<i64, PostCommentError> {
    let body_html = markdown::render_comment(comment.body.as_str());
    conn.transaction(|conn| {
        let post = db::posts::find_by_id(conn, post_id)?.ok_or(PostCommentError::NoSuchPost)?;
        if !post.published {
            return Err(PostCommentError::NoSuchPost);
        }
        if !post.comments_open {
            return Err(PostCommentError::Closed);
        }
        let parent = match comment.parent_id {
            None => None,
            Some(parent_id) => {
                let parent = db::comments::find(conn, parent_id)?
                    .filter(|p| p.post_id == post.id && p.is_published())
                    .ok_or(PostCommentError::NoSuchParent)?;
                Some(parent)
            }
        };
        let row = db::comments::NewCommentRow {
            post_id: post.id,
            parent_id: parent.as_ref().map(|p| p.id),
            depth: parent.as_ref().map_or(0, |p| p.depth + 1),
            author_name: comment.name.as_str(),
            author_email: comment.email.as_str(),
            body_md: comment.body.as_str(),
            body_html: body_html.as_str(),
            status: db::comments::PUBLISHED,
            created_at: at,
            published_at: Some(at),
        };
        Ok(db::comments::insert(conn, &row, parent.as_ref())?)
    })
}
