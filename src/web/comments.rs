//! Writing comments: the reply page, posting, and permalinks.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::csrf::{self, CsrfToken};
use super::form::{self, FormProblem};
use super::AppState;
use crate::db::comments::CommentRow;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentDraft;
use crate::domain::{time, FieldError};
use crate::error::AppError;
use crate::services::comments::{post_comment, PostCommentError};
use crate::services::reading::{self, Location};
use crate::views::comment_form::{self, CommentForm};

/// A post and, when replying, the published comment on it being replied to.
fn post_and_parent(
    conn: &mut AnyConnection,
    slug: &str,
    parent_id: Option<i64>,
) -> diesel::QueryResult<Option<(Post, Option<CommentRow>)>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let parent = match parent_id {
        Some(id) => db::comments::find(conn, id)?
            .filter(|c| c.post_id == post.id && c.is_published())
            .map(|c| db::comments::find_row(conn, c.id))
            .transpose()?
            .flatten(),
        None => None,
    };
    Ok(Some((post, parent)))
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
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let parent_id = query.parent;
    let slug = slug.into_inner();
    let (post, parent) =
        state.query(move |conn| post_and_parent(conn, &slug, parent_id)).await?.ok_or(AppError::NotFound)?;
    if parent_id.is_some() && parent.is_none() {
        return Err(AppError::NotFound);
    }
    let draft = CommentDraft { parent_id, ..CommentDraft::default() };
    let form =
        CommentForm { post: &post, draft: &draft, errors: &[], csrf_token: csrf.value(), replying_to: parent.as_ref() };
    Ok(html(StatusCode::OK, comment_form::page(&form, time::now())))
}

fn html(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(markup.into_string())
}

/// Posts a comment or a reply. On success, 303 to its permalink; otherwise the form
/// again, with what went wrong and everything typed kept.
pub async fn create(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    csrf: CsrfToken,
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
    };
    let slug = slug.into_inner();
    let (post, parent) =
        state.query(move |conn| post_and_parent(conn, &slug, parent_id)).await?.ok_or(AppError::NotFound)?;

    let refuse = |status: StatusCode, errors: Vec<FieldError>, draft: &CommentDraft, parent: Option<&CommentRow>| {
        let view = CommentForm { post: &post, draft, errors: &errors, csrf_token: csrf.value(), replying_to: parent };
        html(status, comment_form::page(&view, time::now()))
    };

    if !parent_field.is_empty() && parent.is_none() {
        draft.parent_id = None;
        let error = FieldError::new(
            "body",
            "The comment you are replying to is not on this post (it may have been removed). You can post your text as a new comment instead.",
        );
        return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, vec![error], &draft, None));
    }
    let parent = parent.as_ref();
    match form.problem {
        Some(FormProblem::NotUtf8) => {
            let error = FieldError::new(
                "body",
                "Some characters could not be read (your browser did not send them as UTF-8). They are shown as \u{FFFD}: check your text and send it again.",
            );
            return Ok(refuse(StatusCode::BAD_REQUEST, vec![error], &draft, parent));
        }
        Some(FormProblem::TooLarge) => {
            let error = FieldError::new(
                "body",
                "What you sent was too large. The start of your text is kept below: shorten it and send it again.",
            );
            return Ok(refuse(StatusCode::PAYLOAD_TOO_LARGE, vec![error], &draft, parent));
        }
        None => {}
    }
    if !csrf.matches(form.get(csrf::FIELD)) {
        let error = FieldError::new(
            "body",
            "This form had expired or your browser did not send its security cookie. Your text is kept: check it and send it again.",
        );
        return Ok(refuse(StatusCode::FORBIDDEN, vec![error], &draft, parent));
    }
    if !post.comments_open {
        return Ok(refuse(StatusCode::FORBIDDEN, Vec::new(), &draft, parent));
    }
    let comment = match draft.parse() {
        Ok(comment) => comment,
        Err(errors) => return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, errors, &draft, parent)),
    };
    let post_id = post.id;
    let outcome = match state.run(move |conn| post_comment(conn, post_id, &comment)).await {
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
        Ok(id) => Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/comments/{id}"))).finish()),
        Err(PostCommentError::Closed) => Ok(refuse(StatusCode::FORBIDDEN, Vec::new(), &draft, parent)),
        Err(PostCommentError::NoSuchPost | PostCommentError::NoSuchUser) => Err(AppError::NotFound),
        Err(PostCommentError::NotOfficial) => {
            let error = FieldError::new(
                "as_official",
                "You are no longer an official of that department: post as yourself, or ask an admin.",
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
        Err(PostCommentError::Database(e)) => Err(AppError::from(e)),
    }
}

/// `/comments/{id}`: to the page that shows the comment, at its anchor.
pub async fn permalink(state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let display = state.settings.display;
    let location =
        state.query(move |conn| reading::locate_comment(conn, id, &display)).await?.ok_or(AppError::NotFound)?;
    let target = match location {
        Location::PostPage { slug, page: 1 } => format!("/posts/{slug}#comment-{id}"),
        Location::PostPage { slug, page } => format!("/posts/{slug}?page={page}#comment-{id}"),
        Location::ThreadPage { slug, thread_id, page } => {
            format!("/posts/{slug}/threads/{thread_id}?page={page}#comment-{id}")
        }
    };
    Ok(HttpResponse::Found().insert_header((header::LOCATION, target)).finish())
}
