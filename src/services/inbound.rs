//! Reply-by-email: the reply addresses notifications carry, and a received reply
//! posted through the same service as the site's form (`comments::submit_comment`),
//! so freezes, closed posts, moderation, rate limits and body limits all apply.
//!
//! A reply is taken in one transaction with the row that records its Message-ID, so
//! a message delivered twice is posted once. A refused reply is recorded with why;
//! the account is told in one short email (rate-limited), and an official's reply
//! keeps its text for the moderators (`email_replies`).

use std::collections::HashMap;

use diesel::QueryResult;

use crate::config::AbuseSettings;
use crate::db::comments::Comment;
use crate::db::officials::OfficialRole;
use crate::db::{self, AnyConnection};
use crate::domain::comment::{CommentAuthor, CommentBody, NewComment, BODY_MAX};
use crate::domain::inbound::{DepartmentHints, Dropped, Refusal, Review, Taken};
use crate::domain::reply_address::ReplyToken;
use crate::domain::{reply_text, time};
use crate::mail::templates::{self as emails, Refused};
use crate::mail::{MailContext, ReplyTo};
use crate::services::comments::{submit_comment, Origin, PostCommentError, Posted};
use crate::services::outbox::enqueue;
use crate::services::rate_limit::{self, Action, RateLimitError};

/// The department a comment concerns (see `DepartmentHints`).
pub fn comment_department(conn: &mut AnyConnection, comment: &Comment) -> QueryResult<Option<i64>> {
    let speaks_for = match comment.official_role_id {
        Some(role) => db::officials::find(conn, role)?.map(|r| r.department_id),
        None => None,
    };
    let thread = match comment.thread_id {
        id if id == comment.id => None,
        id => db::comments::find(conn, id)?,
    };
    let hints = DepartmentHints {
        routed: comment.department_id,
        speaks_for,
        thread_routed: thread.as_ref().and_then(|t| t.department_id),
        suggested: comment.suggested_department_id,
        thread_suggested: thread.as_ref().and_then(|t| t.suggested_department_id),
    };
    Ok(hints.department())
}

/// The official grant a user answers `comment` with by email: theirs in force for
/// the comment's department, if they have one.
pub fn voice(conn: &mut AnyConnection, user_id: i64, comment: &Comment) -> QueryResult<Option<OfficialRole>> {
    match comment_department(conn, comment)? {
        Some(department) => db::officials::active_for(conn, user_id, department),
        None => Ok(None),
    }
}

/// The reply address on an email to `user_id` about `comment`, and the words that
/// say how answering works; `None` when reply-by-email is off or the comment cannot
/// be answered now.
pub fn reply_for(
    conn: &mut AnyConnection,
    mail: &MailContext,
    user_id: i64,
    comment: &Comment,
) -> QueryResult<Option<(ReplyTo, String)>> {
    if mail.reply_address().is_none() || db::inbound::answerable_among(conn, &[comment.id])?.is_empty() {
        return Ok(None);
    }
    let grant = voice(conn, user_id, comment)?;
    let Some(reply) = mail.reply_to(ReplyToken::new(user_id, comment.id, grant.as_ref().map(|g| g.id), time::now()))
    else {
        return Ok(None);
    };
    let words = match &grant {
        Some(grant) => {
            let department = db::departments::find(conn, grant.department_id)?.map(|d| d.acronym).unwrap_or_default();
            format!(
                "Answer by replying to this email (write above the quoted text): your reply is posted on the site as an \
                 official response from {department}. To post it as yourself instead, write #personal on its first line."
            )
        }
        None => "Answer by replying to this email (write above the quoted text): your reply is posted on the site \
                 under your name."
            .to_owned(),
    };
    Ok(Some((reply, words)))
}

/// Reply addresses for digest items: those of `ids` that can be answered now.
pub fn reply_addresses(
    conn: &mut AnyConnection,
    mail: &MailContext,
    user_id: i64,
    ids: &[i64],
) -> QueryResult<HashMap<i64, String>> {
    let mut addresses = HashMap::new();
    if mail.reply_address().is_none() {
        return Ok(addresses);
    }
    for id in db::inbound::answerable_among(conn, ids)? {
        let Some(comment) = db::comments::find(conn, id)? else { continue };
        let grant = voice(conn, user_id, &comment)?;
        if let Some(reply) = mail.reply_to(ReplyToken::new(user_id, id, grant.map(|g| g.id), time::now())) {
            addresses.insert(id, reply.address);
        }
    }
    Ok(addresses)
}

/// A reply whose token verified, with its new text (history already cut).
pub struct Reply<'a> {
    /// Its Message-ID (or a digest of it): one post per key.
    pub key: &'a str,
    pub token: ReplyToken,
    /// The From address.
    pub from: &'a str,
    pub text: &'a str,
}

/// What limits a reply by email.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Days a reply address works.
    pub token_days: u32,
    pub limits: AbuseSettings,
}

