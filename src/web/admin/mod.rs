//! The admin area: users, departments, officials and posts. Every handler takes the
//! `Admin` extractor, so the role is checked on the server for each request.

pub(super) mod audit;
pub(super) mod departments;
pub(super) mod freezes;
pub(super) mod imports;
pub(super) mod moderation;
pub(super) mod officials;
pub(super) mod outbox;
pub(super) mod posts;
pub(super) mod users;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use super::session::Admin;
use super::AppState;
use crate::db;
use crate::error::AppError;
use crate::views::admin::{self as pages, Dashboard};

/// `?done=...`: which change just worked, named by a fixed key (never text to show).
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub(super) async fn dashboard(state: web::Data<AppState>, admin: Admin) -> Result<Markup, AppError> {
    let counts = state
        .query(|conn| {
            Ok(Dashboard {
                users: db::users::count(conn)?,
                departments: db::departments::list(conn)?.len() as i64,
                officials: db::officials::all_listings(conn)?.iter().filter(|l| l.revoked_at.is_none()).count() as i64,
                posts: db::posts::count_all(conn)?,
                published: db::posts::count_published(conn)?,
                reviews: db::import_reviews::count_open(conn)?,
            })
        })
        .await?;
    Ok(pages::dashboard(&counts, &admin.viewer.chrome()))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}
