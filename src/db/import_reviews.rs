//! The review queue of probable official replies found at import.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{comments, import_reviews, posts};
use super::AnyConnection;

pub const CONFIRMED: &str = "confirmed";
pub const DISMISSED: &str = "dismissed";

#[derive(Debug, Insertable)]
#[diesel(table_name = import_reviews)]
pub struct NewReview<'a> {
    pub comment_id: i64,
    pub reason: &'a str,
    pub matched_text: &'a str,
    pub badge_name: &'a str,
    pub badge_title: &'a str,
    pub badge_department: &'a str,
    pub badge_acronym: &'a str,
    pub department_id: i64,
    pub role_id: Option<i64>,
    pub user_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, review: &NewReview) -> QueryResult<usize> {
    diesel::insert_into(import_reviews::table).values(review).execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_reviews)]
pub struct Review {
    pub comment_id: i64,
    pub reason: String,
    pub matched_text: String,
    pub badge_name: String,
    pub badge_title: String,
    pub badge_department: String,
    pub badge_acronym: String,
    pub department_id: i64,
    pub role_id: Option<i64>,
    pub user_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub decision: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

/// A review waiting for a decision, with the reply it is about.
#[derive(Debug, Clone)]
pub struct OpenReview {
    pub review: Review,
    pub author_name: String,
    pub body_md: String,
    pub created_at: NaiveDateTime,
    pub post_title: String,
    pub post_slug: String,
}

/// Reviews not yet decided, oldest reply first.
pub fn open(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<OpenReview>> {
    let rows: Vec<(Review, String, String, NaiveDateTime, String, String)> = import_reviews::table
        .inner_join(comments::table.inner_join(posts::table))
        .filter(import_reviews::decision.is_null())
        .order((comments::created_at, comments::id))
        .limit(limit)
        .select((
            Review::as_select(),
            comments::author_name,
            comments::body_md,
            comments::created_at,
            posts::title,
            posts::slug,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(review, author_name, body_md, created_at, post_title, post_slug)| OpenReview {
            review,
            author_name,
            body_md,
            created_at,
            post_title,
            post_slug,
        })
        .collect())
}

pub fn count_open(conn: &mut AnyConnection) -> QueryResult<i64> {
    import_reviews::table.filter(import_reviews::decision.is_null()).count().get_result(conn)
}

pub fn find_open(conn: &mut AnyConnection, comment_id: i64) -> QueryResult<Option<Review>> {
    import_reviews::table
        .find(comment_id)
        .filter(import_reviews::decision.is_null())
        .select(Review::as_select())
        .first(conn)
        .optional()
}

pub fn decide(
    conn: &mut AnyConnection,
    comment_id: i64,
    decision: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(import_reviews::table.find(comment_id).filter(import_reviews::decision.is_null()))
        .set((
            import_reviews::decision.eq(decision),
            import_reviews::decided_by.eq(by),
            import_reviews::decided_at.eq(at),
        ))
        .execute(conn)
}

/// Gives a reply the badge a review confirmed: it becomes an official reply (no
/// response state of its own).
pub fn give_badge(conn: &mut AnyConnection, review: &Review) -> QueryResult<usize> {
    diesel::update(comments::table.find(review.comment_id))
        .set((
            comments::official_role_id.eq(review.role_id),
            comments::badge_name.eq(&review.badge_name),
            comments::badge_title.eq(&review.badge_title),
            comments::badge_department.eq(&review.badge_department),
            comments::badge_acronym.eq(&review.badge_acronym),
            comments::response_state.eq(None::<String>),
            comments::department_id.eq(None::<i64>),
            comments::answered_by.eq(None::<i64>),
            comments::response_by.eq(None::<String>),
        ))
        .execute(conn)
}

/// Published comments still awaiting a response, published before `before` (on these
/// posts only, when given): the imported history to close.
pub fn awaiting_before(
    conn: &mut AnyConnection,
    before: NaiveDateTime,
    post_ids: Option<&[i64]>,
) -> QueryResult<Vec<i64>> {
    let mut query = comments::table
        .filter(comments::status.eq("published"))
        .filter(comments::response_state.eq("awaiting"))
        .filter(comments::published_at.lt(before))
        .select(comments::id)
        .order(comments::id)
        .into_boxed();
    if let Some(ids) = post_ids {
        query = query.filter(comments::post_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// Sets these comments (a few hundred at a time) to `state`.
pub fn set_states(conn: &mut AnyConnection, ids: &[i64], state: &str) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += diesel::update(comments::table.filter(comments::id.eq_any(chunk.to_vec())))
            .set(comments::response_state.eq(state))
            .execute(conn)?;
    }
    Ok(n)
}

/// The posts these comments are on.
pub fn posts_of(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    let mut posts = Vec::new();
    for chunk in ids.chunks(500) {
        posts.extend(
            comments::table
                .filter(comments::id.eq_any(chunk.to_vec()))
                .select(comments::post_id)
                .distinct()
                .load::<i64>(conn)?,
        );
    }
    posts.sort_unstable();
    posts.dedup();
    Ok(posts)
}
