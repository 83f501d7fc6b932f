//! Reading pages: the list of posts, a post with its comments, one long conversation.

use actix_web::web;
use maud::Markup;
use serde::Deserialize;

use super::csrf::CsrfToken;
use super::AppState;
use crate::domain::{paging, time};
use crate::error::AppError;
use crate::services::reading;
use crate::views;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

pub async fn home(state: web::Data<AppState>, query: web::Query<PageQuery>) -> Result<Markup, AppError> {
    let page = paging::page_number(query.page);
    let per_page = state.settings.display.posts_per_page;
    let home = state.query(move |conn| reading::home_page(conn, page, per_page)).await?.ok_or(AppError::NotFound)?;
    Ok(views::home::home(&home, time::now()))
}

pub async fn post(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
    csrf: CsrfToken,
) -> Result<Markup, AppError> {
    let page = paging::page_number(query.page);
    let display = state.settings.display;
    let slug = slug.into_inner();
    let post_page =
        state.query(move |conn| reading::post_page(conn, &slug, page, &display)).await?.ok_or(AppError::NotFound)?;
    Ok(views::post::post_page(&post_page, csrf.value(), time::now()))
}

pub async fn thread(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    query: web::Query<PageQuery>,
) -> Result<Markup, AppError> {
    let (slug, thread_id) = path.into_inner();
    let page = paging::page_number(query.page);
    let display = state.settings.display;
    let thread = state
        .query(move |conn| reading::thread_page(conn, &slug, thread_id, page, &display))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(views::post::thread_page(&thread, time::now()))
}
