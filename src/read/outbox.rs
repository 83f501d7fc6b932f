//! The admin's view of the outbox.

use diesel::QueryResult;

use crate::db::{self, AnyConnection};

/// What the admin page shows: totals per status, and the messages needing attention.
pub struct OutboxOverview {
    pub pending: i64,
    pub sent: i64,
    pub dead: i64,
    pub dead_messages: Vec<db::outbox::Listed>,
    pub waiting: Vec<db::outbox::Listed>,
}

pub fn overview(conn: &mut AnyConnection) -> QueryResult<OutboxOverview> {
    let counts = db::outbox::counts(conn)?;
    let count = |status: &str| counts.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
    Ok(OutboxOverview {
        pending: count(db::outbox::PENDING),
        sent: count(db::outbox::SENT),
        dead: count(db::outbox::DEAD),
        dead_messages: db::outbox::list(conn, db::outbox::DEAD, 100)?,
        waiting: db::outbox::list(conn, db::outbox::PENDING, 100)?,
    })
}
