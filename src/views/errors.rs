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

/// What a person hears when nothing can be saved just now (the database is read-only
/// or its disk is full): reading still works.
pub const CANNOT_SAVE: &str = "The site cannot save anything right now: its database is refusing changes. \
     Reading still works. Try again later.";

pub fn cannot_save_page() -> Markup {
    let title = "Sorry, nothing can be saved just now";
    layout::page(
        title,
        &Chrome::anonymous(),
        html! {
            h1 { (title) }
            p { (CANNOT_SAVE) }
            p { a href="/" { "Go to the list of posts" } }
        },
    )
}
