//! The outbox: messages owed, claimed by workers with a lease, and their fate.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};

use super::schema::outbox;
use super::AnyConnection;

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewMessage<'a> {
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
    pub message: &'a str,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// A message as the admin area lists it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// A message a worker has claimed and must now send.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub message_id: String,
    #[diesel(sql_type = Text)]
    pub message: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    /// Who holds the lease: one claim's own name, so only the sender that claimed a
    /// message can record it or renew its lease.
    #[diesel(sql_type = Text)]
    pub lease_owner: String,
}

pub fn insert(conn: &mut AnyConnection, message: &NewMessage) -> QueryResult<i64> {
    diesel::insert_into(outbox::table).values(message).returning(outbox::id).get_result(conn)
}

/// Takes up to `limit` due messages for `owner` until `lease_until`. Rows another
/// worker holds under a live lease are not taken; on PostgreSQL, rows another worker
/// is claiming at this moment are skipped (FOR UPDATE SKIP LOCKED), so two workers
/// never take the same row. SQLite has one writer at a time, which does the same.
pub fn claim(
    conn: &mut AnyConnection,
    owner: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Claimed>> {
    const RETURNING: &str = "RETURNING id, recipient, message_id, message, attempts, lease_owner";
    let mut claimed = match conn {
        AnyConnection::Postgresql(pg) => diesel::sql_query(format!(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2 WHERE id IN (\
               SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3 \
               AND (lease_until IS NULL OR lease_until < $3) ORDER BY id LIMIT $4 \
               FOR UPDATE SKIP LOCKED) {RETURNING}"
        ))
        .bind::<Text, _>(owner)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(limit)
        .load::<Claimed>(pg)?,
        AnyConnection::Sqlite(sqlite) => diesel::sql_query(format!(
            "UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN (\
               SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? \
               AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?) {RETURNING}"
        ))
        .bind::<Text, _>(owner)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(limit)
        .load::<Claimed>(sqlite)?,
    };
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Records a delivery, if `owner` still holds the row.
pub fn mark_sent(conn: &mut AnyConnection, id: i64, owner: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::id.eq(id)).filter(outbox::lease_owner.eq(owner)))
        .set((
            outbox::status.eq(SENT),
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Records a failed attempt: the row is tried again at `retry_at`, or, when `dead`,
/// no more until an admin retries it.
pub fn mark_failed(
    conn: &mut AnyConnection,
    id: i64,
    owner: &str,
    error: &str,
    retry_at: NaiveDateTime,
    dead: bool,
) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::id.eq(id)).filter(outbox::lease_owner.eq(owner)))
        .set((
            outbox::status.eq(if dead { DEAD } else { PENDING }),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(error),
            outbox::next_attempt_at.eq(retry_at),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Extends the lease on the rows of `ids` that `owner` still holds, and returns them:
/// a sender renews what is left of its batch after each message, so a batch that
/// takes longer than one lease is never taken over while it is being sent.
pub fn renew(conn: &mut AnyConnection, ids: &[i64], owner: &str, until: NaiveDateTime) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::lease_owner.eq(owner))
            .filter(outbox::status.eq(PENDING)),
    )
    .set(outbox::lease_until.eq(until))
    .returning(outbox::id)
    .get_results(conn)
}

/// Gives back claimed rows that were not tried because the server could not be
/// reached, due at `at`. No attempt is counted: the message itself did not fail.
pub fn release(
    conn: &mut AnyConnection,
    ids: &[i64],
    owner: &str,
    error: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)).filter(outbox::lease_owner.eq(owner)))
        .set((
            outbox::next_attempt_at.eq(at),
            outbox::last_error.eq(error),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Puts dead messages back in the queue with a fresh set of attempts.
pub fn retry(conn: &mut AnyConnection, ids: &[i64], now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)).filter(outbox::status.eq(DEAD)))
        .set((outbox::status.eq(PENDING), outbox::attempts.eq(0), outbox::next_attempt_at.eq(now)))
        .execute(conn)
}

pub fn dead_ids(conn: &mut AnyConnection) -> QueryResult<Vec<i64>> {
    outbox::table.filter(outbox::status.eq(DEAD)).select(outbox::id).load(conn)
}

/// Messages in one status, newest first.
pub fn list(conn: &mut AnyConnection, status: &str, limit: i64) -> QueryResult<Vec<Listed>> {
    outbox::table
        .filter(outbox::status.eq(status))
        .order(outbox::id.desc())
        .limit(limit)
        .select(Listed::as_select())
        .load(conn)
}

/// How many messages are in each status.
pub fn counts(conn: &mut AnyConnection) -> QueryResult<Vec<(String, i64)>> {
    outbox::table.group_by(outbox::status).select((outbox::status, diesel::dsl::count_star())).load(conn)
}

/// How many messages are still owed (pending), for waiting in tests and benchmarks.
pub fn pending_count(conn: &mut AnyConnection) -> QueryResult<i64> {
    outbox::table.filter(outbox::status.eq(PENDING)).count().get_result(conn)
}

/// When the oldest owed message was written, and the earliest time an owed message
/// fell due (for the worker's lag), or `None` when nothing is owed.
pub fn oldest_pending(conn: &mut AnyConnection) -> QueryResult<(Option<NaiveDateTime>, Option<NaiveDateTime>)> {
    outbox::table
        .filter(outbox::status.eq(PENDING))
        .select((diesel::dsl::min(outbox::created_at), diesel::dsl::min(outbox::next_attempt_at)))
        .first(conn)
}
