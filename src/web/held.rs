//! Comments this browser posted that wait for a moderator: their ids in an encrypted
//! cookie, so only this browser (and moderators) can see them before publication.

use actix_web::cookie::{Cookie, CookieJar, SameSite};
use actix_web::{HttpRequest, HttpResponseBuilder};

use super::AppState;

pub const COOKIE: &str = "answerable_held";
/// Most held comments one browser keeps track of (the newest).
const KEEP: usize = 20;

/// The held comment ids this browser posted.
pub fn ids(req: &HttpRequest, state: &AppState) -> Vec<i64> {
    let Some(cookie) = req.cookie(COOKIE) else {
        return Vec::new();
    };
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    jar.private(&state.cookie_key)
        .get(COOKIE)
        .map(|c| c.value().split(',').filter_map(|id| id.parse().ok()).collect())
        .unwrap_or_default()
}

/// Adds `id` to the browser's list.
pub fn remember(response: &mut HttpResponseBuilder, req: &HttpRequest, state: &AppState, id: i64) {
    let mut ids = ids(req, state);
    ids.push(id);
    let skip = ids.len().saturating_sub(KEEP);
    let value = ids[skip..].iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut cookie = Cookie::new(COOKIE, value);
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(state.settings.secure_cookies());
    cookie.set_max_age(actix_web::cookie::time::Duration::days(30));
    let mut jar = CookieJar::new();
    jar.private_mut(&state.cookie_key).add(cookie);
    if let Some(cookie) = jar.get(COOKIE) {
        response.cookie(cookie.clone());
    }
}
