//! The moderation queue: held and reported comments, oldest first, with what a
//! moderator needs to decide each.

use diesel::QueryResult;

use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentStatus;
use crate::domain::flags;

/// A comment waiting in the queue, with what a moderator needs to decide.
pub struct QueueEntry {
    pub item: db::moderation::QueueItem,
    /// The comment replied to: (author, first words).
    pub parent: Option<(String, String)>,
    /// The author's comments by outcome: published, rejected, spam.
    pub approved: i64,
    pub rejected: i64,
    pub spam: i64,
    /// Readers' open reports: (reason label, their words).
    pub reports: Vec<(String, String)>,
}

pub struct QueuePage {
    pub entries: Vec<QueueEntry>,
    pub total: i64,
    pub page: usize,
    pub pages: usize,
}

pub const QUEUE_PAGE: usize = 50;

/// One page of the queue, oldest first; `None` past the last page.
pub fn queue(conn: &mut AnyConnection, page: usize) -> QueryResult<Option<QueuePage>> {
    let total = db::moderation::queue_len(conn)?;
    let pages = usize::try_from(total).unwrap_or(0).div_ceil(QUEUE_PAGE).max(1);
    if page > pages {
        return Ok(None);
    }
    let items = db::moderation::queue(conn, QUEUE_PAGE as i64, ((page - 1) * QUEUE_PAGE) as i64)?;
    let parent_ids: Vec<i64> = items.iter().filter_map(|i| i.parent_id).collect();
    let parents = db::moderation::excerpts(conn, &parent_ids)?;
    let mut emails: Vec<String> = items.iter().map(|i| i.author_email.clone()).collect();
    emails.sort();
    emails.dedup();
    let history = db::moderation::history(conn, &emails)?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let reports = db::flags::open_for(conn, &ids)?;
    let count = |email: &str, status: CommentStatus| {
        let email = email.to_lowercase();
        history.iter().find(|(e, s, _)| *e == email && *s == status).map_or(0, |(_, _, n)| *n)
    };
    let entries = items
        .into_iter()
        .map(|item| QueueEntry {
            parent: item.parent_id.and_then(|id| parents.iter().find(|(p, _, _)| *p == id)).map(|(_, author, body)| {
                let words: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
                (author.clone(), words.chars().take(160).collect())
            }),
            approved: count(&item.author_email, CommentStatus::Published),
            rejected: count(&item.author_email, CommentStatus::Rejected),
            spam: count(&item.author_email, CommentStatus::Spam),
            reports: reports
                .iter()
                .filter(|(id, _, _)| *id == item.id)
                .map(|(_, reason, note)| (flags::reason_label(reason).to_owned(), note.clone()))
                .collect(),
            item,
        })
        .collect();
    Ok(Some(QueuePage { entries, total, page, pages }))
}

/// The status a queue item shows as.
pub fn status_label(status: CommentStatus, spam_suspected: bool) -> &'static str {
    match (status, spam_suspected) {
        (CommentStatus::Hidden, _) => "Hidden by readers' flags",
        (CommentStatus::Pending, true) => "Held: spam suspected",
        (CommentStatus::Pending, false) => "Held for moderation",
        (CommentStatus::Published, _) => "Published, reported by readers",
        _ => "",
    }
}

/// A refused official reply by email, kept for a moderator to post or dismiss.
pub struct KeptReply {
    pub id: i64,
    pub received_at: chrono::NaiveDateTime,
    /// Why it was not posted.
    pub reason: String,
    pub text: String,
    /// The From address it came with.
    pub sender: String,
    /// The account the reply address was made for: (name, confirmed address).
    pub account: Option<(String, String)>,
    /// How "Post" would post it now.
    pub voice: Voice,
    /// The comment it answers.
    pub answers: Option<Answered>,
}

/// How a kept reply would be posted.
pub enum Voice {
    /// With the badge: "Title, Department".
    Official(String),
    /// As the person, and why not as an official.
    Personal(String),
}

pub struct Answered {
    pub comment_id: i64,
    pub author: String,
    pub excerpt: String,
    pub post_slug: String,
    pub post_title: String,
}

/// Kept replies waiting for a moderator, oldest first.
pub fn kept_replies(conn: &mut AnyConnection) -> QueryResult<Vec<KeptReply>> {
    let mut kept = Vec::new();
    for row in db::inbound::open_reviews(conn, 100)? {
        let user = match row.user_id {
            Some(id) => db::users::find(conn, id)?,
            None => None,
        };
        let grant = match row.official_role_id {
            Some(id) => db::officials::find(conn, id)?,
            None => None,
        };
        let department = match &grant {
            Some(g) => db::departments::find(conn, g.department_id)?.map(|d| d.name),
            None => None,
        };
        let voice = match (&grant, department) {
            (Some(g), Some(department)) if g.revoked_at.is_none() => {
                Voice::Official(format!("{}, {department}", g.title))
            }
            (Some(_), Some(department)) => Voice::Personal(format!("the official role for {department} has ended")),
            _ => Voice::Personal("it was not sent as an official reply".into()),
        };
        let answers = match row.comment_id {
            Some(id) => match db::comments::find(conn, id)? {
                Some(comment) => db::posts::find_by_id(conn, comment.post_id)?.map(|post| Answered {
                    comment_id: comment.id,
                    excerpt: comment
                        .body_md
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .chars()
                        .take(160)
                        .collect(),
                    author: comment.author_name,
                    post_slug: post.slug,
                    post_title: post.title,
                }),
                None => None,
            },
            None => None,
        };
        kept.push(KeptReply {
            id: row.id,
            received_at: row.received_at,
            reason: row.reason,
            text: row.body.unwrap_or_default(),
            sender: row.sender,
            account: user.map(|u| (u.name, u.email)),
            voice,
            answers,
        });
    }
    Ok(kept)
}
