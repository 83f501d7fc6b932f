use chrono::NaiveDateTime;

use crate::db::comments::Badge;
use crate::db::{self, AnyConnection};
use crate::domain::comment::{CommentAuthor, CommentStatus, NewComment};
use crate::domain::ids::{CommentId, PostId};
use crate::domain::response::initial_state;
use crate::domain::routing::{self, DepartmentNames};
use crate::domain::time;
use crate::domain::{markdown, thread};
use crate::mail::MailContext;
use crate::services::subscriptions;
use crate::services::{moderation, notify, responses};

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

impl From<responses::ResponseError> for PostCommentError {
    fn from(error: responses::ResponseError) -> Self {
        match error {
            responses::ResponseError::Database(e) => Self::Database(e),
            _ => Self::NoSuchParent,
        }
    }
}

/// Where a comment submitted on the site came from, and what the form itself showed
/// about it (the honeypot was filled, it was sent too fast, its stamp was not ours).
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub spam_signal: Option<String>,
}

/// What became of a submitted comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Published(i64),
    /// Waiting for a moderator; `spam` when a spam rule held it.
    Held {
        id: i64,
        spam: bool,
    },
}

impl Posted {
    pub fn id(self) -> i64 {
        match self {
            Self::Published(id) | Self::Held { id, .. } => id,
        }
    }
}

/// Stores a comment (or reply) and publishes it at once: for comments that need no
/// moderation (seeded data, the demo, the API's token holders). The site's form goes
/// through `submit_comment`. Every email it causes is in the outbox when this returns.
pub fn post_comment(
    conn: &mut AnyConnection,
    mail: &MailContext,
    post_id: i64,
    comment: &NewComment,
) -> Result<i64, PostCommentError> {
    post_comment_at(conn, mail, post_id, comment, time::now())
}

/// As `post_comment`, at a given time (the demo writes a discussion that happened).
pub fn post_comment_at(
    conn: &mut AnyConnection,
    mail: &MailContext,
    post_id: i64,
    comment: &NewComment,
    at: NaiveDateTime,
) -> Result<i64, PostCommentError> {
    store(conn, mail, post_id, comment, at, None).map(Posted::id)
}

/// A comment sent from the site's form: checked against pre-moderation and the spam
/// rules, then published or held. The comment is on disk before this returns.
pub fn submit_comment(
    conn: &mut AnyConnection,
    mail: &MailContext,
    post_id: i64,
    comment: &NewComment,
    origin: &Origin,
) -> Result<Posted, PostCommentError> {
    store(conn, mail, post_id, comment, time::now(), Some(origin))
}

/// Makes a comment public, at `at` if it was never public before. This is the one
/// place a comment is published (posted without a hold, approved by a moderator, or
/// restored after reports), so everything publication implies happens here, in the
/// caller's transaction: the response-target clock starts (`published_at`), the
/// parent counts the reply, the post's comment section is marked changed, and the
/// emails it causes are queued. Returns false if it already was public.
pub fn published(
    conn: &mut AnyConnection,
    mail: &MailContext,
    comment_id: i64,
    at: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    if !publish(conn, comment_id, at)? {
        return Ok(false);
    }
    announce(conn, mail, comment_id, &[])?;
    Ok(true)
}

/// The emails a newly public comment causes: its author's pending request for
/// replies is confirmed by a link, and the people it concerns hear of it (for an
/// official reply, the authors of the `answered` comments).
fn announce(
    conn: &mut AnyConnection,
    mail: &MailContext,
    comment_id: i64,
    answered: &[i64],
) -> diesel::QueryResult<()> {
    subscriptions::ask_to_confirm_replies(conn, mail, comment_id)?;
    notify::comment_published(conn, mail, comment_id, answered)
}

/// `published` without the emails (the store path sends them once the answers are known).
fn publish(conn: &mut AnyConnection, comment_id: i64, at: NaiveDateTime) -> diesel::QueryResult<bool> {
    let Some(comment) = db::comments::find(conn, comment_id)? else {
        return Ok(false);
    };
    if comment.is_published() {
        return Ok(false);
    }
    db::comments::publish(conn, comment.id, comment.published_at.unwrap_or(at))?;
    if let Some(parent) = comment.parent_id {
        db::comments::add_reply_count(conn, parent, 1)?;
    }
    db::posts::bump_comments_version(conn, comment.post_id)?;
    Ok(true)
}

