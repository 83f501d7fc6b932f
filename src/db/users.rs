use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{sessions, sign_in_attempts, users};
use super::AnyConnection;
use crate::domain::account::Role;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub email_verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Comments skip pre-moderation.
    pub trusted: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, user: &NewUser) -> QueryResult<i64> {
    diesel::insert_into(users::table).values(user).returning(users::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<User>> {
    users::table.find(id).select(User::as_select()).first(conn).optional()
}

/// Account emails are stored lower-cased, so one person cannot register twice by case.
pub fn find_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::email.eq(email.to_lowercase())).select(User::as_select()).first(conn).optional()
}

pub fn set_role(conn: &mut AnyConnection, id: i64, role: Role, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set((users::role.eq(role), users::updated_at.eq(now))).execute(conn)
}

pub fn set_password_hash(conn: &mut AnyConnection, id: i64, hash: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set((users::password_hash.eq(hash), users::updated_at.eq(now))).execute(conn)
}

/// Users whose name or email contains `query` (all users when it is empty), by name.
pub fn search(conn: &mut AnyConnection, query: &str, limit: i64, offset: i64) -> QueryResult<Vec<User>> {
    let pattern = format!("%{}%", query.trim().to_lowercase().replace(['%', '_'], ""));
    users::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(LOWER(name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" OR LOWER(email) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(")"),
        )
        .order((users::name, users::id))
        .limit(limit)
        .offset(offset)
        .select(User::as_select())
        .load(conn)
}

pub fn count(conn: &mut AnyConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

// Sessions ----------------------------------------------------------------------

pub fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// The user of an unexpired session.
pub fn user_for_session(conn: &mut AnyConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<User>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)
}

/// Ends every session of a user but one (after a password change).
pub fn delete_other_sessions(conn: &mut AnyConnection, user_id: i64, keep_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::token_hash.ne(keep_hash)))
        .execute(conn)
}

pub fn delete_expired_sessions(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}

// Sign-in attempts --------------------------------------------------------------

pub fn record_attempt(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    succeeded: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(sign_in_attempts::table)
        .values((
            sign_in_attempts::email.eq(email.to_lowercase()),
            sign_in_attempts::ip.eq(ip),
            sign_in_attempts::succeeded.eq(succeeded),
            sign_in_attempts::attempted_at.eq(now),
        ))
        .execute(conn)
}

/// Failed attempts since `since` for this email, and from this address.
pub fn recent_failures(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, i64)> {
    let recent = sign_in_attempts::table
        .filter(sign_in_attempts::succeeded.eq(false))
        .filter(sign_in_attempts::attempted_at.gt(since));
    let by_email = recent.filter(sign_in_attempts::email.eq(email.to_lowercase())).count().get_result(conn)?;
    let by_ip = recent.filter(sign_in_attempts::ip.eq(ip)).count().get_result(conn)?;
    Ok((by_email, by_ip))
}

/// A successful sign-in clears the account's failures.
pub fn clear_failures(conn: &mut AnyConnection, email: &str) -> QueryResult<usize> {
    diesel::delete(
        sign_in_attempts::table
            .filter(sign_in_attempts::email.eq(email.to_lowercase()))
            .filter(sign_in_attempts::succeeded.eq(false)),
    )
    .execute(conn)
}

// Email addresses ---------------------------------------------------------------

pub fn set_email_verified(conn: &mut AnyConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set((users::email_verified_at.eq(at), users::updated_at.eq(at))).execute(conn)
}

/// Moves an account to a new (already confirmed) address.
pub fn set_verified_email(conn: &mut AnyConnection, id: i64, email: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::email.eq(email.to_lowercase()), users::email_verified_at.eq(at), users::updated_at.eq(at)))
        .execute(conn)
}

/// Ends every session of a user (after a password reset).
pub fn delete_all_sessions(conn: &mut AnyConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Accounts with a verified address and one of these roles.
pub fn verified_with_roles(conn: &mut AnyConnection, roles: &[&str]) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq_any(roles))
        .filter(users::email_verified_at.is_not_null())
        .order(users::id)
        .select(User::as_select())
        .load(conn)
}

pub fn set_trusted(conn: &mut AnyConnection, id: i64, trusted: bool, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set((users::trusted.eq(trusted), users::updated_at.eq(now))).execute(conn)
}

/// Forgets sign-in attempts (and the addresses they carry) older than `before`.
pub fn delete_attempts_before(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sign_in_attempts::table.filter(sign_in_attempts::attempted_at.lt(before))).execute(conn)
}

/// Signs a comment "Deleted user" and forgets its author's email and account.
pub fn anonymise_comment(conn: &mut AnyConnection, comment_id: i64) -> QueryResult<usize> {
    use super::schema::comments;
    diesel::update(comments::table.find(comment_id))
        .set((
            comments::author_name.eq("Deleted user"),
            comments::author_email.eq(""),
            comments::user_id.eq(None::<i64>),
        ))
        .execute(conn)
}

/// Erases an account's personal data and ends its sessions; it can no longer sign in.
pub fn erase(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
    diesel::update(users::table.find(id))
        .set((
            users::email.eq(format!("deleted-user-{id}@deleted.invalid")),
            users::name.eq("Deleted user"),
            users::password_hash.eq(""),
            users::role.eq(Role::Reader),
            users::trusted.eq(false),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}
