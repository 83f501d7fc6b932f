//! Email for accounts: forgotten password, address verification and change, and
//! notification settings.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use super::accounts::account_page;
use super::form::FormPost;
use super::mail::{email_limit, unknown_link};
use super::session::{SignedIn, SignedInUser, Viewer};
use super::{html, AppState};
use crate::db;
use crate::domain::notification::{Kind, Mode, Unsubscribe};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::account_email::{self, ResetError, Verified};
use crate::services::email_tokens::Checked;
use crate::services::subscriptions;
use crate::views::account_email::{self as pages, NotificationsPage};
use crate::views::subscriptions::{confirm, notice};

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

pub async fn forgot_form(viewer: Viewer) -> HttpResponse {
    html(StatusCode::OK, pages::forgot_password("", &[], viewer.csrf.value(), &viewer.chrome()))
}

/// Always the same answer, whether or not the address has an account.
pub async fn forgot(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let again = |email: &str, status, error: FieldError| {
        html(status, pages::forgot_password(email, &[error], viewer.csrf.value(), &viewer.chrome()))
    };
    let form = match post.checked() {
        Ok(form) => form,
        Err(r) => return Ok(again(r.form.get("email").trim(), r.status(), r.error("email"))),
    };
    let email = form.get("email").trim().to_owned();
    let refuse = |status, error| again(&email, status, error);
    if let Err(error) = crate::domain::comment::Email::parse(&email) {
        return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, error));
    }
    if let Some((wait, message)) = email_limit(&state, &req, &[format!("email:{}", email.to_lowercase())]).await? {
        return Ok(super::retry_after(refuse(StatusCode::TOO_MANY_REQUESTS, FieldError::new("email", message)), wait));
    }
    let address = email.clone();
    state.run_mail(move |conn, mail| account_email::request_password_reset(conn, mail, &address)).await??;
    let line = format!("If there is an account for {email}, we have sent it a link to choose a new password. The link works once, for 1 hour.");
    Ok(html(
        StatusCode::OK,
        notice(
            "Check your email",
            &[&line, "No email? Check your spam folder, or ask again in a few minutes."],
            ("/signin", "Back to sign in"),
            &viewer.chrome(),
        ),
    ))
}

fn bad_link(checked: &Checked, viewer: &Viewer) -> HttpResponse {
    let again = ("/password/forgot", "Ask for a new link");
    let chrome = viewer.chrome();
    match checked {
        Checked::Used => html(
            StatusCode::GONE,
            notice(
                "This link has been used",
                &["Each link works once. Ask for a new one if you still need to reset your password."],
                again,
                &chrome,
            ),
        ),
        Checked::Expired => html(
            StatusCode::GONE,
            notice("This link has expired", &["Password reset links work for 1 hour."], again, &chrome),
        ),
        _ => unknown_link(again, &chrome),
    }
}

pub async fn reset_form(
    state: web::Data<AppState>,
    token: web::Path<String>,
    viewer: Viewer,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let checked = state.query(move |conn| account_email::reset_link(conn, &lookup)).await?;
    if !matches!(checked, Checked::Valid(_)) {
        return Ok(bad_link(&checked, &viewer));
    }
    let action = format!("/password/reset/{token}");
    Ok(html(StatusCode::OK, pages::reset_password(&action, &[], viewer.csrf.value(), &viewer.chrome())))
}

pub async fn reset(
    state: web::Data<AppState>,
    token: web::Path<String>,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let action = format!("/password/reset/{token}");
    let refuse = |status, error: FieldError| {
        html(status, pages::reset_password(&action, &[error], viewer.csrf.value(), &viewer.chrome()))
    };
    let form = match post.checked() {
        Ok(form) => form,
        Err(r) => return Ok(refuse(r.status(), r.error("password"))),
    };
    let password = form.get("password").to_owned();
    match state.run(move |conn| account_email::reset_password(conn, &token, &password)).await? {
        Ok(user_id) => {
            tracing::info!(user_id, "password reset by email link");
            Ok(see_other("/signin?reset=1"))
        }
        Err(ResetError::Field(error)) => Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, error)),
        Err(ResetError::Link(checked)) => Ok(bad_link(&checked, &viewer)),
        Err(ResetError::Database(e)) => Err(e.into()),
    }
}

/// The page with one button that confirms an address (mail scanners open links).
fn verify_page(status: StatusCode, token: &str, viewer: &Viewer) -> HttpResponse {
    let action = format!("/account/verify/{token}");
    html(status, confirm("confirm this email address for your account", &action, viewer.csrf.value(), &viewer.chrome()))
}

pub async fn verify_form(token: web::Path<String>, viewer: Viewer) -> HttpResponse {
    verify_page(StatusCode::OK, &token, &viewer)
}

