//! One comment's responses: the page, and the actions on it (state, route, assign,
//! link more comments to an official answer).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::form::{CheckedForm, FormData, FormPost};
use super::session::{SignedIn, Viewer};
use super::{html, AppState};
use crate::domain::response::{parse_transition, TransitionError};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::mail::MailContext;
use crate::read::comment_responses::{responses_page, ResponsesPage};
use crate::services::responses::{self, ResponseError};
use crate::views::responses::{self as view, ResponsesView, Typed};

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "state" => Some("The response state has been changed."),
        "route" => Some("The comment has been routed."),
        "assign" => Some("The comment has been assigned."),
        "answers" => Some("Those comments are now marked answered by this reply."),
        _ => None,
    }
}

async fn load(state: &AppState, id: i64, viewer: &Viewer) -> Result<ResponsesPage, AppError> {
    let user_id = viewer.user.as_ref().map(|u| u.id);
    state.query(move |conn| responses_page(conn, id, user_id)).await?.ok_or(AppError::NotFound)
}

fn render(
    page: &ResponsesPage,
    viewer: &Viewer,
    status: StatusCode,
    errors: &[FieldError],
    typed: &Typed,
    done: Option<&str>,
) -> HttpResponse {
    let csrf_token = if page.actor.is_some() { viewer.csrf.value() } else { "" };
    let v = ResponsesView { page, errors, typed, notice: notice(done), csrf_token };
    html(status, view::responses_page(&v, &viewer.chrome()))
}

pub async fn show(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    viewer: Viewer,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let page = load(&state, id.into_inner(), &viewer).await?;
    Ok(render(&page, &viewer, StatusCode::OK, &[], &Typed::default(), query.done.as_deref()))
}

/// Status and message for a refused action.
fn refusal(error: ResponseError, field: &'static str) -> Result<(StatusCode, FieldError), AppError> {
    match error {
        ResponseError::NotFound => Err(AppError::NotFound),
        ResponseError::Database(e) => Err(AppError::from(e)),
        ResponseError::Transition(e @ (TransitionError::NotAllowed | TransitionError::ModeratorsOnly)) => {
            Ok((StatusCode::FORBIDDEN, FieldError::new(field, e.to_string())))
        }
        ResponseError::Transition(e) => Ok((StatusCode::UNPROCESSABLE_ENTITY, FieldError::new(field, e.to_string()))),
        ResponseError::Refused(message) => Ok((StatusCode::FORBIDDEN, FieldError::new(field, message))),
    }
}

/// What was chosen and typed on the page, to show it again.
fn typed(form: &FormData) -> Typed {
    Typed {
        action: form.get("action").to_owned(),
        note: form.get("note").to_owned(),
        referred_to: form.get("referred_to").to_owned(),
        reason: form.get("reason").to_owned(),
    }
}

/// Shared by the POSTs: signed in, CSRF checked, an actor; runs `work` and redirects,
/// or shows the page again with the problem and what was typed.
async fn act<F>(
    state: web::Data<AppState>,
    id: i64,
    signed_in: SignedIn,
    post: FormPost,
    done: &'static str,
    field: &'static str,
    work: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(
        &CheckedForm,
    ) -> Result<
        Box<
            dyn FnOnce(&mut crate::db::AnyConnection, &MailContext, &responses::Actor) -> Result<(), ResponseError>
                + Send,
        >,
        Vec<FieldError>,
    >,
{
    let SignedIn { viewer, user } = signed_in;
    let typed = typed(post.typed());
    let again =
        |status, errors: Vec<FieldError>, page: &ResponsesPage| render(page, &viewer, status, &errors, &typed, None);
    let form = match post.checked() {
        Ok(form) => form,
        Err(refusal) => {
            let page = load(&state, id, &viewer).await?;
            return Ok(again(refusal.status(), vec![refusal.error(field)], &page));
        }
    };
    let job = match work(&form) {
        Ok(job) => job,
        Err(errors) => {
            let page = load(&state, id, &viewer).await?;
            return Ok(again(StatusCode::UNPROCESSABLE_ENTITY, errors, &page));
        }
    };
    let outcome = state
        .run_mail(move |conn, mail| {
            let actor = responses::actor(conn, user.id)?.ok_or(ResponseError::NotFound)?;
            if !actor.authority.is_anyone() {
                return Err(ResponseError::Transition(TransitionError::NotAllowed));
            }
            job(conn, mail, &actor)
        })
        .await?;
    match outcome {
        Ok(()) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/comments/{id}/responses?done={done}")))
            .finish()),
        Err(error) => {
            let (status, message) = refusal(error, field)?;
            let page = load(&state, id, &viewer).await?;
            Ok(again(status, vec![message], &page))
        }
    }
}

pub async fn change_state(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    act(state, id, signed_in, post, "state", "action", move |form| {
        let transition = parse_transition(form.get("action"), |name| form.get(name).to_owned())?;
        Ok(Box::new(move |conn, mail, actor| responses::change_state(conn, mail, actor, id, &transition).map(|_| ())))
    })
    .await
}

pub async fn route(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    act(state, id, signed_in, post, "route", "department", move |form| {
        let department = form.get("department").trim().parse::<i64>().ok();
        Ok(Box::new(move |conn, mail, actor| responses::route(conn, mail, actor, &[id], department).map(|_| ())))
    })
    .await
}

pub async fn assign(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    act(state, id, signed_in, post, "assign", "assignee", move |form| {
        let assignee = form.get("assignee").trim().parse::<i64>().ok();
        Ok(Box::new(move |conn, _, actor| responses::assign(conn, actor, &[id], assignee).map(|_| ())))
    })
    .await
}

pub async fn link_answers(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    act(state, id, signed_in, post, "answers", "also_answers", move |form| {
        let ids = form.ids("also_answers");
        if ids.is_empty() {
            return Err(vec![FieldError::new("also_answers", "Tick at least one comment that this reply answers")]);
        }
        Ok(Box::new(move |conn, mail, actor| responses::link_answers(conn, mail, actor, id, &ids).map(|_| ())))
    })
    .await
}
