//! Writing comments: the reply page, posting, and permalinks.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::form::{self, FormProblem};
use super::session::Viewer;
use super::{csrf, held, spam};
use super::{html, AppState};
use crate::db::comments::CommentRow;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentDraft;
use crate::domain::{time, FieldError};
use crate::error::AppError;
use crate::read::comment_responses::answerable_comments;
use crate::read::reading::{self, Location};
use crate::services::comments::{submit_comment, Origin, PostCommentError, Posted};
use crate::services::rate_limit::{self, Action};
use crate::views::comment_form::{self, CommentForm, FormAuthor};

/// What a comment form needs from the database: the post, the comment replied to
/// (published, on this post), and for an official the comments a reply may also answer.
struct FormContext {
    post: Post,
    /// The notice of a freeze in force (then `post.comments_open` is false).
    freeze: Option<String>,
    parent: Option<CommentRow>,
    answerable: Vec<(i64, String, String)>,
}

fn form_context(
    conn: &mut AnyConnection,
    slug: &str,
    parent_id: Option<i64>,
    official: bool,
) -> diesel::QueryResult<Option<FormContext>> {
    let Some(mut post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let freeze = crate::services::freezes::notice_for(conn, post.id)?;
    if freeze.is_some() {
        post.comments_open = false;
    }
    let parent = match parent_id {
        Some(id) => db::comments::find(conn, id)?
            .filter(|c| c.post_id == post.id && c.is_published())
            .map(|c| db::comments::find_row(conn, c.id))
            .transpose()?
            .flatten(),
        None => None,
    };
    let answerable = if official { answerable_comments(conn, post.id)? } else { Vec::new() };
    Ok(Some(FormContext { post, freeze, parent, answerable }))
}

async fn load_context(
    state: &AppState,
    slug: String,
    parent_id: Option<i64>,
    viewer: &Viewer,
) -> Result<FormContext, AppError> {
    let official = viewer.user.as_ref().is_some_and(|u| !u.official_roles.is_empty());
    state.query(move |conn| form_context(conn, &slug, parent_id, official)).await?.ok_or(AppError::NotFound)
}

fn author<'a>(viewer: &'a Viewer, context: &'a FormContext) -> FormAuthor<'a> {
    match &viewer.user {
        Some(user) => FormAuthor::Member {
            name: &user.name,
            official_roles: &user.official_roles,
            answerable: &context.answerable,
        },
        None => FormAuthor::Guest,
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    parent: Option<i64>,
}

/// The form on its own page: "Reply to NAME" with the comment shown, or a new comment.
pub async fn new(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<NewQuery>,
    viewer: Viewer,
) -> Result<HttpResponse, AppError> {
    let parent_id = query.parent;
    let context = load_context(&state, slug.into_inner(), parent_id, &viewer).await?;
    if parent_id.is_some() && context.parent.is_none() {
        return Err(AppError::NotFound);
    }
    let draft = CommentDraft { parent_id, ..CommentDraft::default() };
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

/// Posts a comment or a reply. On success, 303 to its permalink; otherwise the form
/// again, with what went wrong and everything typed kept.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    viewer: Viewer,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let form = form::read(payload, form::FORM_LIMIT).await.unwrap_or_default();
    let parent_field = form.get("parent_id").trim().to_owned();
    let parent_id = parent_field.parse::<i64>().ok();
    let mut draft = CommentDraft {
        name: form.get("name").to_owned(),
        email: form.get("email").to_owned(),
        body: form.get("body").to_owned(),
        parent_id,
        as_official: form.get("as_official").to_owned(),
        also_answers: form.ids("also_answers"),
        email_me: form.get("email_me") == "yes",
    };
    let context = load_context(&state, slug.into_inner(), parent_id, &viewer).await?;
    let chrome = viewer.chrome();
    let now = time::now();
    let submitted_stamp = form.get(spam::STAMP);
    // Shown again, the form keeps its first stamp: correcting a mistake is not "too fast".
    let stamp =
        if submitted_stamp.is_empty() { spam::stamp(&state.cookie_key, now) } else { submitted_stamp.to_owned() };
    let refuse = |status: StatusCode, errors: Vec<FieldError>, draft: &CommentDraft, parent: Option<&CommentRow>| {
        let view = CommentForm {
            post: &context.post,
            draft,
            errors: &errors,
            csrf_token: viewer.csrf.value(),
            stamp: &stamp,
            closed_notice: context.freeze.as_deref(),
            replying_to: parent,
            author: author(&viewer, &context),
        };
        html(status, comment_form::page(&view, &chrome, time::now()))
    };

    if !parent_field.is_empty() && context.parent.is_none() {
        draft.parent_id = None;
        let error = FieldError::new(
            "body",
            "The comment you are replying to is not on this post (it may have been removed). You can post your text as a new comment instead.",
        );
        return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, vec![error], &draft, None));
    }
    let parent = context.parent.as_ref();
    if let Some(problem) = form.problem {
        let (status, message) = match problem {
            FormProblem::NotUtf8 => (
                StatusCode::BAD_REQUEST,
                "Some characters could not be read (your browser did not send them as UTF-8). They are shown as \u{FFFD}: check your text and send it again.",
            ),
            FormProblem::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "What you sent was too large. The start of your text is kept below: shorten it and send it again.",
            ),
        };
        return Ok(refuse(status, vec![FieldError::new("body", message)], &draft, parent));
    }
    if !viewer.csrf.matches(form.get(csrf::FIELD)) {
        let error = FieldError::new(
            "body",
            "This form had expired or your browser did not send its security cookie. Your text is kept: check it and send it again.",
        );
        return Ok(refuse(StatusCode::FORBIDDEN, vec![error], &draft, parent));
    }
    if !context.post.comments_open {
        return Ok(refuse(StatusCode::FORBIDDEN, Vec::new(), &draft, parent));
    }
    let parsed = match &viewer.user {
        Some(user) => {
            if !user.official_roles.is_empty() && draft.as_official.trim().is_empty() {
                let choice = if parent.is_some() { "reply" } else { "comment" };
                let error =
                    FieldError::new("as_official", format!("Choose whether to {choice} as an official or as yourself"));
                return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, vec![error], &draft, parent));
            }
            draft.parse_for_member(user.id)
        }
        None => draft.parse(),
    };
    let comment = match parsed {
        Ok(comment) => comment,
        Err(errors) => return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, errors, &draft, parent)),
    };
    // Moderators and officials answer in bursts; everyone else is counted by address
    // and by account or email.
    let exempt = viewer.user.as_ref().is_some_and(|u| u.role.can_moderate() || !u.official_roles.is_empty());
    if !exempt {
        let who = match &viewer.user {
            Some(user) => format!("user:{}", user.id),
            None => format!("email:{}", draft.email.trim().to_lowercase()),
        };
        let keys = vec![format!("ip:{}", super::client_ip(&req)), who];
        if let Some(wait) = super::rate_limited(&state, Action::Comment, keys).await? {
            let message = format!(
                "You have sent a lot of comments in a short time. Wait {}, then send this one again. Your text is kept below.",
                rate_limit::wait_words(wait)
            );
            let page = refuse(StatusCode::TOO_MANY_REQUESTS, vec![FieldError::new("body", message)], &draft, parent);
            return Ok(super::retry_after(page, wait));
        }
    }
    let post_id = context.post.id;
    let origin = Origin {
        ip: req.peer_addr().map(|a| a.ip().to_string()),
        spam_signal: spam::signal(
            &state.cookie_key,
            form.get(spam::HONEYPOT),
            submitted_stamp,
            now,
            state.settings.abuse.min_form_seconds,
        ),
    };
    let outcome = match state.run_mail(move |conn, mail| submit_comment(conn, mail, post_id, &comment, &origin)).await {
        Ok(Err(PostCommentError::Database(e))) => Err(AppError::from(e)),
        Ok(outcome) => Ok(outcome),
        Err(error) => Err(error),
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            let status = actix_web::ResponseError::status_code(&error);
            tracing::error!(error = %crate::error::cause_chain(&error), "could not store a comment");
            let message = FieldError::new(
                "body",
                "Sorry, your comment could not be saved just now. Your text is kept: send it again in a moment.",
            );
            return Ok(refuse(status, vec![message], &draft, parent));
        }
    };
    match outcome {
        Ok(Posted::Published(id)) => {
            Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/comments/{id}"))).finish())
        }
        Ok(Posted::Held { id, .. }) => {
            // The same words whether a spam rule or pre-moderation held it.
            let mut response = HttpResponse::SeeOther();
            held::remember(&mut response, &req, &state, id);
            Ok(response.insert_header((header::LOCATION, format!("/comments/{id}"))).finish())
        }
        Err(PostCommentError::Closed) => Ok(refuse(StatusCode::FORBIDDEN, Vec::new(), &draft, parent)),
        Err(PostCommentError::NoSuchPost | PostCommentError::NoSuchUser | PostCommentError::Database(_)) => {
            Err(AppError::NotFound)
        }
        Err(PostCommentError::NotOfficial) => {
            let error = FieldError::new(
                "as_official",
                "You are not an official of that department (or no longer are): post as yourself, or ask an admin.",
            );
            Ok(refuse(StatusCode::FORBIDDEN, vec![error], &draft, parent))
        }
        Err(PostCommentError::NoSuchParent) => {
            draft.parent_id = None;
            let error = FieldError::new(
                "body",
                "The comment you are replying to was removed. You can post your text as a new comment instead.",
            );
            Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, vec![error], &draft, None))
        }
    }
}

/// `/comments/{id}`: to the page that shows the comment, at its anchor. A comment
/// waiting for moderation is shown only to the browser that posted it.
pub async fn permalink(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
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
            .insert_header((header::LOCATION, format!("/posts/{slug}#held-{id}")))
            .finish());
    }
    let location = location.ok_or(AppError::NotFound)?;
    let target = match location {
        Location::PostPage { slug, page: 1 } => format!("/posts/{slug}#comment-{id}"),
        Location::PostPage { slug, page } => format!("/posts/{slug}?page={page}#comment-{id}"),
        Location::ThreadPage { slug, thread_id, page } => {
            format!("/posts/{slug}/threads/{thread_id}?page={page}#comment-{id}")
        }
    };
    Ok(HttpResponse::Found().insert_header((header::LOCATION, target)).finish())
}
