//! A member's own comments and account: list, edit within the window, delete; data
//! download; account deletion.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::form;
use super::session::{self, SignedInUser, Viewer};
use super::{csrf, html, AppState};
use crate::domain::comment::CommentBody;
use crate::domain::ids::{CommentId, UserId};
use crate::domain::{account, time, FieldError};
use crate::error::AppError;
use crate::services::authoring::{self, AuthoringError, Departure};
use crate::views::own::{self as pages, OwnComment};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/comments", web::get().to(list))
        .route("/account/data.json", web::get().to(data))
        .route("/account/delete", web::get().to(delete_account_form))
        .route("/account/delete", web::post().to(delete_account))
        .route("/comments/{id}/edit", web::get().to(edit_form))
        .route("/comments/{id}/edit", web::post().to(edit))
        .route("/comments/{id}/delete", web::post().to(delete));
}

fn member(viewer: &Viewer, back: &str) -> Result<SignedInUser, AppError> {
    viewer.user.clone().ok_or_else(|| AppError::SignInRequired(back.to_owned()))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let user = member(&viewer, "/account/comments")?;
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
    viewer: Viewer,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user = member(&viewer, &format!("/comments/{id}/edit"))?;
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
    viewer: Viewer,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user = member(&viewer, &format!("/comments/{id}/edit"))?;
    let form = form::read(payload, form::FORM_LIMIT).await.unwrap_or_default();
    let body = form.get("body").to_owned();
    let minutes = state.settings.abuse.edit_minutes;
    let show = |status: StatusCode, errors: Vec<FieldError>| {
        html(
            status,
            pages::edit(id, &body, "the end of the edit window", &errors, viewer.csrf.value(), &viewer.chrome()),
        )
    };
    if !viewer.csrf.matches(form.get(csrf::FIELD)) {
        let error = FieldError::new(
            "body",
            "This form had expired or your browser did not send its security cookie. Your text is kept: send it again.",
        );
        return Ok(show(StatusCode::FORBIDDEN, vec![error]));
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
    viewer: Viewer,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user = member(&viewer, "/account/comments")?;
    let form = form::read(payload, form::FORM_LIMIT).await.unwrap_or_default();
    if !viewer.csrf.matches(form.get(csrf::FIELD)) {
        return Err(AppError::Forbidden);
    }
    match state.run(move |conn| authoring::delete(conn, UserId(user.id), CommentId(id))).await? {
        Ok(_) => Ok(see_other("/account/comments?done=deleted")),
        Err(AuthoringError::NotFound | AuthoringError::TooLate) => Err(AppError::NotFound),
        Err(AuthoringError::Database(e)) => Err(e.into()),
    }
}

pub async fn data(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, AppError> {
    let user = member(&viewer, "/account/data.json")?;
    let export = state.query(move |conn| authoring::export(conn, user.id)).await?.ok_or(AppError::NotFound)?;
    let body = serde_json::to_string_pretty(&export).map_err(|e| AppError::Unexpected(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"answerable-my-data.json\""))
        .body(body))
}

pub async fn delete_account_form(viewer: Viewer) -> Result<HttpResponse, AppError> {
    member(&viewer, "/account/delete")?;
    Ok(html(StatusCode::OK, pages::delete_account(&[], "keep", viewer.csrf.value(), &viewer.chrome())))
}

pub async fn delete_account(
    state: web::Data<AppState>,
    viewer: Viewer,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let user = member(&viewer, "/account/delete")?;
    let form = form::read(payload, form::FORM_LIMIT).await.unwrap_or_default();
    let choice = form.get("comments").to_owned();
    let show = |status: StatusCode, errors: Vec<FieldError>| {
        html(status, pages::delete_account(&errors, &choice, viewer.csrf.value(), &viewer.chrome()))
    };
    if !viewer.csrf.matches(form.get(csrf::FIELD)) {
        let error = FieldError::new(
            "password",
            "This form had expired or your browser did not send its security cookie. Please try again.",
        );
        return Ok(show(StatusCode::FORBIDDEN, vec![error]));
    }
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
