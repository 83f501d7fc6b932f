//! Reading: posts, comments with their response states, departments' figures.

use actix_web::{web, HttpResponse};

use super::error::{ApiError, ErrorBody};
use super::types::{cursor, CommentJson, CommentList, PageParams, PostJson, PostList};
use crate::domain::time;
use crate::read::figures::{AllDepartments, DepartmentFigures};
use crate::services::api::{self, CommentsPage};
use crate::web::AppState;

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

/// The position and size a page was asked for.
fn paging(params: &PageParams) -> Result<(Option<i64>, i64), ApiError> {
    let after = match params.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => Some(cursor::decode(raw).ok_or_else(|| {
            ApiError::unprocessable("invalid_cursor", "The cursor is not one this API gave out; start again without it")
        })?),
    };
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::unprocessable("validation_failed", format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    Ok((after, limit))
}

pub fn comment_list(page: CommentsPage, base_url: &str) -> Vec<CommentJson> {
    let slug = page.post.slug.clone();
    page.comments
        .into_iter()
        .map(|(c, answers)| CommentJson::new(c, &slug, &page.departments, answers, base_url))
        .collect()
}

/// Published posts, newest first.
#[utoipa::path(get, path = "/api/v1/posts", tag = "posts", params(PageParams),
    responses((status = 200, body = PostList), (status = 422, body = ErrorBody)))]
pub async fn list_posts(state: web::Data<AppState>, params: web::Query<PageParams>) -> Result<HttpResponse, ApiError> {
    let (before, limit) = paging(&params)?;
    let page = state.query(move |conn| api::posts(conn, before, limit)).await?;
    let next_cursor = page.more.then(|| page.posts.last().map(|(p, _)| cursor::encode(p.id))).flatten();
    let base = &state.settings.base_url;
    let posts = page.posts.into_iter().map(|(p, n)| PostJson::new(p, n, base)).collect();
    Ok(HttpResponse::Ok().json(PostList { posts, next_cursor }))
}

/// One published post.
#[utoipa::path(get, path = "/api/v1/posts/{slug}", tag = "posts",
    params(("slug" = String, Path, description = "The post's slug")),
    responses((status = 200, body = PostJson), (status = 404, body = ErrorBody)))]
pub async fn get_post(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let (post, n) =
        state.query(move |conn| api::post(conn, &slug)).await?.ok_or_else(|| ApiError::not_found("post"))?;
    Ok(HttpResponse::Ok().json(PostJson::new(post, n, &state.settings.base_url)))
}

/// A post's published comments, oldest first, with response states, answer links and badges.
#[utoipa::path(get, path = "/api/v1/posts/{slug}/comments", tag = "comments",
    params(("slug" = String, Path, description = "The post's slug"), PageParams),
    responses((status = 200, body = CommentList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_comments(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (after, limit) = paging(&params)?;
    let slug = slug.into_inner();
    let page = state
        .query(move |conn| api::comments(conn, &slug, after, limit))
        .await?
        .ok_or_else(|| ApiError::not_found("post"))?;
    let next_cursor = page.more.then(|| page.comments.last().map(|(c, _)| cursor::encode(c.id))).flatten();
    let comments = comment_list(page, &state.settings.base_url);
    Ok(HttpResponse::Ok().json(CommentList { comments, next_cursor }))
}

/// Loads one comment as JSON.
pub async fn load_comment(state: &AppState, id: i64) -> Result<CommentJson, ApiError> {
    let page = state.query(move |conn| api::comment(conn, id)).await?.ok_or_else(|| ApiError::not_found("comment"))?;
    comment_list(page, &state.settings.base_url).pop().ok_or_else(|| ApiError::not_found("comment"))
}

/// One published comment.
#[utoipa::path(get, path = "/api/v1/comments/{id}", tag = "comments",
    params(("id" = i64, Path, description = "The comment's id")),
    responses((status = 200, body = CommentJson), (status = 404, body = ErrorBody)))]
pub async fn get_comment(state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load_comment(&state, id.into_inner()).await?))
}

/// Every department with its headline figures (the same as `/departments.json`).
#[utoipa::path(get, path = "/api/v1/departments", tag = "departments",
    responses((status = 200, body = AllDepartments)))]
pub async fn list_departments(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let all = crate::web::departments::all_departments(&state, time::now()).await?;
    Ok(HttpResponse::Ok().json(all))
}

/// One department's figures: states, response times, oldest awaiting, weekly trend.
#[utoipa::path(get, path = "/api/v1/departments/{acronym}", tag = "departments",
    params(("acronym" = String, Path, description = "The department's acronym, e.g. DWP")),
    responses((status = 200, body = DepartmentFigures), (status = 404, body = ErrorBody)))]
pub async fn get_department(state: web::Data<AppState>, acronym: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let figures = crate::web::departments::department_figures(&state, acronym.into_inner(), time::now())
        .await
        .map_err(|e| match e {
            crate::error::AppError::NotFound => ApiError::not_found("department"),
            other => other.into(),
        })?;
    Ok(HttpResponse::Ok().json(figures))
}
