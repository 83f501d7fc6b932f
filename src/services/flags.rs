//! Readers reporting comments. Enough open reports hide a comment until a moderator
//! looks; every report puts it in the moderation queue.

use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentStatus;
use crate::domain::time;
use crate::services::comments::unpublished;
use crate::services::site_settings;

pub use crate::domain::flags::REASONS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    Recorded,
    /// This report reached the threshold: the comment is hidden pending review.
    Hidden,
    /// This reader had already reported it.
    Already,
}

#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    #[error("no such comment")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Records one reader's report of a published comment.
pub fn report(
    conn: &mut AnyConnection,
    comment_id: i64,
    reporter: &str,
    reason: &str,
    note: &str,
) -> Result<Reported, FlagError> {
    crate::db::transaction(conn, |conn| {
        let comment = db::comments::find(conn, comment_id)?.filter(|c| c.is_published()).ok_or(FlagError::NotFound)?;
        let now = time::now();
        if !db::flags::insert(conn, comment.id, reporter, reason, note.trim(), now)? {
            return Ok(Reported::Already);
        }
        let threshold = site_settings::load(conn)?.flag_threshold;
        let open = db::flags::open_count(conn, comment.id)?;
        if open >= i64::from(threshold) {
            unpublished(conn, &comment, CommentStatus::Hidden)?;
            db::moderation::set_held_reason(conn, comment.id, &format!("Hidden after {open} reports"), now)?;
            return Ok(Reported::Hidden);
        }
        Ok(Reported::Recorded)
    })
}
