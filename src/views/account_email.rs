//! Forgotten password, new password, and notification settings.

use maud::{html, Markup};

use super::components::error_summary;
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::notification::{Kind, Mode};
use crate::domain::FieldError;

fn title(heading: &str, errors: &[FieldError]) -> String {
    if errors.is_empty() {
        heading.to_owned()
    } else {
        format!("Error: {heading}")
    }
}

pub fn forgot_password(email: &str, errors: &[FieldError], csrf_token: &str, chrome: &Chrome) -> Markup {
    layout::page(
        &title("Reset your password", errors),
        chrome,
        html! {
            (error_summary(errors))
            h1 { "Reset your password" }
            p { "Enter the email address of your account. We will send you a link to choose a new password; it works once, for 1 hour." }
            form method="post" action="/password/forgot" novalidate {
                (forms::csrf(csrf_token))
                (forms::input(errors, Field::new("email", "Email address", email), "email", "username"))
                button.button type="submit" { "Send the link" }
            }
            p { a href="/signin" { "Back to sign in" } }
        },
    )
}

pub fn reset_password(action: &str, errors: &[FieldError], csrf_token: &str, chrome: &Chrome) -> Markup {
    layout::page(
        &title("Choose a new password", errors),
        chrome,
        html! {
            (error_summary(errors))
            h1 { "Choose a new password" }
            form method="post" action=(action) novalidate {
                (forms::csrf(csrf_token))
                (forms::input(errors, Field::new("password", "New password", "").hint("At least 10 characters. A few unrelated words are easy to remember and hard to guess."), "password", "new-password"))
                button.button type="submit" { "Set my new password" }
            }
        },
    )
}

pub struct NotificationsPage<'a> {
    /// The kinds this account can get, with the mode in force.
    pub choices: &'a [(Kind, Mode)],
    /// What the account follows: (description, unsubscribe address).
    pub following: &'a [(String, String)],
    pub verified: bool,
    pub email: &'a str,
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

pub fn notifications(p: &NotificationsPage, chrome: &Chrome) -> Markup {
    let modes: Vec<(String, String)> =
        Mode::ALL.iter().map(|m| (m.as_str().to_owned(), m.label().to_owned())).collect();
    layout::page(
        "Email notifications",
        chrome,
        html! {
            @if let Some(notice) = p.notice { div.success role="status" { p { (notice) } } }
            h1 { "Email notifications" }
            @if p.verified {
                p { "We send notifications to " strong { (p.email) } "." }
            } @else {
                div.notice { p { "Your email address " strong { (p.email) } " is not confirmed yet, so we send you no notifications. Use the link we emailed you, or " a href="/account#email" { "send it again" } "." } }
            }
            form method="post" action="/account/notifications" {
                (forms::csrf(p.csrf_token))
                @for (kind, mode) in p.choices {
                    (forms::radios(&[], kind.as_str(), kind.label(), &modes, mode.as_str()))
                }
                button.button type="submit" { "Save settings" }
            }
            h2 { "Discussions you follow" }
            @if p.following.is_empty() {
                p { "You follow no posts or threads. Use “Follow this post” under a post to start." }
            } @else {
                ul.following {
                    @for (what, unsubscribe) in p.following {
                        li {
                            (what) " "
                            form.inline-form method="post" action=(unsubscribe) {
                                button.link-button type="submit" { "Stop following" }
                            }
                        }
                    }
                }
            }
            p { a href="/account" { "Back to your account" } }
        },
    )
}
