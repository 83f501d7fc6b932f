//! CSRF protection that works for guests, without JavaScript and in every browser,
//! while public pages stay cacheable (OWASP's two patterns, each where it fits):
//!
//! - Signed-in browsers (a session cookie): the synchronizer token. Each browser gets a
//!   random token in a signed cookie, every form carries the same token in a hidden
//!   field, and a POST is accepted only when the two match.
//! - Anonymous readers of public pages (`routes::PUBLIC`): those pages are the same for
//!   everyone, so a shared cache can keep them; they set no cookie and their forms
//!   carry no token. A POST from a browser without a session is accepted on a matching
//!   token, or when the browser says it comes from this site: `Origin`, or, from old
//!   browsers that send no `Origin`, `Referer` (the site sends `Referrer-Policy:
//!   same-origin`, so its own pages' referrers arrive). A post with neither is refused,
//!   with the form shown again carrying a token, so sending it again works.
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
    /// An anonymous reader's public page: no token in its forms, no cookie.
    public: bool,
}

/// This browser's CSRF token: put it in forms with `value()`, check a POST with `matches()`.
#[derive(Clone)]
pub struct CsrfToken(Rc<TokenState>);

impl CsrfToken {
    /// The token for a form; empty on a public page, whose forms rely on the origin check.
    pub fn value(&self) -> &str {
        if self.0.public {
            return "";
        }
        self.0.used.set(true);
        &self.0.token
    }

    /// Whether the page is an anonymous reader's public page (the same for every such
    /// reader while a cache keeps it).
    pub fn is_public(&self) -> bool {
        self.0.public
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
    let public = is_public_read(&req);
    let token = existing.unwrap_or_else(new_token);
    let token = CsrfToken(Rc::new(TokenState { token, fresh, used: Cell::new(false), public }));
    req.extensions_mut().insert(token.clone());
    let mut response = next.call(req).await?;
    if token.0.fresh && token.0.used.get() {
        if let Some(cookie) = signed_cookie(&token.0.token, &state.cookie_key, state.settings.secure_cookies()) {
            response.response_mut().add_cookie(&cookie)?;
        }
    }
    Ok(response)
}

/// Whether a browser holds a session cookie (valid or not): such a browser's forms
/// must carry its token.
pub fn has_session(req: &HttpRequest) -> bool {
    req.cookie(super::session::COOKIE).is_some()
}

/// A GET of a public page by a browser without a session or held comments, on a site
/// that lets shared caches keep such pages: the page is the same as every other
/// anonymous reader's.
fn is_public_read(req: &ServiceRequest) -> bool {
    use actix_web::http::Method;
    let caching = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.public_cache_seconds > 0);
    caching
        && (req.method() == Method::GET || req.method() == Method::HEAD)
        && req.cookie(super::session::COOKIE).is_none()
        && req.cookie(super::held::COOKIE).is_none()
        && req.match_pattern().is_some_and(|pattern| super::routes::PUBLIC.contains(&pattern.as_str()))
}

/// `scheme://host[:port]` of a URL, lower-cased; `None` for anything else.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!scheme.is_empty() && !authority.is_empty()).then(|| format!("{scheme}://{authority}").to_ascii_lowercase())
}

/// Whether the browser says the request comes from a page of this site: its `Origin`
/// (or, when it sends none, its `Referer`) is the site's base URL or names the host the
/// request was sent to. Neither header, or `Origin: null`, is not this site.
pub fn same_origin(req: &HttpRequest, base_url: &str) -> bool {
    use actix_web::http::header;
    let text = |name: header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let claimed = match (text(header::ORIGIN), text(header::REFERER)) {
        (Some(origin), _) => origin_of(&origin),
        (None, Some(referer)) => origin_of(&referer),
        (None, None) => None,
    };
    let Some(claimed) = claimed else { return false };
    if origin_of(base_url).is_some_and(|site| site == claimed) {
        return true;
    }
    let host = text(header::HOST).map(|h| h.to_ascii_lowercase());
    host.is_some_and(|host| claimed.split_once("://").is_some_and(|(_, authority)| authority == host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_origin_or_else_the_referer_must_be_this_site() {
        let site = "https://comments.example.org";
        let from = |headers: &[(&str, &str)]| {
            let mut req = TestRequest::post().insert_header(("Host", "comments.example.org"));
            for header in headers {
                req = req.insert_header(*header);
            }
            same_origin(&req.to_http_request(), site)
        };
        assert!(from(&[("Origin", "https://comments.example.org")]));
        assert!(from(&[("Referer", "https://comments.example.org/posts/a?page=2")]), "old browsers: the referer");
        assert!(!from(&[("Origin", "https://evil.example")]));
        assert!(!from(&[("Origin", "null")]));
        assert!(!from(&[("Origin", "https://evil.example"), ("Referer", "https://comments.example.org/")]));
        assert!(!from(&[]), "a post that says nothing of where it comes from");
        assert!(!from(&[("Referer", "https://comments.example.org.evil.example/")]));
    }
}
