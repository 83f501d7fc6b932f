//! Writing with an API token: anyone may comment; moderators and officials change
//! response states, route and assign, with the same rules as the site's forms
//! (`services::responses` decides).

use crate::mail::MailContext;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use super::auth::ApiCaller;
use super::body::JsonBody;
use super::error::{ApiError, ErrorBody};
use super::read::load_comment;
use super::types::{AssignRequest, CommentJson, NewCommentRequest, RouteRequest, StateChangeRequest};
use crate::db::AnyConnection;
use crate::domain::comment::CommentDraft;
use crate::domain::response::{parse_transition, TransitionError};
use crate::domain::FieldError;
use crate::services::comments::{post_comment, PostCommentError};
use crate::services::responses::{self, Actor, ResponseError};
use crate::web::AppState;

/// Posts a comment or reply as the token's user. Officials reply with a badge by
/// naming their grant in `as_official`.
#[utoipa::path(post, path = "/api/v1/posts/{slug}/comments", tag = "comments",
    params(("slug" = String, Path, description = "The post's slug")),
    request_body = NewCommentRequest, security(("bearer" = [])),
    responses((status = 201, body = CommentJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_comment(
    state: web::Data<AppState>,
    caller: ApiCaller,
    slug: web::Path<String>,
    body: JsonBody<NewCommentRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let draft = CommentDraft {
        body: body.body,
        parent_id: body.parent_id,
        as_official: body.as_official.map(|id| id.to_string()).unwrap_or_default(),
        also_answers: body.also_answers,
        ..CommentDraft::default()
    };
    let comment = draft.parse_for_member(caller.user.id).map_err(ApiError::validation)?;
    let slug = slug.into_inner();
    let outcome = state
        .run_mail(move |conn, mail| {
            let post = crate::db::posts::find_published_by_slug(conn, &slug)?.ok_or(PostCommentError::NoSuchPost)?;
            post_comment(conn, mail, post.id, &comment)
        })
        .await?;
    let id = outcome.map_err(|e| match e {
        PostCommentError::Closed => {
            ApiError::new(StatusCode::FORBIDDEN, "comments_closed", "This post is closed to new comments")
        }
        PostCommentError::NoSuchPost => ApiError::not_found("post"),
        PostCommentError::NoSuchParent => ApiError::validation(vec![FieldError::new(
            "parent_id",
            "The comment replied to (or one it also answers) is not a published comment on this post",
        )]),
        PostCommentError::NotOfficial => ApiError::forbidden("You are not, or no longer, an official with that grant"),
        PostCommentError::NoSuchUser => ApiError::unauthorized("The token's account no longer exists"),
        PostCommentError::Database(e) => e.into(),
    })?;
    let json = load_comment(&state, id).await?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, format!("/api/v1/comments/{id}"))).json(json))
}

fn refusal(error: ResponseError) -> ApiError {
    match error {
        ResponseError::NotFound => ApiError::not_found("comment"),
        ResponseError::Transition(e @ (TransitionError::NotAllowed | TransitionError::ModeratorsOnly)) => {
            ApiError::forbidden(e.to_string())
        }
        ResponseError::Transition(e) => ApiError::unprocessable("invalid_transition", e.to_string()),
        ResponseError::Refused(message) => ApiError::forbidden(message),
        ResponseError::Database(e) => e.into(),
    }
}

type Job = Box<dyn FnOnce(&mut AnyConnection, &MailContext, &Actor) -> Result<(), ResponseError> + Send>;

/// Runs a response action as the caller, who must be a moderator or an official,
/// then returns the comment as it now stands.
async fn act(state: &AppState, caller: &ApiCaller, id: i64, job: Job) -> Result<HttpResponse, ApiError> {
    let user_id = caller.user.id;
    state
        .run_mail(move |conn, mail| {
            let actor = responses::actor(conn, user_id)?.ok_or(ResponseError::NotFound)?;
            if !actor.authority.is_anyone() {
                return Err(ResponseError::Transition(TransitionError::NotAllowed));
            }
            job(conn, mail, &actor)
        })
        .await?
        .map_err(refusal)?;
    Ok(HttpResponse::Ok().json(load_comment(state, id).await?))
}

/// Acknowledge, refer, mark no response needed, or reopen.
#[utoipa::path(post, path = "/api/v1/comments/{id}/state", tag = "responses",
    params(("id" = i64, Path, description = "The comment's id")),
    request_body = StateChangeRequest, security(("bearer" = [])),
    responses((status = 200, body = CommentJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_state(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: JsonBody<StateChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let field = |name: &str| {
        match name {
            "note" => body.note.clone(),
            "referred_to" => body.referred_to.clone(),
            "reason" => body.reason.clone(),
            _ => None,
        }
        .unwrap_or_default()
    };
    let transition = parse_transition(&body.action, field).map_err(|errors| {
        if errors.is_empty() {
            ApiError::validation(vec![FieldError::new(
                "action",
                "action must be acknowledge, refer, no_response_needed or reopen",
            )])
        } else {
            ApiError::validation(errors)
        }
    })?;
    act(
        &state,
        &caller,
        id,
        Box::new(move |conn, mail, actor| responses::change_state(conn, mail, actor, id, &transition).map(|_| ())),
    )
    .await
}

/// Routes a comment to a department (moderators).
#[utoipa::path(post, path = "/api/v1/comments/{id}/route", tag = "responses",
    params(("id" = i64, Path, description = "The comment's id")),
    request_body = RouteRequest, security(("bearer" = [])),
    responses((status = 200, body = CommentJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn route(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: JsonBody<RouteRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let department = match body.into_inner().department.filter(|a| !a.trim().is_empty()) {
        None => None,
        Some(acronym) => {
            let found = state.query(move |conn| crate::db::departments::find_by_acronym(conn, &acronym)).await?;
            let department = found.ok_or_else(|| {
                ApiError::validation(vec![FieldError::new("department", "There is no department with that acronym")])
            })?;
            Some(department.id)
        }
    };
    act(
        &state,
        &caller,
        id,
        Box::new(move |conn, mail, actor| responses::route(conn, mail, actor, &[id], department).map(|_| ())),
    )
    .await
}

/// Assigns a routed comment to an official of its department (moderators, and that
/// department's officials).
#[utoipa::path(post, path = "/api/v1/comments/{id}/assign", tag = "responses",
    params(("id" = i64, Path, description = "The comment's id")),
    request_body = AssignRequest, security(("bearer" = [])),
    responses((status = 200, body = CommentJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    state: web::Data<AppState>,
    caller: ApiCaller,
    id: web::Path<i64>,
    body: JsonBody<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let assignee = body.into_inner().assignee_id;
    act(
        &state,
        &caller,
        id,
        Box::new(move |conn, _, actor| responses::assign(conn, actor, &[id], assignee).map(|_| ())),
    )
    .await
}
