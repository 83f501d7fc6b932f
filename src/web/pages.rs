//! Reading pages: the list of posts, a post with its comments, one long conversation.

use actix_web::web;
use maud::Markup;
use serde::Deserialize;

use super::page_cache::SectionKey;
use super::session::Viewer;
use super::AppState;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};
use crate::domain::answering::Context;
use crate::domain::response::ResponseState;
use crate::domain::{paging, time};
use crate::error::AppError;
use crate::read::comment_responses::{choices_for_official, AnswerChoices};
use crate::read::reading;
use crate::views;
use crate::views::comment_form::FormAuthor;
use crate::views::components::RenderedHtml;
use crate::views::layout::Chrome;
use crate::views::post::PostView;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
    show: Option<String>,
    /// The comment this reader has just posted (after the redirect): confirmed at it.
    posted: Option<i64>,
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

/// What each response state means (every state tag links here).
pub async fn response_states(viewer: Viewer) -> Markup {
    views::states::response_states(&viewer.chrome())
}

/// `?show=official|awaiting|answered`: the post's comments listed by kind instead of
/// threaded; `None` for the threaded page.
async fn listed(
    state: &AppState,
    slug: &str,
    show: Option<&str>,
    page: usize,
    chrome: &Chrome,
) -> Result<Option<Markup>, AppError> {
    let slug = slug.to_owned();
    Ok(Some(match show {
        Some("official") => {
            let replies =
                state.query(move |conn| reading::official_replies(conn, &slug)).await?.ok_or(AppError::NotFound)?;
            views::post::official_replies_page(&replies, chrome, time::now())
        }
        Some(show @ ("awaiting" | "answered")) => {
            let wanted = ResponseState::parse(show).unwrap_or(ResponseState::Awaiting);
            let list = state
                .query(move |conn| reading::comments_in_state(conn, &slug, wanted, page))
                .await?
                .ok_or(AppError::NotFound)?;
            views::post::state_list_page(&list, chrome)
        }
        _ => return Ok(None),
    }))
}

/// The comments section, from the section cache when it holds this version. Just
/// after posting (`posted`) it is drawn afresh with the confirmation at the comment.
async fn comments_section(
    state: &AppState,
    post: &Post,
    page: usize,
    posted: Option<i64>,
) -> Result<RenderedHtml, AppError> {
    let key = SectionKey {
        post_id: post.id,
        page,
        comments_version: post.comments_version,
        comments_open: post.comments_open,
    };
    if posted.is_none() {
        if let Some(section) = state.sections.get(&key) {
            return Ok(section);
        }
    }
    let (display, for_query, kept) = (state.settings.display, post.clone(), state.kept.clone());
    let mut comments = state
        .query(move |conn| reading::comments_page(conn, &for_query, page, &display, &kept))
        .await?
        .ok_or(AppError::NotFound)?;
    comments.standing.just_posted = posted;
    let section = RenderedHtml::from(views::post::comments_section(post, &comments, Some(&state.fragments)));
    if posted.is_none() {
        state.sections.put(key, section.clone());
    }
    Ok(section)
}

/// What a post page shows around its comments: the post (closed while a freeze is in
/// force), the comments an official may also answer, its categories, this browser's
/// held comments and the freeze's notice.
struct Surroundings {
    post: Post,
    answerable: AnswerChoices,
    categories: Vec<String>,
    held: Vec<reading::HeldComment>,
    freeze: Option<String>,
}

fn surroundings(
    conn: &mut AnyConnection,
    slug: &str,
    official: Option<i64>,
    mine: &[i64],
) -> diesel::QueryResult<Option<Surroundings>> {
    let Some((post, freeze)) = crate::services::freezes::published_post(conn, slug)? else { return Ok(None) };
    // A new comment is in no conversation yet: offer those routed to the official.
    let answerable = choices_for_official(conn, official, post.id, Context::default())?;
    Ok(Some(Surroundings {
        answerable,
        categories: db::imports::categories(conn, post.id)?,
        held: reading::held_comments(conn, post.id, mine)?,
        freeze,
        post,
    }))
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
    if let Some(listed) = listed(&state, &slug, query.show.as_deref(), page, &chrome).await? {
        return Ok(listed);
    }
    let official = viewer.user.as_ref().filter(|u| !u.official_roles.is_empty()).map(|u| u.id);
    let mine = super::held::ids(&req, &state);
    let around =
        state.query(move |conn| surroundings(conn, &slug, official, &mine)).await?.ok_or(AppError::NotFound)?;
    let section = comments_section(&state, &around.post, page, query.posted).await?;
    let author = match &viewer.user {
        Some(user) => FormAuthor::Member {
            name: &user.name,
            official_roles: &user.official_roles,
            answerable: &around.answerable,
        },
        None => FormAuthor::Guest,
    };
    let now = time::now();
    // A public page is the same for every anonymous reader while a cache keeps it, so
    // its form's stamp names the minute it was drawn in, not the second (the page's
    // "5 minutes ago" times change by the minute anyway).
    let drawn = if viewer.csrf.is_public() { time::start_of_minute(now) } else { now };
    let stamp = super::spam::stamp(&state.cookie_key, drawn);
    let chrome =
        chrome.with_skip_link("Skip to the comment form", views::post::comment_form_href(&around.post, &author));
    let view = PostView {
        chrome: &chrome,
        author,
        csrf_token: viewer.csrf.value(),
        stamp: &stamp,
        closed_notice: around.freeze.as_deref(),
        held: &around.held,
        just_posted: query.posted,
        member_email: viewer.user.as_ref().map(|u| u.email.as_str()),
        now,
        categories: &around.categories,
    };
    Ok(views::post::post_page(&around.post, page, &section, view))
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
    let mut thread = state
        .query(move |conn| reading::thread_page(conn, &slug, thread_id, page, &display))
        .await?
        .ok_or(AppError::NotFound)?;
    thread.standing.just_posted = query.posted;
    Ok(views::post::thread_page(&thread, &chrome, Some(&state.fragments)))
}
