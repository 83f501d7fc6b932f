//! Reading pages: the list of posts, a post with its comments, one long conversation.

use actix_web::web;
use maud::Markup;
use serde::Deserialize;

use std::sync::Arc;

use super::page_cache::SectionKey;
use super::session::Viewer;
use super::AppState;
use crate::db;
use crate::domain::response::ResponseState;
use crate::domain::{paging, time};
use crate::error::AppError;
use crate::read::comment_responses::answerable_comments;
use crate::read::reading;
use crate::views;
use crate::views::comment_form::FormAuthor;
use crate::views::post::PostView;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
    show: Option<String>,
}

pub async fn home(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
    viewer: Viewer,
) -> Result<Markup, AppError> {
    let page = paging::page_number(query.page);
    let per_page = state.settings.display.posts_per_page;
    let home = state.query(move |conn| reading::home_page(conn, page, per_page)).await?.ok_or(AppError::NotFound)?;
    Ok(views::home::home(&home, &viewer.chrome(), time::now()))
}

pub async fn post(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
    viewer: Viewer,
) -> Result<Markup, AppError> {
    let slug = slug.into_inner();
    let page = paging::page_number(query.page);
    let chrome = viewer.chrome().with_feed("Comments on this post (Atom feed)", format!("/posts/{slug}/feed.atom"));
    match query.show.as_deref() {
        Some("official") => {
            let replies =
                state.query(move |conn| reading::official_replies(conn, &slug)).await?.ok_or(AppError::NotFound)?;
            return Ok(views::post::official_replies_page(&replies, &chrome, time::now()));
        }
        Some(show @ ("awaiting" | "answered")) => {
            let wanted = ResponseState::parse(show).unwrap_or(ResponseState::Awaiting);
            let list = state
                .query(move |conn| reading::comments_in_state(conn, &slug, wanted, page))
                .await?
                .ok_or(AppError::NotFound)?;
            return Ok(views::post::state_list_page(&list, &chrome));
        }
        _ => {}
    }
    let official = viewer.user.as_ref().is_some_and(|u| !u.official_roles.is_empty());
    let mine = super::held::ids(&req, &state);
    let (post, answerable, categories, held, freeze) = state
        .query(move |conn| {
            let post = db::posts::find_published_by_slug(conn, &slug)?;
            let answerable = match (&post, official) {
                (Some(post), true) => answerable_comments(conn, post.id)?,
                _ => Vec::new(),
            };
            let (categories, held, freeze) = match &post {
                Some(post) => (
                    db::imports::categories(conn, post.id)?,
                    reading::held_comments(conn, post.id, &mine)?,
                    crate::services::freezes::notice_for(conn, post.id)?,
                ),
                None => (Vec::new(), Vec::new(), None),
            };
            Ok((post, answerable, categories, held, freeze))
        })
        .await?;
    let mut post = post.ok_or(AppError::NotFound)?;
    // A freeze closes the post to comments while it lasts: no form, no reply links.
    if freeze.is_some() {
        post.comments_open = false;
    }
    let now = time::now();
    let key = SectionKey {
        post_id: post.id,
        page,
        comments_version: post.comments_version,
        comments_open: post.comments_open,
    };
    let section = match state.sections.get(&key) {
        Some(section) => section,
        None => {
            let display = state.settings.display;
            let for_query = post.clone();
            let comments = state
                .query(move |conn| reading::comments_page(conn, &for_query, page, &display))
                .await?
                .ok_or(AppError::NotFound)?;
            let section: Arc<str> = views::post::comments_section(&post, &comments).into_string().into();
            state.sections.put(key, section.clone());
            section
        }
    };
    let author = match &viewer.user {
        Some(user) => {
            FormAuthor::Member { name: &user.name, official_roles: &user.official_roles, answerable: &answerable }
        }
        None => FormAuthor::Guest,
    };
    let member_email = viewer.user.as_ref().map(|u| u.email.as_str());
    let stamp = super::spam::stamp(&state.cookie_key, now);
    let view = PostView {
        chrome: &chrome,
        author,
        csrf_token: viewer.csrf.value(),
        stamp: &stamp,
        closed_notice: freeze.as_deref(),
        held: &held,
        member_email,
        now,
        categories: &categories,
    };
    Ok(views::post::post_page(&post, page, &section, view))
}

pub async fn thread(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    query: web::Query<PageQuery>,
    viewer: Viewer,
) -> Result<Markup, AppError> {
    let (slug, thread_id) = path.into_inner();
    let page = paging::page_number(query.page);
    let chrome = viewer
        .chrome()
        .with_feed("This conversation (Atom feed)", format!("/posts/{slug}/threads/{thread_id}/feed.atom"));
    let display = state.settings.display;
    let thread = state
        .query(move |conn| reading::thread_page(conn, &slug, thread_id, page, &display))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(views::post::thread_page(&thread, &chrome))
}
