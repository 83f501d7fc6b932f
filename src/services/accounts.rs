//! Accounts and sessions: register, sign in (slowed after repeated failures), sign
//! out, change password, and the admin's changes of role.

use base64::Engine;
use chrono::TimeDelta;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::users::{NewUser, User};
use crate::db::{self, AnyConnection};
use crate::domain::account::{self, NewPassword, Registration, Role};
use crate::domain::{time, FieldError};
use crate::services::audit::{self, Entry};

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;
/// Failures counted over this window.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with that email already exists")]
    EmailTaken,
    #[error("email or password is not right")]
    WrongCredentials,
    #[error("too many failed attempts")]
    TooManyAttempts,
    #[error("{}", .0.message)]
    Field(FieldError),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The secret in a session cookie. Only its hash is stored.
pub struct SessionToken(pub String);

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 256 random bits, URL-safe: for session cookies and links sent by email.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn new_token() -> SessionToken {
    SessionToken(random_token())
}

fn hash(password: &NewPassword) -> Result<String, AccountError> {
    account::hash_password(password).map_err(AccountError::Hashing)
}

/// Creates an account. The password is hashed before the transaction opens.
pub fn create_user(conn: &mut AnyConnection, registration: &Registration, role: Role) -> Result<User, AccountError> {
    let password_hash = hash(&registration.password)?;
    let email = registration.email.as_str().to_lowercase();
    db::transaction(conn, |conn| {
        if db::users::find_by_email(conn, &email)?.is_some() {
            return Err(AccountError::EmailTaken);
        }
        let now = time::now();
        let id = db::users::insert(
            conn,
            &NewUser {
                email: &email,
                name: registration.name.as_str(),
                password_hash: &password_hash,
                role,
                created_at: now,
                updated_at: now,
            },
        )?;
        db::users::find(conn, id)?.ok_or(AccountError::Database(diesel::result::Error::NotFound))
    })
}

/// A new session for a user: the token goes in the cookie.
pub fn start_session(conn: &mut AnyConnection, user_id: i64) -> Result<SessionToken, AccountError> {
    let token = new_token();
    let now = time::now();
    db::users::delete_expired_sessions(conn, now)?;
    db::users::insert_session(conn, &token_hash(&token.0), user_id, now, now + TimeDelta::days(SESSION_DAYS))?;
    Ok(token)
}

/// Checks email and password; after repeated failures for the account or the
/// address, refuses without checking. The answer never says whether the email exists.
pub fn sign_in(
    conn: &mut AnyConnection,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<(User, SessionToken), AccountError> {
    let email = email.trim().to_lowercase();
    let now = time::now();
    let since = now - TimeDelta::minutes(FAILURE_WINDOW_MINUTES);
    let (by_account, by_ip) = db::users::recent_failures(conn, &email, ip, since)?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_ip >= MAX_FAILURES_PER_IP {
        return Err(AccountError::TooManyAttempts);
    }
    let user = db::users::find_by_email(conn, &email)?;
    let verified = match &user {
        Some(user) => account::verify_password(password, &user.password_hash),
        None => {
            account::verify_against_nothing(password);
            false
        }
    };
    db::users::record_attempt(conn, &email, ip, verified, now)?;
    match user {
        Some(user) if verified => {
            db::users::clear_failures(conn, &email)?;
            let token = start_session(conn, user.id)?;
            Ok((user, token))
        }
        _ => Err(AccountError::WrongCredentials),
    }
}

pub fn sign_out(conn: &mut AnyConnection, token: &str) -> Result<(), AccountError> {
    db::users::delete_session(conn, &token_hash(token))?;
    Ok(())
}

pub fn user_for_session(conn: &mut AnyConnection, token: &str) -> QueryResult<Option<User>> {
    db::users::user_for_session(conn, &token_hash(token), time::now())
}

/// Changes a password after checking the current one; other sessions are ended.
pub fn change_password(
    conn: &mut AnyConnection,
    user_id: i64,
    current: &str,
    new: &str,
    session_token: &str,
) -> Result<(), Vec<FieldError>> {
    let db_error = |_| vec![FieldError::new("current_password", "Sorry, your password could not be changed just now")];
    let user = db::users::find(conn, user_id).map_err(db_error)?.ok_or_else(Vec::new)?;
    let mut errors = Vec::new();
    if !account::verify_password(current, &user.password_hash) {
        errors.push(FieldError::new("current_password", "Your current password is not right"));
    }
    let new = match NewPassword::parse(new, "new_password") {
        Ok(password) => Some(password),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let (Some(new), true) = (new, errors.is_empty()) else {
        return Err(errors);
    };
    let hash = account::hash_password(&new)
        .map_err(|_| vec![FieldError::new("new_password", "That password could not be used")])?;
    db::transaction(conn, |conn| {
        db::users::set_password_hash(conn, user_id, &hash, time::now())?;
        db::users::delete_other_sessions(conn, user_id, &token_hash(session_token))
    })
    .map_err(db_error)?;
    Ok(())
}

/// Changes a user's role; `false` when there is no such user. `actor` is the admin.
pub fn set_role(conn: &mut AnyConnection, actor: Option<i64>, user_id: i64, role: Role) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let Some(user) = db::users::find(conn, user_id)? else {
            return Ok(false);
        };
        if user.role == role {
            return Ok(true);
        }
        db::users::set_role(conn, user_id, role, time::now())?;
        let label = format!("{} <{}>", user.name, user.email);
        audit::record(
            conn,
            actor,
            &Entry {
                action: "user.role",
                target_type: "user",
                target_id: Some(user.id),
                target_label: &label,
                before: Some(user.role.as_str()),
                after: Some(role.as_str()),
                reason: None,
            },
        )?;
        Ok(true)
    })
}

/// Marks an account trusted (its comments skip pre-moderation) or not.
pub fn set_trusted(conn: &mut AnyConnection, actor: Option<i64>, user_id: i64, trusted: bool) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let Some(user) = db::users::find(conn, user_id)? else {
            return Ok(false);
        };
        if user.trusted == trusted {
            return Ok(true);
        }
        db::users::set_trusted(conn, user_id, trusted, time::now())?;
        let label = format!("{} <{}>", user.name, user.email);
        let word = |t: bool| if t { "trusted" } else { "not trusted" };
        audit::record(
            conn,
            actor,
            &Entry {
                action: "user.trusted",
                target_type: "user",
                target_id: Some(user.id),
                target_label: &label,
                before: Some(word(user.trusted)),
                after: Some(word(trusted)),
                reason: None,
            },
        )?;
        Ok(true)
    })
}

/// Sets an account's password without the old one (an admin at the command line; for
/// accounts restored by `import json`, which come without passwords) and signs it out
/// everywhere. `None` when no account has that email.
pub fn set_password(conn: &mut AnyConnection, email: &str, new: &NewPassword) -> Result<Option<User>, AccountError> {
    let hash = hash(new)?;
    db::transaction(conn, |conn| {
        let Some(user) = db::users::find_by_email(conn, email.trim())? else {
            return Ok(None);
        };
        db::users::set_password_hash(conn, user.id, &hash, time::now())?;
        db::users::delete_other_sessions(conn, user.id, "")?;
        Ok(Some(user))
    })
}
