//! `/search?q=...`: full-text search over posts and published comments.

use actix_web::{web, HttpRequest};
use maud::Markup;

use super::form::FormData;
use super::session::Viewer;
use super::AppState;
use crate::domain::time;
use crate::error::AppError;
use crate::read::search::{search_page, SearchRequest};
use crate::views;

/// The query string is read like a form, leniently: bytes that are not UTF-8 and
/// values that are not numbers are no reason to refuse a search.
pub async fn search(state: web::Data<AppState>, req: HttpRequest, viewer: Viewer) -> Result<Markup, AppError> {
    let params = FormData::parse(req.query_string().as_bytes());
    let request = SearchRequest {
        q: params.get("q").to_owned(),
        post: params.get("post").to_owned(),
        department: params.get("department").to_owned(),
        state: params.get("state").to_owned(),
        official_only: !params.get("official").is_empty(),
        page: params.get("page").trim().parse().ok().filter(|&p| p >= 1).unwrap_or(1),
    };
    let page = state.query(move |conn| search_page(conn, request)).await?;
    Ok(views::search::search_page(&page, &viewer.chrome(), time::now()))
}
