//! The audit log: every moderator and admin action, written in the transaction of the
//! action itself, so an action and its record commit or fail together.

use diesel::QueryResult;

use crate::db::audit::NewAuditRow;
use crate::db::{self, AnyConnection};
use crate::domain::time;

/// Who acted: a signed-in user, or (no id) the command line on the server.
pub const COMMAND_LINE: &str = "command line";

/// One action, as the audit page shows it.
pub struct Entry<'a> {
    /// A fixed key, e.g. `comment.approve`, `user.role`, `settings.moderation`.
    pub action: &'a str,
    /// What was acted on: `comment`, `user`, `department`, `official`, `post`, `settings`.
    pub target_type: &'a str,
    pub target_id: Option<i64>,
    /// A few words that name the target for people (an author and excerpt, a name).
    pub target_label: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// Appends one row. `actor` is the acting user's id (`None` for the command line).
pub fn record(conn: &mut AnyConnection, actor: Option<i64>, entry: &Entry) -> QueryResult<()> {
    let name = match actor {
        Some(id) => db::users::find(conn, id)?.map_or_else(|| format!("user {id}"), |u| u.name),
        None => COMMAND_LINE.to_owned(),
    };
    db::audit::insert(
        conn,
        &NewAuditRow {
            actor_id: actor,
            actor_name: &name,
            action: entry.action,
            target_type: entry.target_type,
            target_id: entry.target_id,
            target_label: entry.target_label,
            before_value: entry.before,
            after_value: entry.after,
            reason: entry.reason.filter(|r| !r.trim().is_empty()),
            created_at: time::now(),
        },
    )?;
    Ok(())
}

/// "Alex Doe: first words of the comment…", for naming a comment in the log.
pub fn comment_label(author: &str, body_md: &str) -> String {
    let words: String = body_md.split_whitespace().collect::<Vec<_>>().join(" ");
    let excerpt: String = words.chars().take(60).collect();
    let more = if words.chars().count() > 60 { "\u{2026}" } else { "" };
    format!("{author}: {excerpt}{more}")
}
