//! Daily digests: once a day, after the configured hour (UTC), each account that
//! chose a digest for some kind gets one email listing what happened, made in one
//! transaction with clearing what it lists.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::users::User;
use crate::db::{self, AnyConnection};
use crate::domain::account::Role;
use crate::domain::markdown;
use crate::domain::notification::{Kind, Mode, StateNews, Unsubscribe};
use crate::domain::working_days::Calendar;
use crate::mail::templates::{self as emails, DigestLine, DigestSection, Waiting};
use crate::mail::worker::Digests;
use crate::mail::MailContext;
use crate::read::deadlines::{age_in_working_days, calendar, overdue_cutoffs};
use crate::services::inbound;
use crate::services::outbox::enqueue;
use crate::services::subscriptions::preferences;

/// Longest list in one section; the rest are behind the link to the queue.
const SECTION_LIMIT: i64 = 25;

/// What the mail worker is handed to make the digests when they are due.
pub const MAKER: Digests = Digests { latest_moment, make_due };

/// The most recent digest moment at or before `now`: today at `hour`, or yesterday.
pub fn latest_moment(now: NaiveDateTime, hour: u32) -> NaiveDateTime {
    let today = now.date().and_hms_opt(hour, 0, 0).unwrap_or(now);
    if today <= now {
        today
    } else {
        today - TimeDelta::days(1)
    }
}

/// Makes every digest due at `now`; returns how many emails were queued.
pub fn make_due(conn: &mut AnyConnection, mail: &MailContext, now: NaiveDateTime, hour: u32) -> QueryResult<usize> {
    let moment = latest_moment(now, hour);
    let roles = [Role::Reader.as_str(), Role::Moderator.as_str(), Role::Admin.as_str()];
    let mut made = 0;
    for user in db::users::verified_with_roles(conn, &roles)? {
        let sent = db::transaction(conn, |conn| {
            Ok::<_, diesel::result::Error>(
                db::subscriptions::claim_digest(conn, user.id, moment, now)? && make_one(conn, mail, &user, now)?,
            )
        })?;
        made += usize::from(sent);
    }
    Ok(made)
}

/// What a digest's lines lead to, and whether they say how long they waited.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A comment to answer: the reply form, ready to respond, and the wait against
    /// its department's target.
    Respond,
    /// A thread to route: its responses page, and how long it has waited.
    Route,
    /// A held comment: the moderation queue.
    Moderate,
    /// News: the comment in its conversation.
    Read,
    /// News about your own comment: where it stands now, and the comment.
    Standing,
}

/// What the ages in one digest are counted with: the working-day calendar, each
/// department's target, and now.
struct Clock {
    calendar: Calendar,
    targets: Vec<(i64, i64)>,
    now: NaiveDateTime,
}

