//! Users: search by name or email, see roles, change a role.

use maud::{html, Markup};

use super::{page, success, title, Section};
use crate::domain::account::Role;
use crate::domain::FieldError;
use crate::read::rows::User;
use crate::views::components::{error_for, error_summary, field_id};
use crate::views::forms;
use crate::views::layout::Chrome;

/// One account, with the official roles it holds now ("Title, Department").
pub struct UserRow {
    pub user: User,
    pub official_roles: Vec<String>,
}

/// A role change that was refused: whose, and the role that was chosen.
pub struct RefusedChange<'a> {
    pub user_id: i64,
    pub role: &'a str,
}

pub struct UsersPage<'a> {
    pub query: &'a str,
    pub page: usize,
    pub has_more: bool,
    pub rows: &'a [UserRow],
    pub errors: &'a [FieldError],
    pub refused: Option<RefusedChange<'a>>,
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
    /// The admin reading the page.
    pub me: i64,
}

/// The notice for `?done=...` after a change.
pub fn notice(done: Option<&str>) -> Option<&'static str> {
    if done == Some("trusted") {
        return Some("Saved: that account's pre-moderation changed.");
    }
    match done? {
        "role" => Some("The role has been changed."),
        _ => None,
    }
}

/// The URL of a page of results for a search.
pub fn href(query: &str, page: usize) -> String {
    let q = percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC);
    match (query.is_empty(), page) {
        (true, 1) => "/admin/users".to_owned(),
        (true, n) => format!("/admin/users?page={n}"),
        (false, 1) => format!("/admin/users?q={q}"),
        (false, n) => format!("/admin/users?q={q}&page={n}"),
    }
}

fn role_form(p: &UsersPage, user: &User) -> Markup {
    let refused = p.refused.as_ref().filter(|r| r.user_id == user.id);
    let error = refused.and_then(|_| error_for(p.errors, "role"));
    // Only the row with the error takes the id the error summary links to.
    let id = if refused.is_some() { field_id("role") } else { format!("role-{}", user.id) };
    let chosen = refused.map_or(user.role.as_str(), |r| r.role);
    html! {
        form.inline-form.form-group--error[error.is_some()] method="post" action=(format!("/admin/users/{}/role", user.id)) {
            (forms::csrf(p.csrf_token))
            input type="hidden" name="q" value=(p.query);
            input type="hidden" name="page" value=(p.page);
            label.visually-hidden for=(id) { "Role for " (user.name) }
            @if let Some(message) = error {
                span.error-message id="role-error" { span.visually-hidden { "Error: " } (message) }
            }
            select id=(id) name="role" aria-describedby=[error.map(|_| "role-error")] {
                @for role in Role::ALL {
                    option value=(role.as_str()) selected[role.as_str() == chosen] { (role.label()) }
                }
            }
            " "
            button.button.button--secondary.button--small type="submit" {
                "Change role" span.visually-hidden { " for " (user.name) }
            }
        }
    }
}

/// Trusted accounts' comments skip pre-moderation.
fn trusted_form(p: &UsersPage, user: &User) -> Markup {
    let (value, label) = if user.trusted { ("no", "Stop trusting") } else { ("yes", "Trust") };
    html! {
        form.inline-form method="post" action=(format!("/admin/users/{}/trusted", user.id)) {
            (forms::csrf(p.csrf_token))
            input type="hidden" name="q" value=(p.query);
            input type="hidden" name="page" value=(p.page);
            input type="hidden" name="trusted" value=(value);
            @if user.trusted { span.meta { "Trusted: skips the queue. " } }
            button.button.button--secondary.button--small type="submit" {
                (label) span.visually-hidden { " " (user.name) }
            }
        }
    }
}

pub fn index(p: &UsersPage, chrome: &Chrome) -> Markup {
    page(
        &title("Users", p.errors),
        chrome,
        Section::Users,
        html! {
            (error_summary(p.errors))
            (success(p.notice))
            h1 { "Users" }
            form.search-form method="get" action="/admin/users" role="search" {
                div.form-group {
                    label for="field-q" { "Search by name or email" }
                    input type="text" id="field-q" name="q" value=(p.query) spellcheck="false" autocomplete="off";
                }
                button.button type="submit" { "Search" }
            }
            @if p.rows.is_empty() {
                @if p.query.is_empty() { p { "There are no accounts yet." } }
                @else { p { "No account has a name or email containing “" (p.query) "”." } }
            } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Accounts" @if !p.query.is_empty() { " matching “" (p.query) "”" } }
                        thead {
                            tr {
                                th scope="col" { "Name" }
                                th scope="col" { "Email" }
                                th scope="col" { "Role" }
                                th scope="col" { "Official roles" }
                                th scope="col" { "Change role" }
                                th scope="col" { "Pre-moderation" }
                            }
                        }
                        tbody {
                            @for row in p.rows {
                                tr {
                                    td { (row.user.name) @if row.user.id == p.me { span.meta { " (you)" } } }
                                    td { (row.user.email) }
                                    td { (row.user.role.label()) }
                                    td {
                                        @if row.official_roles.is_empty() { span.meta { "None" } }
                                        @else { ul.plain { @for role in &row.official_roles { li { (role) } } } }
                                    }
                                    td { (role_form(p, &row.user)) }
                                    td { (trusted_form(p, &row.user)) }
                                }
                            }
                        }
                    }
                }
            }
            @if p.page > 1 || p.has_more {
                nav.pagination aria-label="Pages of users" {
                    ul {
                        @if p.page > 1 {
                            li { a href=(href(p.query, p.page - 1)) rel="prev" { "Previous" span.visually-hidden { " page" } } }
                        }
                        li { span aria-current="page" { span.visually-hidden { "Page " } (p.page) } }
                        @if p.has_more {
                            li { a href=(href(p.query, p.page + 1)) rel="next" { "Next" span.visually-hidden { " page" } } }
                        }
                    }
                }
            }
        },
    )
}
