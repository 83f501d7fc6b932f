//! The triage queue over HTTP: `GET /triage` shows it, `POST /triage/bulk` acts on
//! the selected comments in one transaction. `Triager` checks on every request that
//! the person is a moderator or an official in force; the services check each rule.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};

use super::form::{FormData, FormPost, RefusalReason};
use super::session::{self, Viewer};
use super::{html, AppState};
use crate::db;
use crate::domain::response::{Transition, TransitionError};
use crate::domain::{time, FieldError};
use crate::error::AppError;
use crate::services::responses::{self, Actor, ResponseError};
use crate::services::triage::{self, BulkAction, BulkError, Filters, TriageError, PER_PAGE};
use crate::views::triage::{self as pages, BulkForm, TriagePage};

/// A signed-in moderator, or an official of some department; others get 403, and
/// the signed out are sent to sign in first.
pub struct Triager {
    pub viewer: Viewer,
    pub actor: Actor,
}

impl FromRequest for Triager {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let viewer = Viewer::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let next = session::return_path(req);
        Box::pin(async move {
            let viewer = viewer.await?;
            let Some(user_id) = viewer.user.as_ref().map(|u| u.id) else {
                return Err(AppError::SignInRequired(next));
            };
            let state = state.ok_or_else(|| AppError::Unexpected("the app state is missing".into()))?;
            match state.query(move |conn| responses::actor(conn, user_id)).await? {
                Some(actor) if actor.authority.is_anyone() => Ok(Triager { viewer, actor }),
                _ => Err(AppError::Forbidden),
            }
        })
    }
}

/// A non-empty field of a query string or form.
fn field<'a>(form: &'a FormData) -> impl Fn(&str) -> Option<&'a str> + 'a {
    move |name| Some(form.get(name)).filter(|v| !v.is_empty())
}

/// `?done=routed&n=3&to=5`: what a bulk action just did (to = a department or user id).
struct Done {
    kind: String,
    count: usize,
    to: Option<i64>,
}

impl Done {
    fn read(query: &FormData) -> Option<Self> {
        Some(Done {
            kind: field(query)("done")?.to_owned(),
            count: query.get("n").parse().ok()?,
            to: query.get("to").parse().ok(),
        })
    }

    fn query(action: &BulkAction, count: usize) -> String {
        let (kind, to) = match action {
            BulkAction::Route(department) => ("routed", Some(*department)),
            BulkAction::Assign(Some(user)) => ("assigned", Some(*user)),
            BulkAction::Assign(None) => ("unassigned", None),
            BulkAction::Change(Transition::NoResponseNeeded { .. }) => ("no_response_needed", None),
            BulkAction::Change(_) => ("acknowledged", None),
            BulkAction::Answer => ("answered", None),
        };
        let to = to.map(|id| format!("&to={id}")).unwrap_or_default();
        format!("&done={kind}&n={count}{to}")
    }
}

struct Shown<'a> {
    filters: &'a Filters,
    bulk: BulkForm<'a>,
    errors: &'a [FieldError],
    done: Option<Done>,
}

async fn render(
    state: &AppState,
    triager: &Triager,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<HttpResponse, AppError> {
    let (actor, filters) = (triager.actor.clone(), shown.filters.clone());
    let assigned = shown.done.as_ref().filter(|d| d.kind == "assigned").and_then(|d| d.to);
    let (queue, assignee) = state
        .run(move |conn| {
            let queue = triage::load(conn, &actor, &filters, time::now())?;
            let assignee = match assigned {
                Some(id) => db::triage::user_names(conn, &[id])?.pop().map(|(_, name)| name),
                None => None,
            };
            Ok::<_, TriageError>((queue, assignee))
        })
        .await?
        .map_err(|e| match e {
            TriageError::Forbidden => AppError::Forbidden,
            TriageError::Database(e) => e.into(),
        })?;
    let notice = shown.done.as_ref().and_then(|done| {
        let to = match done.kind.as_str() {
            "routed" => queue.all_departments.iter().find(|d| Some(d.id) == done.to).map(|d| d.acronym.clone()),
            _ => assignee.clone(),
        };
        pages::notice(&done.kind, done.count, to.as_deref())
    });
    let official = &triager.actor.authority.official_departments;
    let mine: Vec<&str> =
        queue.all_departments.iter().filter(|d| official.contains(&d.id)).map(|d| d.acronym.as_str()).collect();
    let view = TriagePage {
        queue: &queue,
        filters: shown.filters,
        moderator: triager.actor.authority.moderator,
        mine: (!mine.is_empty()).then(|| mine.join(", ")),
        bulk: shown.bulk,
        errors: shown.errors,
        notice: notice.as_deref(),
        csrf_token: triager.viewer.csrf.value(),
    };
    Ok(html(status, pages::index(&view, &triager.viewer.chrome())))
}

pub async fn index(state: web::Data<AppState>, triager: Triager, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let query = FormData::parse(req.query_string().as_bytes());
    let filters = Filters::parse(field(&query), &triager.actor);
    let bulk = BulkForm { select_all: query.get("select") == "all", ..BulkForm::default() };
    let shown = Shown { filters: &filters, bulk, errors: &[], done: Done::read(&query) };
    render(&state, &triager, StatusCode::OK, shown).await
}

/// Why a bulk action on one comment was refused, and the status that says so.
fn comment_error(
    id: i64,
    author: &str,
    error: ResponseError,
    action: &BulkAction,
) -> Result<(StatusCode, FieldError), AppError> {
    let which = format!("comment {id} by {author}");
    let (status, field, message) = match error {
        ResponseError::NotFound => {
            (StatusCode::UNPROCESSABLE_ENTITY, "ids", format!("Comment {id} is no longer published."))
        }
        ResponseError::Transition(TransitionError::NotAllowed) => (
            StatusCode::FORBIDDEN,
            "ids",
            format!("You can only act on comments routed to your departments, and {which} is not."),
        ),
        ResponseError::Transition(TransitionError::Already(state)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ids",
            format!("{} is already {}.", sentence(&which), state.to_lowercase()),
        ),
        ResponseError::Transition(other) => {
            (StatusCode::FORBIDDEN, "ids", format!("{} ({which}).", sentence(&other.to_string())))
        }
        ResponseError::Refused(reason) => {
            let field = if matches!(action, BulkAction::Assign(_)) { "assignee" } else { "ids" };
            (StatusCode::UNPROCESSABLE_ENTITY, field, format!("{} ({which}).", sentence(&reason)))
        }
        ResponseError::Database(e) => return Err(e.into()),
    };
    Ok((status, FieldError::new(field, format!("{message} Nothing was changed."))))
}

/// "only moderators…" → "Only moderators…".
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Which set of bulk controls was used: the button pressed ("top_" above the list,
/// "" under it), unless that set has no action and the other has (Enter in a field of
/// the lower set presses the first button, the upper one).
fn controls(form: &FormData) -> &'static str {
    let top = form.get("controls") == "top";
    match (top, form.get("top_action").is_empty(), form.get("action").is_empty()) {
        (true, true, false) => "",
        (false, false, true) => "top_",
        (true, _, _) => "top_",
        (false, _, _) => "",
    }
}

/// What was sent to the bulk form, to show it again.
fn kept<'a>(form: &'a FormData, selected: &'a [i64]) -> BulkForm<'a> {
    let prefix = controls(form);
    let get = |name: &str| form.get(&format!("{prefix}{name}"));
    BulkForm {
        selected,
        select_all: false,
        prefix,
        action: get("action"),
        to_department: get("to_department"),
        assignee: get("assignee"),
        reason: get("reason"),
        note: get("note"),
    }
}

/// The errors named for the set of controls that was used.
fn at_controls(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| match e.field.as_ref() {
            "ids" => e,
            field => FieldError::new(format!("{prefix}{field}"), e.message),
        })
        .collect()
}

