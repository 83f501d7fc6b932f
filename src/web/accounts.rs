//! Register, sign in, sign out, and the account page.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::form::{FormData, FormPost};
use super::session::{self, SignedIn, Viewer};
use super::{html, AppState};
use crate::domain::account::{Registration, Role};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::account_email;
use crate::services::accounts::{self, AccountError, FAILURE_WINDOW_MINUTES};
use crate::services::rate_limit::{self, Action};
use crate::views::accounts::{self as pages, AccountPage, RegisterForm, SignInForm};

/// Only a path on this site: never another site, so a link cannot send people away.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    reset: Option<String>,
}

pub async fn sign_in_form(viewer: Viewer, query: web::Query<NextQuery>) -> HttpResponse {
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    if viewer.user.is_some() {
        return see_other(next);
    }
    let notice = query.reset.is_some().then_some("Your password has been changed. Sign in with your new password.");
    let form = SignInForm { email: "", next, errors: &[], notice, csrf_token: viewer.csrf.value() };
    html(StatusCode::OK, pages::sign_in(&form, &viewer.chrome()))
}

fn sign_in_again(viewer: &Viewer, form: &FormData, status: StatusCode, error: FieldError) -> HttpResponse {
    let errors = [error];
    let (email, next) = (form.get("email"), safe_next(form.get("next")));
    let view = SignInForm { email, next, errors: &errors, notice: None, csrf_token: viewer.csrf.value() };
    html(status, pages::sign_in(&view, &viewer.chrome()))
}

pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let form = match post.checked() {
        Ok(form) => form,
        Err(r) => return Ok(sign_in_again(&viewer, &r.form, r.status(), r.error("email"))),
    };
    let refuse = |status: StatusCode, error: FieldError| sign_in_again(&viewer, &form, status, error);
    let (email, password) = (form.get("email").to_owned(), form.get("password").to_owned());
    let next = safe_next(form.get("next")).to_owned();
    if email.trim().is_empty() || password.is_empty() {
        return Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            FieldError::new("email", "Enter your email address and password"),
        ));
    }
    let ip = req.peer_addr().map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string());
    let old_session = session::session_token(&req, &state);
    let (attempt_email, attempt_password) = (email.clone(), password);
    let outcome = state
        .run(move |conn| {
            let signed_in = accounts::sign_in(conn, &attempt_email, &attempt_password, &ip)?;
            // The old session (if any) ends: a new id at every sign-in.
            if let Some(old) = old_session {
                accounts::sign_out(conn, &old)?;
            }
            Ok::<_, AccountError>(signed_in)
        })
        .await?;
    match outcome {
        Ok((user, token)) => {
            tracing::info!(user_id = user.id, "signed in");
            let mut response = HttpResponse::SeeOther();
            session::set_session_cookie(&mut response, &state, &token);
            Ok(response.insert_header((header::LOCATION, next.as_str())).finish())
        }
        Err(AccountError::WrongCredentials) => Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            FieldError::new("email", "The email address or password is not right"),
        )),
        Err(AccountError::TooManyAttempts) => {
            let message =
                format!("Too many failed attempts to sign in. Wait {FAILURE_WINDOW_MINUTES} minutes, then try again.");
            let page = refuse(StatusCode::TOO_MANY_REQUESTS, FieldError::new("email", message));
            Ok(super::retry_after(page, FAILURE_WINDOW_MINUTES as u64 * 60))
        }
        Err(other) => Err(AppError::Unexpected(other.to_string())),
    }
}

pub async fn sign_out(state: web::Data<AppState>, req: HttpRequest, post: FormPost) -> Result<HttpResponse, AppError> {
    post.checked()?;
    if let Some(token) = session::session_token(&req, &state) {
        state
            .run(move |conn| accounts::sign_out(conn, &token))
            .await?
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
    }
    let mut response = HttpResponse::SeeOther();
    session::clear_session_cookie(&mut response, &state);
    Ok(response.insert_header((header::LOCATION, "/")).finish())
}

pub async fn register_form(viewer: Viewer) -> HttpResponse {
    if viewer.user.is_some() {
        return see_other("/account");
    }
    let form = RegisterForm { name: "", email: "", errors: &[], csrf_token: viewer.csrf.value() };
    html(StatusCode::OK, pages::register(&form, &viewer.chrome()))
}

