//! Refused official replies by email, kept for the moderators: one posts it (as the
//! official, while their grant for it is in force; otherwise as the person) or
//! dismisses it. Each decision is one transaction with its audit row.

use crate::db::{self, AnyConnection};
use crate::domain::comment::{CommentAuthor, CommentBody, NewComment};
use crate::domain::ids::UserId;
use crate::domain::inbound::Review;
use crate::domain::time;
use crate::mail::MailContext;
use crate::services::audit::{self, Entry};
use crate::services::comments::{post_comment, PostCommentError};

pub use crate::read::moderation::kept_replies;

/// What a moderator decides about a kept reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Post,
    Dismiss,
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("only moderators and admins can do this")]
    NotModerator,
    #[error("that reply is no longer waiting (another moderator may have dealt with it)")]
    NotFound,
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Posts or dismisses a kept reply; returns the new comment's id when it was posted.
pub fn review(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: UserId,
    id: i64,
    decision: Decision,
) -> Result<Option<i64>, ReviewError> {
    db::transaction(conn, |conn| {
        let moderator =
            db::users::find(conn, actor.0)?.filter(|u| u.role.can_moderate()).ok_or(ReviewError::NotModerator)?;
        let kept =
            db::inbound::find(conn, id)?.filter(|m| m.review == Some(Review::Open)).ok_or(ReviewError::NotFound)?;
        let now = time::now();
        let text = kept.body.clone().unwrap_or_default();
        let reply_id = match decision {
            Decision::Dismiss => None,
            Decision::Post => Some(post(conn, mail, &kept, &text)?),
        };
        let review = if reply_id.is_some() { Review::Posted } else { Review::Dismissed };
        if db::inbound::close_review(conn, id, review, &moderator.name, now, reply_id)? == 0 {
            return Err(ReviewError::NotFound);
        }
        let author = match kept.user_id {
            Some(user) => db::users::find(conn, user)?.map(|u| u.name),
            None => None,
        };
        let label = audit::comment_label(author.as_deref().unwrap_or(&kept.sender), &text);
        audit::record(
            conn,
            Some(moderator.id),
            &Entry {
                action: if reply_id.is_some() { "email_reply.post" } else { "email_reply.dismiss" },
                target_type: "email_reply",
                target_id: Some(id),
                target_label: &label,
                before: Some("kept"),
                after: Some(review.as_str()),
                reason: Some(&kept.reason),
            },
        )?;
        Ok(reply_id)
    })
}

/// The kept text as a reply to the comment it answered: with the badge while the
/// grant is in force, as the person otherwise.
fn post(
    conn: &mut AnyConnection,
    mail: &MailContext,
    kept: &db::inbound::InboundMessage,
    text: &str,
) -> Result<i64, ReviewError> {
    let refused = |words: &str| ReviewError::Refused(words.to_owned());
    let user = match kept.user_id {
        Some(id) => db::users::find(conn, id)?,
        None => None,
    }
    .ok_or_else(|| refused("The account that sent it no longer exists: dismiss it instead."))?;
    let comment = match kept.comment_id {
        Some(id) => db::comments::find(conn, id)?.filter(|c| c.is_published()),
        None => None,
    }
    .ok_or_else(|| refused("The comment it answers was removed: dismiss it instead."))?;
    let body =
        CommentBody::parse(text).map_err(|e| ReviewError::Refused(format!("{}: dismiss it instead.", e.message)))?;
    let as_official = match kept.official_role_id {
        Some(role) => db::officials::find(conn, role)?.filter(|r| r.user_id == user.id && r.revoked_at.is_none()),
        None => None,
    };
    let new = NewComment {
        author: CommentAuthor::Member { user_id: user.id, as_official: as_official.map(|r| r.id) },
        body,
        parent_id: Some(comment.id),
        also_answers: Vec::new(),
        email_me: false,
    };
    match post_comment(conn, mail, comment.post_id, &new) {
        Ok(id) => Ok(id),
        Err(PostCommentError::Closed) => {
            Err(refused("Comments on that post are closed: open them first, or dismiss the reply."))
        }
        Err(PostCommentError::NoSuchParent | PostCommentError::NoSuchPost) => {
            Err(refused("The comment it answers was removed: dismiss it instead."))
        }
        Err(PostCommentError::NotOfficial | PostCommentError::NoSuchUser) => {
            Err(refused("The account can no longer post it: dismiss it instead."))
        }
        Err(PostCommentError::Database(e)) => Err(e.into()),
    }
}
