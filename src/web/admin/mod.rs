//! The admin area: users, departments, officials and posts. Every handler takes the
//! `Admin` extractor, so the role is checked on the server for each request.

mod audit;
mod departments;
mod freezes;
mod moderation;
mod officials;
mod outbox;
mod posts;
mod users;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use super::form::{self, FormData, FormProblem};
use super::session::Admin;
use super::{csrf, AppState};
use crate::db;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::views::admin::{self as pages, Dashboard};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(dashboard))
        .route("/admin/users", web::get().to(users::index))
        .route("/admin/users/{id}/role", web::post().to(users::set_role))
        .route("/admin/departments", web::get().to(departments::index))
        .route("/admin/departments/new", web::get().to(departments::new))
        .route("/admin/departments/new", web::post().to(departments::create))
        .route("/admin/departments/{id}", web::get().to(departments::edit))
        .route("/admin/departments/{id}", web::post().to(departments::update))
        .route("/admin/officials", web::get().to(officials::index))
        .route("/admin/officials", web::post().to(officials::grant))
        .route("/admin/officials/{id}/revoke", web::post().to(officials::revoke))
        .route("/admin/outbox", web::get().to(outbox::index))
        .route("/admin/outbox/retry", web::post().to(outbox::retry))
        .route("/admin/posts", web::get().to(posts::index))
        .route("/admin/posts/new", web::get().to(posts::new))
        .route("/admin/posts/new", web::post().to(posts::create))
        .route("/admin/posts/{id}/edit", web::get().to(posts::edit))
        .route("/admin/posts/{id}/edit", web::post().to(posts::update))
        .route("/admin/posts/{id}/publish", web::post().to(posts::publish))
        .route("/admin/posts/{id}/unpublish", web::post().to(posts::unpublish))
        .route("/admin/posts/{id}/open-comments", web::post().to(posts::open_comments))
        .route("/admin/posts/{id}/close-comments", web::post().to(posts::close_comments))
        .route("/admin/posts/{id}/moderation", web::post().to(posts::set_moderation))
        .route("/admin/users/{id}/trusted", web::post().to(users::set_trusted))
        .route("/admin/moderation", web::get().to(moderation::index))
        .route("/admin/moderation", web::post().to(moderation::save))
        .route("/admin/freezes", web::get().to(freezes::index))
        .route("/admin/freezes", web::post().to(freezes::create))
        .route("/admin/freezes/{id}/end", web::post().to(freezes::end))
        .route("/admin/audit", web::get().to(audit::index))
        .route("/admin/audit.csv", web::get().to(audit::export));
}

/// `?done=...`: which change just worked, named by a fixed key (never text to show).
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn dashboard(state: web::Data<AppState>, admin: Admin) -> Result<Markup, AppError> {
    let counts = state
        .query(|conn| {
            Ok(Dashboard {
                users: db::users::count(conn)?,
                departments: db::departments::list(conn)?.len() as i64,
                officials: db::officials::all_listings(conn)?.iter().filter(|l| l.revoked_at.is_none()).count() as i64,
                posts: db::posts::count_all(conn)?,
                published: db::posts::count_published(conn)?,
            })
        })
        .await?;
    Ok(pages::dashboard(&counts, &admin.viewer.chrome()))
}

/// A form body as far as it could be read.
async fn read(payload: web::Payload) -> FormData {
    form::read(payload, form::FORM_LIMIT).await.unwrap_or_default()
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

/// Why a form cannot be used as sent, told by `field`: a body that could not be read
/// whole, or a missing or stale CSRF token.
fn refusal(admin: &Admin, form: &FormData, field: &'static str) -> Option<(StatusCode, FieldError)> {
    let problem = match form.problem {
        Some(FormProblem::NotUtf8) => Some((
            StatusCode::BAD_REQUEST,
            "Some characters could not be read (your browser did not send them as UTF-8). They are shown as \u{FFFD}: check the form and send it again.",
        )),
        Some(FormProblem::TooLarge) => Some((
            StatusCode::PAYLOAD_TOO_LARGE,
            "What you sent was too large. The start of it is kept below: shorten it and send it again.",
        )),
        None => None,
    };
    if let Some((status, message)) = problem {
        return Some((status, FieldError::new(field, message)));
    }
    if !admin.viewer.csrf.matches(form.get(csrf::FIELD)) {
        return Some((
            StatusCode::FORBIDDEN,
            FieldError::new(
                field,
                "This form had expired or your browser did not send its security cookie. Please try again.",
            ),
        ));
    }
    None
}

/// For one-button forms, which have nothing to show again: a bad token is refused.
fn check_csrf(admin: &Admin, form: &FormData) -> Result<(), AppError> {
    if admin.viewer.csrf.matches(form.get(csrf::FIELD)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
