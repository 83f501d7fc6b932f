//! Site settings (name → value) and the spam blocklist, both edited by admins.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{blocklist, site_settings};
use super::AnyConnection;

pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    site_settings::table.select((site_settings::name, site_settings::value)).load(conn)
}

pub fn get(conn: &mut AnyConnection, name: &str) -> QueryResult<Option<String>> {
    site_settings::table.find(name).select(site_settings::value).first(conn).optional()
}

/// Sets a value (insert or update; no upsert through MultiConnection).
pub fn set(conn: &mut AnyConnection, name: &str, value: &str) -> QueryResult<()> {
    let updated = diesel::update(site_settings::table.find(name)).set(site_settings::value.eq(value)).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(site_settings::table)
            .values((site_settings::name.eq(name), site_settings::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}

/// Every blocklist entry as (kind, pattern), by kind then pattern.
pub fn blocklist(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    blocklist::table
        .select((blocklist::kind, blocklist::pattern))
        .order((blocklist::kind, blocklist::pattern))
        .load(conn)
}

/// Replaces one kind's entries with `patterns`.
pub fn replace_blocklist(
    conn: &mut AnyConnection,
    kind: &str,
    patterns: &[String],
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(blocklist::table.filter(blocklist::kind.eq(kind))).execute(conn)?;
    for pattern in patterns {
        diesel::insert_into(blocklist::table)
            .values((blocklist::kind.eq(kind), blocklist::pattern.eq(pattern), blocklist::created_at.eq(at)))
            .execute(conn)?;
    }
    Ok(())
}
