//! What `/metrics` reads from the database when it is scraped.

use diesel::QueryResult;

use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentStatus;
use crate::domain::time;
use crate::metrics::Snapshot;

pub fn snapshot(conn: &mut AnyConnection) -> QueryResult<Snapshot> {
    let counts = db::outbox::counts(conn)?;
    let count = |status: &str| counts.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
    let (oldest, earliest_due) = db::outbox::oldest_pending(conn)?;
    let now = time::now();
    let seconds =
        |at: Option<chrono::NaiveDateTime>| at.map_or(0.0, |at| (now - at).num_milliseconds().max(0) as f64 / 1000.0);
    let comments_held = db::comments::count_in_status(conn, CommentStatus::Pending)?;
    Ok(Snapshot {
        outbox_pending: count(db::outbox::PENDING),
        outbox_dead: count(db::outbox::DEAD),
        outbox_oldest_seconds: seconds(oldest),
        worker_lag_seconds: seconds(earliest_due),
        comments_held,
        ..Snapshot::default()
    })
}
