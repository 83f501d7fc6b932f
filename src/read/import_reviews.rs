//! The "Probable official replies" queue as the admin page shows it.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::{self, AnyConnection};

/// A reply waiting for an admin's decision.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    pub comment_id: i64,
    pub author_name: String,
    pub body_md: String,
    pub created_at: NaiveDateTime,
    pub post_title: String,
    pub post_slug: String,
    /// `domain::signature::Why`, as stored.
    pub reason: String,
    pub matched_text: String,
    /// The badge confirming it gives: "Jane Doe, Chief Technology Officer, DWP".
    pub badge: String,
}

pub fn open(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<ReviewItem>> {
    Ok(db::import_reviews::open(conn, limit)?
        .into_iter()
        .map(|o| {
            let r = o.review;
            let department = if r.badge_acronym.is_empty() { &r.badge_department } else { &r.badge_acronym };
            ReviewItem {
                comment_id: r.comment_id,
                author_name: o.author_name,
                body_md: o.body_md,
                created_at: o.created_at,
                post_title: o.post_title,
                post_slug: o.post_slug,
                badge: format!("{}, {}, {department}", r.badge_name, r.badge_title),
                reason: r.reason,
                matched_text: r.matched_text,
            }
        })
        .collect())
}
