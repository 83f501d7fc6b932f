//! Replies received by email: the log of messages taken (one per Message-ID), and
//! the refused official replies kept for the moderators.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{comments, inbound_messages, posts};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::inbound::{Review, Taken};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = inbound_messages)]
pub struct InboundMessage {
    pub id: i64,
    pub message_id: String,
    pub sender: String,
    pub user_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub official_role_id: Option<i64>,
    pub outcome: Taken,
    pub reason: String,
    pub reply_id: Option<i64>,
    pub body: Option<String>,
    pub review: Option<Review>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub received_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = inbound_messages)]
pub struct NewInbound<'a> {
    pub message_id: &'a str,
    pub sender: &'a str,
    pub user_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub official_role_id: Option<i64>,
    pub outcome: Taken,
    pub reason: &'a str,
    pub reply_id: Option<i64>,
    pub body: Option<&'a str>,
    pub review: Option<Review>,
    pub received_at: NaiveDateTime,
}

/// Whether a message with this Message-ID was taken already.
pub fn seen(conn: &mut AnyConnection, message_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(inbound_messages::table.filter(inbound_messages::message_id.eq(message_id))))
        .get_result(conn)
}

pub fn insert(conn: &mut AnyConnection, row: &NewInbound) -> QueryResult<i64> {
    diesel::insert_into(inbound_messages::table).values(row).returning(inbound_messages::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<InboundMessage>> {
    inbound_messages::table.find(id).select(InboundMessage::as_select()).first(conn).optional()
}

/// The row for a Message-ID (tests and the log read it).
pub fn by_message_id(conn: &mut AnyConnection, message_id: &str) -> QueryResult<Option<InboundMessage>> {
    inbound_messages::table
        .filter(inbound_messages::message_id.eq(message_id))
        .select(InboundMessage::as_select())
        .first(conn)
        .optional()
}

/// Refused official replies waiting for a moderator, oldest first.
pub fn open_reviews(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<InboundMessage>> {
    inbound_messages::table
        .filter(inbound_messages::review.eq(Review::Open))
        .order(inbound_messages::id.asc())
        .limit(limit)
        .select(InboundMessage::as_select())
        .load(conn)
}

pub fn open_count(conn: &mut AnyConnection) -> QueryResult<i64> {
    inbound_messages::table.filter(inbound_messages::review.eq(Review::Open)).count().get_result(conn)
}

/// Closes an open review; 0 when it was not open (another moderator was first).
pub fn close_review(
    conn: &mut AnyConnection,
    id: i64,
    review: Review,
    by: &str,
    at: NaiveDateTime,
    reply_id: Option<i64>,
) -> QueryResult<usize> {
    diesel::update(inbound_messages::table.find(id).filter(inbound_messages::review.eq(Review::Open)))
        .set((
            inbound_messages::review.eq(review),
            inbound_messages::reviewed_by.eq(by),
            inbound_messages::reviewed_at.eq(at),
            inbound_messages::reply_id.eq(reply_id),
        ))
        .execute(conn)
}

/// Forgets messages received before `before`, except replies still waiting for a
/// moderator. (A mail server retries for days, not months: older Message-IDs are
/// not needed to post a message once.)
pub fn prune(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        inbound_messages::table
            .filter(inbound_messages::received_at.lt(before))
            .filter(inbound_messages::review.is_null().or(inbound_messages::review.ne(Review::Open))),
    )
    .execute(conn)
}

/// Forgets everything received from an account (it is being deleted).
pub fn forget_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(inbound_messages::table.filter(inbound_messages::user_id.eq(user_id))).execute(conn)
}

/// Those of `ids` that can be answered now: published comments on published posts
/// open for comments.
pub fn answerable_among(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    comments::table
        .inner_join(posts::table)
        .filter(comments::id.eq_any(ids))
        .filter(comments::status.eq(CommentStatus::Published))
        .filter(posts::published.eq(true))
        .filter(posts::comments_open.eq(true))
        .select(comments::id)
        .load(conn)
}
