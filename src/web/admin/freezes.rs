//! `/admin/freezes`: list, create and lift comment freezes (each audited).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;

use super::{see_other, Done};
use crate::db;
use crate::domain::{time, FieldError};
use crate::error::AppError;
use crate::services::freezes::{self, NewFreeze};
use crate::views::admin::freezes::{self as pages, FreezeForm, FreezesPage};
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::{html, AppState};

async fn show(
    state: &AppState,
    admin: &Admin,
    status: StatusCode,
    form: &FreezeForm,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let (list, posts) = state
        .query(|conn| {
            let posts = db::posts::list_all(conn)?.into_iter().map(|p| (p.id, p.title)).collect::<Vec<_>>();
            Ok((freezes::listing(conn)?, posts))
        })
        .await?;
    let view =
        FreezesPage { freezes: &list, posts: &posts, form, errors, notice, csrf_token: admin.viewer.csrf.value() };
    Ok(html(status, pages::index(&view, &admin.viewer.chrome())))
}

pub async fn index(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.done.as_deref() {
        Some("created") => Some("Comments are frozen as you asked."),
        Some("lifted") => Some("The freeze was lifted."),
        _ => None,
    };
    let form = FreezeForm { scope: "all".into(), ..FreezeForm::default() };
    show(&state, &admin, StatusCode::OK, &form, &[], notice).await
}

fn moment(raw: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw.trim(), f).ok())
}

fn parse(form: &FreezeForm) -> Result<NewFreeze, Vec<FieldError>> {
    let mut errors = Vec::new();
    let post_id = match form.scope.as_str() {
        "all" => Ok(None),
        id => id.parse::<i64>().map(Some).map_err(|_| FieldError::new("scope", "Choose which posts to freeze")),
    };
    let optional = |raw: &str, field: &'static str| match raw.trim() {
        "" => Ok(None),
        raw => {
            moment(raw).map(Some).ok_or_else(|| FieldError::new(field, "Enter a date and time like 2027-04-01T09:00"))
        }
    };
    let starts_at = optional(&form.starts, "starts");
    let ends_at = optional(&form.ends, "ends");
    let notice = form.notice.trim();
    if notice.is_empty() {
        errors.push(FieldError::new("notice", "Enter the notice readers will see"));
    } else if notice.chars().count() > 500 {
        errors.push(FieldError::new("notice", "Keep the notice to 500 characters or fewer"));
    }
    let (post_id, starts_at, ends_at) = match (post_id, starts_at, ends_at) {
        (Ok(p), Ok(s), Ok(e)) => (p, s, e),
        (p, s, e) => {
            errors.extend([p.err(), s.err(), e.err()].into_iter().flatten());
            return Err(errors);
        }
    };
    if let Some(ends) = ends_at {
        if ends <= starts_at.unwrap_or_else(time::now) {
            errors.push(FieldError::new("ends", "The end must be after the start (and in the future)"));
        }
    }
    if errors.is_empty() {
        Ok(NewFreeze { post_id, starts_at, ends_at, notice: notice.to_owned() })
    } else {
        Err(errors)
    }
}

pub async fn create(state: web::Data<AppState>, admin: Admin, post: FormPost) -> Result<HttpResponse, AppError> {
    let form = post.typed();
    let typed = FreezeForm {
        scope: form.get("scope").to_owned(),
        starts: form.get("starts").to_owned(),
        ends: form.get("ends").to_owned(),
        notice: form.get("notice").to_owned(),
    };
    if let Err(r) = post.checked() {
        let (status, error) = (r.status(), r.error("notice"));
        return show(&state, &admin, status, &typed, &[error], None).await;
    }
    let freeze = match parse(&typed) {
        Ok(freeze) => freeze,
        Err(errors) => return show(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, &typed, &errors, None).await,
    };
    let actor = Some(admin.user.id);
    state.query(move |conn| freezes::create(conn, actor, &freeze)).await?;
    Ok(see_other("/admin/freezes?done=created"))
}

pub async fn end(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    post.checked()?;
    let actor = Some(admin.user.id);
    if !state.query(move |conn| freezes::end(conn, actor, id)).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/admin/freezes?done=lifted"))
}
