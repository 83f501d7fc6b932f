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
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
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
                BulkAction::Change(transition) => responses::change_state(conn, actor, id, transition).map(|_| 1),
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
