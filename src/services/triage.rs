//! Bulk actions on the comments selected in the triage queue: one action, one
//! transaction. (The queue itself is read in `read::triage`.)

use crate::db::{self, AnyConnection};
use crate::domain::response::{parse_transition, Transition};
use crate::domain::FieldError;
use crate::mail::MailContext;
use crate::services::responses::{self, Actor, ResponseError};

pub use crate::read::triage::{load, Filters, TriageError, PER_PAGE};

/// What to do with the selected comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    Route(i64),
    Assign(Option<i64>),
    Change(Transition),
    /// Write one official reply that answers them all (see `answer_together`).
    Answer,
}

impl BulkAction {
    /// Reads the action and the fields it needs: `to_department`, `assignee`, `reason`, `note`.
    pub fn parse(field: impl Fn(&str) -> String) -> Result<Self, Vec<FieldError>> {
        let action = field("action");
        match action.as_str() {
            "route" => field("to_department")
                .trim()
                .parse()
                .map(Self::Route)
                .map_err(|_| vec![FieldError::new("to_department", "Choose the department to route them to")]),
            "assign" => match field("assignee").trim() {
                "none" => Ok(Self::Assign(None)),
                id => id
                    .parse()
                    .map(|id| Self::Assign(Some(id)))
                    .map_err(|_| vec![FieldError::new("assignee", "Choose the official to assign them to")]),
            },
            "acknowledge" | "no_response_needed" => parse_transition(&action, field).map(Self::Change),
            "answer" => Ok(Self::Answer),
            _ => Err(vec![FieldError::new("action", "Choose what to do with the selected comments")]),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// The action is for moderators only; nothing was read or changed.
    #[error("{0}")]
    ModeratorsOnly(&'static str),
    /// One comment could not be changed, so none was.
    #[error("{error} (comment {id} by {author})")]
    Comment { id: i64, author: String, error: ResponseError },
    /// The action cannot be done with these comments; nothing was changed.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Where to write one official reply answering the selected comments: their post's
/// slug, the comment to reply to (the oldest) and the others it also answers. They
/// must be on one post, and the person an official.
pub fn answer_together(
    conn: &mut AnyConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<(String, i64, Vec<i64>), BulkError> {
    if actor.authority.official_departments.is_empty() {
        return Err(BulkError::Refused("Only officials can answer comments with an official reply".into()));
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut post_id = None;
    for &id in &ids {
        let comment = db::comments::find(conn, id)?.filter(|c| c.is_published());
        let Some(comment) = comment else {
            return Err(BulkError::Refused(format!("Comment {id} is no longer published")));
        };
        if post_id.is_some_and(|p| p != comment.post_id) {
            return Err(BulkError::Refused(
                "One reply can only answer comments on one post: select comments on the same post (filter by post)"
                    .into(),
            ));
        }
        post_id = Some(comment.post_id);
    }
    let post = match post_id {
        Some(id) => db::posts::find_by_id(conn, id)?,
        None => None,
    };
    let (Some(post), Some((&first, rest))) = (post, ids.split_first()) else {
        return Err(BulkError::Refused("Select at least one comment".into()));
    };
    Ok((post.slug, first, rest.to_vec()))
}

/// Applies `action` to every selected comment in one transaction: all change, or none.
/// Returns how many changed (routing to where a comment already is changes nothing).
pub fn apply(
    conn: &mut AnyConnection,
    mail: &MailContext,
    actor: &Actor,
    ids: &[i64],
    action: &BulkAction,
) -> Result<usize, BulkError> {
    match action {
        BulkAction::Route(_) if !actor.authority.moderator => {
            return Err(BulkError::ModeratorsOnly("Only moderators can route comments to a department"));
        }
        BulkAction::Change(Transition::NoResponseNeeded { .. }) if !actor.authority.moderator => {
            return Err(BulkError::ModeratorsOnly("Only moderators can mark a comment as needing no response"));
        }
        BulkAction::Answer => {
            return Err(BulkError::Refused("An answer is written on the reply form, not applied here".into()));
        }
        _ => {}
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    db::transaction(conn, |conn| {
        let mut changed = 0;
        for &id in &ids {
            let outcome = match action {
                BulkAction::Route(department) => responses::route(conn, mail, actor, &[id], Some(*department)),
                BulkAction::Assign(user) => responses::assign(conn, actor, &[id], *user),
                BulkAction::Change(transition) => responses::change_state(conn, mail, actor, id, transition).map(|_| 1),
                BulkAction::Answer => Ok(0),
            };
            match outcome {
                Ok(n) => changed += n,
                Err(ResponseError::Database(e)) => return Err(BulkError::Database(e)),
                Err(error) => {
                    let author = db::comments::find(conn, id)?.map(|c| c.author_name).unwrap_or_default();
                    return Err(BulkError::Comment { id, author, error });
                }
            }
        }
        Ok(changed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_actions_need_their_target() {
        let form = |pairs: &'static [(&str, &str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map_or(String::new(), |(_, v)| (*v).to_owned())
        };
        assert_eq!(BulkAction::parse(form(&[("action", "route"), ("to_department", "4")])), Ok(BulkAction::Route(4)));
        assert_eq!(
            BulkAction::parse(form(&[("action", "assign"), ("assignee", "none")])),
            Ok(BulkAction::Assign(None))
        );
        let errors = BulkAction::parse(form(&[("action", "route")])).unwrap_err();
        assert_eq!(errors[0].field, "to_department");
        assert_eq!(BulkAction::parse(form(&[])).unwrap_err()[0].field, "action");
        assert_eq!(BulkAction::parse(form(&[("action", "no_response_needed")])).unwrap_err()[0].field, "reason");
    }
}
