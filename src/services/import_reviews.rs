//! The admin's decision on a probable official reply found at import: confirm it (the
//! reply gets the badge, "verified at import by" the admin, and the comment it replies
//! to is answered on the reply's own date) or dismiss it. Both are audited.

use diesel::QueryResult;

use crate::db::import_reviews::{self, CONFIRMED, DISMISSED};
use crate::db::{self, AnyConnection};
use crate::domain::time;
use crate::services::audit::{self, Entry};
use crate::services::responses::{self, Recorder};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Dismiss,
}

/// What came of a decision: `None` when the review is not open any more (decided by
/// someone else, or its comment is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    /// The author of the comment the reply answered, when confirming answered one.
    pub answered: Option<String>,
}

pub fn decide(
    conn: &mut AnyConnection,
    admin_id: i64,
    comment_id: i64,
    decision: Decision,
) -> QueryResult<Option<Decided>> {
    db::transaction(conn, |conn| {
        let Some(review) = import_reviews::find_open(conn, comment_id)? else { return Ok(None) };
        let Some(reply) = db::comments::find(conn, comment_id)? else { return Ok(None) };
        let admin = db::users::find(conn, admin_id)?.map_or_else(|| format!("user {admin_id}"), |u| u.name);
        let now = time::now();
        let label = audit::comment_label(&reply.author_name, &reply.body_md);
        let department = if review.badge_acronym.is_empty() { &review.badge_department } else { &review.badge_acronym };
        let badge = format!("{}, {}, {department}", review.badge_name, review.badge_title);
        let mut answered = None;
        match decision {
            Decision::Confirm => {
                import_reviews::give_badge(conn, &review)?;
                db::imports::mark_badge_imported(conn, comment_id, "review", &review.matched_text, now, Some(&admin))?;
                let parent = match reply.parent_id {
                    Some(id) => db::comments::find(conn, id)?.filter(|p| p.is_published()),
                    None => None,
                };
                if let Some(parent) = parent {
                    let name = format!("{} (confirmed at import review by {admin})", review.badge_name);
                    let recorder = Recorder { id: review.user_id, name: &name };
                    if responses::mark_answered_by(
                        conn,
                        &parent,
                        comment_id,
                        &badge,
                        review.department_id,
                        &recorder,
                        reply.created_at,
                    )? {
                        answered = Some(parent.author_name.clone());
                    }
                }
                import_reviews::decide(conn, comment_id, CONFIRMED, &admin, now)?;
            }
            Decision::Dismiss => {
                import_reviews::decide(conn, comment_id, DISMISSED, &admin, now)?;
            }
        }
        let (action, after) = match decision {
            Decision::Confirm => ("import_review.confirm", format!("official reply: {badge}")),
            Decision::Dismiss => ("import_review.dismiss", "not an official reply".to_owned()),
        };
        audit::record(
            conn,
            Some(admin_id),
            &Entry {
                action,
                target_type: "comment",
                target_id: Some(comment_id),
                target_label: &label,
                before: Some(&format!("probable official reply: {}", review.matched_text)),
                after: Some(&after),
                reason: None,
            },
        )?;
        db::posts::bump_comments_version(conn, reply.post_id)?;
        Ok(Some(Decided { answered }))
    })
}