impl Clock {
    fn load(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Self> {
        let targets = db::departments::list(conn)?.into_iter().map(|d| (d.id, i64::from(d.target_days))).collect();
        Ok(Self { calendar: calendar(conn)?, targets, now })
    }

    /// How long a comment has waited since it was published, against the target of
    /// the department it is routed to.
    fn waiting(&self, line: &db::digests::Line) -> Waiting {
        let since = line.published_at.unwrap_or(line.created_at);
        let target = line.department_id.and_then(|id| self.targets.iter().find(|(d, _)| *d == id)).map(|(_, t)| *t);
        Waiting { days: age_in_working_days(&self.calendar, since, self.now), target }
    }
}

/// One account's digest; false when there was nothing to say (nothing is sent).
fn make_one(conn: &mut AnyConnection, mail: &MailContext, user: &User, now: NaiveDateTime) -> QueryResult<bool> {
    let modes = preferences(conn, user.id)?;
    let daily = |kind: Kind| modes.iter().any(|(k, m)| *k == kind && *m == Mode::Daily);
    let items = db::subscriptions::digest_items(conn, user.id)?;
    let clock = Clock::load(conn, now)?;
    let mut sections = Vec::new();
    for kind in Kind::ALL {
        let ids: Vec<i64> = items.iter().filter(|(_, k, _)| k == kind.as_str()).map(|(_, _, id)| *id).collect();
        if ids.is_empty() || !daily(kind) {
            continue;
        }
        let lines = db::digests::lines(conn, &ids)?;
        let purpose = match kind {
            Kind::DepartmentComments => Purpose::Respond,
            Kind::Moderation => Purpose::Moderate,
            Kind::Replies | Kind::OfficialResponses => Purpose::Read,
            Kind::Acknowledgements | Kind::Referrals | Kind::NoResponseNeeded => Purpose::Standing,
        };
        sections.push(section(conn, mail, user.id, &clock, (heading(kind), purpose), lines)?);
    }
    if daily(Kind::DepartmentComments) {
        let cutoffs = overdue_cutoffs(conn, now)?;
        for listing in db::officials::active_listings_for_user(conn, user.id)? {
            let Some((_, before)) = cutoffs.iter().find(|(id, _)| *id == listing.department_id) else { continue };
            let overdue = db::digests::overdue(conn, listing.department_id, *before, SECTION_LIMIT)?;
            if !overdue.is_empty() {
                let heading = format!("Overdue for {}: past the response target", listing.department_acronym);
                sections.push(section(conn, mail, user.id, &clock, (heading, Purpose::Respond), overdue)?);
            }
        }
    }
    let moderates = matches!(user.role, Role::Moderator | Role::Admin);
    if moderates && daily(Kind::Moderation) {
        let held = db::digests::held(conn, SECTION_LIMIT)?;
        if !held.is_empty() {
            let heading = "Comments held for moderation".to_owned();
            sections.push(section(conn, mail, user.id, &clock, (heading, Purpose::Moderate), held)?);
        }
        let unrouted = db::digests::unrouted_threads(conn, SECTION_LIMIT)?;
        if !unrouted.is_empty() {
            let heading = "Threads waiting to be routed to a department".to_owned();
            sections.push(section(conn, mail, user.id, &clock, (heading, Purpose::Route), unrouted)?);
        }
    }
    if let Some((last, _, _)) = items.last() {
        db::subscriptions::clear_digest_items(conn, user.id, *last)?;
    }
    if sections.is_empty() {
        return Ok(false);
    }
    let unsubscribe = mail.unsubscribe_url(Unsubscribe::Digest { user_id: user.id });
    let email = emails::digest(&user.email, &sections, &mail.url("/account/notifications"), &unsubscribe);
    enqueue(conn, mail, "digest", &email)?;
    Ok(true)
}

fn heading(kind: Kind) -> String {
    match kind {
        Kind::Replies => "Replies to your comments",
        Kind::OfficialResponses => "Official responses",
        Kind::DepartmentComments => "New comments routed to your departments",
        Kind::Moderation => "Comments for moderation",
        Kind::Acknowledgements => "Your comments that were acknowledged",
        Kind::Referrals => "Your comments that were referred elsewhere",
        Kind::NoResponseNeeded => "Your comments marked as needing no response",
    }
    .to_owned()
}

/// What happened to one's own comment, in the words of its email.
fn standing(line: &db::digests::Line) -> Option<String> {
    let state = line.response_state?;
    StateNews::new(state, line.response_by.as_deref(), line.referred_to.as_deref(), line.response_note.as_deref())
        .sentence()
}

/// The longest excerpt of a comment in a digest, in characters.
const EXCERPT_CHARS: usize = 200;

/// Digest lines for comments: the first words of each, how long it has waited when
/// it waits for someone, the link that acts on it, and the address that answers it
/// by email when it can be answered.
fn section(
    conn: &mut AnyConnection,
    mail: &MailContext,
    user_id: i64,
    clock: &Clock,
    (heading, purpose): (String, Purpose),
    lines: Vec<db::digests::Line>,
) -> QueryResult<DigestSection> {
    let answerable: Vec<i64> =
        if purpose == Purpose::Moderate { Vec::new() } else { lines.iter().map(|l| l.id).collect() };
    let mut replies = inbound::reply_addresses(conn, mail, user_id, &answerable)?;
    let lines = lines
        .into_iter()
        .map(|line| {
            let (path, action) = match purpose {
                Purpose::Respond => {
                    (format!("/posts/{}/comments/new?parent={}#comment-form", line.post_slug, line.id), "Respond")
                }
                Purpose::Route => (format!("/comments/{}/responses", line.id), "Route it"),
                Purpose::Moderate => ("/moderation".to_owned(), "Moderate"),
                Purpose::Read | Purpose::Standing => (format!("/comments/{}", line.id), "Read it in context"),
            };
            let waiting = match purpose {
                Purpose::Respond | Purpose::Route => Some(clock.waiting(&line)),
                Purpose::Moderate | Purpose::Read | Purpose::Standing => None,
            };
            let mut text = format!("{} on “{}”", line.author, line.post_title);
            if let Some(news) = (purpose == Purpose::Standing).then(|| standing(&line)).flatten() {
                text = format!("{text}: {news}");
            }
            DigestLine {
                text,
                excerpt: markdown::excerpt(&line.body_md, EXCERPT_CHARS),
                waiting,
                link: mail.url(&path),
                action,
                reply: replies.remove(&line.id),
            }
        })
        .collect();
    Ok(DigestSection { heading, lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_moment_is_today_after_the_hour_and_yesterday_before_it() {
        let at = |d: u32, h: u32, m: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(h, m, 0).unwrap()
        };
        assert_eq!(latest_moment(at(27, 9, 15), 7), at(27, 7, 0));
        assert_eq!(latest_moment(at(27, 7, 0), 7), at(27, 7, 0));
        assert_eq!(latest_moment(at(27, 6, 59), 7), at(26, 7, 0));
    }
}
