//! Moderation: deciding whether a new comment waits, and a moderator's decisions on
//! waiting (or flagged) comments. Each decision is one transaction that also writes
//! its audit row; publication goes through `comments::published`.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::comments::Comment;

use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentBody;
use crate::domain::comment::CommentStatus;
use crate::domain::ids::{CommentId, UserId};
use crate::domain::markdown;
use crate::domain::moderation::{self as rules, Author, Hold, Submission};
use crate::domain::time;
use crate::mail::MailContext;
use crate::services::audit::{self, Entry};
use crate::services::comments::{published, unpublished, Origin};
use crate::services::site_settings;

pub use crate::read::moderation::queue;

/// A new comment as the moderation rules need it.
pub struct Screening<'a> {
    pub email: &'a str,
    pub body: &'a str,
    pub trusted: bool,
}

/// How far back a comment with the same text from the same email counts as a duplicate.
const DUPLICATE_DAYS: i64 = 30;

/// Whether a new comment waits for a moderator, and why. Spam rules come first, so a
/// spam-suspected comment is marked as such even where everything is held.
pub fn hold_for(
    conn: &mut AnyConnection,
    post: &db::posts::Post,
    comment: &Screening,
    origin: &Origin,
) -> QueryResult<Option<Hold>> {
    if comment.trusted {
        return Ok(None);
    }
    let settings = site_settings::load(conn)?;
    if let Some(signal) = &origin.spam_signal {
        return Ok(Some(Hold::SpamSuspected(signal.clone())));
    }
    let submission = Submission { body: comment.body, email: comment.email, ip: origin.ip.as_deref() };
    if let Some(rule) = rules::spam_rule(&submission, &settings.blocklist(), settings.max_links) {
        return Ok(Some(Hold::SpamSuspected(rule)));
    }
    let since = time::now() - TimeDelta::days(DUPLICATE_DAYS);
    let text = rules::normalised(comment.body);
    if db::moderation::duplicates(conn, comment.email, since)?.iter().any(|earlier| rules::normalised(earlier) == text)
    {
        return Ok(Some(Hold::SpamSuspected("the same text was already sent from this email".into())));
    }
    let author = Author { trusted: false, approved_before: db::moderation::approved_before(conn, comment.email)? };
    Ok(rules::premoderation_hold(site_settings::mode_for(post, &settings), &author))
}

/// What a moderator decides about one comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// The reason is shown to the author if they have an account.
    Reject(String),
    Spam,
    Delete,
}

impl Decision {
    fn action(&self) -> &'static str {
        match self {
            Self::Approve => "comment.approve",
            Self::Reject(_) => "comment.reject",
            Self::Spam => "comment.spam",
            Self::Delete => "comment.delete",
        }
    }

    pub fn past_tense(&self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject(_) => "rejected",
            Self::Spam => "marked as spam",
            Self::Delete => "deleted",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("no such comment")]
    NotFound,
    #[error("only moderators and admins can moderate comments")]
    NotModerator,
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The acting moderator's name, after checking their role on the server.
fn moderator(conn: &mut AnyConnection, actor: UserId) -> Result<String, ModerationError> {
    let user = db::users::find(conn, actor.0)?.ok_or(ModerationError::NotModerator)?;
    if !user.role.can_moderate() {
        return Err(ModerationError::NotModerator);
    }
    Ok(user.name)
}

fn comment(conn: &mut AnyConnection, id: CommentId) -> Result<Comment, ModerationError> {
    db::comments::find(conn, id.0)?.filter(|c| c.status != CommentStatus::Deleted).ok_or(ModerationError::NotFound)
}

/// Applies one decision to one comment (in the caller's transaction) and logs it.
fn apply(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: UserId,
    name: &str,
    id: CommentId,
    decision: &Decision,
    now: NaiveDateTime,
) -> Result<(), ModerationError> {
    let comment = comment(conn, id)?;
    let before = comment.status;
    let (after, reason) = match decision {
        Decision::Approve => {
            published(conn, mail, comment.id, now)?;
            (CommentStatus::Published, None)
        }
        Decision::Reject(reason) => {
            if reason.trim().is_empty() {
                return Err(ModerationError::Refused("Give a reason for rejecting the comment".into()));
            }
            unpublished(conn, &comment, CommentStatus::Rejected)?;
            (CommentStatus::Rejected, Some(reason.trim()))
        }
        Decision::Spam => {
            unpublished(conn, &comment, CommentStatus::Spam)?;
            (CommentStatus::Spam, None)
        }
        Decision::Delete => {
            unpublished(conn, &comment, CommentStatus::Deleted)?;
            (CommentStatus::Deleted, None)
        }
    };
    db::moderation::record_decision(conn, comment.id, name, now, reason)?;
    db::flags::resolve(conn, comment.id, now)?;
    let label = audit::comment_label(&comment.author_name, &comment.body_md);
    audit::record(
        conn,
        Some(actor.0),
        &Entry {
            action: decision.action(),
            target_type: "comment",
            target_id: Some(comment.id),
            target_label: &label,
            before: Some(before.as_str()),
            after: Some(after.as_str()),
            reason,
        },
    )?;
    Ok(())
}

/// One decision on one comment.
pub fn decide(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: UserId,
    id: CommentId,
    decision: &Decision,
) -> Result<(), ModerationError> {
    db::transaction(conn, |conn| {
        let name = moderator(conn, actor)?;
        apply(conn, mail, actor, &name, id, decision, time::now())
    })
}

/// The same decision on every selected comment, in one transaction: all or none.
/// Each comment gets its own audit row.
pub fn decide_all(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: UserId,
    ids: &[i64],
    decision: &Decision,
) -> Result<usize, ModerationError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    db::transaction(conn, |conn| {
        let name = moderator(conn, actor)?;
        let now = time::now();
        for &id in &ids {
            apply(conn, mail, actor, &name, CommentId(id), decision, now)?;
        }
        Ok(ids.len())
    })
}

/// A moderator's edit of a comment's text; the comment then says "edited by a moderator".
pub fn edit(
    conn: &mut AnyConnection,
    actor: UserId,
    id: CommentId,
    body: &CommentBody,
    reason: &str,
) -> Result<(), ModerationError> {
    let body_html = markdown::render_comment(body.as_str());
    db::transaction(conn, |conn| {
        let name = moderator(conn, actor)?;
        let comment = comment(conn, id)?;
        if comment.body_md == body.as_str() {
            return Ok(());
        }
        let now = time::now();
        db::moderation::record_edit(conn, comment.id, &comment.body_md, &name, true, now)?;
        db::moderation::set_body(conn, comment.id, body.as_str(), &body_html)?;
        db::moderation::record_moderator_edit(conn, comment.id, &name, now)?;
        if comment.is_published() {
            db::posts::bump_comments_version(conn, comment.post_id)?;
        }
        let label = audit::comment_label(&comment.author_name, &comment.body_md);
        audit::record(
            conn,
            Some(actor.0),
            &Entry {
                action: "comment.edit",
                target_type: "comment",
                target_id: Some(comment.id),
                target_label: &label,
                before: Some(&comment.body_md),
                after: Some(body.as_str()),
                reason: Some(reason),
            },
        )?;
        Ok(())
    })
}
