//! Users: search, and change a role. An admin cannot take away their own admin
//! role, so the site is never left without one by a slip.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::see_other;
use crate::db;
use crate::domain::account::Role;
use crate::domain::{paging, FieldError};
use crate::error::AppError;
use crate::services::accounts;
use crate::views::admin::users::{self as pages, RefusedChange, UserRow, UsersPage};
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::{html, AppState};

const PER_PAGE: usize = 25;

#[derive(Deserialize)]
pub struct UsersQuery {
    q: Option<String>,
    page: Option<u32>,
    done: Option<String>,
}

/// One page of accounts matching `query`, and whether there are more.
async fn search(state: &AppState, query: String, page: usize) -> Result<(Vec<UserRow>, bool), AppError> {
    state
        .query(move |conn| {
            let offset = i64::try_from((page - 1) * PER_PAGE).unwrap_or(i64::MAX);
            let mut users = db::users::search(conn, &query, PER_PAGE as i64 + 1, offset)?;
            let has_more = users.len() > PER_PAGE;
            users.truncate(PER_PAGE);
            let grants = db::officials::all_listings(conn)?;
            let rows = users
                .into_iter()
                .map(|user| UserRow {
                    official_roles: grants
                        .iter()
                        .filter(|g| g.user_id == user.id && g.revoked_at.is_none())
                        .map(|g| format!("{}, {}", g.title, g.department_name))
                        .collect(),
                    user,
                })
                .collect();
            Ok((rows, has_more))
        })
        .await
}

struct Shown<'a> {
    query: &'a str,
    page: usize,
    errors: &'a [FieldError],
    refused: Option<RefusedChange<'a>>,
    notice: Option<&'a str>,
}

async fn render(
    state: &AppState,
    admin: &Admin,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<HttpResponse, AppError> {
    let (rows, has_more) = search(state, shown.query.to_owned(), shown.page).await?;
    let view = UsersPage {
        query: shown.query,
        page: shown.page,
        has_more,
        rows: &rows,
        errors: shown.errors,
        refused: shown.refused,
        notice: shown.notice,
        csrf_token: admin.viewer.csrf.value(),
        me: admin.user.id,
    };
    Ok(html(status, pages::index(&view, &admin.viewer.chrome())))
}

pub async fn index(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<UsersQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.q.as_deref().unwrap_or("").trim();
    let shown = Shown {
        query: q,
        page: paging::page_number(query.page),
        errors: &[],
        refused: None,
        notice: pages::notice(query.done.as_deref()),
    };
    render(&state, &admin, StatusCode::OK, shown).await
}

pub async fn set_role(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let user_id = id.into_inner();
    let form = post.checked()?;
    let query = form.get("q").trim();
    let page = paging::page_number(form.get("page").parse().ok());
    let chosen = form.get("role");
    let role = match Role::parse(chosen) {
        None => Err("Choose a role: Reader, Moderator or Admin"),
        Some(role) if user_id == admin.user.id && role != Role::Admin => Err(
            "You cannot remove your own admin role. Ask another admin to do it, so the site is never left without one.",
        ),
        Some(role) => Ok(role),
    };
    let role = match role {
        Ok(role) => role,
        Err(message) => {
            let errors = [FieldError::new("role", message)];
            let refused = Some(RefusedChange { user_id, role: chosen });
            let shown = Shown { query, page, errors: &errors, refused, notice: None };
            return render(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
        }
    };
    let actor = admin.user.id;
    if !state.query(move |conn| accounts::set_role(conn, Some(actor), user_id, role)).await? {
        return Err(AppError::NotFound);
    }
    let back = pages::href(query, page);
    let separator = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!("{back}{separator}done=role")))
}

/// Marks an account trusted (its comments skip pre-moderation) or not.
pub async fn set_trusted(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let user_id = id.into_inner();
    let form = post.checked()?;
    let query = form.get("q").trim();
    let page = paging::page_number(form.get("page").parse().ok());
    let trusted = form.get("trusted") == "yes";
    let actor = admin.user.id;
    if !state.query(move |conn| accounts::set_trusted(conn, Some(actor), user_id, trusted)).await? {
        return Err(AppError::NotFound);
    }
    let back = pages::href(query, page);
    let separator = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!("{back}{separator}done=trusted")))
}
