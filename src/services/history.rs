//! Closing imported history honestly: comments nobody answered before a date get "no
//! response recorded (imported history)", so they stop counting as awaiting or
//! overdue and stay out of the response figures. Answered history is left as it is.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::responses::NewEvent;
use crate::db::{self, AnyConnection};
use crate::domain::response::ResponseState;
use crate::domain::time;
use crate::services::audit::{self, Entry};

/// Closes the published comments still awaiting a response that were published
/// before `before` (on `post_ids` only, for an import); one event each, named as
/// `actor_name`. Returns how many were closed.
pub fn close(
    conn: &mut AnyConnection,
    before: NaiveDateTime,
    post_ids: Option<&[i64]>,
    actor_id: Option<i64>,
    actor_name: &str,
) -> QueryResult<usize> {
    let ids = db::import_reviews::awaiting_before(conn, before, post_ids)?;
    if ids.is_empty() {
        return Ok(0);
    }
    let now = time::now();
    let note = format!("imported history: published before {}, no response recorded", before.format("%Y-%m-%d"));
    for &id in &ids {
        db::responses::insert_event(
            conn,
            &NewEvent {
                comment_id: id,
                kind: "state",
                from_value: Some(ResponseState::Awaiting.as_str()),
                to_value: Some(ResponseState::NoResponseRecorded.as_str()),
                note: Some(&note),
                actor_id,
                actor_name,
                created_at: now,
            },
        )?;
    }
    db::import_reviews::set_states(conn, &ids, ResponseState::NoResponseRecorded.as_str())?;
    for post_id in db::import_reviews::posts_of(conn, &ids)? {
        db::posts::bump_comments_version(conn, post_id)?;
    }
    Ok(ids.len())
}

/// The admin's bulk action, for any site: closes history before `before` and keeps it
/// in the audit log, in one transaction.
pub fn close_as_admin(conn: &mut AnyConnection, admin_id: i64, before: NaiveDateTime) -> QueryResult<usize> {
    db::transaction(conn, |conn| {
        let name = db::users::find(conn, admin_id)?.map_or_else(|| format!("user {admin_id}"), |u| u.name);
        let closed = close(conn, before, None, Some(admin_id), &name)?;
        let label = format!("comments awaiting a response published before {}", before.format("%Y-%m-%d"));
        let after = closed.to_string();
        audit::record(
            conn,
            Some(admin_id),
            &Entry {
                action: "history.close",
                target_type: "comments",
                target_id: None,
                target_label: &label,
                before: Some(ResponseState::Awaiting.as_str()),
                after: Some(&after),
                reason: Some("imported history: no response recorded"),
            },
        )?;
        Ok(closed)
    })
}
