//! The audit log: inserted by services, read (filtered, paged) by the admin page and
//! its CSV export. Nothing here updates or deletes; the database refuses it too.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<i64>,
    pub target_label: String,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow<'a> {
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<i64>,
    pub target_label: &'a str,
    pub before_value: Option<&'a str>,
    pub after_value: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewAuditRow) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table).values(row).execute(conn)
}

/// What the audit page can be narrowed to; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

type Backend = <AnyConnection as diesel::Connection>::Backend;

fn filtered(filter: &AuditFilter) -> audit_log::BoxedQuery<'static, Backend> {
    let mut query = audit_log::table.into_boxed::<Backend>();
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(actor) = &filter.actor {
        let pattern = format!("%{}%", actor.to_lowercase().replace(['%', '_'], ""));
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(actor_name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern),
        );
    }
    if let Some(target_type) = &filter.target_type {
        query = query.filter(audit_log::target_type.eq(target_type.clone()));
    }
    if let Some(id) = filter.target_id {
        query = query.filter(audit_log::target_id.eq(id));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_log::created_at.lt(to));
    }
    query
}

/// Newest first.
pub fn list(conn: &mut AnyConnection, filter: &AuditFilter, limit: i64, offset: i64) -> QueryResult<Vec<AuditRow>> {
    filtered(filter).order(audit_log::id.desc()).limit(limit).offset(offset).select(AuditRow::as_select()).load(conn)
}

pub fn count(conn: &mut AnyConnection, filter: &AuditFilter) -> QueryResult<i64> {
    filtered(filter).count().get_result(conn)
}

/// The distinct actions recorded, for the filter's choices.
pub fn actions(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    audit_log::table.select(audit_log::action).distinct().order(audit_log::action).load(conn)
}
