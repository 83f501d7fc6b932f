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
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

pub fn sign_in(f: &SignInForm, chrome: &Chrome) -> Markup {
    layout::page(
        &title("Sign in", f.errors),
        chrome,
        html! {
            (error_summary(f.errors))
            @if let Some(notice) = f.notice { div.success role="status" { p { (notice) } } }
            h1 { "Sign in" }
            form method="post" action="/signin" novalidate {
                (forms::csrf(f.csrf_token))
                input type="hidden" name="next" value=(f.next);
                (forms::input(f.errors, Field::new("email", "Email address", f.email), "email", "username"))
                (forms::input(f.errors, Field::new("password", "Password", ""), "password", "current-password"))
                button.button type="submit" { "Sign in" }
            }
            p { a href="/password/forgot" { "Forgotten your password?" } }
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
    pub verified: bool,
    /// A new address typed into the change form (kept when it is shown again).
    pub new_email: &'a str,
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
                dt { "Email address" } dd {
                    (p.email)
                    @if p.verified { " (confirmed)" } @else { strong { " (not confirmed yet)" } }
                }
                dt { "Role" } dd { (p.role) }
            }
            p { a href="/account/notifications" { "Email notifications and discussions you follow" } }
            h2 #email { "Your email address" }
            @if !p.verified {
                form method="post" action="/account/email" {
                    (forms::csrf(p.csrf_token))
                    input type="hidden" name="action" value="resend";
                    p { "We send notifications only to a confirmed address. Lost the email? "
                        button.link-button type="submit" { "Send the confirmation link again" } }
                }
            }
            form method="post" action="/account/email" novalidate {
                (forms::csrf(p.csrf_token))
                (forms::input(p.errors, Field::new("new_email", "New email address", p.new_email).hint("We will send a link to the new address; it takes effect when you click it."), "email", "email"))
                button.button.button--secondary type="submit" { "Change email address" }
            }
            @if !p.official_roles.is_empty() {
                h2 { "You are a verified official" }
                p { "When you reply, you can reply as:" }
                ul { @for (_, label) in p.official_roles { li { (label) } } }
            }
            h2 #api-tokens { "API tokens" }
            p { "Programs can use the JSON API as you with a token. " a href="/account/tokens" { "Manage your API tokens" } "." }
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
