use actix_web::http::StatusCode;
use maud::{html, Markup};

use super::layout::{self, Chrome};

/// A plain page for an HTTP error; never shows internal details.
pub fn error_page(status: StatusCode) -> Markup {
    let (title, advice) = match status.as_u16() {
        404 => ("Page not found", "If you typed the web address, check it is correct. If you followed a link, the page may have been removed."),
        400 => ("Sorry, we could not understand that request", "Go back and try again."),
        403 => ("You cannot do that", "You do not have permission to see this page or do this."),
        413 => ("That was too large to send", "Go back, shorten it and try again."),
        503 => ("Sorry, the service is busy", "Try again in a few seconds."),
        _ => ("Sorry, there is a problem with the service", "Try again later. The problem has been logged."),
    };
    layout::page(
        title,
        &Chrome::anonymous(),
        html! {
            h1 { (title) }
            p { (advice) }
            p { a href="/" { "Go to the list of posts" } }
        },
    )
}
