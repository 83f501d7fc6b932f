//! Single-use links sent by email (confirm a subscription, verify an address, reset
//! a password): a random token in the link, only its hash stored, an expiry, and
//! used at most once.

use chrono::TimeDelta;
use diesel::prelude::*;

use crate::db::subscriptions::{EmailToken, NewEmailToken};
use crate::db::{self, AnyConnection};
use crate::domain::time;
use crate::services::accounts::{random_token, token_hash};

/// Makes a token for `purpose`; returns the secret that goes in the link.
pub fn issue(
    conn: &mut AnyConnection,
    purpose: &str,
    email: &str,
    user_id: Option<i64>,
    subscription_id: Option<i64>,
    valid_for: TimeDelta,
) -> QueryResult<String> {
    let token = random_token();
    let now = time::now();
    db::subscriptions::insert_token(
        conn,
        &NewEmailToken {
            purpose,
            token_hash: &token_hash(&token),
            email,
            user_id,
            subscription_id,
            expires_at: now + valid_for,
            created_at: now,
        },
    )?;
    Ok(token)
}

/// What a link's token turned out to be.
#[derive(Debug)]
pub enum Checked {
    Valid(EmailToken),
    Expired,
    Used,
    Unknown,
}

/// Looks a token up without using it (to show the form it leads to).
pub fn check(conn: &mut AnyConnection, purpose: &str, token: &str) -> QueryResult<Checked> {
    let now = time::now();
    Ok(match db::subscriptions::find_token(conn, purpose, &token_hash(token.trim()))? {
        None => Checked::Unknown,
        Some(found) if found.used_at.is_some() => Checked::Used,
        Some(found) if found.expires_at <= now => Checked::Expired,
        Some(found) => Checked::Valid(found),
    })
}

/// Uses a token: valid only once, even when two requests race.
pub fn redeem(conn: &mut AnyConnection, purpose: &str, token: &str) -> QueryResult<Checked> {
    match check(conn, purpose, token)? {
        Checked::Valid(found) => {
            if db::subscriptions::use_token(conn, found.id, time::now())? {
                Ok(Checked::Valid(found))
            } else {
                Ok(Checked::Used)
            }
        }
        other => Ok(other),
    }
}
