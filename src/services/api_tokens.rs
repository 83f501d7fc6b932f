//! API tokens: made by a signed-in user, shown to them once, kept as a hash,
//! revocable; a request that carries one acts as that user.

use base64::Engine;
use diesel::QueryResult;
use rand::RngCore;

use crate::db::api_tokens::{ApiToken, NewApiToken};
use crate::db::users::User;
use crate::db::{self, AnyConnection};
use crate::domain::{time, FieldError};
use crate::services::accounts::token_hash;

/// Tokens start with this, so a leaked one is easy to recognise in logs and code.
pub const PREFIX: &str = "ans_";
pub const MAX_NAME_CHARS: usize = 100;

/// The one time a token is seen whole.
pub struct NewToken {
    pub id: i64,
    pub secret: String,
}

fn secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the token is for, as its owner names it.
pub fn parse_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new("token_name", "Enter a name for the token, such as what will use it"));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.contains(['\n', '\r']) {
        return Err(FieldError::new("token_name", "The name must be one line of 100 characters or fewer"));
    }
    Ok(name.to_owned())
}

pub fn create(conn: &mut AnyConnection, user_id: i64, name: &str) -> QueryResult<NewToken> {
    let secret = secret();
    let hint: String = secret.chars().take(PREFIX.len() + 6).collect();
    let id = db::api_tokens::insert(
        conn,
        &NewApiToken { user_id, name, token_hash: &token_hash(&secret), hint: &hint, created_at: time::now() },
    )?;
    Ok(NewToken { id, secret })
}

pub fn list(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<ApiToken>> {
    db::api_tokens::for_user(conn, user_id)
}

/// True when the token was the user's and in force.
pub fn revoke(conn: &mut AnyConnection, user_id: i64, token_id: i64) -> QueryResult<bool> {
    Ok(db::api_tokens::revoke(conn, user_id, token_id, time::now())? == 1)
}

/// The user a token in force belongs to; records when it was used.
pub fn authenticate(conn: &mut AnyConnection, secret: &str) -> QueryResult<Option<User>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some((token, user)) = db::api_tokens::find_active(conn, &token_hash(secret))? else {
        return Ok(None);
    };
    // "Last used" to the minute: a busy script does not write on every request.
    let now = time::now();
    if token.last_used_at.is_none_or(|at| now - at >= chrono::TimeDelta::minutes(1)) {
        db::api_tokens::touch(conn, token.id, now)?;
    }
    Ok(Some(user))
}
