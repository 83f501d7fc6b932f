use actix_web::{web, HttpResponse};
use diesel::RunQueryDsl;

use super::AppState;

/// 200 when the database answers, 503 when it does not.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let reachable = web::block(move || {
        let mut conn = pool.get_timeout(std::time::Duration::from_secs(2)).ok()?;
        diesel::sql_query("SELECT 1").execute(&mut *conn).ok()
    })
    .await
    .ok()
    .flatten()
    .is_some();
    if reachable {
        HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok: database reachable\n")
    } else {
        tracing::warn!("health check failed: database unreachable");
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("unavailable: database unreachable\n")
    }
}
