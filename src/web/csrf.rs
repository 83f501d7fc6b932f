//! CSRF protection that works for guests and without JavaScript: each browser gets a
//! random token in a signed cookie, every form carries the same token in a hidden
//! field, and a POST is accepted only when the two match.
//!
//! The JSON API (`web::api`) does not use these tokens: it never reads the session
//! cookie and authenticates writes only by an `Authorization: Bearer` token, which a
//! browser does not add to a cross-site request by itself.

use std::cell::Cell;
use std::future::{ready, Ready};
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use rand::RngCore;
use subtle::ConstantTimeEq;

use super::AppState;

pub const COOKIE: &str = "answerable_csrf";
pub const FIELD: &str = "_csrf";

struct TokenState {
    token: String,
    fresh: bool,
    used: Cell<bool>,
}

/// This browser's CSRF token: put it in forms with `value()`, check a POST with `matches()`.
#[derive(Clone)]
pub struct CsrfToken(Rc<TokenState>);

impl CsrfToken {
    pub fn value(&self) -> &str {
        self.0.used.set(true);
        &self.0.token
    }

    /// True when `submitted` is this browser's token. A browser that sent no valid
    /// cookie has a fresh token, which no earlier form can carry.
    pub fn matches(&self, submitted: &str) -> bool {
        !self.0.fresh && bool::from(self.0.token.as_bytes().ct_eq(submitted.as_bytes()))
    }
}

impl FromRequest for CsrfToken {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<CsrfToken>()
                .cloned()
                .ok_or_else(|| actix_web::error::ErrorInternalServerError("CSRF middleware is not installed")),
        )
    }
}

fn read_cookie(req: &ServiceRequest, key: &Key) -> Option<String> {
    let cookie = req.cookie(COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let verified = jar.signed(key).get(COOKIE)?;
    let token = verified.value();
    (token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| token.to_owned())
}

fn new_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn signed_cookie(token: &str, key: &Key, secure: bool) -> Option<Cookie<'static>> {
    let mut jar = CookieJar::new();
    let mut cookie = Cookie::new(COOKIE, token.to_owned());
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(secure);
    jar.signed_mut(key).add(cookie);
    jar.get(COOKIE).cloned()
}

/// Middleware: reads or issues the token; sets the cookie only when a page used a new one.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    let existing = read_cookie(&req, &state.cookie_key);
    let fresh = existing.is_none();
    let token =
        CsrfToken(Rc::new(TokenState { token: existing.unwrap_or_else(new_token), fresh, used: Cell::new(false) }));
    req.extensions_mut().insert(token.clone());
    let mut response = next.call(req).await?;
    if token.0.fresh && token.0.used.get() {
        if let Some(cookie) = signed_cookie(&token.0.token, &state.cookie_key, state.settings.secure_cookies()) {
            response.response_mut().add_cookie(&cookie)?;
        }
    }
    Ok(response)
}
