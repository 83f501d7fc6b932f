//! Atom feeds: all posts, a post's comments, one conversation, official responses
//! (all, or one department's).

use actix_web::{web, HttpResponse};
use diesel::QueryResult;

use super::AppState;
use crate::db::AnyConnection;
use crate::error::AppError;
use crate::read::feeds::{self, Feed};
use crate::views::feeds::{atom, CONTENT_TYPE};

async fn respond<F>(state: &AppState, load: F) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut AnyConnection) -> QueryResult<Option<Feed>> + Send + 'static,
{
    let feed = state.query(load).await?.ok_or(AppError::NotFound)?;
    let body = atom(&feed, &state.settings.base_url);
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).insert_header(("Cache-Control", "public, max-age=60")).body(body))
}

pub(super) async fn posts(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    respond(&state, |conn| feeds::posts(conn).map(Some)).await
}

pub(super) async fn official(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    respond(&state, |conn| feeds::official_responses(conn).map(Some)).await
}

pub(super) async fn post_comments(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    respond(&state, move |conn| feeds::post_comments(conn, &slug)).await
}

pub(super) async fn thread(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, thread_id) = path.into_inner();
    respond(&state, move |conn| feeds::thread(conn, &slug, thread_id)).await
}

pub async fn department(state: web::Data<AppState>, acronym: web::Path<String>) -> Result<HttpResponse, AppError> {
    let acronym = acronym.into_inner();
    respond(&state, move |conn| feeds::department_responses(conn, &acronym)).await
}
