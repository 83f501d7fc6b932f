use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use super::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id: the one a proxy in front gave it (`X-Request-Id`, when it looks
/// like an id), else a new one.
fn request_id(req: &ServiceRequest) -> String {
    let given = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|id| {
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    });
    given.map_or_else(|| format!("{:016x}", rand::random::<u64>()), str::to_owned)
}

/// One structured log line per request (method, path, status, time taken and the
/// request id, which every log line written while answering it carries too), the
/// id in an `X-Request-Id` response header, and the request counted for `/metrics`
/// by route pattern (never by raw path, so the label set stays small).
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path_and_query().map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let metrics = req.app_data::<web::Data<AppState>>().map(|state| state.metrics.clone());
    let id = request_id(&req);
    let span = tracing::info_span!("request", request_id = %id);
    let mut result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed().as_secs_f64();
    let elapsed_ms = elapsed * 1000.0;
    let _entered = span.enter();
    match &mut result {
        Ok(response) => {
            let status = response.status().as_u16();
            tracing::info!(target: "answerable::request", %method, %path, status, elapsed_ms, "request");
            if let Some(metrics) = &metrics {
                metrics.request(&route, &method, status, elapsed);
            }
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert(REQUEST_ID, value);
            }
        }
        Err(error) => {
            tracing::warn!(target: "answerable::request", %method, %path, %error, elapsed_ms, "request failed")
        }
    }
    result
}

/// Refuses an address holding `%00` (U+0000) with a plain 400, before any handler
/// looks it up: no backend can compare or store that character, and on PostgreSQL
/// it would fail the query. Form and API bodies are checked where they are read.
pub async fn refuse_nul_in_address(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, actix_web::Error> {
    let raw = req.uri().path_and_query().map_or("", |p| p.as_str());
    if raw.as_bytes().windows(3).any(|w| w == b"%00") {
        let response = actix_web::HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body("This address contains a NUL character (%00), which no page can have.\n");
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}