fn register_again(viewer: &Viewer, form: &FormData, status: StatusCode, errors: Vec<FieldError>) -> HttpResponse {
    let view = RegisterForm {
        name: form.get("name"),
        email: form.get("email"),
        errors: &errors,
        csrf_token: viewer.csrf.value(),
    };
    html(status, pages::register(&view, &viewer.chrome()))
}

pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let form = match post.checked() {
        Ok(form) => form,
        Err(r) => return Ok(register_again(&viewer, &r.form, r.status(), vec![r.error("email")])),
    };
    let refuse = |status: StatusCode, errors: Vec<FieldError>| register_again(&viewer, &form, status, errors);
    let (name, email, password) = (form.get("name"), form.get("email"), form.get("password"));
    let registration = match Registration::parse(name, email, password) {
        Ok(registration) => registration,
        Err(errors) => return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, errors)),
    };
    let ip_key = format!("ip:{}", super::client_ip(&req));
    if let Some(wait) = super::rate_limited(&state, Action::Register, vec![ip_key]).await? {
        let message = format!(
            "Too many accounts were created from your network recently. Wait {}, then try again.",
            rate_limit::wait_words(wait)
        );
        let page = refuse(StatusCode::TOO_MANY_REQUESTS, vec![FieldError::new("email", message)]);
        return Ok(super::retry_after(page, wait));
    }
    let outcome = state
        .run_mail(move |conn, mail| {
            crate::db::transaction(conn, |conn| {
                let user = accounts::create_user(conn, &registration, Role::Reader)?;
                account_email::send_verification(conn, mail, &user, &user.email)?;
                let token = accounts::start_session(conn, user.id)?;
                Ok::<_, AccountError>(token)
            })
        })
        .await?;
    match outcome {
        Ok(token) => {
            let mut response = HttpResponse::SeeOther();
            session::set_session_cookie(&mut response, &state, &token);
            Ok(response.insert_header((header::LOCATION, "/account?welcome=1")).finish())
        }
        Err(AccountError::EmailTaken) => Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![FieldError::new(
                "email",
                "That email address cannot be used to create an account. If it is yours, sign in instead.",
            )],
        )),
        Err(other) => Err(AppError::Unexpected(other.to_string())),
    }
}

#[derive(Deserialize)]
pub struct AccountQuery {
    welcome: Option<String>,
    changed: Option<String>,
}

pub(super) async fn account_page(
    state: &AppState,
    signed_in: &SignedIn,
    status: StatusCode,
    errors: &[FieldError],
    notice: Option<&str>,
    new_email: &str,
) -> Result<HttpResponse, AppError> {
    let SignedIn { viewer, user } = signed_in;
    let id = user.id;
    let verified =
        state.query(move |conn| crate::db::users::find(conn, id)).await?.is_some_and(|u| u.email_verified_at.is_some());
    let page = AccountPage {
        name: &user.name,
        email: &user.email,
        verified,
        new_email,
        role: user.role.label(),
        official_roles: &user.official_roles,
        errors,
        notice,
        csrf_token: viewer.csrf.value(),
    };
    Ok(html(status, pages::account(&page, &viewer.chrome())))
}

pub async fn account(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = if query.welcome.is_some() {
        Some("Your account has been created and you are signed in. We have emailed you a link to confirm your address: until you click it, we send you no notifications.")
    } else if query.changed.is_some() {
        Some("Your password has been changed. You have been signed out everywhere else.")
    } else {
        None
    };
    account_page(&state, &signed_in, StatusCode::OK, &[], notice, "").await
}

pub async fn change_password(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let form = match post.checked() {
        Ok(form) => form,
        Err(r) => return account_page(&state, &signed_in, r.status(), &[r.error("current_password")], None, "").await,
    };
    let (current, new) = (form.get("current_password").to_owned(), form.get("new_password").to_owned());
    let (user_id, token) = (signed_in.user.id, signed_in.user.session_token.clone());
    let outcome = state.run(move |conn| accounts::change_password(conn, user_id, &current, &new, &token)).await?;
    match outcome {
        Ok(()) => Ok(see_other("/account?changed=1")),
        Err(errors) => account_page(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, &errors, None, "").await,
    }
}
