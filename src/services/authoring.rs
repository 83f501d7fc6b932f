//! What signed-in authors do with their own comments and account: edit a comment
//! within the edit window (earlier versions kept for moderators), delete it, download
//! their data, and delete their account.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::comments::Comment;
use crate::db::{self, AnyConnection};
use crate::domain::comment::{CommentBody, CommentStatus};
use crate::domain::ids::{CommentId, UserId};
use crate::domain::{markdown, time};
use crate::services::comments::unpublished;

#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error("no such comment")]
    NotFound,
    #[error("the time to edit this comment is over")]
    TooLate,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The author's own comment, not deleted.
fn own(conn: &mut AnyConnection, user_id: UserId, id: CommentId) -> Result<Comment, AuthoringError> {
    db::comments::find(conn, id.0)?
        .filter(|c| c.user_id == Some(user_id.0) && c.status != CommentStatus::Deleted)
        .ok_or(AuthoringError::NotFound)
}

/// Until when the author may edit: `edit_minutes` after posting.
pub fn editable_until(comment: &Comment, edit_minutes: u32) -> NaiveDateTime {
    comment.created_at + TimeDelta::minutes(i64::from(edit_minutes))
}

/// The comment, if the user may edit it now.
pub fn editable(
    conn: &mut AnyConnection,
    user_id: UserId,
    id: CommentId,
    edit_minutes: u32,
) -> Result<Comment, AuthoringError> {
    let comment = own(conn, user_id, id)?;
    if time::now() > editable_until(&comment, edit_minutes) {
        return Err(AuthoringError::TooLate);
    }
    Ok(comment)
}

/// Replaces the text of the author's comment, keeping the old text.
pub fn edit(
    conn: &mut AnyConnection,
    user_id: UserId,
    id: CommentId,
    body: &CommentBody,
    edit_minutes: u32,
) -> Result<Comment, AuthoringError> {
    let html = markdown::render_comment(body.as_str());
    crate::db::transaction(conn, |conn| {
        let comment = editable(conn, user_id, id, edit_minutes)?;
        if comment.body_md != body.as_str() {
            let now = time::now();
            db::moderation::record_edit(conn, comment.id, &comment.body_md, &comment.author_name, false, now)?;
            db::moderation::set_body(conn, comment.id, body.as_str(), &html)?;
            if comment.is_published() {
                db::posts::bump_comments_version(conn, comment.post_id)?;
            }
        }
        Ok(comment)
    })
}

/// Deletes the author's comment. One with replies stays as "comment removed".
pub fn delete(conn: &mut AnyConnection, user_id: UserId, id: CommentId) -> Result<Comment, AuthoringError> {
    crate::db::transaction(conn, |conn| {
        let comment = own(conn, user_id, id)?;
        unpublished(conn, &comment, CommentStatus::Deleted)?;
        Ok(comment)
    })
}

/// A member's own comments, newest first, as their comments page lists them.
pub fn my_comments(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<db::moderation::OwnRow>> {
    db::moderation::by_user(conn, user_id, 200)
}

#[derive(Serialize)]
pub struct ExportedComment {
    pub id: i64,
    pub post: String,
    pub parent_id: Option<i64>,
    pub status: String,
    pub body_markdown: String,
    pub created_at: String,
    pub published_at: Option<String>,
    pub official_badge: Option<String>,
    pub reject_reason: Option<String>,
}

#[derive(Serialize)]
pub struct Export {
    pub name: String,
    pub email: String,
    pub role: String,
    pub created_at: String,
    pub official_roles: Vec<String>,
    pub comments: Vec<ExportedComment>,
}

/// Everything the site holds about a member that they wrote or that names them.
pub fn export(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<Export>> {
    let Some(user) = db::users::find(conn, user_id)? else {
        return Ok(None);
    };
    let official_roles = db::officials::all_listings(conn)?
        .into_iter()
        .filter(|l| l.user_id == user_id)
        .map(|l| {
            format!("{}, {}{}", l.title, l.department_name, if l.revoked_at.is_some() { " (revoked)" } else { "" })
        })
        .collect();
    let comments = db::moderation::by_user(conn, user_id, i64::MAX)?
        .into_iter()
        .map(|(c, slug, _, reject_reason)| ExportedComment {
            id: c.id,
            post: format!("/posts/{slug}"),
            parent_id: c.parent_id,
            official_badge: crate::services::responses::reply_label(&c),
            status: c.status.as_str().to_owned(),
            body_markdown: c.body_md,
            created_at: time::iso(c.created_at),
            published_at: c.published_at.map(time::iso),
            reject_reason,
        })
        .collect();
    Ok(Some(Export {
        name: user.name,
        email: user.email,
        role: user.role.as_str().to_owned(),
        created_at: time::iso(user.created_at),
        official_roles,
        comments,
    }))
}

/// What happens to a departing member's comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// Comments stay, signed "Deleted user" (official replies keep their badge: they
    /// are the department's public answer).
    KeepAnonymous,
    /// Comments are removed (those with replies stay as "comment removed").
    RemoveComments,
}

/// Deletes a member's account: their name and email are erased, their sessions end,
/// and they can no longer sign in. The row stays (with no personal data) so the
/// history of who answered what keeps its shape.
pub fn delete_account(conn: &mut AnyConnection, user_id: i64, departure: Departure) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        if db::users::find(conn, user_id)?.is_none() {
            return Ok(false);
        }
        for (comment, _, _, _) in db::moderation::by_user(conn, user_id, i64::MAX)? {
            match departure {
                Departure::RemoveComments
                    if comment.badge_title.is_none() && comment.status != CommentStatus::Deleted =>
                {
                    unpublished(conn, &comment, CommentStatus::Deleted)?;
                }
                _ => {}
            }
            db::users::anonymise_comment(conn, comment.id)?;
            db::posts::bump_comments_version(conn, comment.post_id)?;
        }
        // What they sent by email (their address, kept text) goes with the account.
        db::inbound::forget_user(conn, user_id)?;
        db::users::erase(conn, user_id, time::now())?;
        Ok(true)
    })
}
