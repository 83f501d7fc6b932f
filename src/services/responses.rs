//! Changing where a comment stands: answered by an official reply, acknowledged,
//! referred, no response needed, reopened; routed and assigned. Each change is one
//! transaction that also writes its event.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::comments::Comment;
use crate::db::responses::{NewEvent, StateChange};
use crate::db::{self, AnyConnection};
use crate::domain::response::{decide, ResponseState, Transition, TransitionError};
use crate::domain::time;
use crate::domain::working_days::Calendar;
use crate::mail::MailContext;
use crate::services::audit::{self, Entry};
use crate::services::notify;

// Reads shared with the read models, kept at their old paths for callers here.
pub use crate::read::actor::{actor, Actor};
pub use crate::read::deadlines::{age_in_working_days, calendar, overdue_cutoffs};

/// The audit row of a change to where a comment stands (in its transaction).
fn audited(
    conn: &mut AnyConnection,
    actor: &Actor,
    comment: &Comment,
    action: &str,
    change: (Option<&str>, Option<&str>),
    reason: Option<&str>,
) -> QueryResult<()> {
    let label = audit::comment_label(&comment.author_name, &comment.body_md);
    audit::record(
        conn,
        Some(actor.user_id),
        &Entry {
            action,
            target_type: "comment",
            target_id: Some(comment.id),
            target_label: &label,
            before: change.0,
            after: change.1,
            reason,
        },
    )
}

#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    #[error("no such comment")]
    NotFound,
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn published(conn: &mut AnyConnection, id: i64) -> Result<Comment, ResponseError> {
    db::comments::find(conn, id)?.filter(Comment::is_published).ok_or(ResponseError::NotFound)
}

/// What changed, for the event log.
struct Change<'a> {
    kind: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    note: Option<&'a str>,
}

fn event(
    conn: &mut AnyConnection,
    comment_id: i64,
    change: Change,
    actor: &Actor,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    db::responses::insert_event(
        conn,
        &NewEvent {
            comment_id,
            kind: change.kind,
            from_value: change.from,
            to_value: change.to,
            note: change.note,
            actor_id: Some(actor.user_id),
            actor_name: &actor.name,
            created_at: at,
        },
    )
}

fn working_days_since_publication(calendar: &Calendar, comment: &Comment, at: NaiveDateTime) -> i32 {
    let published = comment.published_at.unwrap_or(comment.created_at).date();
    i32::try_from(calendar.between(published, at.date())).unwrap_or(i32::MAX)
}

/// Acknowledge, refer, mark no response needed, or reopen one comment.
pub fn change_state(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: &Actor,
    comment_id: i64,
    transition: &Transition,
) -> Result<ResponseState, ResponseError> {
    db::transaction(conn, |conn| {
        let comment = published(conn, comment_id)?;
        let from = comment.state();
        let to = decide(comment.acting_state(), comment.department_id, transition, &actor.authority)?;
        let now = time::now();
        let note = transition.public_note();
        // An official of the comment's department signs with the badge's words.
        let signature = actor.signature(comment.department_id);
        let by = match transition {
            Transition::Reopen => None,
            _ => Some(signature.as_str()),
        };
        let referred_to = match transition {
            Transition::Refer { to, .. } => Some(to.as_str()),
            _ => None,
        };
        db::responses::set_state(
            conn,
            comment.id,
            &StateChange {
                response_state: to,
                response_by: by,
                response_note: note.as_deref(),
                referred_to,
                answered_by: None,
            },
        )?;
        let is_official = comment.department_id.is_some_and(|d| actor.authority.official_departments.contains(&d));
        if is_official && matches!(to, ResponseState::Acknowledged | ResponseState::Referred) {
            let calendar = calendar(conn)?;
            let days = working_days_since_publication(&calendar, &comment, now);
            db::responses::record_first_response(conn, comment.id, now, days, false)?;
        }
        let event_note = match (referred_to, note.as_deref()) {
            (Some(to), Some(note)) => Some(format!("to {to}: {note}")),
            (Some(to), None) => Some(format!("to {to}")),
            (None, note) => note.map(str::to_owned),
        };
        let change = Change {
            kind: "state",
            from: from.map(|s| s.as_str()),
            to: Some(to.as_str()),
            note: event_note.as_deref(),
        };
        event(conn, comment.id, change, actor, now)?;
        audited(
            conn,
            actor,
            &comment,
            "comment.state",
            (from.map(|s| s.as_str()), Some(to.as_str())),
            event_note.as_deref(),
        )?;
        notify::state_changed(conn, mail, comment.id, actor.user_id)?;
        db::posts::bump_comments_version(conn, comment.post_id)?;
        Ok(to)
    })
}

