//! Who follows what by email, single-use email tokens, notification preferences,
//! and what waits for the next daily digest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{digest_items, digest_runs, email_tokens, notification_preferences, subscriptions};
use super::AnyConnection;

pub const TARGET_COMMENT: &str = "comment";
pub const TARGET_THREAD: &str = "thread";
pub const TARGET_POST: &str = "post";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = subscriptions)]
pub struct Subscription {
    pub id: i64,
    pub email: String,
    pub user_id: Option<i64>,
    pub target: String,
    pub post_id: i64,
    pub comment_id: Option<i64>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub unsubscribed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = subscriptions)]
pub struct NewSubscription<'a> {
    pub email: &'a str,
    pub user_id: Option<i64>,
    pub target: &'a str,
    pub post_id: i64,
    pub comment_id: Option<i64>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, subscription: &NewSubscription) -> QueryResult<i64> {
    diesel::insert_into(subscriptions::table).values(subscription).returning(subscriptions::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Subscription>> {
    subscriptions::table.find(id).select(Subscription::as_select()).first(conn).optional()
}

/// A live subscription of this address to exactly this target, if there is one.
pub fn find_same(
    conn: &mut AnyConnection,
    email: &str,
    target: &str,
    post_id: i64,
    comment_id: Option<i64>,
) -> QueryResult<Option<Subscription>> {
    let mut query = subscriptions::table
        .filter(subscriptions::email.eq(email))
        .filter(subscriptions::target.eq(target))
        .filter(subscriptions::post_id.eq(post_id))
        .filter(subscriptions::unsubscribed_at.is_null())
        .select(Subscription::as_select())
        .into_boxed();
    query = match comment_id {
        Some(id) => query.filter(subscriptions::comment_id.eq(id)),
        None => query.filter(subscriptions::comment_id.is_null()),
    };
    query.first(conn).optional()
}

/// Confirmed, live subscriptions to any of these targets: replies to `comment_id`,
/// the thread `thread_id`, or the post.
pub fn followers(
    conn: &mut AnyConnection,
    post_id: i64,
    thread_id: Option<i64>,
    comment_id: Option<i64>,
) -> QueryResult<Vec<Subscription>> {
    let on_post = subscriptions::target.eq(TARGET_POST);
    let on_thread = subscriptions::target.eq(TARGET_THREAD).and(subscriptions::comment_id.eq(thread_id.unwrap_or(-1)));
    let on_comment =
        subscriptions::target.eq(TARGET_COMMENT).and(subscriptions::comment_id.eq(comment_id.unwrap_or(-1)));
    subscriptions::table
        .filter(subscriptions::post_id.eq(post_id))
        .filter(subscriptions::confirmed_at.is_not_null())
        .filter(subscriptions::unsubscribed_at.is_null())
        .filter(on_post.or(on_thread).or(on_comment))
        .order(subscriptions::id)
        .select(Subscription::as_select())
        .load(conn)
}

/// Live requests for replies to a comment that are not confirmed yet.
pub fn unconfirmed_for_comment(conn: &mut AnyConnection, comment_id: i64) -> QueryResult<Vec<Subscription>> {
    subscriptions::table
        .filter(subscriptions::comment_id.eq(comment_id))
        .filter(subscriptions::target.eq(TARGET_COMMENT))
        .filter(subscriptions::confirmed_at.is_null())
        .filter(subscriptions::unsubscribed_at.is_null())
        .select(Subscription::as_select())
        .load(conn)
}

/// Whether a confirmation link was ever made for this subscription.
pub fn has_token(conn: &mut AnyConnection, subscription_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(email_tokens::table.filter(email_tokens::subscription_id.eq(subscription_id))))
        .get_result(conn)
}

pub fn confirm(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(subscriptions::table.find(id).filter(subscriptions::confirmed_at.is_null()))
        .set(subscriptions::confirmed_at.eq(now))
        .execute(conn)
}

pub fn unsubscribe(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(subscriptions::table.find(id).filter(subscriptions::unsubscribed_at.is_null()))
        .set(subscriptions::unsubscribed_at.eq(now))
        .execute(conn)
}

/// Live subscriptions an account holds, newest first.
pub fn for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<Subscription>> {
    subscriptions::table
        .filter(subscriptions::user_id.eq(user_id))
        .filter(subscriptions::unsubscribed_at.is_null())
        .order(subscriptions::id.desc())
        .select(Subscription::as_select())
        .load(conn)
}

// --- email tokens -------------------------------------------------------------

pub const PURPOSE_CONFIRM: &str = "confirm_subscription";
pub const PURPOSE_VERIFY: &str = "verify_email";
pub const PURPOSE_RESET: &str = "reset_password";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_tokens)]
pub struct EmailToken {
    pub id: i64,
    pub purpose: String,
    pub email: String,
    pub user_id: Option<i64>,
    pub subscription_id: Option<i64>,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = email_tokens)]