/// Takes a comment out of public view with a new status (held, hidden, rejected,
/// spam, deleted); the reverse of `published`, in the caller's transaction.
pub fn unpublished(
    conn: &mut AnyConnection,
    comment: &db::comments::Comment,
    status: CommentStatus,
) -> diesel::QueryResult<()> {
    db::moderation::set_status(conn, comment.id, status)?;
    if comment.is_published() {
        if let Some(parent) = comment.parent_id {
            db::comments::add_reply_count(conn, parent, -1)?;
        }
        db::posts::bump_comments_version(conn, comment.post_id)?;
    }
    Ok(())
}

fn store(
    conn: &mut AnyConnection,
    mail: &MailContext,
    post_id: i64,
    comment: &NewComment,
    at: NaiveDateTime,
    origin: Option<&Origin>,
) -> Result<Posted, PostCommentError> {
    let body_html = markdown::render_comment(comment.body.as_str());
    db::transaction(conn, |conn| {
        let post = db::posts::find_by_id(conn, post_id)?.ok_or(PostCommentError::NoSuchPost)?;
        if !post.published {
            return Err(PostCommentError::NoSuchPost);
        }
        if !post.comments_open || (origin.is_some() && db::flags::in_force(conn, post.id, at)?.is_some()) {
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
        // Past the deepest level the reply is attached one level up (it still answers
        // the comment it replies to).
        let attach = match &parent {
            Some(p) => match thread::attach_to(p.id, &p.path, p.depth) {
                at if at == p.id => Some(p.clone()),
                at => db::comments::find(conn, at)?,
            },
            None => None,
        };
        let author = resolve_author(conn, &comment.author)?;
        let hold = match origin {
            Some(origin) => moderation::hold_for(conn, &post, &author.screening(comment.body.as_str()), origin)?,
            None => None,
        };
        let badge = author.badge.as_ref();
        let row = db::comments::NewCommentRow {
            post_id: post.id,
            parent_id: attach.as_ref().map(|p| p.id),
            depth: attach.as_ref().map_or(0, |p| p.depth + 1),
            author_name: &author.name,
            author_email: &author.email,
            body_md: comment.body.as_str(),
            body_html: &body_html,
            status: CommentStatus::Pending,
            created_at: at,
            published_at: None,
            user_id: author.user_id,
            official_role_id: author.official_role_id,
            badge_name: badge.map(|b| b.name.as_str()),
            badge_title: badge.map(|b| b.title.as_str()),
            badge_department: badge.map(|b| b.department.as_str()),
            badge_acronym: badge.map(|b| b.acronym.as_str()),
            response_state: initial_state(badge.is_some(), attach.is_some()),
            suggested_department_id: match badge {
                Some(_) => None,
                None => suggest_department(conn, comment.body.as_str())?,
            },
        };
        let id = db::comments::insert(conn, &row, attach.as_ref())?;
        let ip = origin.and_then(|o| o.ip.as_deref());
        let reason = hold.as_ref().map(|h| h.reason());
        db::moderation::insert(conn, id, ip, reason.as_deref(), hold.as_ref().is_some_and(|h| h.is_spam()), at)?;
        if comment.email_me && author.user_id.is_none() {
            subscriptions::request_replies(conn, &author.email, PostId(post.id), CommentId(id))?;
        }
        if let Some(hold) = hold {
            notify::comment_held(conn, mail, id)?;
            return Ok(Posted::Held { id, spam: hold.is_spam() });
        }
        publish(conn, id, at)?;
        let answered = match (author.department_id, author.user_id) {
            (Some(department_id), Some(user_id)) => {
                answer_from_reply(conn, &post, id, user_id, department_id, parent.as_ref(), &comment.also_answers, at)?
            }
            _ => Vec::new(),
        };
        announce(conn, mail, id, &answered)?;
        Ok(Posted::Published(id))
    })
}

/// The department whose name, acronym or alias the text mentions first.
fn suggest_department(conn: &mut AnyConnection, text: &str) -> diesel::QueryResult<Option<i64>> {
    let departments = db::departments::list_detailed(conn)?;
    let names: Vec<DepartmentNames> = departments
        .iter()
        .map(|d| DepartmentNames {
            id: d.department.id,
            names: [d.department.name.as_str(), d.department.acronym.as_str()]
                .into_iter()
                .chain(d.aliases.iter().map(String::as_str))
                .collect(),
        })
        .collect();
    Ok(routing::suggest(text, &names))
}

/// An official reply answers the comment it replies to, and any others on the post
/// the official ticked as raising the same point. Returns the comments it answered.
#[allow(clippy::too_many_arguments)]
fn answer_from_reply(
    conn: &mut AnyConnection,
    post: &db::posts::Post,
    reply_id: i64,
    user_id: i64,
    department_id: i64,
    parent: Option<&db::comments::Comment>,
    also_answers: &[i64],
    at: NaiveDateTime,
) -> Result<Vec<i64>, PostCommentError> {
    let reply = db::comments::find(conn, reply_id)?.ok_or(PostCommentError::NoSuchPost)?;
    let answered_as = responses::reply_label(&reply).unwrap_or_default();
    let actor = responses::actor(conn, user_id)?.ok_or(PostCommentError::NoSuchUser)?;
    let mut targets: Vec<db::comments::Comment> = parent.cloned().into_iter().collect();
    for &id in also_answers {
        let comment = db::comments::find(conn, id)?
            .filter(|c| c.post_id == post.id && c.is_published())
            .ok_or(PostCommentError::NoSuchParent)?;
        targets.push(comment);
    }
    let mut answered = Vec::new();
    for target in &targets {
        if responses::mark_answered(conn, target, reply_id, &answered_as, department_id, &actor, at)? {
            answered.push(target.id);
        }
    }
    Ok(answered)
}

pub(crate) struct ResolvedAuthor {
    name: String,
    /// A trusted account, a moderator or admin, or an official in force.
    trusted: bool,
    email: String,
    user_id: Option<i64>,
    official_role_id: Option<i64>,
    badge: Option<Badge>,
    /// The department an official reply speaks for.
    department_id: Option<i64>,
}

/// Names the author. A badge comes only from an official role in force that belongs
/// to the signed-in user, and is copied (name, title, department) as it is now.
fn resolve_author(conn: &mut AnyConnection, author: &CommentAuthor) -> Result<ResolvedAuthor, PostCommentError> {
    match author {
        CommentAuthor::Guest { name, email } => Ok(ResolvedAuthor {
            name: name.as_str().to_owned(),
            email: email.as_str().to_owned(),
            trusted: false,
            user_id: None,
            official_role_id: None,
            badge: None,
            department_id: None,
        }),
        CommentAuthor::Member { user_id, as_official } => {
            let user = db::users::find(conn, *user_id)?.ok_or(PostCommentError::NoSuchUser)?;
            let (badge, department_id) = match as_official {
                None => (None, None),
                Some(role_id) => {
                    let role = db::officials::find(conn, *role_id)?
                        .filter(|r| r.user_id == user.id && r.revoked_at.is_none())
                        .ok_or(PostCommentError::NotOfficial)?;
                    let department =
                        db::departments::find(conn, role.department_id)?.ok_or(PostCommentError::NotOfficial)?;
                    let badge = Badge {
                        name: user.name.clone(),
                        title: role.title,
                        department: department.name,
                        acronym: department.acronym,
                    };
                    (Some(badge), Some(department.id))
                }
            };
            let trusted = user.trusted
                || user.role.can_moderate()
                || !db::officials::active_listings_for_user(conn, user.id)?.is_empty();
            Ok(ResolvedAuthor {
                trusted,
                name: user.name,
                email: user.email,
                user_id: Some(user.id),
                official_role_id: *as_official,
                badge,
                department_id,
            })
        }
    }
}

impl ResolvedAuthor {
    fn screening<'a>(&'a self, body: &'a str) -> moderation::Screening<'a> {
        moderation::Screening { email: &self.email, body, trusted: self.trusted }
    }
}
