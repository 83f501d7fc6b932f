//! Who hears about an event by email. Called inside the transaction of the event,
//! so what is owed is in the outbox exactly when the event is on disk.
//!
//! Each address hears once per event, in this order: the authors an official
//! reply answers (or the author replied to), then followers of the thread and the
//! post. Nobody is told about their own comment. Accounts get mail only at a
//! verified address, as their notification settings say; guests only through a
//! confirmed subscription.

use std::collections::HashSet;

use diesel::prelude::*;

use crate::db::comments::Comment;
use crate::db::posts::Post;
use crate::db::subscriptions::{Subscription, TARGET_COMMENT, TARGET_THREAD};
use crate::db::{self, AnyConnection};
use crate::domain::account::Role;
use crate::domain::notification::{Kind, Mode, StateNews, Unsubscribe};
use crate::domain::time;
use crate::mail::message::discussion_id;
use crate::mail::templates::{self as emails, Shown};
use crate::mail::{Email, MailContext};
use crate::services::inbound;
use crate::services::outbox::enqueue;
use crate::services::subscriptions::mode_for;

/// The event's comment and who has already been written to.
struct Notice<'a> {
    mail: &'a MailContext,
    comment: Comment,
    post: Post,
    told: HashSet<String>,
}

impl<'a> Notice<'a> {
    fn load(conn: &mut AnyConnection, mail: &'a MailContext, comment_id: i64) -> QueryResult<Option<Self>> {
        let Some(mut notice) = Self::load_for_author(conn, mail, comment_id)? else { return Ok(None) };
        notice.told.insert(notice.comment.author_email.to_lowercase());
        Ok(Some(notice))
    }

    /// As `load`, for news its own author is to hear.
    fn load_for_author(conn: &mut AnyConnection, mail: &'a MailContext, comment_id: i64) -> QueryResult<Option<Self>> {
        let Some(comment) = db::comments::find(conn, comment_id)? else { return Ok(None) };
        let Some(post) = db::posts::find_by_id(conn, comment.post_id)? else { return Ok(None) };
        Ok(Some(Self { mail, comment, post, told: HashSet::new() }))
    }

    fn shown(&self, answer: Option<String>) -> Shown<'_> {
        Shown {
            comment: &self.comment,
            post: &self.post,
            link: self.mail.url(&format!("/comments/{}", self.comment.id)),
            answer,
        }
    }

    /// The email `make` writes, answerable by email when `user_id` may answer the comment.
    fn answerable(
        &self,
        conn: &mut AnyConnection,
        user_id: Option<i64>,
        to: &str,
        unsubscribe: &str,
        make: impl FnOnce(&str, &Shown, &str) -> Email,
    ) -> QueryResult<Email> {
        let reply = match user_id {
            Some(user_id) => inbound::reply_for(conn, self.mail, user_id, &self.comment)?,
            None => None,
        };
        let (reply_to, answer) = reply.map_or((None, None), |(to, words)| (Some(to), Some(words)));
        let mut email = make(to, &self.shown(answer), unsubscribe);
        if reply_to.is_some() {
            email.reply_to = reply_to;
            email.auto_submitted = Some("auto-generated");
        }
        Ok(email)
    }

    fn send(&mut self, conn: &mut AnyConnection, kind: &str, mut email: Email) -> QueryResult<()> {
        if !self.told.insert(email.to.to_lowercase()) {
            return Ok(());
        }
        email.references = vec![
            discussion_id("post", self.post.id, &self.mail.host),
            discussion_id("thread", self.comment.thread_id, &self.mail.host),
        ];
        enqueue(conn, self.mail, kind, &email).map(|_| ())
    }

    /// An account, as its settings for `kind` say: now, in the digest, or not at all.
    fn tell_account(
        &mut self,
        conn: &mut AnyConnection,
        user_id: i64,
        kind: Kind,
        outbox_kind: &str,
        make: impl FnOnce(&str, &Shown, &str) -> Email,
    ) -> QueryResult<()> {
        let Some(user) = db::users::find(conn, user_id)? else { return Ok(()) };
        if user.email_verified_at.is_none() || self.told.contains(&user.email.to_lowercase()) {
            return Ok(());
        }
        match mode_for(conn, user_id, kind)? {
            Mode::Immediate => {
                let unsubscribe = self.mail.unsubscribe_url(Unsubscribe::Account { user_id, kind });
                let email = self.answerable(conn, Some(user_id), &user.email, &unsubscribe, make)?;
                self.send(conn, outbox_kind, email)
            }
            Mode::Daily => {
                self.told.insert(user.email.to_lowercase());
                db::subscriptions::add_digest_item(conn, user_id, kind.as_str(), self.comment.id, time::now())
                    .map(|_| ())
            }
            Mode::Off => Ok(()),
        }
    }

    fn tell_subscriber(
        &mut self,
        conn: &mut AnyConnection,
        subscription: &Subscription,
        outbox_kind: &str,
        make: impl FnOnce(&str, &Shown, &str) -> Email,
    ) -> QueryResult<()> {
        if self.told.contains(&subscription.email.to_lowercase()) {
            return Ok(());
        }
        let unsubscribe = self.mail.unsubscribe_url(Unsubscribe::Subscription(subscription.id));
        // A follower with an account answers as that account, at its confirmed address.
        let account = match subscription.user_id {
            Some(id) => db::users::find(conn, id)?
                .filter(|u| u.email_verified_at.is_some() && u.email.eq_ignore_ascii_case(&subscription.email))
                .map(|u| u.id),
            None => None,
        };
        let email = self.answerable(conn, account, &subscription.email, &unsubscribe, make)?;
        self.send(conn, outbox_kind, email)
    }

    /// The author of `about`: their account, or their confirmed request for replies.
    fn tell_author(
        &mut self,
        conn: &mut AnyConnection,
        about: &Comment,
        kind: Kind,
        outbox_kind: &str,
        make: impl FnOnce(&str, &Shown, &str) -> Email,
    ) -> QueryResult<()> {
        if let Some(user_id) = about.user_id {
            return self.tell_account(conn, user_id, kind, outbox_kind, make);
        }
        let requests = db::subscriptions::followers(conn, about.post_id, None, Some(about.id))?;
        match requests.iter().find(|s| s.target == TARGET_COMMENT) {
            Some(request) => self.tell_subscriber(conn, request, outbox_kind, make),
            None => Ok(()),
        }
    }

    /// Everyone following the thread or the post.
    fn tell_followers(&mut self, conn: &mut AnyConnection, official: bool) -> QueryResult<()> {
        let thread = (self.comment.parent_id.is_some()).then_some(self.comment.thread_id);
        let followers = db::subscriptions::followers(conn, self.post.id, thread, None)?;
        for follower in followers.iter().filter(|s| s.target != TARGET_COMMENT) {
            let in_thread = follower.target == TARGET_THREAD;
            if official {
                self.tell_subscriber(conn, follower, "official_response", |to, shown, unsubscribe| {
                    emails::official_response(to, shown, false, unsubscribe)
                })?;
            } else {
                self.tell_subscriber(conn, follower, "followed", |to, shown, unsubscribe| {
                    emails::followed(to, shown, in_thread, unsubscribe)
                })?;
            }
        }
        Ok(())
    }
}

