//! Departments: list, add, change.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::{see_other, Done};
use crate::db;
use crate::db::departments::DepartmentDetail;
use crate::domain::department::DepartmentInput;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::departments::{self, DepartmentError};
use crate::views::admin::departments::{self as pages, DepartmentForm};
use crate::web::form::FormData;
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::{html, AppState};

/// The form's fields as typed, or as stored when a change starts.
struct Typed {
    name: String,
    acronym: String,
    description: String,
    aliases: String,
    email_domains: String,
    target_days: String,
}

impl Typed {
    fn from_form(form: &FormData) -> Self {
        Self {
            name: form.get("name").to_owned(),
            acronym: form.get("acronym").to_owned(),
            description: form.get("description").to_owned(),
            aliases: form.get("aliases").to_owned(),
            email_domains: form.get("email_domains").to_owned(),
            target_days: form.get("target_days").to_owned(),
        }
    }

    fn from_stored(d: &DepartmentDetail) -> Self {
        Self {
            name: d.department.name.clone(),
            acronym: d.department.acronym.clone(),
            description: d.department.description.clone(),
            aliases: d.aliases.join("\n"),
            email_domains: d.email_domains.join("\n"),
            target_days: d.department.target_days.to_string(),
        }
    }

    fn blank() -> Self {
        Self {
            name: String::new(),
            acronym: String::new(),
            description: String::new(),
            aliases: String::new(),
            email_domains: String::new(),
            target_days: crate::domain::department::TARGET_DAYS_DEFAULT.to_string(),
        }
    }

    fn show(&self, admin: &Admin, id: Option<i64>, status: StatusCode, errors: &[FieldError]) -> HttpResponse {
        let view = DepartmentForm {
            id,
            name: &self.name,
            acronym: &self.acronym,
            description: &self.description,
            aliases: &self.aliases,
            email_domains: &self.email_domains,
            target_days: &self.target_days,
            errors,
            csrf_token: admin.viewer.csrf.value(),
        };
        html(status, pages::form(&view, &admin.viewer.chrome()))
    }
}

pub async fn index(state: web::Data<AppState>, admin: Admin, query: web::Query<Done>) -> Result<Markup, AppError> {
    let list = state.query(db::departments::list_detailed).await?;
    Ok(pages::index(&list, pages::notice(query.done.as_deref()), &admin.viewer.chrome()))
}

pub async fn new(admin: Admin) -> HttpResponse {
    Typed::blank().show(&admin, None, StatusCode::OK, &[])
}

pub async fn edit(state: web::Data<AppState>, admin: Admin, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let detail = state.query(move |conn| db::departments::detail(conn, id)).await?.ok_or(AppError::NotFound)?;
    Ok(Typed::from_stored(&detail).show(&admin, Some(id), StatusCode::OK, &[]))
}

pub async fn create(state: web::Data<AppState>, admin: Admin, post: FormPost) -> Result<HttpResponse, AppError> {
    save(&state, &admin, None, post).await
}

pub async fn update(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    save(&state, &admin, Some(id.into_inner()), post).await
}

/// Adds a department (`id` is `None`) or changes one; the form comes back with what
/// was typed and every problem when it cannot be saved.
async fn save(state: &AppState, admin: &Admin, id: Option<i64>, post: FormPost) -> Result<HttpResponse, AppError> {
    let form = post.typed();
    let typed = Typed::from_form(form);
    if let Err(r) = post.checked() {
        let (status, error) = (r.status(), r.error("name"));
        return Ok(typed.show(admin, id, status, &[error]));
    }
    let parsed = DepartmentInput::parse(
        &typed.name,
        &typed.acronym,
        &typed.description,
        &typed.aliases,
        &typed.email_domains,
        &typed.target_days,
    );
    let input = match parsed {
        Ok(input) => input,
        Err(errors) => return Ok(typed.show(admin, id, StatusCode::UNPROCESSABLE_ENTITY, &errors)),
    };
    let actor = Some(admin.user.id);
    let outcome = state
        .run(move |conn| match id {
            Some(id) => departments::update(conn, id, &input, actor),
            None => departments::create(conn, &input, actor).map(|_| ()),
        })
        .await?;
    match outcome {
        Ok(()) => Ok(see_other(if id.is_some() {
            "/admin/departments?done=saved"
        } else {
            "/admin/departments?done=created"
        })),
        Err(DepartmentError::Clash(error)) => Ok(typed.show(admin, id, StatusCode::UNPROCESSABLE_ENTITY, &[error])),
        Err(DepartmentError::NotFound) => Err(AppError::NotFound),
        Err(DepartmentError::Database(e)) => Err(e.into()),
    }
}
