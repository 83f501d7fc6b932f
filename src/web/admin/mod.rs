//! The admin area: users, departments, officials and posts. Every handler takes the
//! `Admin` extractor, so the role is checked on the server for each request.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
