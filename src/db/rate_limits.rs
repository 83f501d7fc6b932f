//! Rate-limit hits: one row per counted action, shared by every app instance.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::rate_limit_hits;
use super::AnyConnection;

/// Hits for (action, key) since `since`: how many, and the oldest.
pub fn since(
    conn: &mut AnyConnection,
    action: &str,
    key: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    rate_limit_hits::table
        .filter(rate_limit_hits::action.eq(action))
        .filter(rate_limit_hits::key.eq(key))
        .filter(rate_limit_hits::at.gt(since))
        .select((diesel::dsl::count_star(), diesel::dsl::min(rate_limit_hits::at)))
        .first(conn)
}

pub fn insert(conn: &mut AnyConnection, action: &str, key: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::insert_into(rate_limit_hits::table)
        .values((rate_limit_hits::action.eq(action), rate_limit_hits::key.eq(key), rate_limit_hits::at.eq(at)))
        .execute(conn)
}

/// Forgets hits older than every window.
pub fn prune(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_limit_hits::table.filter(rate_limit_hits::at.lt(before))).execute(conn)
}