/// A comment was published: its parent's author hears of the reply; for an official
/// reply, every author it answers hears of the official response; then followers.
pub fn comment_published(
    conn: &mut AnyConnection,
    mail: &MailContext,
    comment_id: i64,
    answered: &[i64],
) -> QueryResult<()> {
    let Some(mut notice) = Notice::load(conn, mail, comment_id)? else { return Ok(()) };
    let official = notice.comment.badge_title.is_some();
    if official {
        tell_answered(conn, &mut notice, answered)?;
    }
    if let Some(parent_id) = notice.comment.parent_id {
        if let Some(parent) = db::comments::find(conn, parent_id)? {
            notice.tell_author(conn, &parent, Kind::Replies, "reply", emails::reply_to_you)?;
        }
    }
    notice.tell_followers(conn, official)
}

/// An existing official reply was linked as the answer to more comments: their
/// authors hear of it.
pub fn answers_linked(
    conn: &mut AnyConnection,
    mail: &MailContext,
    reply_id: i64,
    answered: &[i64],
) -> QueryResult<()> {
    let Some(mut notice) = Notice::load(conn, mail, reply_id)? else { return Ok(()) };
    tell_answered(conn, &mut notice, answered)
}

fn tell_answered(conn: &mut AnyConnection, notice: &mut Notice, answered: &[i64]) -> QueryResult<()> {
    for &id in answered {
        if let Some(about) = db::comments::find(conn, id)? {
            notice.tell_author(
                conn,
                &about,
                Kind::OfficialResponses,
                "official_response",
                |to, shown, unsubscribe| emails::official_response(to, shown, true, unsubscribe),
            )?;
        }
    }
    Ok(())
}

/// A comment was held for moderation: moderators who want each one hear of it now
/// (the others see held comments in their daily digest).
pub fn comment_held(conn: &mut AnyConnection, mail: &MailContext, comment_id: i64) -> QueryResult<()> {
    let Some(mut notice) = Notice::load(conn, mail, comment_id)? else { return Ok(()) };
    let roles = [Role::Moderator.as_str(), Role::Admin.as_str()];
    for moderator in db::users::verified_with_roles(conn, &roles)? {
        if mode_for(conn, moderator.id, Kind::Moderation)? == Mode::Immediate {
            notice.tell_account(conn, moderator.id, Kind::Moderation, "held", |to, shown, unsubscribe| {
                emails::held(to, shown, unsubscribe)
            })?;
        }
    }
    Ok(())
}

/// A comment was routed to a department: its officials hear of it, as they chose.
pub fn comment_routed(
    conn: &mut AnyConnection,
    mail: &MailContext,
    comment_id: i64,
    department_id: i64,
) -> QueryResult<()> {
    let Some(mut notice) = Notice::load(conn, mail, comment_id)? else { return Ok(()) };
    let Some(department) = db::departments::find(conn, department_id)? else { return Ok(()) };
    for user_id in db::officials::active_user_ids(conn, department_id)? {
        notice.tell_account(conn, user_id, Kind::DepartmentComments, "routed", |to, shown, unsubscribe| {
            emails::routed(to, shown, &department.acronym, unsubscribe)
        })?;
    }
    Ok(())
}

/// A comment was acknowledged, referred or marked as needing no response: its author
/// hears of it (and where to, and why), as their settings say, unless they did it
/// themselves.
pub fn state_changed(
    conn: &mut AnyConnection,
    mail: &MailContext,
    comment_id: i64,
    actor_user_id: i64,
) -> QueryResult<()> {
    let Some(mut notice) = Notice::load_for_author(conn, mail, comment_id)? else { return Ok(()) };
    let comment = notice.comment.clone();
    let Some(state) = comment.response_state else { return Ok(()) };
    let Some(kind) = Kind::for_state(state) else { return Ok(()) };
    if comment.user_id == Some(actor_user_id) {
        return Ok(());
    }
    let news = StateNews::new(
        state,
        comment.response_by.as_deref(),
        comment.referred_to.as_deref(),
        comment.response_note.as_deref(),
    );
    notice.tell_author(conn, &comment, kind, kind.as_str(), |to, shown, unsubscribe| {
        emails::state_changed(to, shown, &news, unsubscribe)
    })
}