pub async fn bulk(state: web::Data<AppState>, triager: Triager, post: FormPost) -> Result<HttpResponse, AppError> {
    let form = match post.checked() {
        Ok(form) => form,
        Err(refusal) => {
            let filters = Filters::parse(field(&refusal.form), &triager.actor);
            let field = if refusal.reason == RefusalReason::Expired { "ids" } else { "note" };
            let errors = at_controls(controls(&refusal.form), vec![refusal.error(field)]);
            let selected = refusal.form.ids("ids");
            let bulk = kept(&refusal.form, &selected);
            return refuse(&state, &triager, &filters, bulk, refusal.status(), &errors).await;
        }
    };
    let filters = Filters::parse(field(&form), &triager.actor);
    let selected = form.ids("ids");
    let prefix = controls(&form);
    let kept = || kept(&form, &selected);
    let mut errors = Vec::new();
    if selected.is_empty() {
        errors.push(FieldError::new("ids", "Select at least one comment"));
    } else if selected.len() > PER_PAGE {
        errors.push(FieldError::new("ids", format!("Select at most {PER_PAGE} comments at a time")));
    }
    let action = BulkAction::parse(|name| form.get(&format!("{prefix}{name}")).to_owned())
        .map_err(|e| errors.extend(at_controls(prefix, e)))
        .ok();
    let Some(action) = action.filter(|_| errors.is_empty()) else {
        return refuse(&state, &triager, &filters, kept(), StatusCode::UNPROCESSABLE_ENTITY, &errors).await;
    };
    if action == BulkAction::Answer {
        let (actor, ids) = (triager.actor.clone(), selected.clone());
        return match state.run(move |conn| triage::answer_together(conn, &actor, &ids)).await? {
            Ok((slug, parent, also)) => {
                let also: Vec<String> = also.iter().map(i64::to_string).collect();
                let location =
                    format!("/posts/{slug}/comments/new?parent={parent}&also={}#also-answers", also.join(","));
                Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish())
            }
            Err(BulkError::Database(e)) => Err(e.into()),
            Err(error) => {
                let errors = [FieldError::new("ids", format!("{error}. Nothing was changed."))];
                refuse(&state, &triager, &filters, kept(), StatusCode::UNPROCESSABLE_ENTITY, &errors).await
            }
        };
    }
    let (actor, ids, applied) = (triager.actor.clone(), selected.clone(), action.clone());
    let outcome = state.run_mail(move |conn, mail| triage::apply(conn, mail, &actor, &ids, &applied)).await?;
    let error = match outcome {
        Ok(count) => {
            let location = format!("{}{}", filters.href(filters.page), Done::query(&action, count));
            return Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish());
        }
        Err(BulkError::Database(e)) => return Err(e.into()),
        Err(BulkError::ModeratorsOnly(message)) => {
            (StatusCode::FORBIDDEN, FieldError::new(format!("{prefix}action"), message))
        }
        Err(BulkError::Refused(message)) => (StatusCode::UNPROCESSABLE_ENTITY, FieldError::new("ids", message)),
        Err(BulkError::Comment { id, author, error }) => {
            let (status, error) = comment_error(id, &author, error, &action)?;
            (status, at_controls(prefix, vec![error]).remove(0))
        }
    };
    refuse(&state, &triager, &filters, kept(), error.0, &[error.1]).await
}

/// The queue again, with what was sent kept and why it was refused.
async fn refuse(
    state: &AppState,
    triager: &Triager,
    filters: &Filters,
    bulk: BulkForm<'_>,
    status: StatusCode,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    render(state, triager, status, Shown { filters, bulk, errors, done: None }).await
}
