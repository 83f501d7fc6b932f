//! Sign in, register, and the account page.

use maud::{html, Markup};

use super::components::error_summary;
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::FieldError;

fn title(heading: &str, errors: &[FieldError]) -> String {
    if errors.is_empty() {
        heading.to_owned()
    } else {
        format!("Error: {heading}")
    }
}

pub struct SignInForm<'a> {
    pub email: &'a str,
    pub next: &'a str,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
}

pub fn sign_in(f: &SignInForm, chrome: &Chrome) -> Markup {
    layout::page(
        &title("Sign in", f.errors),
        chrome,
        html! {
            (error_summary(f.errors))
            h1 { "Sign in" }
            form method="post" action="/signin" novalidate {
                (forms::csrf(f.csrf_token))
                input type="hidden" name="next" value=(f.next);
                (forms::input(f.errors, Field::new("email", "Email address", f.email), "email", "username"))
                (forms::input(f.errors, Field::new("password", "Password", ""), "password", "current-password"))
                button.button type="submit" { "Sign in" }
            }
            p { "No account yet? " a href="/register" { "Create an account" } "." }
            p.meta { "You can also comment without an account: just give your name and email with your comment." }
        },
    )
}

pub struct RegisterForm<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
}

pub fn register(f: &RegisterForm, chrome: &Chrome) -> Markup {
    layout::page(
        &title("Create an account", f.errors),
        chrome,
        html! {
            (error_summary(f.errors))
            h1 { "Create an account" }
            form method="post" action="/register" novalidate {
                (forms::csrf(f.csrf_token))
                (forms::input(f.errors, Field::new("name", "Your name", f.name).hint("Shown with your comments."), "text", "name"))
                (forms::input(f.errors, Field::new("email", "Email address", f.email).hint("Never shown publicly. You sign in with it."), "email", "email"))
                (forms::input(f.errors, Field::new("password", "Password", "").hint("At least 10 characters. A few unrelated words are easy to remember and hard to guess."), "password", "new-password"))
                button.button type="submit" { "Create account" }
            }
            p { "Already have an account? " a href="/signin" { "Sign in" } "." }
        },
    )
}

pub struct AccountPage<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    /// "Title, Department" for each official role in force.
    pub official_roles: &'a [(i64, String)],
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

pub fn account(p: &AccountPage, chrome: &Chrome) -> Markup {
    layout::page(
        &title("Your account", p.errors),
        chrome,
        html! {
            (error_summary(p.errors))
            @if let Some(notice) = p.notice {
                div.success role="status" { p { (notice) } }
            }
            h1 { "Your account" }
            dl {
                dt { "Name" } dd { (p.name) }
                dt { "Email address" } dd { (p.email) }
                dt { "Role" } dd { (p.role) }
            }
            @if !p.official_roles.is_empty() {
                h2 { "You are a verified official" }
                p { "When you reply, you can reply as:" }
                ul { @for (_, label) in p.official_roles { li { (label) } } }
            }
            h2 { "Your comments and data" }
            ul {
                li { a href="/account/comments" { "Your comments" } ": see whether each is published, edit one shortly after posting, or delete it." }
                li { a href="/account/data.json" { "Download your data" } " (JSON): your account and everything you wrote." }
                li { a href="/account/delete" { "Delete your account" } }
            }
            h2 #change-password { "Change your password" }
            form method="post" action="/account/password" novalidate {
                (forms::csrf(p.csrf_token))
                (forms::input(p.errors, Field::new("current_password", "Current password", ""), "password", "current-password"))
                (forms::input(p.errors, Field::new("new_password", "New password", "").hint("At least 10 characters."), "password", "new-password"))
                button.button type="submit" { "Change password" }
            }
        },
    )
}
