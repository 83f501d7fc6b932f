//! Following by email: subscribe (confirmed by a link first, unless it is the
//! account's own verified address), confirm, unsubscribe; and an account's
//! notification settings.

use chrono::TimeDelta;
use diesel::prelude::*;

use crate::db::subscriptions::{self as rows, NewSubscription, Subscription, PURPOSE_CONFIRM};
use crate::db::users::User;
use crate::db::{self, AnyConnection};
use crate::domain::ids::{CommentId, PostId};
use crate::domain::notification::{Kind, Mode, Unsubscribe};
use crate::domain::time;
use crate::mail::templates as emails;
use crate::mail::MailContext;
use crate::services::email_tokens::{self, Checked};
use crate::services::outbox::enqueue;

/// How long a guest has to confirm.
pub const CONFIRM_DAYS: i64 = 7;

/// What can be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Replies to one comment (a guest ticks "Email me when someone replies").
    Replies {
        post_id: i64,
        comment_id: i64,
    },
    Thread {
        post_id: i64,
        thread_id: i64,
    },
    Post {
        post_id: i64,
    },
}

impl Target {
    fn parts(self) -> (&'static str, i64, Option<i64>) {
        match self {
            Target::Replies { post_id, comment_id } => (rows::TARGET_COMMENT, post_id, Some(comment_id)),
            Target::Thread { post_id, thread_id } => (rows::TARGET_THREAD, post_id, Some(thread_id)),
            Target::Post { post_id } => (rows::TARGET_POST, post_id, None),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Followed {
    /// In force now (an account's verified address).
    Following,
    /// A confirmation link went to the address; nothing else is sent before it is used.
    ConfirmationSent,
    AlreadyFollowing,
}

/// What a subscription is about: "replies to your comment on “T”", "the thread
/// started by A on “T”", "the post “T”".
fn topic(conn: &mut AnyConnection, subscription: &Subscription) -> QueryResult<String> {
    let title = db::posts::find_by_id(conn, subscription.post_id)?.map(|p| p.title).unwrap_or_default();
    let author = match subscription.comment_id {
        Some(id) => db::comments::find(conn, id)?.map(|c| c.author_name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(match subscription.target.as_str() {
        rows::TARGET_COMMENT => format!("replies to your comment on “{title}”"),
        rows::TARGET_THREAD => format!("the thread started by {author} on “{title}”"),
        _ => format!("the post “{title}”"),
    })
}

/// What a subscription does, as what one asks for: "get replies to your comment on “T”".
pub fn describe(conn: &mut AnyConnection, subscription: &Subscription) -> QueryResult<String> {
    let verb = if subscription.target == rows::TARGET_COMMENT { "get" } else { "follow" };
    Ok(format!("{verb} {}", topic(conn, subscription)?))
}

/// Subscribes `email` to `target`. An account following at its own verified address
/// is following at once; any other address gets a confirmation link first.
pub fn follow(
    conn: &mut AnyConnection,
    mail: &MailContext,
    email: &str,
    account: Option<&User>,
    target: Target,
) -> QueryResult<Followed> {
    let email = email.trim();
    let (kind, post_id, comment_id) = target.parts();
    let own_verified =
        account.filter(|u| u.email.eq_ignore_ascii_case(email) && u.email_verified_at.is_some()).map(|u| u.id);
    let now = time::now();
    let existing = rows::find_same(conn, email, kind, post_id, comment_id)?;
    let subscription = match existing {
        Some(found) if found.confirmed_at.is_some() => return Ok(Followed::AlreadyFollowing),
        Some(found) => found,
        None => {
            let id = rows::insert(
                conn,
                &NewSubscription {
                    email,
                    user_id: account.map(|u| u.id),
                    target: kind,
                    post_id,
                    comment_id,
                    confirmed_at: own_verified.map(|_| now),
                    created_at: now,
                },
            )?;
            if own_verified.is_some() {
                return Ok(Followed::Following);
            }
            rows::find(conn, id)?.ok_or(diesel::result::Error::NotFound)?
        }
    };
    if own_verified.is_some() {
        rows::confirm(conn, subscription.id, now)?;
        return Ok(Followed::Following);
    }
    send_confirmation(conn, mail, &subscription)?;
    Ok(Followed::ConfirmationSent)
}

/// Sends the link that confirms a subscription (double opt-in).
fn send_confirmation(conn: &mut AnyConnection, mail: &MailContext, subscription: &Subscription) -> QueryResult<()> {
    let token = email_tokens::issue(
        conn,
        PURPOSE_CONFIRM,
        &subscription.email,
        None,
        Some(subscription.id),
        TimeDelta::days(CONFIRM_DAYS),
    )?;
    let what = describe(conn, subscription)?;
    let link = mail.url(&format!("/subscriptions/confirm/{token}"));
    enqueue(conn, mail, PURPOSE_CONFIRM, &emails::confirm_subscription(&subscription.email, &what, &link))?;
    Ok(())
}

/// A guest's "Email me when someone replies", kept with their comment. The link to
/// confirm it goes out when the comment is published (`ask_to_confirm_replies`), so
/// a comment held as spam sends nobody anything.
pub fn request_replies(
    conn: &mut AnyConnection,
    email: &str,
    post_id: PostId,
    comment_id: CommentId,
) -> QueryResult<()> {
    let (post_id, comment_id) = (post_id.0, comment_id.0);
    if rows::find_same(conn, email, rows::TARGET_COMMENT, post_id, Some(comment_id))?.is_none() {
        rows::insert(
            conn,
            &NewSubscription {
                email,
                user_id: None,
                target: rows::TARGET_COMMENT,
                post_id,
                comment_id: Some(comment_id),
                confirmed_at: None,
                created_at: time::now(),
            },
        )?;
    }
    Ok(())
}

/// Sends the confirmation links of reply requests on a comment just published (once each).
pub fn ask_to_confirm_replies(conn: &mut AnyConnection, mail: &MailContext, comment_id: i64) -> QueryResult<()> {
    for subscription in rows::unconfirmed_for_comment(conn, comment_id)? {
        if !rows::has_token(conn, subscription.id)? {
            send_confirmation(conn, mail, &subscription)?;
        }
    }
    Ok(())
}

/// What a confirmation link did.
pub enum Confirmed {
    Done { what: String, post_id: i64 },
    Expired,
    Used,
    Unknown,
}

pub fn confirm(conn: &mut AnyConnection, token: &str) -> QueryResult<Confirmed> {
    db::transaction(conn, |conn| {
        let found = match email_tokens::redeem(conn, PURPOSE_CONFIRM, token)? {
            Checked::Valid(found) => found,
            Checked::Expired => return Ok(Confirmed::Expired),
            Checked::Used => return Ok(Confirmed::Used),
            Checked::Unknown => return Ok(Confirmed::Unknown),
        };
        let Some(subscription) = found.subscription_id.map(|id| rows::find(conn, id)).transpose()?.flatten() else {
            return Ok(Confirmed::Unknown);
        };
        rows::confirm(conn, subscription.id, time::now())?;
        Ok(Confirmed::Done { what: describe(conn, &subscription)?, post_id: subscription.post_id })
    })
}

/// What an unsubscribe link turns off, in words, or `None` when it no longer exists.
pub fn describe_unsubscribe(conn: &mut AnyConnection, what: Unsubscribe) -> QueryResult<Option<String>> {
    match what {
        Unsubscribe::Subscription(id) => match rows::find(conn, id)? {
            Some(subscription) => Ok(Some(format!("emails about {}", topic(conn, &subscription)?))),
            None => Ok(None),
        },
        Unsubscribe::Account { user_id, kind } => {
            Ok(db::users::find(conn, user_id)?.map(|_| format!("emails about {}", kind.label().to_lowercase())))
        }
        Unsubscribe::Digest { user_id } => Ok(db::users::find(conn, user_id)?.map(|_| "your daily digest".to_owned())),
    }
}

/// Turns off what the link names. Doing it twice is harmless.
pub fn unsubscribe(conn: &mut AnyConnection, what: Unsubscribe) -> QueryResult<bool> {
    match what {
        Unsubscribe::Subscription(id) => {
            let exists = rows::find(conn, id)?.is_some();
            rows::unsubscribe(conn, id, time::now())?;
            Ok(exists)
        }
        Unsubscribe::Account { user_id, kind } => {
            if db::users::find(conn, user_id)?.is_none() {
                return Ok(false);
            }
            rows::set_preference(conn, user_id, kind.as_str(), Mode::Off.as_str())?;
            Ok(true)
        }
        Unsubscribe::Digest { user_id } => {
            if db::users::find(conn, user_id)?.is_none() {
                return Ok(false);
            }
            for (kind, mode) in preferences(conn, user_id)? {
                if mode == Mode::Daily {
                    rows::set_preference(conn, user_id, kind.as_str(), Mode::Off.as_str())?;
                }
            }
            Ok(true)
        }
    }
}

/// How an account gets one kind of notification.
pub fn mode_for(conn: &mut AnyConnection, user_id: i64, kind: Kind) -> QueryResult<Mode> {
    Ok(preferences(conn, user_id)?.into_iter().find(|(k, _)| *k == kind).map_or(kind.default_mode(), |(_, m)| m))
}

/// Every kind with the account's mode (its choice, or the default).
pub fn preferences(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<(Kind, Mode)>> {
    let chosen = rows::preferences(conn, user_id)?;
    Ok(Kind::ALL
        .into_iter()
        .map(|kind| {
            let mode = chosen
                .iter()
                .find(|(k, _)| k == kind.as_str())
                .and_then(|(_, m)| Mode::parse(m))
                .unwrap_or(kind.default_mode());
            (kind, mode)
        })
        .collect())
}

pub fn set_preferences(conn: &mut AnyConnection, user_id: i64, choices: &[(Kind, Mode)]) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        for (kind, mode) in choices {
            rows::set_preference(conn, user_id, kind.as_str(), mode.as_str())?;
        }
        Ok(())
    })
}

/// The account's live subscriptions, described, for its settings page.
pub fn list_for(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<(Subscription, String)>> {
    let subscriptions = rows::for_user(conn, user_id)?;
    subscriptions.into_iter().filter(|s| s.confirmed_at.is_some()).map(|s| describe(conn, &s).map(|d| (s, d))).collect()
}
