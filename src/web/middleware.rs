use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

/// One structured log line per request: method, path, status and time taken.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path_and_query().map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
    let result = next.call(req).await;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    match &result {
        Ok(response) => {
            tracing::info!(target: "answerable::request", %method, %path, status = response.status().as_u16(), elapsed_ms, "request")
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