pub async fn verify(
    state: web::Data<AppState>,
    token: web::Path<String>,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    if let Err(refusal) = post.checked() {
        return Ok(verify_page(refusal.status(), &token, &viewer));
    }
    let outcome = state.query(move |conn| account_email::verify(conn, &token)).await?;
    let chrome = viewer.chrome();
    let account = ("/account", "Go to your account");
    Ok(match outcome {
        Verified::Done(email) => {
            let line = format!("{email} is confirmed. We will send your notifications there.");
            html(StatusCode::OK, notice("Your email address is confirmed", &[&line], account, &chrome))
        }
        Verified::Taken => html(
            StatusCode::CONFLICT,
            notice(
                "That address is in use",
                &["Another account now uses this email address, so yours was not changed."],
                account,
                &chrome,
            ),
        ),
        Verified::Used => {
            html(StatusCode::OK, notice("Already confirmed", &["This link has already been used."], account, &chrome))
        }
        Verified::Expired => html(
            StatusCode::GONE,
            notice(
                "This link has expired",
                &["Confirmation links work for 2 days. Send a new one from your account page."],
                account,
                &chrome,
            ),
        ),
        Verified::Unknown => unknown_link(account, &chrome),
    })
}

/// Sends a confirmation link: to a new address (a change), or again to the current one.
pub async fn change_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let form = match post.checked() {
        Ok(form) => form,
        Err(r) => {
            let typed = r.form.get("new_email").trim();
            return account_page(&state, &signed_in, r.status(), &[r.error("new_email")], None, typed).await;
        }
    };
    let user = signed_in.user.clone();
    let typed = form.get("new_email").trim().to_owned();
    let resend = form.get("action") == "resend";
    if let Some((wait, message)) = email_limit(&state, &req, &[format!("user:{}", user.id)]).await? {
        let errors = [FieldError::new("new_email", message)];
        let status = StatusCode::TOO_MANY_REQUESTS;
        let page = account_page(&state, &signed_in, status, &errors, None, &typed).await?;
        return Ok(super::retry_after(page, wait));
    }
    let wanted = typed.clone();
    let outcome = state
        .run_mail(move |conn, mail| {
            let Some(account) = db::users::find(conn, user.id)? else {
                return Ok(Err(FieldError::new("new_email", "Your account no longer exists")));
            };
            if resend {
                let address = account.email.clone();
                account_email::send_verification(conn, mail, &account, &address)?;
                return Ok(Ok(address));
            }
            Ok::<_, diesel::result::Error>(account_email::request_email_change(conn, mail, &account, &wanted))
        })
        .await??;
    match outcome {
        Ok(address) => {
            let line =
                format!("We have sent a link to {address}. Your address changes (or is confirmed) when you click it.");
            Ok(html(
                StatusCode::OK,
                notice(
                    "Check your email",
                    &[&line, "The link works once, for 2 days."],
                    ("/account", "Back to your account"),
                    &signed_in.viewer.chrome(),
                ),
            ))
        }
        Err(error) => account_page(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, &[error], None, &typed).await,
    }
}

/// The kinds this account can choose for: officials and moderators get their queues too.
fn kinds_for(user: &SignedInUser) -> Vec<Kind> {
    Kind::ALL
        .into_iter()
        .filter(|kind| match kind {
            Kind::DepartmentComments => !user.official_roles.is_empty(),
            Kind::Moderation => user.role.can_moderate(),
            _ => true,
        })
        .collect()
}

async fn notifications_page(
    state: &AppState,
    signed_in: &SignedIn,
    status: StatusCode,
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let SignedIn { viewer, user } = signed_in;
    let kinds = kinds_for(user);
    let user_id = user.id;
    let (account, choices, following) = state
        .query(move |conn| {
            let account = db::users::find(conn, user_id)?;
            let choices = subscriptions::preferences(conn, user_id)?;
            let following = subscriptions::list_for(conn, user_id)?;
            Ok((account, choices, following))
        })
        .await?;
    let account = account.ok_or(AppError::NotFound)?;
    let choices: Vec<(Kind, Mode)> = choices.into_iter().filter(|(k, _)| kinds.contains(k)).collect();
    let following: Vec<(String, String)> = following
        .into_iter()
        .map(|(s, what)| (what, state.mail.unsubscribe_path(Unsubscribe::Subscription(s.id))))
        .collect();
    let page = NotificationsPage {
        choices: &choices,
        following: &following,
        verified: account.email_verified_at.is_some(),
        email: &account.email,
        notice,
        csrf_token: viewer.csrf.value(),
    };
    Ok(html(status, pages::notifications(&page, &viewer.chrome())))
}

pub async fn notifications(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let notice = query.contains_key("saved").then_some("Your notification settings are saved.");
    notifications_page(&state, &signed_in, StatusCode::OK, notice).await
}

pub async fn save_notifications(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let form = match post.checked() {
        Ok(form) => form,
        Err(r) => return notifications_page(&state, &signed_in, r.status(), Some(r.message())).await,
    };
    let user = &signed_in.user;
    let choices: Vec<(Kind, Mode)> = kinds_for(user)
        .into_iter()
        .filter_map(|kind| Mode::parse(form.get(kind.as_str())).map(|mode| (kind, mode)))
        .collect();
    let user_id = user.id;
    state.query(move |conn| subscriptions::set_preferences(conn, user_id, &choices)).await?;
    Ok(see_other("/account/notifications?saved=1"))
}