/// Marks `comment` answered by the official reply `reply_id` (inside the caller's
/// transaction). Routes an unrouted comment to the answering department.
pub(crate) fn mark_answered(
    conn: &mut AnyConnection,
    comment: &Comment,
    reply_id: i64,
    answered_as: &str,
    department_id: i64,
    actor: &Actor,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let recorder = Recorder { id: Some(actor.user_id), name: &actor.name };
    mark_answered_by(conn, comment, reply_id, answered_as, department_id, &recorder, at)
}

/// Who an event names: a signed-in person, or (for an import) someone without an
/// account here.
pub(crate) struct Recorder<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
}

/// As `mark_answered`, recorded in the event log as `recorder`.
pub(crate) fn mark_answered_by(
    conn: &mut AnyConnection,
    comment: &Comment,
    reply_id: i64,
    answered_as: &str,
    department_id: i64,
    recorder: &Recorder,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let from = comment.state();
    if matches!(comment.acting_state(), None | Some(ResponseState::Answered)) {
        return Ok(false);
    }
    db::responses::set_state(
        conn,
        comment.id,
        &StateChange {
            response_state: ResponseState::Answered,
            response_by: Some(answered_as),
            response_note: None,
            referred_to: None,
            answered_by: Some(reply_id),
        },
    )?;
    if comment.department_id.is_none() {
        db::responses::route(conn, comment.id, Some(department_id), at)?;
    }
    let calendar = calendar(conn)?;
    let days = working_days_since_publication(&calendar, comment, at);
    db::responses::record_first_response(conn, comment.id, at, days, true)?;
    let note = format!("answered by comment {reply_id}");
    db::responses::insert_event(
        conn,
        &NewEvent {
            comment_id: comment.id,
            kind: "state",
            from_value: from.map(|s| s.as_str()),
            to_value: Some("answered"),
            note: Some(&note),
            actor_id: recorder.id,
            actor_name: recorder.name,
            created_at: at,
        },
    )?;
    Ok(true)
}

/// Links an official reply as the answer to more comments on the same post. The
/// reply's author or a moderator may do it; comments already answered are left.
pub fn link_answers(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: &Actor,
    reply_id: i64,
    comment_ids: &[i64],
) -> Result<usize, ResponseError> {
    db::transaction(conn, |conn| {
        let reply = published(conn, reply_id)?;
        let (Some(role_id), Some(answered_as)) = (reply.official_role_id, reply_label(&reply)) else {
            return Err(ResponseError::Refused("only an official reply can answer comments".into()));
        };
        if reply.user_id != Some(actor.user_id) && !actor.authority.moderator {
            return Err(ResponseError::Refused(
                "only the official who wrote this reply, or a moderator, can link it".into(),
            ));
        }
        let department_id =
            db::officials::find(conn, role_id)?.map(|r| r.department_id).ok_or(ResponseError::NotFound)?;
        let now = time::now();
        let mut linked = Vec::new();
        for &id in comment_ids {
            let comment = published(conn, id)?;
            if comment.post_id != reply.post_id {
                return Err(ResponseError::Refused("a reply can only answer comments on its own post".into()));
            }
            if mark_answered(conn, &comment, reply.id, &answered_as, department_id, actor, now)? {
                let note = format!("answered by comment {}", reply.id);
                let before = comment.state().map(|s| s.as_str());
                audited(conn, actor, &comment, "comment.link_answer", (before, Some("answered")), Some(&note))?;
                linked.push(comment.id);
            }
        }
        notify::answers_linked(conn, mail, reply.id, &linked)?;
        db::posts::bump_comments_version(conn, reply.post_id)?;
        Ok(linked.len())
    })
}

