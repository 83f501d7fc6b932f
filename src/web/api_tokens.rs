//! `/account/tokens`: a signed-in user's API tokens.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::form::{self, FormData};
use super::session::{SignedInUser, Viewer};
use super::{csrf, html, AppState};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::api_tokens;
use crate::views::api_tokens::{tokens_page, TokensPage};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/tokens", web::get().to(show))
        .route("/account/tokens", web::post().to(create))
        .route("/account/tokens/{id}/revoke", web::post().to(revoke));
}

const PATH: &str = "/account/tokens";

fn signed_in(viewer: &Viewer) -> Result<SignedInUser, AppError> {
    viewer.user.clone().ok_or_else(|| AppError::SignInRequired(PATH.into()))
}

#[derive(Default)]
struct Shown<'a> {
    new_token: Option<&'a str>,
    notice: Option<&'a str>,
    name: &'a str,
    errors: &'a [FieldError],
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<HttpResponse, AppError> {
    let user_id = signed_in(viewer)?.id;
    let tokens = state.query(move |conn| api_tokens::list(conn, user_id)).await?;
    let page = TokensPage {
        tokens: &tokens,
        new_token: shown.new_token,
        notice: shown.notice,
        name: shown.name,
        errors: shown.errors,
        csrf_token: viewer.csrf.value(),
    };
    let mut response = html(status, tokens_page(&page, &viewer.chrome()));
    // The page may hold a new token: never keep it in a cache.
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Deserialize)]
pub struct ShowQuery {
    revoked: Option<String>,
}

async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let notice =
        query.revoked.is_some().then_some("The token has been revoked: programs using it can no longer use the API.");
    render(&state, &viewer, StatusCode::OK, Shown { notice, ..Shown::default() }).await
}

fn expired() -> [FieldError; 1] {
    [FieldError::new("token_name", "This form had expired. Please try again.")]
}

async fn read(payload: web::Payload) -> FormData {
    form::read(payload, form::FORM_LIMIT).await.unwrap_or_default()
}

/// Makes a token and shows it on this response only (never in a URL or a redirect).
async fn create(state: web::Data<AppState>, viewer: Viewer, payload: web::Payload) -> Result<HttpResponse, AppError> {
    let user = signed_in(&viewer)?;
    let form = read(payload).await;
    let typed = form.get("token_name").to_owned();
    if !viewer.csrf.matches(form.get(csrf::FIELD)) {
        let errors = expired();
        return render(
            &state,
            &viewer,
            StatusCode::FORBIDDEN,
            Shown { name: &typed, errors: &errors, ..Shown::default() },
        )
        .await;
    }
    let name = match api_tokens::parse_name(&typed) {
        Ok(name) => name,
        Err(error) => {
            let errors = [error];
            let shown = Shown { name: &typed, errors: &errors, ..Shown::default() };
            return render(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
        }
    };
    let user_id = user.id;
    let token = state.query(move |conn| api_tokens::create(conn, user_id, &name)).await?;
    tracing::info!(user_id, token_id = token.id, "API token created");
    let shown = Shown { new_token: Some(&token.secret), notice: None, ..Shown::default() };
    render(&state, &viewer, StatusCode::OK, shown).await
}

async fn revoke(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let user = signed_in(&viewer)?;
    let form = read(payload).await;
    if !viewer.csrf.matches(form.get(csrf::FIELD)) {
        let errors = expired();
        return render(&state, &viewer, StatusCode::FORBIDDEN, Shown { errors: &errors, ..Shown::default() }).await;
    }
    let id = id.into_inner();
    let user_id = user.id;
    if !state.query(move |conn| api_tokens::revoke(conn, user_id, id)).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(user_id, token_id = id, "API token revoked");
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("{PATH}?revoked=1"))).finish())
}
