//! Officials: verify someone for a department (warned first when their account's
//! email address is not confirmed), and revoke, after a confirmation page that asks
//! why. Every grant and revocation is kept with who made it, when and why.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{see_other, Done};
use crate::db;
use crate::domain::department::{parse_title, RevokeReason};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::officials::{self, GrantTarget, OfficialError, Unconfirmed};
use crate::views::admin::officials::{self as pages, GrantForm, OfficialsPage, RevokePage};
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
    let blank = GrantForm { email: "", department: "", title: "", unconfirmed: None, confirmed: false };
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
        OfficialError::EmailNotConfirmed { name, email } => FieldError::new(
            "email",
            format!(
                "{name}'s email address {email} is not confirmed, so nothing shows that the account is theirs. \
                 Check with them, then tick “Verify them although the address is not confirmed” and verify again."
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
    // The box confirms one address: changing the address asks again.
    let confirm = form.get("confirm_email").trim().to_owned();
    let confirmed = !confirm.is_empty() && confirm.eq_ignore_ascii_case(&email);
    let shown = (!confirm.is_empty()).then_some(confirm.as_str());
    let typed = GrantForm { email: &email, department: &department, title: &title, unconfirmed: shown, confirmed };
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
    let unconfirmed = if confirmed { Unconfirmed::Allowed } else { Unconfirmed::Refused };
    let outcome = state
        .run(move |conn| {
            let target = GrantTarget { email: &e, department_acronym: &d };
            officials::grant_checked(conn, &target, &t, granted_by, unconfirmed)
        })
        .await?;
    match outcome {
        Ok(_) => Ok(see_other("/admin/officials?done=granted")),
        Err(OfficialError::EmailNotConfirmed { name, email: address }) => {
            let typed = GrantForm { unconfirmed: Some(&address), confirmed: false, ..typed };
            let errors = [field_error(OfficialError::EmailNotConfirmed { name, email: address.clone() })?];
            render(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, typed, &errors, None).await
        }
        Err(error) => {
            let errors = [field_error(error)?];
            render(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, typed, &errors, None).await
        }
    }
}

async fn render_revoke(
    state: &AppState,
    admin: &Admin,
    role_id: i64,
    status: StatusCode,
    reason: &str,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let listing = state.query(move |conn| db::officials::listing(conn, role_id)).await?.ok_or(AppError::NotFound)?;
    let view = RevokePage { listing: &listing, reason, errors, csrf_token: admin.viewer.csrf.value() };
    Ok(html(status, pages::revoke(&view, &admin.viewer.chrome())))
}

/// The confirmation page: who loses what, and the reason to give.
pub async fn revoke_form(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render_revoke(&state, &admin, id.into_inner(), StatusCode::OK, "", &[]).await
}

pub async fn revoke(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    post: FormPost,
) -> Result<HttpResponse, AppError> {
    let role_id = id.into_inner();
    let typed = post.typed().get("reason").to_owned();
    if let Err(r) = post.checked() {
        let (status, error) = (r.status(), r.error("reason"));
        return render_revoke(&state, &admin, role_id, status, &typed, &[error]).await;
    }
    let reason = match RevokeReason::parse(&typed) {
        Ok(reason) => reason,
        Err(error) => {
            return render_revoke(&state, &admin, role_id, StatusCode::UNPROCESSABLE_ENTITY, &typed, &[error]).await
        }
    };
    let revoked_by = Some(admin.user.id);
    let found = state
        .run(move |conn| {
            if db::officials::find(conn, role_id)?.is_none() {
                return Ok(false);
            }
            // Revoking twice (a double click) changes nothing the second time.
            officials::revoke_by_id(conn, role_id, revoked_by, &reason)?;
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
