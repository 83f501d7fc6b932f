//! HTTP: routes in one place, extractors, middleware, and thin handlers that parse,
//! call a service off the async threads, and render.

mod account_email;
mod accounts;
pub mod admin;
pub mod api;
mod api_tokens;
mod assets;
pub mod caching;
mod comment_context;
mod comments;
pub mod csrf;
pub(crate) mod departments;
mod feeds;
mod form;
mod health;
mod held;
mod mail;
mod metrics;
pub mod middleware;
mod moderation;
mod own;
pub mod page_cache;
mod pages;
mod report;
mod responses;
pub mod routes;
mod search;
pub mod session;
pub mod spam;
mod triage;

use std::sync::Arc;

use actix_web::{web, HttpResponse};

use crate::config::Settings;
use crate::db::{AnyConnection, Pool};
use crate::error::AppError;
use crate::mail::worker::Signal;
use crate::mail::MailContext;

/// What every handler can reach: the pool and the settings. No globals.
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub cookie_key: actix_web::cookie::Key,
    /// Rendered comment sections of busy post pages.
    pub sections: page_cache::SectionCache,
    /// Rendered comments, drawn again without rendering while their inputs are the same.
    pub fragments: crate::views::fragments::FragmentCache,
    /// Post pages' comments as read for the current version of each post's comments.
    pub kept: Arc<crate::read::kept::KeptSections>,
    /// Links, sender and signing key for the emails requests cause.
    pub mail: Arc<MailContext>,
    /// Wakes the mail worker when a request has just written to the outbox.
    pub mailer: Arc<Signal>,
    /// What `/metrics` reports.
    pub metrics: crate::metrics::Metrics,
}

impl AppState {
    /// Runs blocking database work on the thread pool; pool and task failures become
    /// `AppError`s, the work's own result is returned as it is.
    pub async fn run<T, E, F>(&self, work: F) -> Result<Result<T, E>, AppError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let pool = self.pool.clone();
        let waiting = self.metrics.pool_waiting.clone();
        let result = web::block(move || -> Result<Result<T, E>, AppError> {
            waiting.inc();
            let conn = pool.get();
            waiting.dec();
            let mut conn = conn?;
            Ok(work(&mut conn))
        })
        .await??;
        Ok(result)
    }

    /// As `run`, with the mail context, and the mail worker woken after the work:
    /// for work that may owe emails.
    pub async fn run_mail<T, E, F>(&self, work: F) -> Result<Result<T, E>, AppError>
    where
        F: FnOnce(&mut AnyConnection, &MailContext) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let mail = self.mail.clone();
        let result = self.run(move |conn| work(conn, &mail)).await;
        self.mailer.wake();
        result
    }

    /// As `run`, for work whose only failure is a database error.
    pub async fn query<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut AnyConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        Ok(self.run(work).await??)
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(web::QueryConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .configure(routes::register)
        .configure(api::routes)
        .default_service(web::to(not_found));
}

/// Counts `action` for `keys`; `Some(seconds to wait)` when one of them is over its
/// limit (see `services::rate_limit`).
pub async fn rate_limited(
    state: &AppState,
    action: crate::services::rate_limit::Action,
    keys: Vec<String>,
) -> Result<Option<u64>, AppError> {
    use crate::services::rate_limit::{check_each, RateLimitError};
    let limits = state.settings.abuse;
    let outcome = state
        .run(move |conn| {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            check_each(conn, &limits, action, &keys)
        })
        .await?;
    match outcome {
        Ok(()) => Ok(None),
        Err(RateLimitError::RetryAfter(seconds)) => {
            state.metrics.rate_limit_refused(action.as_str());
            Ok(Some(seconds))
        }
        Err(RateLimitError::Database(e)) => Err(e.into()),
    }
}

/// Adds `Retry-After` to a 429 page.
pub fn retry_after(mut response: HttpResponse, seconds: u64) -> HttpResponse {
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(actix_web::http::header::RETRY_AFTER, value);
    }
    response
}

/// The address a request came from (the peer; see the README about proxies).
pub fn client_ip(req: &actix_web::HttpRequest) -> String {
    req.peer_addr().map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}

/// An HTML response with a status: forms shown again use 4xx with the page.
pub fn html(status: actix_web::http::StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(markup.into_string())
}

async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&AppError::NotFound)
}
