//! `/admin/imports`: the probable official replies found at import, confirmed or
//! dismissed one by one; `/admin/history`: closing old unanswered comments as
//! imported history. Every action is audited by its service.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::{see_other, Done};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::history;
use crate::services::import_reviews::{self, Decision};
use crate::views::admin::imports::{self as pages, HistoryPage, ReviewPage};
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::{html, AppState};

/// How many reviews one page lists.
const LISTED: i64 = 200;

pub async fn index(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.done.as_deref() {
        Some("confirmed") => Some("Confirmed: the reply has its badge, and the comment it replies to is answered."),
        Some("dismissed") => Some("Dismissed: the reply stays an ordinary reply."),
        Some("gone") => Some("That reply had already been decided."),
        _ => None,
    };
    let reviews = state.query(|conn| crate::read::import_reviews::open(conn, LISTED)).await?;
    let view = ReviewPage { reviews: &reviews, notice, csrf_token: admin.viewer.csrf.value() };
    Ok(html(StatusCode::OK, pages::reviews(&view, &admin.viewer.chrome())))
}

async fn decide(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
    decision: Decision,
) -> Result<HttpResponse, AppError> {
    post.checked()?;
    let (id, actor) = (id.into_inner(), admin.user.id);
    let decided = state.query(move |conn| import_reviews::decide(conn, actor, id, decision)).await?;
    Ok(see_other(match (decided, decision) {
        (None, _) => "/admin/imports?done=gone",
        (Some(_), Decision::Confirm) => "/admin/imports?done=confirmed",
        (Some(_), Decision::Dismiss) => "/admin/imports?done=dismissed",
    }))
}

pub async fn confirm(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    decide(state, admin, id, post, Decision::Confirm).await
}

pub async fn dismiss(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    decide(state, admin, id, post, Decision::Dismiss).await
}

#[derive(Deserialize)]
pub struct Closed {
    closed: Option<u64>,
    before: Option<String>,
}

fn show_history(
    admin: &Admin,
    status: StatusCode,
    before: &str,
    errors: &[FieldError],
    notice: Option<&str>,
) -> HttpResponse {
    let view = HistoryPage { before, errors, notice, csrf_token: admin.viewer.csrf.value() };
    html(status, pages::history(&view, &admin.viewer.chrome()))
}

pub async fn history_page(admin: Admin, query: web::Query<Closed>) -> HttpResponse {
    let notice = match (query.closed, query.before.as_deref().and_then(parse_day)) {
        (Some(n), Some(day)) => Some(format!(
            "{} published before {day} closed as \u{201c}no response recorded (imported history)\u{201d}.",
            if n == 1 { "1 unanswered comment".to_owned() } else { format!("{n} unanswered comments") }
        )),
        _ => None,
    };
    show_history(&admin, StatusCode::OK, "", &[], notice.as_deref())
}

fn parse_day(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

pub async fn close_history(state: web::Data<AppState>, admin: Admin, post: FormPost) -> Result<HttpResponse, AppError> {
    let before = post.typed().get("before").to_owned();
    if let Err(r) = post.checked() {
        return Ok(show_history(&admin, r.status(), &before, &[r.error("before")], None));
    }
    let Some(day) = parse_day(&before) else {
        let error = FieldError::new("before", "Enter the day as YYYY-MM-DD, for example 2020-01-01");
        return Ok(show_history(&admin, StatusCode::UNPROCESSABLE_ENTITY, &before, &[error], None));
    };
    if day > crate::domain::time::now().date() {
        let error = FieldError::new("before", "The day must be today or earlier: only history can be closed");
        return Ok(show_history(&admin, StatusCode::UNPROCESSABLE_ENTITY, &before, &[error], None));
    }
    let actor = admin.user.id;
    let at = day.and_time(chrono::NaiveTime::MIN);
    let closed = state.query(move |conn| history::close_as_admin(conn, actor, at)).await?;
    Ok(see_other(&format!("/admin/history?closed={closed}&before={day}")))
}
