//! Writing comments: the reply page, posting, and permalinks.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::comment_context::{author, load_context, AnswerQuery, FormContext};
use super::form::{FormData, FormPost};
use super::session::Viewer;
use super::{held, html, spam, AppState};
use crate::domain::comment::{CommentDraft, NewComment};
use crate::domain::{time, FieldError};
use crate::error::AppError;
use crate::read::reading::{self, Location};
use crate::services::comments::{submit_comment, Origin, PostCommentError, Posted};
use crate::services::rate_limit::{self, Action};
use crate::views::comment_form::{self, CommentForm};
use crate::views::layout::Chrome;

#[derive(Deserialize)]
pub struct NewQuery {
    parent: Option<i64>,
    /// Comments chosen in the triage queue for this reply to answer too: "12,15,31".
    also: Option<String>,
}

/// The form on its own page: "Reply to NAME" with the comment shown, or a new comment.
pub async fn new(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<NewQuery>,
    viewer: Viewer,
) -> Result<HttpResponse, AppError> {
    let parent_id = query.parent;
    let chosen: Vec<i64> =
        query.also.as_deref().unwrap_or_default().split(',').filter_map(|id| id.trim().parse().ok()).collect();
    let answer_query = AnswerQuery { search: String::new(), chosen: chosen.clone() };
    let context = load_context(&state, slug.into_inner(), parent_id, &viewer, answer_query).await?;
    if parent_id.is_some() && context.parent.is_none() {
        return Err(AppError::NotFound);
    }
    let also_answers: Vec<i64> =
        chosen.into_iter().filter(|id| context.answerable.items.iter().any(|c| c.id == *id)).collect();
    let as_official = match &viewer.user {
        // Chosen in triage to answer together: the reply is meant to be official.
        Some(user) if !also_answers.is_empty() => {
            user.official_roles.first().map(|(id, _)| id.to_string()).unwrap_or_default()
        }
        _ => String::new(),
    };
    let draft = CommentDraft { parent_id, also_answers, as_official, ..CommentDraft::default() };
    let stamp = spam::stamp(&state.cookie_key, time::now());
    let form = CommentForm {
        post: &context.post,
        draft: &draft,
        errors: &[],
        csrf_token: viewer.csrf.value(),
        stamp: &stamp,
        closed_notice: context.freeze.as_deref(),
        replying_to: context.parent.as_ref(),
        author: author(&viewer, &context),
    };
    Ok(html(StatusCode::OK, comment_form::page(&form, &viewer.chrome(), time::now())))
}

/// What was typed into a comment form.
fn draft_from(form: &FormData) -> CommentDraft {
    CommentDraft {
        name: form.get("name").to_owned(),
        email: form.get("email").to_owned(),
        body: form.get("body").to_owned(),
        parent_id: form.get("parent_id").trim().parse::<i64>().ok(),
        as_official: form.get("as_official").to_owned(),
        also_answers: form.ids("also_answers"),
        email_me: form.get("email_me") == "yes",
    }
}

/// The comment form shown again, with what went wrong and everything typed kept.
struct Again<'a> {
    viewer: &'a Viewer,
    context: &'a FormContext,
    chrome: Chrome,
    /// The form's first stamp: correcting a mistake is not "too fast".
    stamp: String,
}

impl Again<'_> {
    fn page(&self, status: StatusCode, errors: Vec<FieldError>, draft: &CommentDraft) -> HttpResponse {
        let view = CommentForm {
            post: &self.context.post,
            draft,
            errors: &errors,
            csrf_token: self.viewer.csrf.value(),
            stamp: &self.stamp,
            closed_notice: self.context.freeze.as_deref(),
            replying_to: self.context.parent.as_ref().filter(|_| draft.parent_id.is_some()),
            author: author(self.viewer, self.context),
        };
        html(status, comment_form::page(&view, &self.chrome, time::now()))
    }
}

