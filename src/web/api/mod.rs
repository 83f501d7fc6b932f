//! The JSON API under `/api/v1`. Every route is listed once, in `api_routes!` below:
//! that list registers the handlers and names them to the OpenAPI document, so the
//! document cannot leave a route out.

mod auth;
mod body;
pub mod error;
mod read;
mod types;
mod write;

use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use error::ApiError;

pub const PREFIX: &str = "/api/v1";

macro_rules! api_routes {
    ($($method:ident $path:literal => $module:ident :: $handler:ident),* $(,)?) => {
        /// (method, full path) of every API route, as registered.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), concat!("/api/v1", $path))),*];

        fn register(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::$method().to($module::$handler));)*
        }

        /// The OpenAPI 3.1 description, built from the handlers' annotations.
        #[derive(OpenApi)]
        #[openapi(
            info(title = "Answerable API", version = "1", description = "Read posts, comments and departments' figures; with a token, comment and work on responses. Errors are `{\"error\": {\"code\", \"message\"}}`. Lists page with an opaque `cursor`."),
            paths($($module::$handler),*),
            modifiers(&BearerToken),
            tags(
                (name = "posts", description = "Published posts"),
                (name = "comments", description = "Published comments, their response states and badges"),
                (name = "departments", description = "Departments' public figures"),
                (name = "responses", description = "Changing where comments stand (moderators and officials)"),
            ),
        )]
        pub struct ApiDoc;
    };
}

api_routes! {
    get "/openapi.json" => self::openapi,
    get "/posts" => read::list_posts,
    get "/posts/{slug}" => read::get_post,
    get "/posts/{slug}/comments" => read::list_comments,
    post "/posts/{slug}/comments" => write::create_comment,
    get "/comments/{id}" => read::get_comment,
    post "/comments/{id}/state" => write::change_state,
    post "/comments/{id}/route" => write::route,
    post "/comments/{id}/assign" => write::assign,
    get "/departments" => read::list_departments,
    get "/departments/{acronym}" => read::get_department,
}

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "posts",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
async fn openapi() -> HttpResponse {
    HttpResponse::Ok().insert_header(("Access-Control-Allow-Origin", "*")).json(ApiDoc::openapi())
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        "not_found",
        "No such API route; see /api/v1/openapi.json",
    ))
}

/// A body that is not the JSON a route expects.
fn bad_json(error: impl std::fmt::Display) -> actix_web::Error {
    ApiError::unprocessable("invalid_json", format!("The request body is not the JSON expected: {error}")).into()
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(PREFIX)
            .app_data(web::JsonConfig::default().limit(256 * 1024).error_handler(|e, _| bad_json(e)))
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found("resource").into()))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                ApiError::unprocessable("validation_failed", format!("The query string is not valid: {e}")).into()
            }))
            .configure(register)
            .default_service(web::to(not_found)),
    );
}