/// "Jane Doe, Chief Technology Officer, DWP", from an official reply's badge.
pub fn reply_label(reply: &Comment) -> Option<String> {
    let name = reply.badge_name.as_deref()?;
    let title = reply.badge_title.as_deref()?;
    let department = reply.badge_acronym.as_deref().filter(|a| !a.is_empty()).or(reply.badge_department.as_deref())?;
    Some(format!("{name}, {title}, {department}"))
}

/// Routes comments to a department (or none). Moderators only.
pub fn route(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: &Actor,
    comment_ids: &[i64],
    department_id: Option<i64>,
) -> Result<usize, ResponseError> {
    if !actor.authority.moderator {
        return Err(ResponseError::Refused("only moderators can route comments".into()));
    }
    db::transaction(conn, |conn| {
        let department = match department_id {
            Some(id) => Some(db::departments::find(conn, id)?.ok_or(ResponseError::NotFound)?),
            None => None,
        };
        let now = time::now();
        let mut changed = 0;
        for &id in comment_ids {
            let comment = published(conn, id)?;
            if comment.department_id == department_id {
                continue;
            }
            let from = match comment.department_id {
                Some(old) => db::departments::find(conn, old)?.map(|d| d.acronym),
                None => None,
            };
            db::responses::route(conn, id, department_id, now)?;
            if comment.department_id.is_some() && comment.department_id != department_id {
                db::responses::assign(conn, id, None)?;
            }
            let to = department.as_ref().map(|d| d.acronym.as_str());
            event(conn, id, Change { kind: "route", from: from.as_deref(), to, note: None }, actor, now)?;
            if let Some(department_id) = department_id {
                notify::comment_routed(conn, mail, id, department_id)?;
            }
            audited(
                conn,
                actor,
                &comment,
                "comment.route",
                (from.as_deref().or(Some("none")), to.or(Some("none"))),
                None,
            )?;
            db::posts::bump_comments_version(conn, comment.post_id)?;
            changed += 1;
        }
        Ok(changed)
    })
}

/// Assigns routed comments to an official of their department (or to nobody).
/// Moderators, and officials of that department, may do it.
pub fn assign(
    conn: &mut AnyConnection,
    actor: &Actor,
    comment_ids: &[i64],
    assignee: Option<i64>,
) -> Result<usize, ResponseError> {
    db::transaction(conn, |conn| {
        let assignee_user = match assignee {
            Some(id) => Some(db::users::find(conn, id)?.ok_or(ResponseError::NotFound)?),
            None => None,
        };
        let now = time::now();
        let mut changed = 0;
        for &id in comment_ids {
            let comment = published(conn, id)?;
            let Some(department_id) = comment.department_id else {
                return Err(ResponseError::Refused("route a comment to a department before assigning it".into()));
            };
            if !actor.authority.can_respond_to(Some(department_id)) {
                return Err(TransitionError::NotAllowed.into());
            }
            if let Some(user) = &assignee_user {
                if db::officials::active_for(conn, user.id, department_id)?.is_none() {
                    return Err(ResponseError::Refused(format!(
                        "{} is not an official of the department this comment is routed to",
                        user.name
                    )));
                }
            }
            if comment.assigned_to == assignee {
                continue;
            }
            db::responses::assign(conn, id, assignee)?;
            let to = assignee_user.as_ref().map(|u| u.name.as_str());
            event(conn, id, Change { kind: "assign", from: None, to, note: None }, actor, now)?;
            let from = match comment.assigned_to {
                Some(user) => db::users::find(conn, user)?.map(|u| u.name),
                None => None,
            };
            audited(
                conn,
                actor,
                &comment,
                "comment.assign",
                (from.as_deref().or(Some("nobody")), to.or(Some("nobody"))),
                None,
            )?;
            changed += 1;
        }
        Ok(changed)
    })
}
