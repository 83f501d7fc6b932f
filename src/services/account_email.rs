//! An account's email address: verification at sign-up and on change, and password
//! reset by a link that works once, for an hour, and never says whether an address
//! has an account.

use chrono::TimeDelta;
use diesel::prelude::*;

use crate::db::subscriptions::{PURPOSE_RESET, PURPOSE_VERIFY};
use crate::db::users::User;
use crate::db::{self, AnyConnection};
use crate::domain::account::{self, NewPassword};
use crate::domain::comment::Email;
use crate::domain::{time, FieldError};
use crate::mail::templates as emails;
use crate::mail::MailContext;
use crate::services::email_tokens::{self, Checked};
use crate::services::outbox::enqueue;

pub const VERIFY_DAYS: i64 = 2;
pub const RESET_MINUTES: i64 = 60;

/// Sends a link confirming `address` for the account: its own address at sign-up,
/// or a new one it wants to change to. Earlier links for the account stop working.
pub fn send_verification(conn: &mut AnyConnection, mail: &MailContext, user: &User, address: &str) -> QueryResult<()> {
    db::subscriptions::expire_tokens(conn, user.id, PURPOSE_VERIFY, time::now())?;
    let token = email_tokens::issue(conn, PURPOSE_VERIFY, address, Some(user.id), None, TimeDelta::days(VERIFY_DAYS))?;
    let link = mail.url(&format!("/account/verify/{token}"));
    enqueue(conn, mail, PURPOSE_VERIFY, &emails::verify_email(address, &user.name, &link))?;
    Ok(())
}

/// What a verification link did.
pub enum Verified {
    /// The address is confirmed (and is now the account's address).
    Done(String),
    /// Another account took the address in the meantime.
    Taken,
    Expired,
    Used,
    Unknown,
}

pub fn verify(conn: &mut AnyConnection, token: &str) -> QueryResult<Verified> {
    db::transaction(conn, |conn| {
        let found = match email_tokens::redeem(conn, PURPOSE_VERIFY, token)? {
            Checked::Valid(found) => found,
            Checked::Expired => return Ok(Verified::Expired),
            Checked::Used => return Ok(Verified::Used),
            Checked::Unknown => return Ok(Verified::Unknown),
        };
        let Some(user) = found.user_id.map(|id| db::users::find(conn, id)).transpose()?.flatten() else {
            return Ok(Verified::Unknown);
        };
        if !user.email.eq_ignore_ascii_case(&found.email) && db::users::find_by_email(conn, &found.email)?.is_some() {
            return Ok(Verified::Taken);
        }
        db::users::set_verified_email(conn, user.id, &found.email, time::now())?;
        Ok(Verified::Done(found.email.to_lowercase()))
    })
}

/// Asks to move the account to `new_email`: a link goes to the new address, and
/// nothing changes until it is used.
pub fn request_email_change(
    conn: &mut AnyConnection,
    mail: &MailContext,
    user: &User,
    new_email: &str,
) -> Result<String, FieldError> {
    let email = Email::parse(new_email).map_err(|e| FieldError::new("new_email", e.message))?;
    let address = email.as_str().to_lowercase();
    let refused = |message: &str| FieldError::new("new_email", message);
    if address == user.email {
        return Err(refused("That is already your email address"));
    }
    let outcome = db::transaction(conn, |conn| {
        if db::users::find_by_email(conn, &address)?.is_some() {
            return Ok(Err(refused("That email address cannot be used for this account")));
        }
        send_verification(conn, mail, user, &address)?;
        Ok::<_, diesel::result::Error>(Ok(()))
    });
    match outcome {
        Ok(Ok(())) => Ok(address),
        Ok(Err(error)) => Err(error),
        Err(_) => Err(refused("Sorry, the change could not be started just now. Please try again.")),
    }
}

/// Sends a reset link if an account has this address; says nothing either way.
pub fn request_password_reset(conn: &mut AnyConnection, mail: &MailContext, email: &str) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        let Some(user) = db::users::find_by_email(conn, email.trim())? else { return Ok(()) };
        db::subscriptions::expire_tokens(conn, user.id, PURPOSE_RESET, time::now())?;
        let token = email_tokens::issue(
            conn,
            PURPOSE_RESET,
            &user.email,
            Some(user.id),
            None,
            TimeDelta::minutes(RESET_MINUTES),
        )?;
        let link = mail.url(&format!("/password/reset/{token}"));
        enqueue(conn, mail, PURPOSE_RESET, &emails::password_reset(&user.email, &link))?;
        Ok(())
    })
}

/// Whether a reset link can still be used (to show the form).
pub fn reset_link(conn: &mut AnyConnection, token: &str) -> QueryResult<Checked> {
    email_tokens::check(conn, PURPOSE_RESET, token)
}

pub enum ResetError {
    Field(FieldError),
    Link(Checked),
    Database(diesel::result::Error),
}

/// Sets a new password from a reset link: the link is used up, every session of
/// the account ends, and the address counts as verified (the link reached it).
pub fn reset_password(conn: &mut AnyConnection, token: &str, password: &str) -> Result<i64, ResetError> {
    let password = NewPassword::parse(password, "password").map_err(ResetError::Field)?;
    let hash = account::hash_password(&password)
        .map_err(|_| ResetError::Field(FieldError::new("password", "That password could not be used")))?;
    db::transaction(conn, |conn| {
        let found = match email_tokens::redeem(conn, PURPOSE_RESET, token)? {
            Checked::Valid(found) => found,
            other => return Ok(Err(other)),
        };
        let Some(user_id) = found.user_id else { return Ok(Err(Checked::Unknown)) };
        let now = time::now();
        db::users::set_password_hash(conn, user_id, &hash, now)?;
        db::users::delete_all_sessions(conn, user_id)?;
        db::users::set_email_verified(conn, user_id, now)?;
        Ok(Ok(user_id))
    })
    .map_err(ResetError::Database)?
    .map_err(ResetError::Link)
}
