//! Writing emails owed into the outbox, inside the caller's transaction; and the
//! admin's view of it.

use diesel::prelude::*;

use crate::db::{self, AnyConnection};
use crate::domain::time;
use crate::mail::{message, Email, MailContext};

pub use crate::read::outbox::overview;

/// Formats `email` and writes it to the outbox, due now. An address that cannot be
/// written to is skipped with a warning: it must not undo the event that caused it.
pub fn enqueue(conn: &mut AnyConnection, mail: &MailContext, kind: &str, email: &Email) -> QueryResult<Option<i64>> {
    let now = time::now();
    let formatted = match message::format(email, &mail.from, &mail.host, now) {
        Ok(formatted) => formatted,
        Err(error) => {
            tracing::warn!(%error, kind, "email not queued");
            return Ok(None);
        }
    };
    let id = db::outbox::insert(
        conn,
        &db::outbox::NewMessage {
            kind,
            recipient: &email.to,
            subject: &email.subject,
            message_id: &formatted.message_id,
            message: &formatted.message,
            next_attempt_at: now,
            created_at: now,
        },
    )?;
    Ok(Some(id))
}

/// Puts dead messages (all of them when `ids` is empty) back in the queue.
pub fn retry(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<usize> {
    let ids = if ids.is_empty() { db::outbox::dead_ids(conn)? } else { ids.to_vec() };
    db::outbox::retry(conn, &ids, time::now())
}
