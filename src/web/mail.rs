//! Following by email, confirming a subscription, and one-click unsubscribe.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::form::FormPost;
use super::session::Viewer;
use super::{html, AppState};
use crate::db;
use crate::domain::comment::Email;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::rate_limit::{self, Action};
use crate::services::subscriptions::{self, Confirmed, Followed, Target};
use crate::views::subscriptions::{self as pages, FollowForm};

/// Counts an email a person asks for against the limits of their address and of
/// `keys` (an email address, an account); `Some((seconds, message))` when over.
pub(super) async fn email_limit(
    state: &AppState,
    req: &HttpRequest,
    keys: &[String],
) -> Result<Option<(u64, String)>, AppError> {
    let mut all = vec![format!("ip:{}", super::client_ip(req))];
    all.extend(keys.iter().cloned());
    Ok(super::rate_limited(state, Action::SendEmail, all).await?.map(|wait| {
        let message = format!(
            "Too many emails were asked for from here or for this address recently. Wait {}, then try again.",
            rate_limit::wait_words(wait)
        );
        (wait, message)
    }))
}

/// A link from an email that matches nothing we sent: 404, with a way on.
pub(super) fn unknown_link(next: (&str, &str), chrome: &crate::views::layout::Chrome) -> HttpResponse {
    let lines = ["Check that you copied the whole address from the email."];
    html(StatusCode::NOT_FOUND, pages::notice("This link does not work", &lines, next, chrome))
}

#[derive(Deserialize)]
pub struct FollowQuery {
    thread: Option<i64>,
}

/// The post and, when following a thread, its top-level comment's author.
async fn follow_target(
    state: &AppState,
    slug: String,
    thread_id: Option<i64>,
) -> Result<(db::posts::Post, Option<String>), AppError> {
    state
        .query(move |conn| {
            let Some(post) = db::posts::find_published_by_slug(conn, &slug)? else { return Ok(None) };
            let thread = match thread_id {
                None => None,
                Some(id) => match db::comments::find(conn, id)? {
                    Some(c) if c.post_id == post.id && c.parent_id.is_none() && c.is_published() => Some(c.author_name),
                    _ => return Ok(None),
                },
            };
            Ok(Some((post, thread)))
        })
        .await?
        .ok_or(AppError::NotFound)
}

fn heading(post_title: &str, thread_author: Option<&str>) -> String {
    match thread_author {
        Some(author) => format!("Follow the thread started by {author}"),
        None => format!("Follow “{post_title}”"),
    }
}

pub async fn follow_form(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<FollowQuery>,
    viewer: Viewer,
) -> Result<HttpResponse, AppError> {
    let (post, thread_author) = follow_target(&state, slug.into_inner(), query.thread).await?;
    let form = FollowForm {
        slug: &post.slug,
        thread_id: query.thread,
        member_email: viewer.user.as_ref().map(|u| u.email.as_str()),
        email: "",
        errors: &[],
        csrf_token: viewer.csrf.value(),
    };
    let page = pages::follow_page(&form, &heading(&post.title, thread_author.as_deref()), &viewer.chrome());
    Ok(html(StatusCode::OK, page))
}

/// The page's title and line for what following did.
fn followed(outcome: Followed, thread: bool) -> (&'static str, String) {
    let what = if thread { "thread" } else { "post" };
    match outcome {
        Followed::Following => (
            "You are following",
            format!("You will get an email when someone comments in this {what}, and when an official responds."),
        ),
        Followed::AlreadyFollowing => {
            ("You are already following", format!("This address already follows this {what}."))
        }
        Followed::ConfirmationSent => (
            "Check your email",
            "We have sent a link to confirm your address. Nothing else will be sent until you click it.".to_owned(),
        ),
    }
}