pub struct NewEmailToken<'a> {
    pub purpose: &'a str,
    pub token_hash: &'a str,
    pub email: &'a str,
    pub user_id: Option<i64>,
    pub subscription_id: Option<i64>,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert_token(conn: &mut AnyConnection, token: &NewEmailToken) -> QueryResult<i64> {
    diesel::insert_into(email_tokens::table).values(token).returning(email_tokens::id).get_result(conn)
}

pub fn find_token(conn: &mut AnyConnection, purpose: &str, token_hash: &str) -> QueryResult<Option<EmailToken>> {
    email_tokens::table
        .filter(email_tokens::token_hash.eq(token_hash))
        .filter(email_tokens::purpose.eq(purpose))
        .select(EmailToken::as_select())
        .first(conn)
        .optional()
}

/// Marks a token used; false when it already was (two clicks racing: one wins).
pub fn use_token(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(email_tokens::table.find(id).filter(email_tokens::used_at.is_null()))
        .set(email_tokens::used_at.eq(now))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Ends every unused token of one purpose for an account (a newer one replaces them).
pub fn expire_tokens(conn: &mut AnyConnection, user_id: i64, purpose: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(now))
    .execute(conn)
}

// --- preferences and digests --------------------------------------------------

/// The modes an account has chosen, as (kind, mode).
pub fn preferences(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<(String, String)>> {
    notification_preferences::table
        .filter(notification_preferences::user_id.eq(user_id))
        .select((notification_preferences::kind, notification_preferences::mode))
        .load(conn)
}

pub fn set_preference(conn: &mut AnyConnection, user_id: i64, kind: &str, mode: &str) -> QueryResult<()> {
    diesel::delete(
        notification_preferences::table
            .filter(notification_preferences::user_id.eq(user_id))
            .filter(notification_preferences::kind.eq(kind)),
    )
    .execute(conn)?;
    diesel::insert_into(notification_preferences::table)
        .values((
            notification_preferences::user_id.eq(user_id),
            notification_preferences::kind.eq(kind),
            notification_preferences::mode.eq(mode),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn add_digest_item(
    conn: &mut AnyConnection,
    user_id: i64,
    kind: &str,
    comment_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(digest_items::table)
        .values((
            digest_items::user_id.eq(user_id),
            digest_items::kind.eq(kind),
            digest_items::comment_id.eq(comment_id),
            digest_items::created_at.eq(now),
        ))
        .execute(conn)
}

/// What waits for an account's digest, as (item id, kind, comment id), oldest first.
pub fn digest_items(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<(i64, String, i64)>> {
    digest_items::table
        .filter(digest_items::user_id.eq(user_id))
        .order(digest_items::id)
        .select((digest_items::id, digest_items::kind, digest_items::comment_id))
        .load(conn)
}

pub fn clear_digest_items(conn: &mut AnyConnection, user_id: i64, up_to_id: i64) -> QueryResult<usize> {
    diesel::delete(digest_items::table.filter(digest_items::user_id.eq(user_id)).filter(digest_items::id.le(up_to_id)))
        .execute(conn)
}

pub fn last_digest(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<NaiveDateTime>> {
    digest_runs::table.find(user_id).select(digest_runs::last_sent_at).first(conn).optional()
}

/// Takes the account's digest for the day that began at `moment`, recording `now`:
/// false when a digest was already made since then (by this or another instance).
pub fn claim_digest(
    conn: &mut AnyConnection,
    user_id: i64,
    moment: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let taken = diesel::update(digest_runs::table.find(user_id).filter(digest_runs::last_sent_at.lt(moment)))
        .set(digest_runs::last_sent_at.eq(now))
        .execute(conn)?;
    if taken == 1 {
        return Ok(true);
    }
    if last_digest(conn, user_id)?.is_some() {
        return Ok(false);
    }
    // The first digest: a second instance inserting at the same moment fails on the
    // primary key, and its transaction makes nothing.
    diesel::insert_into(digest_runs::table)
        .values((digest_runs::user_id.eq(user_id), digest_runs::last_sent_at.eq(now)))
        .execute(conn)?;
    Ok(true)
}
