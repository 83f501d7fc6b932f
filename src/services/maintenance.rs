//! The server's periodic housekeeping: drop commenters' addresses after the retention
//! period (on comments, sign-in attempts and replies received by email), and forget
//! rate-limit hits older than every window.

use chrono::TimeDelta;
use diesel::QueryResult;

use crate::config::AbuseSettings;
use crate::db::{self, AnyConnection};
use crate::domain::time;
use crate::services::rate_limit;

/// What one run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub addresses_dropped: usize,
    pub rate_hits_pruned: usize,
}

pub fn run_once(conn: &mut AnyConnection, abuse: &AbuseSettings) -> QueryResult<Swept> {
    let now = time::now();
    let keep = TimeDelta::days(i64::from(abuse.ip_retention_days));
    let attempts = db::users::delete_attempts_before(conn, now - keep)?;
    // Received replies keep the sender's address; those waiting for a moderator stay.
    let received = db::inbound::prune(conn, now - keep)?;
    Ok(Swept {
        addresses_dropped: db::moderation::purge_ips(conn, now - keep)? + attempts + received,
        rate_hits_pruned: db::rate_limits::prune(conn, now - rate_limit::LONGEST_WINDOW)?,
    })
}
