use actix_web::{web, HttpResponse};
use diesel::RunQueryDsl;

use super::AppState;

/// What the health check found.
enum Health {
    Ok,
    Unreachable,
    RefusesWrites(String),
}

/// 200 when the database answers and takes writes; 503, saying which, when it does
/// not. Reading pages may still work while writes fail (a read-only file, a full
/// disk), but nothing can be posted, so the instance is not healthy.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let health = web::block(move || {
        let Ok(mut conn) = pool.get_timeout(std::time::Duration::from_secs(2)) else { return Health::Unreachable };
        if diesel::sql_query("SELECT 1").execute(&mut *conn).is_err() {
            return Health::Unreachable;
        }
        match crate::db::accepts_writes(&mut conn) {
            Ok(()) => Health::Ok,
            Err(error) => Health::RefusesWrites(error.to_string()),
        }
    })
    .await
    .unwrap_or(Health::Unreachable);
    let (mut response, body) = match health {
        Health::Ok => (HttpResponse::Ok(), "ok: database reachable and taking writes\n".to_owned()),
        Health::Unreachable => {
            tracing::warn!("health check failed: database unreachable");
            (HttpResponse::ServiceUnavailable(), "unavailable: database unreachable\n".to_owned())
        }
        Health::RefusesWrites(error) => {
            tracing::warn!(%error, "health check failed: the database refuses writes");
            (HttpResponse::ServiceUnavailable(), format!("unavailable: the database refuses writes ({error})\n"))
        }
    };
    response.content_type("text/plain; charset=utf-8").body(body)
}
