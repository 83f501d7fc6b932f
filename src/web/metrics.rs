//! `/metrics`: the Prometheus text exposition, for the bearer of
//! `ANSWERABLE_METRICS_TOKEN` only (off without one).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use subtle::ConstantTimeEq;

use super::AppState;
use crate::error::AppError;
use crate::read::operations;

pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let Some(expected) = state.settings.metrics_token.as_deref() else { return Err(AppError::NotFound) };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return Ok(HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
            .content_type("text/plain; charset=utf-8")
            .body("metrics need the bearer token set in ANSWERABLE_METRICS_TOKEN\n"));
    }
    let mut snapshot = state.query(operations::snapshot).await?;
    let pool = state.pool.state();
    (snapshot.pool_connections, snapshot.pool_idle) = (pool.connections, pool.idle_connections);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&snapshot)))
}
