use maud::{html, Markup, Render};

use super::assets::STYLESHEET;
use crate::domain::account::Role;

/// What the page header shows about the person reading.
pub struct Chrome {
    user: Option<ChromeUser>,
}

struct ChromeUser {
    name: String,
    role: Role,
    csrf_token: String,
    can_triage: bool,
}

impl Chrome {
    pub fn anonymous() -> Self {
        Self { user: None }
    }

    /// `can_triage`: a moderator, or an official of some department.
    pub fn signed_in(name: &str, role: Role, csrf_token: &str, can_triage: bool) -> Self {
        Self { user: Some(ChromeUser { name: name.to_owned(), role, csrf_token: csrf_token.to_owned(), can_triage }) }
    }
}

/// The one page layout: skip link, header with navigation, main landmark, footer.
pub fn page(title: &str, chrome: &Chrome, main: impl Render) -> Markup {
    html! {
        (maud::DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Answerable" }
                link rel="stylesheet" href=(STYLESHEET.href());
            }
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header {
                    div.wrap {
                        a.site-name href="/" { "Answerable" }
                        nav.site-nav aria-label="Site" {
                            ul {
                                li { a href="/" { "Posts" } }
                                li { a href="/departments" { "Departments" } }
                                @match &chrome.user {
                                    Some(user) => {
                                        @if user.can_triage {
                                            li { a href="/triage" { "Triage" } }
                                        }
                                        @if user.role.can_moderate() {
                                            li { a href="/moderation" { "Moderation" } }
                                        }
                                        @if user.role.is_admin() {
                                            li { a href="/admin" { "Admin" } }
                                        }
                                        li { a href="/account" { "Your account" span.visually-hidden { " (" (user.name) ")" } } }
                                        li {
                                            form.inline-form method="post" action="/signout" {
                                                input type="hidden" name="_csrf" value=(user.csrf_token);
                                                button.link-button type="submit" { "Sign out" }
                                            }
                                        }
                                    }
                                    None => {
                                        li { a href="/signin" { "Sign in" } }
                                    }
                                }
                            }
                        }
                    }
                }
                main.wrap #main tabindex="-1" { (main) }
                footer.site-footer {
                    div.wrap {
                        p { "Comments are public. Officials answer with a verified badge issued by this site." }
                    }
                }
            }
        }
    }
}
