//! Caching headers. An anonymous reader's public page (`routes::PUBLIC`; the CSRF
//! middleware decides which reads are public) is the same for every such reader and
//! sets no cookie, so it is marked `public` with a short `s-maxage` for shared caches (CDNs, nginx), and
//! `max-age=0` so browsers revalidate every time; its `ETag` is a hash of the page, so
//! a new comment changes it at once and an unchanged page is a `304` with no body.
//! `Vary: Cookie` keeps a signed-in reader's request from being answered with it.
//! Every other response that says nothing itself is `private, no-cache`.

use actix_web::body::{self, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};

use super::{csrf, AppState};

/// A weak ETag (the body may be compressed on the way) from the page's bytes: a
/// 128-bit XXH3 hash, which a page of 500 comments costs a small fraction of a
/// millisecond (SHA-256 took 6% of the page's time).
fn etag(bytes: &[u8]) -> String {
    format!("W/\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn matches(if_none_match: Option<&HeaderValue>, etag: &str) -> bool {
    let Some(value) = if_none_match.and_then(|v| v.to_str().ok()) else { return false };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    value.split(',').any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    let seconds = req.app_data::<web::Data<AppState>>().map_or(0, |state| state.settings.public_cache_seconds);
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.call(req).await?.map_into_boxed_body();
    // The CSRF middleware, inside this one, decided whether this is a public read; its
    // token says so, and the page was drawn accordingly (no token in its forms).
    let public = response.request().extensions().get::<csrf::CsrfToken>().is_some_and(csrf::CsrfToken::is_public);
    let status = response.status();
    let sets_cookie = response.headers().contains_key(header::SET_COOKIE);
    if !public || sets_cookie || !(status == StatusCode::OK || status.is_redirection()) {
        if !response.headers().contains_key(header::CACHE_CONTROL) {
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
        }
        return Ok(response.map_into_left_body());
    }
    let control = format!("public, max-age=0, s-maxage={seconds}, must-revalidate");
    let (req, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = body::to_bytes(body).await.map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let tag = etag(&bytes);
    let headers = head.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&control) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    if status == StatusCode::OK && matches(if_none_match.as_ref(), &tag) {
        let mut not_modified = HttpResponse::NotModified().finish();
        for (name, value) in head.headers().iter() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                not_modified.headers_mut().append(name.clone(), value.clone());
            }
        }
        return Ok(ServiceResponse::new(req, not_modified).map_into_right_body());
    }
    Ok(ServiceResponse::new(req, head.set_body(bytes).map_into_boxed_body()).map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let tag = etag(b"<html>page</html>");
        let header = |v: &str| Some(HeaderValue::from_str(v).unwrap());
        assert!(matches(header(&tag).as_ref(), &tag));
        assert!(matches(header(&format!("\"x\", {}", tag.trim_start_matches("W/"))).as_ref(), &tag));
        assert!(matches(header("*").as_ref(), &tag));
        assert!(!matches(header("W/\"other\"").as_ref(), &tag));
        assert!(!matches(None, &tag));
        assert_ne!(etag(b"a"), etag(b"b"));
    }
}
