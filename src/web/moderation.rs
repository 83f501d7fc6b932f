//! The moderation queue over HTTP. `GET /moderation` shows it; `POST /moderation`
//! carries one button press: a row's approve/reject/spam/delete, or a bulk action on
//! the selected rows. Every handler takes `Moderator`, checked on each request.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::form::{FormData, FormPost};
use super::session::Moderator;
use super::{html, AppState};
use crate::db;
use crate::domain::comment::CommentBody;
use crate::domain::ids::{CommentId, UserId};
use crate::domain::{paging, time, FieldError};
use crate::error::AppError;
use crate::services::email_replies::{self, ReviewError};
use crate::services::moderation::{self, Decision, ModerationError};
use crate::views::moderation::{self as pages, EditView, ModerationView};

#[derive(Deserialize)]
pub struct QueueQuery {
    page: Option<u32>,
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "approved" => Some("Approved: the comment is published."),
        "rejected" => Some("Rejected."),
        "marked as spam" => Some("Marked as spam."),
        "deleted" => Some("Deleted."),
        "edited" => Some("The comment was edited."),
        "email-posted" => Some("Posted: the reply by email is on the site."),
        "email-dismissed" => Some("Dismissed: the reply by email will not be posted."),
        _ => None,
    }
}

async fn render(
    state: &AppState,
    m: &Moderator,
    status: StatusCode,
    page: usize,
    errors: &[FieldError],
    notice: Option<&str>,
    selected: &[i64],
) -> Result<HttpResponse, AppError> {
    let queue = state.query(move |conn| moderation::queue(conn, page)).await?;
    let queue = match queue {
        Some(queue) => queue,
        None if page > 1 => state.query(|conn| moderation::queue(conn, 1)).await?.ok_or(AppError::NotFound)?,
        None => return Err(AppError::NotFound),
    };
    let kept = state.query(email_replies::kept_replies).await?;
    let view = ModerationView {
        queue: &queue,
        kept: &kept,
        csrf_token: m.viewer.csrf.value(),
        errors,
        notice,
        selected,
        now: time::now(),
    };
    Ok(html(status, pages::index(&view, &m.viewer.chrome())))
}

pub async fn index(
    state: web::Data<AppState>,
    m: Moderator,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let page = paging::page_number(query.page);
    render(&state, &m, StatusCode::OK, page, &[], notice(query.done.as_deref()), &[]).await
}

/// What the pressed button asks for: a decision and the comments it applies to.
fn requested(form: &FormData) -> Result<(Decision, Vec<i64>), FieldError> {
    let act = form.get("act");
    let (action, ids, reason) = match act.split_once(':') {
        Some((action, id)) => {
            let id: i64 = id.parse().map_err(|_| FieldError::new("ids", "Choose a comment"))?;
            (action.to_owned(), vec![id], form.get(&format!("reason-{id}")).to_owned())
        }
        None if act != "bulk" => {
            return Err(FieldError::new(
                "ids",
                "Nothing was done: press the button for what you want (Approve, Spam, Delete, Reject, or Apply to selected comments)",
            ));
        }
        None => {
            let ids = form.ids("ids");
            if ids.is_empty() {
                return Err(FieldError::new("ids", "Select at least one comment"));
            }
            (form.get("bulk_action").to_owned(), ids, form.get("bulk_reason").to_owned())
        }
    };
    let decision = match action.as_str() {
        "approve" => Decision::Approve,
        "spam" => Decision::Spam,
        "delete" => Decision::Delete,
        "reject" if reason.trim().is_empty() => {
            let field = if ids.len() == 1 && act.contains(':') { "ids" } else { "bulk_reason" };
            return Err(FieldError::new(
                field,
                "Give a reason for rejecting: the author sees it if they have an account",
            ));
        }
        "reject" => Decision::Reject(reason.trim().to_owned()),
        _ => return Err(FieldError::new("bulk_action", "Choose what to do with the selected comments")),
    };
    Ok((decision, ids))
}

