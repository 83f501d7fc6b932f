//! Officials: verify someone for a department, and revoke. Every grant and
//! revocation is kept with who made it and when.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{see_other, Done};
use crate::db;
use crate::domain::department::parse_title;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::officials::{self, GrantTarget, OfficialError};
use crate::views::admin::officials::{self as pages, GrantForm, OfficialsPage};
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::{html, AppState};

async fn render(
    state: &AppState,
    admin: &Admin,
    status: StatusCode,
    form: GrantForm<'_>,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let (listings, departments) =
        state.query(|conn| Ok((db::officials::all_listings(conn)?, db::departments::list(conn)?))).await?;
    let view = OfficialsPage {
        listings: &listings,
        departments: &departments,
        form,
        errors,
        notice,
        csrf_token: admin.viewer.csrf.value(),
    };
    Ok(html(status, pages::index(&view, &admin.viewer.chrome())))
}

pub async fn index(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let blank = GrantForm { email: "", department: "", title: "" };
    render(&state, &admin, StatusCode::OK, blank, &[], pages::notice(query.done.as_deref())).await
}

/// What the service's refusal means for the form, field by field.
fn field_error(error: OfficialError) -> Result<FieldError, AppError> {
    Ok(match error {
        OfficialError::NoSuchUser(email) => FieldError::new(
            "email",
            format!("No account has the email address {email}. Ask them to create an account first."),
        ),
        OfficialError::NoSuchDepartment(acronym) => {
            FieldError::new("department", format!("There is no department with the acronym {acronym}"))
        }
        OfficialError::AlreadyOfficial { name, department, title } => FieldError::new(
            "title",
            format!(
                "{name} is already an official of {department} (as {title}). Revoke that first to change the title."
            ),
        ),
        OfficialError::Title(error) => error,
        OfficialError::NotOfficial { .. } => return Err(AppError::Unexpected(error.to_string())),
        OfficialError::Database(e) => return Err(e.into()),
    })
}

pub async fn grant(state: web::Data<AppState>, admin: Admin, post: FormPost) -> Result<HttpResponse, AppError> {
    let form = post.typed();
    let (email, department, title) =
        (form.get("email").trim().to_owned(), form.get("department").to_owned(), form.get("title").to_owned());
    let typed = GrantForm { email: &email, department: &department, title: &title };
    if let Err(r) = post.checked() {
        let (status, error) = (r.status(), r.error("email"));
        return render(&state, &admin, status, typed, &[error], None).await;
    }
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(FieldError::new("email", "Enter the email address of the person's account"));
    }
    if department.trim().is_empty() {
        errors.push(FieldError::new("department", "Choose the department they answer for"));
    }
    if let Err(error) = parse_title(&title) {
        errors.push(error);
    }
    if !errors.is_empty() {
        return render(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, typed, &errors, None).await;
    }
    let granted_by = Some(admin.user.id);
    let (e, d, t) = (email.clone(), department.clone(), title.clone());
    let outcome = state
        .run(move |conn| officials::grant(conn, &GrantTarget { email: &e, department_acronym: &d }, &t, granted_by))
        .await?;
    match outcome {
        Ok(_) => Ok(see_other("/admin/officials?done=granted")),
        Err(error) => {
            let errors = [field_error(error)?];
            render(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, typed, &errors, None).await
        }
    }
}

pub async fn revoke(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let role_id = id.into_inner();
    post.checked()?;
    let revoked_by = Some(admin.user.id);
    let found = state
        .run(move |conn| {
            if db::officials::find(conn, role_id)?.is_none() {
                return Ok(false);
            }
            // Revoking twice (a double click) changes nothing the second time.
            officials::revoke_by_id(conn, role_id, revoked_by)?;
            Ok::<_, OfficialError>(true)
        })
        .await?
        .map_err(|e| match e {
            OfficialError::Database(e) => AppError::from(e),
            other => AppError::Unexpected(other.to_string()),
        })?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/admin/officials?done=revoked"))
}
