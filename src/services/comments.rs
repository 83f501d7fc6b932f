use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::comments::Badge;
use crate::db::{self, AnyConnection};
use crate::domain::comment::{CommentAuthor, NewComment};
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
    #[error("you are not, or no longer, an official of that department")]
    NotOfficial,
    #[error("the account no longer exists")]
    NoSuchUser,
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
        let author = resolve_author(conn, &comment.author)?;
        let badge = author.badge.as_ref();
        let row = db::comments::NewCommentRow {
            post_id: post.id,
            parent_id: parent.as_ref().map(|p| p.id),
            depth: parent.as_ref().map_or(0, |p| p.depth + 1),
            author_name: &author.name,
            author_email: &author.email,
            body_md: comment.body.as_str(),
            body_html: body_html.as_str(),
            status: db::comments::PUBLISHED,
            created_at: at,
            published_at: Some(at),
            user_id: author.user_id,
            official_role_id: author.official_role_id,
            badge_name: badge.map(|b| b.name.as_str()),
            badge_title: badge.map(|b| b.title.as_str()),
            badge_department: badge.map(|b| b.department.as_str()),
            badge_acronym: badge.map(|b| b.acronym.as_str()),
        };
        let id = db::comments::insert(conn, &row, parent.as_ref())?;
        db::posts::bump_comments_version(conn, post.id)?;
        Ok(id)
    })
}

struct ResolvedAuthor {
    name: String,
    email: String,
    user_id: Option<i64>,
    official_role_id: Option<i64>,
    badge: Option<Badge>,
}

/// Names the author. A badge comes only from an official role in force that belongs
/// to the signed-in user, and is copied (name, title, department) as it is now.
fn resolve_author(conn: &mut AnyConnection, author: &CommentAuthor) -> Result<ResolvedAuthor, PostCommentError> {
    match author {
        CommentAuthor::Guest { name, email } => Ok(ResolvedAuthor {
            name: name.as_str().to_owned(),
            email: email.as_str().to_owned(),
            user_id: None,
            official_role_id: None,
            badge: None,
        }),
        CommentAuthor::Member { user_id, as_official } => {
            let user = db::users::find(conn, *user_id)?.ok_or(PostCommentError::NoSuchUser)?;
            let badge = match as_official {
                None => None,
                Some(role_id) => {
                    let role = db::officials::find(conn, *role_id)?
                        .filter(|r| r.user_id == user.id && r.revoked_at.is_none())
                        .ok_or(PostCommentError::NotOfficial)?;
                    let department =
                        db::departments::find(conn, role.department_id)?.ok_or(PostCommentError::NotOfficial)?;
                    Some(Badge {
                        name: user.name.clone(),
                        title: role.title,
                        department: department.name,
                        acronym: department.acronym,
                    })
                }
            };
            Ok(ResolvedAuthor {
                name: user.name,
                email: user.email,
                user_id: Some(user.id),
                official_role_id: *as_official,
                badge,
            })
        }
    }
}