/// The comment as the rules of the form allow it: open post, a choice of voice for
/// officials, and the domain's checks.
fn parse(
    viewer: &Viewer,
    context: &FormContext,
    draft: &CommentDraft,
) -> Result<NewComment, (StatusCode, Vec<FieldError>)> {
    if !context.post.comments_open {
        return Err((StatusCode::FORBIDDEN, Vec::new()));
    }
    let parsed = match &viewer.user {
        Some(user) if !user.official_roles.is_empty() && draft.as_official.trim().is_empty() => {
            let choice = if draft.parent_id.is_some() { "reply" } else { "comment" };
            let message = format!("Choose whether to {choice} as an official or as yourself");
            return Err((StatusCode::UNPROCESSABLE_ENTITY, vec![FieldError::new("as_official", message)]));
        }
        Some(user) => draft.parse_for_member(user.id),
        None => draft.parse(),
    };
    parsed.map_err(|errors| (StatusCode::UNPROCESSABLE_ENTITY, errors))
}

/// `Some((seconds, error))` when this commenter is over their limit. Moderators and
/// officials answer in bursts; everyone else is counted by address and by account or email.
async fn over_limit(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    draft: &CommentDraft,
) -> Result<Option<(u64, FieldError)>, AppError> {
    let who = match &viewer.user {
        Some(user) if user.role.can_moderate() || !user.official_roles.is_empty() => return Ok(None),
        Some(user) => format!("user:{}", user.id),
        None => format!("email:{}", draft.email.trim().to_lowercase()),
    };
    let keys = vec![format!("ip:{}", super::client_ip(req)), who];
    let Some(wait) = super::rate_limited(state, Action::Comment, keys).await? else { return Ok(None) };
    let message = format!(
        "You have sent a lot of comments in a short time. Wait {}, then send this one again. Your text is kept below.",
        rate_limit::wait_words(wait)
    );
    Ok(Some((wait, FieldError::new("body", message))))
}

/// Why a checked comment was not stored, as the form tells it; `true` when it goes
/// back as a new comment because its parent is gone.
fn not_posted(error: PostCommentError) -> Result<(StatusCode, Vec<FieldError>, bool), AppError> {
    Ok(match error {
        PostCommentError::Closed => (StatusCode::FORBIDDEN, Vec::new(), false),
        PostCommentError::NotOfficial => {
            let message =
                "You are not an official of that department (or no longer are): post as yourself, or ask an admin.";
            (StatusCode::FORBIDDEN, vec![FieldError::new("as_official", message)], false)
        }
        PostCommentError::NoSuchParent => {
            let message =
                "The comment you are replying to was removed. You can post your text as a new comment instead.";
            (StatusCode::UNPROCESSABLE_ENTITY, vec![FieldError::new("body", message)], true)
        }
        PostCommentError::Database(e) => {
            let (status, errors) = not_saved(&AppError::from(e));
            (status, errors, false)
        }
        PostCommentError::NoSuchPost | PostCommentError::NoSuchUser => return Err(AppError::NotFound),
    })
}

/// The form's words for a comment the database did not take, logged.
fn not_saved(error: &AppError) -> (StatusCode, Vec<FieldError>) {
    tracing::error!(error = %crate::error::cause_chain(error), "could not store a comment");
    let message = match error {
        AppError::CannotSave(_) => {
            "The site cannot save anything right now: its database is refusing changes. Your text is kept: send it again later."
        }
        _ => "Sorry, your comment could not be saved just now. Your text is kept: send it again in a moment.",
    };
    (actix_web::ResponseError::status_code(error), vec![FieldError::new("body", message)])
}

