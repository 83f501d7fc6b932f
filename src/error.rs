//! One error type for the web layer: what went wrong decides the status and the page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::views;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A one-button form whose body could not be read whole (400 or 413).
    #[error("the form could not be read")]
    BadForm(StatusCode),
    /// Signing in would allow it: the page to come back to after.
    #[error("sign in required")]
    SignInRequired(String),
    #[error("the database is busy")]
    Unavailable(#[source] diesel::r2d2::PoolError),
    /// The database refuses writes (read-only, disk full): nothing can be saved now.
    #[error("the database refuses writes")]
    CannotSave(#[source] diesel::result::Error),
    #[error("database error")]
    Database(#[source] diesel::result::Error),
    #[error("{0}")]
    Unexpected(String),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Self::NotFound,
            other if crate::db::refuses_writes(&other) => Self::CannotSave(other),
            other => Self::Database(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(e)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        Self::Unexpected("the blocking task was cancelled".into())
    }
}

/// The error and each of its causes, for the log.
pub fn cause_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadForm(status) => *status,
            Self::SignInRequired(_) => StatusCode::SEE_OTHER,
            Self::Unavailable(_) | Self::CannotSave(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Self::SignInRequired(next) = self {
            let next: String = url_encode(next);
            return HttpResponse::SeeOther().insert_header(("Location", format!("/signin?next={next}"))).finish();
        }
        if status.is_server_error() {
            tracing::error!(error = %cause_chain(self), status = status.as_u16(), "request failed");
        }
        let mut response = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header(("Retry-After", "5"));
        }
        let page = match self {
            Self::CannotSave(_) => views::errors::cannot_save_page(),
            _ => views::errors::error_page(status),
        };
        response.content_type("text/html; charset=utf-8").body(page.into_string())
    }
}

fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