pub async fn follow(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    viewer: Viewer,
    post_form: FormPost,
) -> Result<HttpResponse, AppError> {
    let thread_id = post_form.typed().get("thread_id").trim().parse::<i64>().ok();
    let (post, thread_author) = follow_target(&state, slug.into_inner(), thread_id).await?;
    let typed = post_form.typed().get("follow_email").to_owned();
    let refuse = |status: StatusCode, error: FieldError| {
        let errors = [error];
        let view = FollowForm {
            slug: &post.slug,
            thread_id,
            member_email: viewer.user.as_ref().map(|u| u.email.as_str()),
            email: &typed,
            errors: &errors,
            csrf_token: viewer.csrf.value(),
        };
        html(status, pages::follow_page(&view, &heading(&post.title, thread_author.as_deref()), &viewer.chrome()))
    };
    if let Err(refusal) = post_form.checked() {
        return Ok(refuse(refusal.status(), refusal.error("follow_email")));
    }
    let (address, user_id) = match &viewer.user {
        Some(user) => (user.email.clone(), Some(user.id)),
        None => match Email::parse(&typed) {
            Ok(email) => (email.as_str().to_owned(), None),
            Err(error) => {
                return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, FieldError::new("follow_email", error.message)))
            }
        },
    };
    if let Some((wait, message)) = email_limit(&state, &req, &[format!("email:{}", address.to_lowercase())]).await? {
        let page = refuse(StatusCode::TOO_MANY_REQUESTS, FieldError::new("follow_email", message));
        return Ok(super::retry_after(page, wait));
    }
    let target = match thread_id {
        Some(thread_id) => Target::Thread { post_id: post.id, thread_id },
        None => Target::Post { post_id: post.id },
    };
    let outcome = state
        .run_mail(move |conn, mail| {
            let account = user_id.map(|id| db::users::find(conn, id)).transpose()?.flatten();
            subscriptions::follow(conn, mail, &address, account.as_ref(), target)
        })
        .await??;
    let back = format!("/posts/{}", post.slug);
    let (title, line) = followed(outcome, thread_id.is_some());
    Ok(html(StatusCode::OK, pages::notice(title, &[&line], (&back, "Back to the post"), &viewer.chrome())))
}

/// The page with one button that confirms a subscription (mail scanners open links).
fn confirm_page(status: StatusCode, token: &str, viewer: &Viewer) -> HttpResponse {
    let action = format!("/subscriptions/confirm/{token}");
    let page =
        pages::confirm("get emails about the discussion you chose", &action, viewer.csrf.value(), &viewer.chrome());
    html(status, page)
}

pub async fn confirm_form(token: web::Path<String>, viewer: Viewer) -> HttpResponse {
    confirm_page(StatusCode::OK, &token, &viewer)
}

pub async fn confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    if let Err(refusal) = post.checked() {
        // The page was opened in another browser or long ago: show the button again.
        return Ok(confirm_page(refusal.status(), &token, &viewer));
    }
    let outcome = state.query(move |conn| subscriptions::confirm(conn, &token)).await?;
    let chrome = viewer.chrome();
    let home = ("/", "Go to the list of posts");
    Ok(match outcome {
        Confirmed::Done { what, post_id } => {
            let slug = state.query(move |conn| db::posts::find_by_id(conn, post_id)).await?.map(|p| p.slug);
            let back = slug.map(|s| format!("/posts/{s}")).unwrap_or_else(|| "/".into());
            let line = format!("Thank you. You will now {what}. Every email has a link to stop them.");
            html(
                StatusCode::OK,
                pages::notice("Your email address is confirmed", &[&line], (&back, "Back to the post"), &chrome),
            )
        }
        Confirmed::Used => html(
            StatusCode::OK,
            pages::notice(
                "Already confirmed",
                &["This link has already been used: your address is confirmed."],
                home,
                &chrome,
            ),
        ),
        Confirmed::Expired => html(
            StatusCode::GONE,
            pages::notice(
                "This link has expired",
                &["Confirmation links work for 7 days. Follow the discussion again to get a new one."],
                home,
                &chrome,
            ),
        ),
        Confirmed::Unknown => unknown_link(home, &chrome),
    })
}

pub async fn unsubscribe_form(
    state: web::Data<AppState>,
    token: web::Path<String>,
    viewer: Viewer,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let Some(what) = state.mail.verify_unsubscribe(&token) else { return Err(AppError::NotFound) };
    let described =
        state.query(move |conn| subscriptions::describe_unsubscribe(conn, what)).await?.ok_or(AppError::NotFound)?;
    let action = format!("/unsubscribe/{token}");
    Ok(html(StatusCode::OK, pages::unsubscribe(&described, &action, false, &viewer.chrome())))
}

/// RFC 8058 one-click: a POST, no cookies, no CSRF token (the signed token in the
/// address is the authority), answered with a plain confirmation.
pub async fn unsubscribe(
    state: web::Data<AppState>,
    token: web::Path<String>,
    viewer: Viewer,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let Some(what) = state.mail.verify_unsubscribe(&token) else { return Err(AppError::NotFound) };
    let described = state
        .query(move |conn| {
            let described = subscriptions::describe_unsubscribe(conn, what)?;
            subscriptions::unsubscribe(conn, what)?;
            Ok(described)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    tracing::info!(?what, "unsubscribed");
    let action = format!("/unsubscribe/{token}");
    let mut response = html(StatusCode::OK, pages::unsubscribe(&described, &action, true, &viewer.chrome()));
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}
