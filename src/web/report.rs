//! `/comments/{id}/report`: any reader reports a comment, once per reader.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

use super::form::FormPost;
use super::session::Viewer;
use super::{html, AppState};
use crate::db;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::flags::{self, FlagError, Reported, REASONS};
use crate::views::report::{self as pages, ReportView};

/// Who is reporting: the account, or this browser (its CSRF cookie, hashed).
fn reporter(viewer: &Viewer) -> String {
    match &viewer.user {
        Some(user) => format!("user:{}", user.id),
        None => format!("browser:{}", hex::encode(Sha256::digest(viewer.csrf.value().as_bytes()))),
    }
}

async fn published_row(state: &AppState, id: i64) -> Result<db::comments::CommentRow, AppError> {
    state
        .query(move |conn| {
            let published = db::comments::find(conn, id)?.is_some_and(|c| c.is_published());
            if published {
                db::comments::find_row(conn, id)
            } else {
                Ok(None)
            }
        })
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(state: web::Data<AppState>, id: web::Path<i64>, viewer: Viewer) -> Result<HttpResponse, AppError> {
    let comment = published_row(&state, id.into_inner()).await?;
    let view = ReportView {
        comment: &comment,
        reason: "",
        note: "",
        errors: &[],
        notice: None,
        csrf_token: viewer.csrf.value(),
    };
    Ok(html(StatusCode::OK, pages::page(&view, &viewer.chrome())))
}

pub async fn send(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let comment = published_row(&state, id).await?;
    let (reason, note) = (post.typed().get("reason").to_owned(), post.typed().get("note").to_owned());
    let show = |status: StatusCode, errors: Vec<FieldError>, notice: Option<&str>| {
        let view = ReportView {
            comment: &comment,
            reason: &reason,
            note: &note,
            errors: &errors,
            notice,
            csrf_token: viewer.csrf.value(),
        };
        html(status, pages::page(&view, &viewer.chrome()))
    };
    if let Err(refusal) = post.checked() {
        return Ok(show(refusal.status(), vec![refusal.error("reason")], None));
    }
    let mut errors = Vec::new();
    if !REASONS.iter().any(|(key, _)| *key == reason) {
        errors.push(FieldError::new("reason", "Choose why you are reporting the comment"));
    }
    if reason == "other" && note.trim().is_empty() {
        errors.push(FieldError::new("note", "Say what is wrong with the comment"));
    }
    if note.chars().count() > 1000 {
        errors.push(FieldError::new("note", "Keep it to 1,000 characters or fewer"));
    }
    if !errors.is_empty() {
        return Ok(show(StatusCode::UNPROCESSABLE_ENTITY, errors, None));
    }
    let who = reporter(&viewer);
    let (r, n) = (reason.clone(), note.clone());
    let outcome = state.run(move |conn| flags::report(conn, id, &who, &r, &n)).await?;
    let notice = match outcome {
        Ok(Reported::Recorded | Reported::Hidden) => "Thank you. A moderator will look at the comment.",
        Ok(Reported::Already) => "You have already reported this comment. A moderator will look at it.",
        Err(FlagError::NotFound) => return Err(AppError::NotFound),
        Err(FlagError::Database(e)) => return Err(e.into()),
    };
    Ok(show(StatusCode::OK, Vec::new(), Some(notice)))
}
