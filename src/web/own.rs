//! A member's own comments and account: list, edit within the window, delete; data
//! download; account deletion.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::form::FormPost;
use super::session::{self, SignedIn};
use super::{html, AppState};
use crate::domain::comment::CommentBody;
use crate::domain::ids::{CommentId, UserId};
use crate::domain::{account, time, FieldError};
use crate::error::AppError;
use crate::services::authoring::{self, AuthoringError, Departure};
use crate::views::own::{self as pages, OwnComment};

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    SignedIn { viewer, user }: SignedIn,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let rows = state.query(move |conn| authoring::my_comments(conn, user.id)).await?;
    let now = time::now();
    let minutes = state.settings.abuse.edit_minutes;
    let list: Vec<OwnComment> = rows
        .iter()
        .map(|(comment, slug, title, reason)| OwnComment {
            comment,
            post_slug: slug,
            post_title: title,
            reject_reason: reason.as_deref(),
            editable: now <= authoring::editable_until(comment, minutes),
        })
        .collect();
    let notice = match query.done.as_deref() {
        Some("edited") => Some("Your comment was changed."),
        Some("deleted") => Some("Your comment was deleted."),
        _ => None,
    };
    Ok(html(StatusCode::OK, pages::comments(&list, notice, viewer.csrf.value(), &viewer.chrome(), now)))
}

fn too_late(minutes: u32) -> FieldError {
    FieldError::new(
        "body",
        format!("Comments can be edited for {minutes} minutes after posting, and that time is over."),
    )
}

pub async fn edit_form(
    state: web::Data<AppState>,
    SignedIn { viewer, user }: SignedIn,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let minutes = state.settings.abuse.edit_minutes;
    match state.run(move |conn| authoring::editable(conn, UserId(user.id), CommentId(id), minutes)).await? {
        Ok(comment) => {
            let until = time::absolute(authoring::editable_until(&comment, minutes));
            Ok(html(
                StatusCode::OK,
                pages::edit(id, &comment.body_md, &until, &[], viewer.csrf.value(), &viewer.chrome()),
            ))
        }
        Err(AuthoringError::TooLate) => Ok(html(
            StatusCode::FORBIDDEN,
            pages::edit(id, "", "now", &[too_late(minutes)], viewer.csrf.value(), &viewer.chrome()),
        )),
        Err(AuthoringError::NotFound) => Err(AppError::NotFound),
        Err(AuthoringError::Database(e)) => Err(e.into()),
    }
}

pub async fn edit(
    state: web::Data<AppState>,
    SignedIn { viewer, user }: SignedIn,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let body = post.typed().get("body").to_owned();
    let minutes = state.settings.abuse.edit_minutes;
    let show = |status: StatusCode, errors: Vec<FieldError>| {
        html(
            status,
            pages::edit(id, &body, "the end of the edit window", &errors, viewer.csrf.value(), &viewer.chrome()),
        )
    };
    if let Err(refusal) = post.checked() {
        return Ok(show(refusal.status(), vec![refusal.error("body")]));
    }
    let parsed = match CommentBody::parse(&body) {
        Ok(parsed) => parsed,
        Err(error) => return Ok(show(StatusCode::UNPROCESSABLE_ENTITY, vec![error])),
    };
    match state.run(move |conn| authoring::edit(conn, UserId(user.id), CommentId(id), &parsed, minutes)).await? {
        Ok(_) => Ok(see_other("/account/comments?done=edited")),
        Err(AuthoringError::TooLate) => Ok(show(StatusCode::FORBIDDEN, vec![too_late(minutes)])),
        Err(AuthoringError::NotFound) => Err(AppError::NotFound),
        Err(AuthoringError::Database(e)) => Err(e.into()),
    }
}

pub async fn delete(
    state: web::Data<AppState>,
    SignedIn { user, .. }: SignedIn,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    post.checked()?;
    match state.run(move |conn| authoring::delete(conn, UserId(user.id), CommentId(id))).await? {
        Ok(_) => Ok(see_other("/account/comments?done=deleted")),
        Err(AuthoringError::NotFound | AuthoringError::TooLate) => Err(AppError::NotFound),
        Err(AuthoringError::Database(e)) => Err(e.into()),
    }
}

pub async fn data(state: web::Data<AppState>, SignedIn { user, .. }: SignedIn) -> Result<HttpResponse, AppError> {
    let export = state.query(move |conn| authoring::export(conn, user.id)).await?.ok_or(AppError::NotFound)?;
    let body = serde_json::to_string_pretty(&export).map_err(|e| AppError::Unexpected(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"answerable-my-data.json\""))
        .body(body))
}

pub async fn delete_account_form(SignedIn { viewer, .. }: SignedIn) -> Result<HttpResponse, AppError> {
    Ok(html(StatusCode::OK, pages::delete_account(&[], "keep", viewer.csrf.value(), &viewer.chrome())))
}

pub async fn delete_account(
    state: web::Data<AppState>,
    SignedIn { viewer, user }: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let choice = post.typed().get("comments").to_owned();
    let show = |status: StatusCode, errors: Vec<FieldError>| {
        html(status, pages::delete_account(&errors, &choice, viewer.csrf.value(), &viewer.chrome()))
    };
    let form = match post.checked() {
        Ok(form) => form,
        Err(refusal) => return Ok(show(refusal.status(), vec![refusal.error("password")])),
    };
    let departure = match choice.as_str() {
        "keep" => Departure::KeepAnonymous,
        "remove" => Departure::RemoveComments,
        _ => {
            return Ok(show(
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![FieldError::new("comments", "Choose what should happen to your comments")],
            ))
        }
    };
    let password = form.get("password").to_owned();
    let user_id = user.id;
    let confirmed = state
        .query(move |conn| {
            Ok(crate::db::users::find(conn, user_id)?
                .is_some_and(|u| account::verify_password(&password, &u.password_hash)))
        })
        .await?;
    if !confirmed {
        return Ok(show(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![FieldError::new("password", "Your password is not right")],
        ));
    }
    state.query(move |conn| authoring::delete_account(conn, user_id, departure)).await?;
    let mut response = HttpResponse::SeeOther();
    session::clear_session_cookie(&mut response, &state);
    Ok(response.insert_header((header::LOCATION, "/?account=deleted")).finish())
}
