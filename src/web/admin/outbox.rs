//! The outbox: what is owed, what was given up on, and retrying it.

use actix_web::{web, HttpResponse};
use maud::Markup;

use super::{see_other, Done};
use crate::error::AppError;
use crate::services::outbox;
use crate::views::admin::outbox as pages;
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::AppState;

pub async fn index(state: web::Data<AppState>, admin: Admin, done: web::Query<Done>) -> Result<Markup, AppError> {
    let overview = state.query(outbox::overview).await?;
    let notice = match done.done.as_deref() {
        Some("retried") => Some("The messages are back in the queue and will be sent shortly."),
        _ => None,
    };
    Ok(pages::index(&overview, notice, admin.viewer.csrf.value(), &admin.viewer.chrome()))
}

/// Retries one dead message (`id`), or every dead message when none is given.
pub async fn retry(state: web::Data<AppState>, admin: Admin, post: FormPost) -> Result<HttpResponse, AppError> {
    let form = post.checked()?;
    let ids = form.ids("id");
    let retried = state.query(move |conn| outbox::retry(conn, &ids)).await?;
    state.mailer.wake();
    tracing::info!(retried, admin = admin.user.id, "dead emails put back in the queue");
    Ok(see_other("/admin/outbox?done=retried"))
}