/// What became of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    Posted {
        reply_id: i64,
        official: bool,
    },
    /// Posted, and held for a moderator like a comment from the form.
    Held {
        reply_id: i64,
    },
    Refused {
        refusal: Refusal,
        kept: bool,
        told: bool,
    },
    /// The same message was taken before.
    Duplicate,
    Dropped(Dropped),
    /// The account the address was made for no longer exists.
    NoAccount,
}

/// Takes one reply: posts it, or refuses it and says why. Every email it causes is
/// in the outbox when this returns.
pub fn receive(conn: &mut AnyConnection, mail: &MailContext, rules: &Rules, reply: &Reply) -> QueryResult<Received> {
    match db::transaction(conn, |conn| take(conn, mail, rules, reply)) {
        // Two deliveries at once: the second one's row collides with the first's.
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(Received::Duplicate)
        }
        outcome => outcome,
    }
}

/// The reply with what is known about it.
struct Context<'a> {
    reply: &'a Reply<'a>,
    rules: &'a Rules,
    user: db::users::User,
    comment: Option<Comment>,
    post: Option<db::posts::Post>,
    /// The grant the address was made for, when it was made for one.
    grant: Option<OfficialRole>,
    /// The reply speaks for the grant (the address has one, and no `#personal`).
    official: bool,
    text: String,
}

fn take(conn: &mut AnyConnection, mail: &MailContext, rules: &Rules, reply: &Reply) -> QueryResult<Received> {
    if db::inbound::seen(conn, reply.key)? {
        return Ok(Received::Duplicate);
    }
    let token = reply.token;
    let Some(user) = db::users::find(conn, token.user_id)?.filter(|u| !u.email.ends_with("@deleted.invalid")) else {
        return Ok(Received::NoAccount);
    };
    let (personal, text) = reply_text::personal(reply.text);
    if text.trim().is_empty() {
        return Ok(Received::Dropped(Dropped::NoText));
    }
    let comment = db::comments::find(conn, token.comment_id)?;
    let post = match &comment {
        Some(c) => db::posts::find_by_id(conn, c.post_id)?,
        None => None,
    };
    let grant = match token.grant_id {
        Some(id) => db::officials::find(conn, id)?,
        None => None,
    };
    let official = token.grant_id.is_some() && !personal;
    let context = Context { reply, rules, user, comment, post, grant, official, text };
    if let Some(refusal) = refusal(conn, &context)? {
        return refuse(conn, mail, &context, refusal);
    }
    publish(conn, mail, &context)
}

/// Why the reply may not be posted, checked in the order a person would want to
/// hear it: who sent it, whether the address still works, then the post's rules.
fn refusal(conn: &mut AnyConnection, c: &Context) -> QueryResult<Option<Refusal>> {
    let (user, rules) = (&c.user, c.rules);
    if user.email_verified_at.is_none() {
        return Ok(Some(Refusal::Unconfirmed));
    }
    if !c.reply.from.trim().eq_ignore_ascii_case(user.email.trim()) {
        return Ok(Some(Refusal::WrongSender { from: c.reply.from.to_owned() }));
    }
    if c.reply.token.expired(time::now(), rules.token_days) {
        return Ok(Some(Refusal::Expired { days: rules.token_days }));
    }
    if let Some(grant_id) = c.reply.token.grant_id {
        let in_force = c.grant.as_ref().filter(|g| g.user_id == user.id && g.revoked_at.is_none());
        if in_force.is_none() {
            let department = match &c.grant {
                Some(g) => db::departments::find(conn, g.department_id)?.map(|d| d.name),
                None => None,
            };
            let department = department.unwrap_or_else(|| format!("grant {grant_id}"));
            return Ok(Some(Refusal::GrantRevoked { department }));
        }
    }
    let (Some(comment), Some(post)) = (&c.comment, &c.post) else { return Ok(Some(Refusal::CommentGone)) };
    if !comment.is_published() || !post.published {
        return Ok(Some(Refusal::CommentGone));
    }
    if !post.comments_open {
        return Ok(Some(Refusal::Closed));
    }
    if let Some(freeze) = db::flags::in_force(conn, post.id, time::now())? {
        return Ok(Some(Refusal::Frozen { notice: freeze.notice }));
    }
    let chars = c.text.chars().count();
    if chars > BODY_MAX {
        return Ok(Some(Refusal::TooLong { chars, most: BODY_MAX }));
    }
    // As on the form: moderators and officials answer in bursts; everyone else is counted.
    let exempt = user.role.can_moderate() || !db::officials::active_listings_for_user(conn, user.id)?.is_empty();
    if !exempt {
        let key = format!("user:{}", user.id);
        match rate_limit::check_each(conn, &rules.limits, Action::Comment, &[&key]) {
            Ok(()) => {}
            Err(RateLimitError::RetryAfter(wait)) => {
                return Ok(Some(Refusal::RateLimited { wait: rate_limit::wait_words(wait) }))
            }
            Err(RateLimitError::Database(e)) => return Err(e),
        }
    }
    Ok(None)
}

