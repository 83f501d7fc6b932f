//! Who is calling the API: only an `Authorization: Bearer` token names them. The
//! session cookie is never read here, so a page on another site cannot make a
//! signed-in browser write through the API (and the API needs no CSRF token).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};

use super::error::ApiError;
use crate::db::users::User;
use crate::services::api_tokens;
use crate::web::AppState;

/// The user an API token in force belongs to.
pub struct ApiCaller {
    pub user: User,
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("Send an API token in the header `Authorization: Bearer <token>`"))?;
    let value = header.to_str().map_err(|_| ApiError::unauthorized("The Authorization header is not readable"))?;
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthorized("The Authorization header must be `Bearer <token>`"));
    }
    Ok(token.trim().to_owned())
}

impl FromRequest for ApiCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token?;
            let state = state.ok_or_else(|| ApiError::from(crate::error::AppError::Unexpected("no state".into())))?;
            let user = state.query(move |conn| api_tokens::authenticate(conn, &token)).await?;
            let user = user.ok_or_else(|| ApiError::unauthorized("The API token is not valid, or was revoked"))?;
            Ok(ApiCaller { user })
        })
    }
}
