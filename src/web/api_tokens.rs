//! `/account/tokens`: a signed-in user's API tokens.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::form::FormPost;
use super::session::SignedIn;
use super::{html, AppState};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::api_tokens;
use crate::views::api_tokens::{tokens_page, TokensPage};

const PATH: &str = "/account/tokens";

#[derive(Default)]
struct Shown<'a> {
    new_token: Option<&'a str>,
    notice: Option<&'a str>,
    name: &'a str,
    errors: &'a [FieldError],
}

async fn render(
    state: &AppState,
    signed_in: &SignedIn,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<HttpResponse, AppError> {
    let SignedIn { viewer, user } = signed_in;
    let user_id = user.id;
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

pub(super) async fn show(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let notice =
        query.revoked.is_some().then_some("The token has been revoked: programs using it can no longer use the API.");
    render(&state, &signed_in, StatusCode::OK, Shown { notice, ..Shown::default() }).await
}

/// Makes a token and shows it on this response only (never in a URL or a redirect).
pub(super) async fn create(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let typed = post.typed().get("token_name").to_owned();
    if let Err(r) = post.checked() {
        let errors = [r.error("token_name")];
        return render(&state, &signed_in, r.status(), Shown { name: &typed, errors: &errors, ..Shown::default() })
            .await;
    }
    let name = match api_tokens::parse_name(&typed) {
        Ok(name) => name,
        Err(error) => {
            let errors = [error];
            let shown = Shown { name: &typed, errors: &errors, ..Shown::default() };
            return render(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
        }
    };
    let user_id = signed_in.user.id;
    let token = state.query(move |conn| api_tokens::create(conn, user_id, &name)).await?;
    tracing::info!(user_id, token_id = token.id, "API token created");
    let shown = Shown { new_token: Some(&token.secret), notice: None, ..Shown::default() };
    render(&state, &signed_in, StatusCode::OK, shown).await
}

pub(super) async fn revoke(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    if let Err(r) = post.checked() {
        let errors = [r.error("token_name")];
        return render(&state, &signed_in, r.status(), Shown { errors: &errors, ..Shown::default() }).await;
    }
    let id = id.into_inner();
    let user_id = signed_in.user.id;
    if !state.query(move |conn| api_tokens::revoke(conn, user_id, id)).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(user_id, token_id = id, "API token revoked");
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("{PATH}?revoked=1"))).finish())
}