/// Posts a comment or a reply. On success, 303 to its permalink; otherwise the form
/// again, with what went wrong and everything typed kept.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let mut draft = draft_from(post.typed());
    let answer_query =
        AnswerQuery { search: post.typed().get("also_search").to_owned(), chosen: draft.also_answers.clone() };
    let context = load_context(&state, slug.into_inner(), draft.parent_id, &viewer, answer_query).await?;
    let stamp = Some(post.typed().get(spam::STAMP)).filter(|s| !s.is_empty()).map(str::to_owned);
    let stamp = stamp.unwrap_or_else(|| spam::stamp(&state.cookie_key, time::now()));
    let again = Again { viewer: &viewer, context: &context, chrome: viewer.chrome(), stamp };
    if !post.typed().get("parent_id").trim().is_empty() && context.parent.is_none() {
        draft.parent_id = None;
        let message = "The comment you are replying to is not on this post (it may have been removed). You can post your text as a new comment instead.";
        return Ok(again.page(StatusCode::UNPROCESSABLE_ENTITY, vec![FieldError::new("body", message)], &draft));
    }
    let form = match post.checked() {
        Ok(form) => form,
        Err(refusal) => return Ok(again.page(refusal.status(), vec![refusal.error("body")], &draft)),
    };
    if !form.get("find").is_empty() {
        // "Find comments": the form again with the search applied, nothing sent.
        return Ok(again.page(StatusCode::OK, Vec::new(), &draft));
    }
    let comment = match parse(&viewer, &context, &draft) {
        Ok(comment) => comment,
        Err((status, errors)) => return Ok(again.page(status, errors, &draft)),
    };
    match over_limit(&state, &req, &viewer, &draft).await {
        Ok(None) => {}
        Ok(Some((wait, error))) => {
            return Ok(super::retry_after(again.page(StatusCode::TOO_MANY_REQUESTS, vec![error], &draft), wait))
        }
        Err(error) => {
            let (status, errors) = not_saved(&error);
            return Ok(again.page(status, errors, &draft));
        }
    }
    let min_seconds = state.settings.abuse.min_form_seconds;
    let signal =
        spam::signal(&state.cookie_key, form.get(spam::HONEYPOT), form.get(spam::STAMP), time::now(), min_seconds);
    let origin = Origin { ip: req.peer_addr().map(|a| a.ip().to_string()), spam_signal: signal };
    let post_id = context.post.id;
    let outcome = state.run_mail(move |conn, mail| submit_comment(conn, mail, post_id, &comment, &origin)).await;
    let error = match outcome {
        Ok(Ok(posted)) => return Ok(posted_redirect(&req, &state, posted)),
        Ok(Err(error)) => error,
        Err(AppError::Database(e)) => PostCommentError::Database(e),
        Err(error) => {
            let (status, errors) = not_saved(&error);
            return Ok(again.page(status, errors, &draft));
        }
    };
    let (status, errors, as_new) = not_posted(error)?;
    if as_new {
        draft.parent_id = None;
    }
    Ok(again.page(status, errors, &draft))
}

/// 303 to the new comment's permalink; a held one is remembered by this browser, with
/// the same words whether a spam rule or pre-moderation held it.
fn posted_redirect(req: &HttpRequest, state: &AppState, posted: Posted) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    let id = match posted {
        Posted::Published(id) => id,
        Posted::Held { id, .. } => {
            held::remember(&mut response, req, state, id);
            id
        }
    };
    response.insert_header((header::LOCATION, format!("/comments/{id}?posted=1"))).finish()
}

#[derive(serde::Deserialize)]
pub struct PermalinkQuery {
    /// Set by the redirect after posting: the page then confirms it at the comment.
    posted: Option<u8>,
}

/// `/comments/{id}`: to the page that shows the comment, at its anchor. A comment
/// waiting for moderation is shown only to the browser that posted it.
pub async fn permalink(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
    query: web::Query<PermalinkQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let posted = if query.posted.is_some() { format!("posted={id}") } else { String::new() };
    let display = state.settings.display;
    let mine = held::ids(&req, &state).contains(&id);
    let (location, held_on) = state
        .query(move |conn| {
            let location = reading::locate_comment(conn, id, &display)?;
            let held_on = match (&location, mine) {
                (None, true) => reading::held_comment_post(conn, id)?,
                _ => None,
            };
            Ok((location, held_on))
        })
        .await?;
    if let Some(slug) = held_on {
        return Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, format!("/posts/{slug}{}#held-{id}", query_string(&[&posted]))))
            .finish());
    }
    let location = location.ok_or(AppError::NotFound)?;
    let target = match location {
        Location::PostPage { slug, page: 1 } => format!("/posts/{slug}{}#comment-{id}", query_string(&[&posted])),
        Location::PostPage { slug, page } => {
            format!("/posts/{slug}{}#comment-{id}", query_string(&[&format!("page={page}"), &posted]))
        }
        Location::ThreadPage { slug, thread_id, page } => format!(
            "/posts/{slug}/threads/{thread_id}{}#comment-{id}",
            query_string(&[&format!("page={page}"), &posted])
        ),
    };
    Ok(HttpResponse::Found().insert_header((header::LOCATION, target)).finish())
}

/// "?a=1&b=2" from the non-empty parts; "" when there are none.
fn query_string(parts: &[&str]) -> String {
    let parts: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}