fn publish(conn: &mut AnyConnection, mail: &MailContext, c: &Context) -> QueryResult<Received> {
    let (Some(comment), Some(post)) = (&c.comment, &c.post) else {
        return refuse(conn, mail, c, Refusal::CommentGone);
    };
    let Ok(body) = CommentBody::parse(&c.text) else {
        return Ok(Received::Dropped(Dropped::NoText));
    };
    let new = NewComment {
        author: CommentAuthor::Member {
            user_id: c.user.id,
            as_official: c.grant.as_ref().filter(|_| c.official).map(|g| g.id),
        },
        body,
        parent_id: Some(comment.id),
        also_answers: Vec::new(),
        email_me: false,
    };
    let refusal = match submit_comment(conn, mail, post.id, &new, &Origin::default()) {
        Ok(posted) => {
            let (taken, received) = match posted {
                Posted::Published(id) => (Taken::Posted, Received::Posted { reply_id: id, official: c.official }),
                Posted::Held { id, .. } => (Taken::Held, Received::Held { reply_id: id }),
            };
            record(conn, c, taken, "", Some(posted.id()), None)?;
            tracing::info!(
                user_id = c.user.id,
                comment_id = comment.id,
                reply_id = posted.id(),
                official = c.official,
                held = matches!(taken, Taken::Held),
                "reply by email posted"
            );
            return Ok(received);
        }
        Err(PostCommentError::Closed) => Refusal::Closed,
        Err(PostCommentError::NoSuchParent | PostCommentError::NoSuchPost) => Refusal::CommentGone,
        Err(PostCommentError::NotOfficial) => Refusal::GrantRevoked {
            department: c.reply.token.grant_id.map(|g| format!("grant {g}")).unwrap_or_default(),
        },
        Err(PostCommentError::NoSuchUser) => return Ok(Received::NoAccount),
        Err(PostCommentError::Database(e)) => return Err(e),
    };
    refuse(conn, mail, c, refusal)
}

/// Records the refusal (an official's text kept for the moderators), logs it, and
/// tells the account in one short email unless it has had too many (refusal emails
/// count like every email a person can cause: ANSWERABLE_EMAILS_PER_HOUR).
fn refuse(conn: &mut AnyConnection, mail: &MailContext, c: &Context, refusal: Refusal) -> QueryResult<Received> {
    let reason = refusal.words();
    let kept = c.official;
    record(conn, c, Taken::Refused, &reason, None, kept.then_some(c.text.as_str()))?;
    tracing::warn!(
        user_id = c.user.id, comment_id = c.reply.token.comment_id, from = %c.reply.from, kept, %reason,
        "reply by email refused"
    );
    let mut told = false;
    if refusal.tell_account() {
        let key = format!("reply-refused:{}", c.user.email.to_lowercase());
        match rate_limit::check(conn, &c.rules.limits, Action::SendEmail, &key) {
            Ok(()) => {
                let (author, title, form) = match (&c.comment, &c.post) {
                    (Some(comment), Some(post)) => (
                        comment.author_name.clone(),
                        post.title.clone(),
                        mail.url(&format!("/posts/{}/comments/new?parent={}", post.slug, comment.id)),
                    ),
                    _ => ("a".to_owned(), "the site".to_owned(), mail.url("/")),
                };
                let words = Refused {
                    reason: &reason,
                    post_title: &title,
                    answered_author: &author,
                    form_link: &form,
                    text: &c.text,
                    kept,
                };
                told = enqueue(conn, mail, "reply_refused", &emails::reply_refused(&c.user.email, &words))?.is_some();
            }
            Err(RateLimitError::RetryAfter(_)) => {
                tracing::info!(
                    user_id = c.user.id,
                    "too many refusals told to this account this hour; not telling this one"
                );
            }
            Err(RateLimitError::Database(e)) => return Err(e),
        }
    }
    Ok(Received::Refused { refusal, kept, told })
}

fn record(
    conn: &mut AnyConnection,
    c: &Context,
    outcome: Taken,
    reason: &str,
    reply_id: Option<i64>,
    kept: Option<&str>,
) -> QueryResult<i64> {
    db::inbound::insert(
        conn,
        &db::inbound::NewInbound {
            message_id: c.reply.key,
            sender: c.reply.from,
            user_id: Some(c.user.id),
            comment_id: c.comment.as_ref().map(|comment| comment.id),
            official_role_id: c.grant.as_ref().map(|g| g.id).filter(|_| c.official),
            outcome,
            reason,
            reply_id,
            body: kept,
            review: kept.map(|_| Review::Open),
            received_at: time::now(),
        },
    )
}
