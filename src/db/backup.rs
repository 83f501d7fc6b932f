//! Every row needed to rebuild the site, table by table, with its ids: read for
//! `answerable export` and written back by `answerable import json`: departments,
//! accounts, officials, holidays, posts, comments and their response events, import
//! mappings, site settings and the blocklist, freezes, moderation records, comment
//! edits and reports, the audit log, subscriptions and notification preferences.
//!
//! Deliberately left out: secrets (password hashes, sessions, sign-in attempts, API
//! tokens, email tokens; accounts come back without a password and unconfirmed
//! subscriptions need a new link) and transient rows (the outbox, digest items and
//! runs, rate-limit hits). Per-department totals are rebuilt by the triggers as
//! comments are written.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::schema::{
    audit_log, blocklist, comment_edits, comment_flags, comment_moderation, comments, department_aliases,
    department_email_domains, departments, freezes, holidays, import_ids, import_reviews, imported_badges,
    notification_preferences, official_roles, post_categories, posts, response_events, site_settings, subscriptions,
    users,
};
use super::AnyConnection;

macro_rules! record {
    ($name:ident, $table:ident, { $($(#[$meta:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        #[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize, Deserialize)]
        #[diesel(table_name = $table, treat_none_as_default_value = false)]
        pub struct $name { $($(#[$meta])* pub $field: $ty),* }
    };
}

record!(DepartmentRecord, departments, {
    id: i64, name: String, acronym: String, description: String, target_days: i32, created_at: NaiveDateTime,
});
record!(AliasRecord, department_aliases, { id: i64, department_id: i64, alias: String });
record!(DomainRecord, department_email_domains, { id: i64, department_id: i64, domain: String });
record!(UserRecord, users, {
    id: i64, email: String, name: String, role: String, email_verified_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime, updated_at: NaiveDateTime,
    // Absent from version 1 exports: the column's default.
    #[serde(default)] trusted: bool,
});
record!(OfficialRoleRecord, official_roles, {
    id: i64, user_id: i64, department_id: i64, title: String, granted_by: Option<i64>, granted_at: NaiveDateTime,
    revoked_by: Option<i64>, revoked_at: Option<NaiveDateTime>,
});
record!(HolidayRecord, holidays, { day: NaiveDate, name: String });
record!(PostRecord, posts, {
    id: i64, slug: String, title: String, body_md: String, body_html: String, excerpt: String, author_name: String,
    published: bool, comments_open: bool, published_at: NaiveDateTime, created_at: NaiveDateTime,
    updated_at: NaiveDateTime, comments_version: i64,
    #[serde(default)] moderation: Option<String>,
    #[serde(default)] author_id: Option<i64>,
});
record!(CategoryRecord, post_categories, { post_id: i64, name: String });
record!(CommentRecord, comments, {
    id: i64, post_id: i64, parent_id: Option<i64>, thread_id: i64, path: String, depth: i32, author_name: String,
    author_email: String, body_md: String, body_html: String, status: String, created_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>, user_id: Option<i64>, official_role_id: Option<i64>,
    badge_name: Option<String>, badge_title: Option<String>, badge_department: Option<String>,
    badge_acronym: Option<String>, response_state: Option<String>, department_id: Option<i64>,
    suggested_department_id: Option<i64>, assigned_to: Option<i64>, answered_by: Option<i64>,
    response_by: Option<String>, response_note: Option<String>, referred_to: Option<String>,
    first_response_at: Option<NaiveDateTime>, response_days: Option<i32>, answered_at: Option<NaiveDateTime>,
    reply_count: i32,
    #[serde(default)] routed_at: Option<NaiveDateTime>,
});
record!(EventRecord, response_events, {
    id: i64, comment_id: i64, kind: String, from_value: Option<String>, to_value: Option<String>,
    note: Option<String>, actor_id: Option<i64>, actor_name: String, created_at: NaiveDateTime,
});
record!(ImportedBadgeRecord, imported_badges, {
    comment_id: i64, matched_on: String, matched_text: String, imported_at: NaiveDateTime,
    verified_by: Option<String>,
});
record!(ImportReviewRecord, import_reviews, {
    comment_id: i64, reason: String, matched_text: String, badge_name: String, badge_title: String,
    badge_department: String, badge_acronym: String, department_id: i64, role_id: Option<i64>,
    user_id: Option<i64>, created_at: NaiveDateTime, decision: Option<String>, decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
});
record!(ImportIdRecord, import_ids, { source: String, kind: String, original_id: i64, local_id: i64 });
record!(SettingRecord, site_settings, { name: String, value: String });
record!(BlockRecord, blocklist, { id: i64, kind: String, pattern: String, created_at: NaiveDateTime });
record!(FreezeRecord, freezes, {
    id: i64, post_id: Option<i64>, starts_at: Option<NaiveDateTime>, ends_at: Option<NaiveDateTime>, notice: String,
    created_at: NaiveDateTime,
});
record!(ModerationRecord, comment_moderation, {
    comment_id: i64, ip: Option<String>, held_reason: Option<String>, spam_suspected: bool,
    decided_by: Option<String>, decided_at: Option<NaiveDateTime>, reject_reason: Option<String>,
    edited_by_moderator: Option<String>, edited_at: Option<NaiveDateTime>, created_at: NaiveDateTime,
});
record!(EditRecord, comment_edits, {
    id: i64, comment_id: i64, body_md: String, edited_by: String, by_moderator: bool, edited_at: NaiveDateTime,
});
record!(FlagRecord, comment_flags, {
    id: i64, comment_id: i64, reporter: String, reason: String, note: String, created_at: NaiveDateTime,
    resolved_at: Option<NaiveDateTime>,
});
record!(AuditRecord, audit_log, {
    id: i64, actor_id: Option<i64>, actor_name: String, action: String, target_type: String,
    target_id: Option<i64>, target_label: String, before_value: Option<String>, after_value: Option<String>,
    reason: Option<String>, created_at: NaiveDateTime,
});
record!(SubscriptionRecord, subscriptions, {
    id: i64, email: String, user_id: Option<i64>, target: String, post_id: i64, comment_id: Option<i64>,
    confirmed_at: Option<NaiveDateTime>, unsubscribed_at: Option<NaiveDateTime>, created_at: NaiveDateTime,
});
record!(PreferenceRecord, notification_preferences, { user_id: i64, kind: String, mode: String });

/// The small tables, read whole.
pub fn departments(conn: &mut AnyConnection) -> QueryResult<Vec<DepartmentRecord>> {
    departments::table.order(departments::id).select(DepartmentRecord::as_select()).load(conn)
}
pub fn aliases(conn: &mut AnyConnection) -> QueryResult<Vec<AliasRecord>> {
    department_aliases::table.order(department_aliases::id).select(AliasRecord::as_select()).load(conn)
}
pub fn domains(conn: &mut AnyConnection) -> QueryResult<Vec<DomainRecord>> {
    department_email_domains::table.order(department_email_domains::id).select(DomainRecord::as_select()).load(conn)
}
pub fn users(conn: &mut AnyConnection) -> QueryResult<Vec<UserRecord>> {
    users::table.order(users::id).select(UserRecord::as_select()).load(conn)
}
pub fn official_roles(conn: &mut AnyConnection) -> QueryResult<Vec<OfficialRoleRecord>> {
    official_roles::table.order(official_roles::id).select(OfficialRoleRecord::as_select()).load(conn)
}
pub fn holidays(conn: &mut AnyConnection) -> QueryResult<Vec<HolidayRecord>> {
    holidays::table.order(holidays::day).select(HolidayRecord::as_select()).load(conn)
}
pub fn categories(conn: &mut AnyConnection) -> QueryResult<Vec<CategoryRecord>> {
    post_categories::table
        .order((post_categories::post_id, post_categories::name))
        .select(CategoryRecord::as_select())
        .load(conn)
}
pub fn imported_badges(conn: &mut AnyConnection) -> QueryResult<Vec<ImportedBadgeRecord>> {
    imported_badges::table.order(imported_badges::comment_id).select(ImportedBadgeRecord::as_select()).load(conn)
}
pub fn import_reviews(conn: &mut AnyConnection) -> QueryResult<Vec<ImportReviewRecord>> {
    import_reviews::table.order(import_reviews::comment_id).select(ImportReviewRecord::as_select()).load(conn)
}
pub fn import_ids(conn: &mut AnyConnection) -> QueryResult<Vec<ImportIdRecord>> {
    import_ids::table
        .order((import_ids::source, import_ids::kind, import_ids::original_id))
        .select(ImportIdRecord::as_select())
        .load(conn)
}

pub fn settings(conn: &mut AnyConnection) -> QueryResult<Vec<SettingRecord>> {
    site_settings::table.order(site_settings::name).select(SettingRecord::as_select()).load(conn)
}
pub fn blocklist(conn: &mut AnyConnection) -> QueryResult<Vec<BlockRecord>> {
    blocklist::table.order(blocklist::id).select(BlockRecord::as_select()).load(conn)
}
pub fn freezes(conn: &mut AnyConnection) -> QueryResult<Vec<FreezeRecord>> {
    freezes::table.order(freezes::id).select(FreezeRecord::as_select()).load(conn)
}
pub fn preferences(conn: &mut AnyConnection) -> QueryResult<Vec<PreferenceRecord>> {
    notification_preferences::table
        .order((notification_preferences::user_id, notification_preferences::kind))
        .select(PreferenceRecord::as_select())
        .load(conn)
}

/// The large tables, a page at a time by id.
pub fn posts_after(conn: &mut AnyConnection, after: i64, limit: i64) -> QueryResult<Vec<PostRecord>> {
    posts::table.filter(posts::id.gt(after)).order(posts::id).limit(limit).select(PostRecord::as_select()).load(conn)
}
pub fn comments_after(conn: &mut AnyConnection, after: i64, limit: i64) -> QueryResult<Vec<CommentRecord>> {
    comments::table
        .filter(comments::id.gt(after))
        .order(comments::id)
        .limit(limit)
        .select(CommentRecord::as_select())
        .load(conn)
}
pub fn events_after(conn: &mut AnyConnection, after: i64, limit: i64) -> QueryResult<Vec<EventRecord>> {
    response_events::table
        .filter(response_events::id.gt(after))
        .order(response_events::id)
        .limit(limit)
        .select(EventRecord::as_select())
        .load(conn)
}

/// `fn name(conn, after, limit)`: the rows of a table whose key is past `after`.
macro_rules! page_after {
    ($($name:ident: $record:ty, $table:ident, $key:ident;)*) => {$(
        pub fn $name(conn: &mut AnyConnection, after: i64, limit: i64) -> QueryResult<Vec<$record>> {
            $table::table
                .filter($table::$key.gt(after))
                .order($table::$key)
                .limit(limit)
                .select(<$record>::as_select())
                .load(conn)
        }
    )*};
}

page_after! {
    moderation_after: ModerationRecord, comment_moderation, comment_id;
    edits_after: EditRecord, comment_edits, id;
    flags_after: FlagRecord, comment_flags, id;
    audit_after: AuditRecord, audit_log, id;
    subscriptions_after: SubscriptionRecord, subscriptions, id;
}

/// Writes rows as they are, ids included.
pub trait Restore: Sized {
    fn restore(conn: &mut AnyConnection, rows: &[Self]) -> QueryResult<usize>;
}

macro_rules! restore {
    ($record:ty, $table:ident) => {
        impl Restore for $record {
            fn restore(conn: &mut AnyConnection, rows: &[Self]) -> QueryResult<usize> {
                if rows.is_empty() {
                    return Ok(0);
                }
                // Multi-row inserts are not offered through the multi-backend connection.
                match conn {
                    AnyConnection::Sqlite(c) => diesel::insert_into($table::table).values(rows).execute(c),
                    AnyConnection::Postgresql(c) => diesel::insert_into($table::table).values(rows).execute(c),
                }
            }
        }
    };
}

restore!(DepartmentRecord, departments);
restore!(AliasRecord, department_aliases);
restore!(DomainRecord, department_email_domains);
restore!(OfficialRoleRecord, official_roles);
restore!(HolidayRecord, holidays);
restore!(PostRecord, posts);
restore!(CategoryRecord, post_categories);
restore!(CommentRecord, comments);
restore!(EventRecord, response_events);
restore!(ImportedBadgeRecord, imported_badges);
restore!(ImportIdRecord, import_ids);
restore!(ImportReviewRecord, import_reviews);
restore!(SettingRecord, site_settings);
restore!(BlockRecord, blocklist);
restore!(FreezeRecord, freezes);
restore!(ModerationRecord, comment_moderation);
restore!(EditRecord, comment_edits);
restore!(FlagRecord, comment_flags);
restore!(AuditRecord, audit_log);
restore!(SubscriptionRecord, subscriptions);
restore!(PreferenceRecord, notification_preferences);

/// Accounts come back without a password: each person sets a new one.
impl Restore for UserRecord {
    fn restore(conn: &mut AnyConnection, rows: &[Self]) -> QueryResult<usize> {
        let mut n = 0;
        for row in rows {
            n += diesel::insert_into(users::table).values((row, users::password_hash.eq(""))).execute(conn)?;
        }
        Ok(n)
    }
}

/// Comments are written before the official replies that answer them exist, so the
/// link to the answer is set afterwards.
pub fn set_answered_by(conn: &mut AnyConnection, comment_id: i64, answered_by: i64) -> QueryResult<usize> {
    diesel::update(comments::table.find(comment_id)).set(comments::answered_by.eq(answered_by)).execute(conn)
}

/// How many rows the tables an import would fill hold already.
pub fn rows_present(conn: &mut AnyConnection) -> QueryResult<i64> {
    let counts = [
        users::table.count().get_result::<i64>(conn)?,
        departments::table.count().get_result::<i64>(conn)?,
        posts::table.count().get_result::<i64>(conn)?,
        comments::table.count().get_result::<i64>(conn)?,
        holidays::table.count().get_result::<i64>(conn)?,
        site_settings::table.count().get_result::<i64>(conn)?,
        blocklist::table.count().get_result::<i64>(conn)?,
        freezes::table.count().get_result::<i64>(conn)?,
        comment_moderation::table.count().get_result::<i64>(conn)?,
        comment_edits::table.count().get_result::<i64>(conn)?,
        comment_flags::table.count().get_result::<i64>(conn)?,
        audit_log::table.count().get_result::<i64>(conn)?,
        subscriptions::table.count().get_result::<i64>(conn)?,
        notification_preferences::table.count().get_result::<i64>(conn)?,
    ];
    Ok(counts.iter().sum())
}

/// After rows were written with their ids, PostgreSQL's id sequences must move past
/// them (SQLite's AUTOINCREMENT follows on its own).
pub fn reset_sequences(conn: &mut AnyConnection) -> QueryResult<()> {
    if let AnyConnection::Postgresql(_) = conn {
        for table in
            ["departments", "department_aliases", "department_email_domains", "users", "official_roles", "posts"]
                .into_iter()
                .chain(["comments", "response_events", "blocklist", "freezes", "comment_edits", "comment_flags"])
                .chain(["audit_log", "subscriptions"])
        {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(conn)?;
        }
    }
    Ok(())
}
