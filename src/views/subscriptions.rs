//! Pages about email: following, confirming, unsubscribing, and plain notices.

use maud::{html, Markup};

use super::components::error_summary;
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::FieldError;

/// A page that says one thing, with a way on.
pub fn notice(title: &str, lines: &[&str], next: (&str, &str), chrome: &Chrome) -> Markup {
    layout::page(
        title,
        chrome,
        html! {
            h1 { (title) }
            @for line in lines { p { (line) } }
            p { a href=(next.0) { (next.1) } }
        },
    )
}

/// A link from an email leads here; the button does it (a mail scanner opening the
/// link does nothing).
pub fn confirm(what: &str, action: &str, csrf_token: &str, chrome: &Chrome) -> Markup {
    layout::page(
        "Confirm your email address",
        chrome,
        html! {
            h1 { "Confirm your email address" }
            p { "You asked to " (what) "." }
            form method="post" action=(action) {
                (forms::csrf(csrf_token))
                button.button type="submit" { "Confirm" }
            }
        },
    )
}

/// The page behind an unsubscribe link: one button, no sign-in.
pub fn unsubscribe(what: &str, action: &str, done: bool, chrome: &Chrome) -> Markup {
    let title = if done { "You are unsubscribed" } else { "Unsubscribe" };
    layout::page(
        title,
        chrome,
        html! {
            h1 { (title) }
            @if done {
                div.success role="status" { p { "You will get no more " (what) "." } }
                p { "Changed your mind? You can follow again from the discussion, or choose what you get in your account's notification settings." }
            } @else {
                p { "Stop getting " (what) "?" }
                form method="post" action=(action) {
                    input type="hidden" name="List-Unsubscribe" value="One-Click";
                    button.button type="submit" { "Unsubscribe" }
                }
            }
            p { a href="/" { "Go to the list of posts" } }
        },
    )
}

/// What a follow form needs.
pub struct FollowForm<'a> {
    pub slug: &'a str,
    pub thread_id: Option<i64>,
    /// The signed-in reader's address: they follow with one button.
    pub member_email: Option<&'a str>,
    pub email: &'a str,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
}

/// "Follow this post/thread by email": an address for guests, a button for members.
pub fn follow_form(f: &FollowForm) -> Markup {
    let what = if f.thread_id.is_some() { "thread" } else { "post" };
    html! {
        form.follow-form method="post" action=(format!("/posts/{}/follow", f.slug)) novalidate {
            (forms::csrf(f.csrf_token))
            @if let Some(thread) = f.thread_id { input type="hidden" name="thread_id" value=(thread); }
            @match f.member_email {
                Some(_) => {
                    p.hint { "We will email you, at your account's address, about new comments and official responses." }
                }
                None => {
                    (forms::input(f.errors, Field::new("follow_email", &format!("Follow this {what} by email"), f.email).hint("We will send a link to confirm first, and nothing else until you click it. Every email has an unsubscribe link."), "email", "email"))
                }
            }
            button.button.button--secondary type="submit" { "Follow this " (what) }
        }
    }
}

/// The follow form on a page of its own (for a thread, or shown again with an error).
pub fn follow_page(f: &FollowForm, heading: &str, chrome: &Chrome) -> Markup {
    let title = if f.errors.is_empty() { heading.to_owned() } else { format!("Error: {heading}") };
    layout::page(
        &title,
        chrome,
        html! {
            (error_summary(f.errors))
            h1 { (heading) }
            (follow_form(f))
            p { a href=(format!("/posts/{}", f.slug)) { "Back to the post" } }
        },
    )
}