pub async fn act(state: web::Data<AppState>, m: Moderator, post: FormPost) -> Result<HttpResponse, AppError> {
    let form = post.checked()?;
    let page = paging::page_number(form.get("page").parse().ok());
    let selected = form.ids("ids");
    let (decision, ids) = match requested(&form) {
        Ok(request) => request,
        Err(error) => {
            return render(&state, &m, StatusCode::UNPROCESSABLE_ENTITY, page, &[error], None, &selected).await;
        }
    };
    let actor = UserId(m.user.id);
    let for_service = decision.clone();
    let outcome =
        state.run_mail(move |conn, mail| moderation::decide_all(conn, mail, actor, &ids, &for_service)).await?;
    match outcome {
        Ok(_) => {
            let done = percent_encoding::utf8_percent_encode(decision.past_tense(), percent_encoding::NON_ALPHANUMERIC);
            let location = format!("/moderation?page={page}&done={done}");
            Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish())
        }
        Err(ModerationError::NotModerator) => Err(AppError::Forbidden),
        Err(ModerationError::Database(e)) => Err(e.into()),
        Err(error @ (ModerationError::NotFound | ModerationError::Refused(_))) => {
            let message = match error {
                ModerationError::NotFound => {
                    "That comment is no longer in the queue (another moderator may have dealt with it)".to_owned()
                }
                other => other.to_string(),
            };
            let errors = [FieldError::new("ids", message)];
            render(&state, &m, StatusCode::UNPROCESSABLE_ENTITY, page, &errors, None, &selected).await
        }
    }
}

/// `POST /moderation/email-replies/{id}`: post or dismiss a kept reply by email.
pub async fn email_reply(
    state: web::Data<AppState>,
    m: Moderator,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let form = post.checked()?;
    let id = id.into_inner();
    let decision = match form.get("act") {
        "post" => email_replies::Decision::Post,
        "dismiss" => email_replies::Decision::Dismiss,
        _ => {
            let error = FieldError::new(format!("kept-{id}"), "Press Post or Dismiss");
            return render(&state, &m, StatusCode::UNPROCESSABLE_ENTITY, 1, &[error], None, &[]).await;
        }
    };
    let actor = UserId(m.user.id);
    match state.run_mail(move |conn, mail| email_replies::review(conn, mail, actor, id, decision)).await? {
        Ok(posted) => {
            let done = if posted.is_some() { "email-posted" } else { "email-dismissed" };
            Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/moderation?done={done}"))).finish())
        }
        Err(ReviewError::NotModerator) => Err(AppError::Forbidden),
        Err(ReviewError::Database(e)) => Err(e.into()),
        Err(error @ (ReviewError::NotFound | ReviewError::Refused(_))) => {
            let error = FieldError::new(format!("kept-{id}"), error.to_string());
            render(&state, &m, StatusCode::UNPROCESSABLE_ENTITY, 1, &[error], None, &[]).await
        }
    }
}

pub async fn edit_form(state: web::Data<AppState>, m: Moderator, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (comment, history) =
        state.query(move |conn| Ok((db::comments::find(conn, id)?, db::moderation::edits(conn, id)?))).await?;
    let comment = comment.ok_or(AppError::NotFound)?;
    let view = EditView {
        id,
        author: &comment.author_name,
        body: &comment.body_md,
        reason: "",
        errors: &[],
        csrf_token: m.viewer.csrf.value(),
        history: &history,
    };
    Ok(html(StatusCode::OK, pages::edit(&view, &m.viewer.chrome())))
}

pub async fn edit(
    state: web::Data<AppState>,
    m: Moderator,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (comment, history) =
        state.query(move |conn| Ok((db::comments::find(conn, id)?, db::moderation::edits(conn, id)?))).await?;
    let comment = comment.ok_or(AppError::NotFound)?;
    let body = post.typed().get("body").to_owned();
    let reason = post.typed().get("reason").trim().to_owned();
    let refuse = |status: StatusCode, errors: Vec<FieldError>| {
        let view = EditView {
            id,
            author: &comment.author_name,
            body: &body,
            reason: &reason,
            errors: &errors,
            csrf_token: m.viewer.csrf.value(),
            history: &history,
        };
        html(status, pages::edit(&view, &m.viewer.chrome()))
    };
    if let Err(refusal) = post.checked() {
        return Ok(refuse(refusal.status(), vec![refusal.error("body")]));
    }
    let parsed = CommentBody::parse(&body);
    let mut errors: Vec<FieldError> = parsed.as_ref().err().cloned().into_iter().collect();
    if reason.is_empty() {
        errors.push(FieldError::new("reason", "Say why you edited the comment (it goes in the audit log)"));
    }
    let Ok(parsed) = parsed else {
        return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, errors));
    };
    if !errors.is_empty() {
        return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, errors));
    }
    let actor = UserId(m.user.id);
    let why = reason.clone();
    match state.run(move |conn| moderation::edit(conn, actor, CommentId(id), &parsed, &why)).await? {
        Ok(()) => Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, "/moderation?done=edited")).finish()),
        Err(ModerationError::NotModerator) => Err(AppError::Forbidden),
        Err(ModerationError::NotFound) => Err(AppError::NotFound),
        Err(ModerationError::Database(e)) => Err(e.into()),
        Err(ModerationError::Refused(message)) => {
            Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, vec![FieldError::new("body", message)]))
        }
    }
}
