//! A rate limiter kept in the database, so several app instances on one PostgreSQL
//! share the counts. Each action has windows (per minute, per day, ...); a request
//! over any window is refused with how long to wait. Only accepted requests count.
//!
//! Use: `rate_limit::check(conn, &settings.abuse, Action::SendEmail, &key)` before
//! the action, in its own short transaction (so a refused action leaves no trace).

use chrono::TimeDelta;

use crate::config::AbuseSettings;
use crate::db::{self, AnyConnection};
use crate::domain::time;

/// What is being limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Posting a comment; keyed by address and by account or email.
    Comment,
    /// Registering an account; keyed by address.
    Register,
    /// Sending an email (verification, reset, notifications asked for by a person);
    /// keyed by the address asking or the account.
    SendEmail,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Comment => "comment",
            Self::Register => "register",
            Self::SendEmail => "send_email",
        }
    }

    /// (window in seconds, most hits in it).
    fn windows(self, limits: &AbuseSettings) -> Vec<(i64, u32)> {
        match self {
            Self::Comment => vec![(60, limits.comments_per_minute), (86_400, limits.comments_per_day)],
            Self::Register => vec![(3_600, limits.registrations_per_hour)],
            Self::SendEmail => vec![(3_600, limits.emails_per_hour)],
        }
    }
}

/// The longest window any action uses: hits older than this are pruned.
pub const LONGEST_WINDOW: TimeDelta = TimeDelta::days(1);

#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    /// Over the limit: wait this many seconds.
    #[error("too many requests; try again in {0} seconds")]
    RetryAfter(u64),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Counts one `action` for `key`, or refuses it if the key is over a limit.
pub fn check(
    conn: &mut AnyConnection,
    limits: &AbuseSettings,
    action: Action,
    key: &str,
) -> Result<(), RateLimitError> {
    check_each(conn, limits, action, &[key])
}

/// As `check` for several keys at once (an address and an account): refused if any
/// is over; counted for all only when none is.
pub fn check_each(
    conn: &mut AnyConnection,
    limits: &AbuseSettings,
    action: Action,
    keys: &[&str],
) -> Result<(), RateLimitError> {
    crate::db::transaction(conn, |conn| {
        let now = time::now();
        let mut wait = 0i64;
        for key in keys {
            for (seconds, most) in action.windows(limits) {
                let window = TimeDelta::seconds(seconds);
                let (count, oldest) = db::rate_limits::since(conn, action.as_str(), key, now - window)?;
                if count >= i64::from(most) {
                    let free_at = oldest.unwrap_or(now) + window;
                    wait = wait.max((free_at - now).num_seconds().max(1));
                }
            }
        }
        if wait > 0 {
            return Err(RateLimitError::RetryAfter(u64::try_from(wait).unwrap_or(1)));
        }
        for key in keys {
            db::rate_limits::insert(conn, action.as_str(), key, now)?;
        }
        Ok(())
    })
}

/// "30 seconds", "5 minutes", "3 hours": how long to wait, for people.
pub fn wait_words(seconds: u64) -> String {
    let plural = |n: u64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    match seconds {
        0..=59 => plural(seconds.max(1), "second"),
        60..=3599 => plural(seconds.div_ceil(60), "minute"),
        _ => plural(seconds.div_ceil(3600), "hour"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn waits_read_naturally() {
        assert_eq!(super::wait_words(1), "1 second");
        assert_eq!(super::wait_words(61), "2 minutes");
        assert_eq!(super::wait_words(7200), "2 hours");
    }
}
