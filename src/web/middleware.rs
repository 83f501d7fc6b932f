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
