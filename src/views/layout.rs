use maud::{html, Markup, Render};

use super::assets::STYLESHEET;
use crate::domain::account::Role;

/// What the page header shows about the person reading.
pub struct Chrome {
    user: Option<ChromeUser>,
    /// Atom feeds that follow this page: (title, href).
    feeds: Vec<(String, String)>,
    /// Skip links after "Skip to main content": (label, href).
    skip_links: Vec<(String, String)>,
}

struct ChromeUser {
    name: String,
    role: Role,
    csrf_token: String,
    can_triage: bool,
}

impl Chrome {
    pub fn anonymous() -> Self {
        Self { user: None, feeds: Vec::new(), skip_links: Vec::new() }
    }

    /// `can_triage`: a moderator, or an official of some department.
    pub fn signed_in(name: &str, role: Role, csrf_token: &str, can_triage: bool) -> Self {
        let user = ChromeUser { name: name.to_owned(), role, csrf_token: csrf_token.to_owned(), can_triage };
        Self { user: Some(user), feeds: Vec::new(), skip_links: Vec::new() }
    }

    /// Adds a skip link to somewhere on this page, such as its comment form.
    pub fn with_skip_link(mut self, label: impl Into<String>, href: impl Into<String>) -> Self {
        self.skip_links.push((label.into(), href.into()));
        self
    }

    /// Announces an Atom feed of what this page shows, for feed readers to find.
    pub fn with_feed(mut self, title: impl Into<String>, href: impl Into<String>) -> Self {
        self.feeds.push((title.into(), href.into()));
        self
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
                link rel="alternate" type="application/atom+xml" title="Posts (Atom feed)" href="/feeds/posts.atom";
                @for (feed_title, href) in &chrome.feeds {
                    link rel="alternate" type="application/atom+xml" title=(feed_title) href=(href);
                }
            }
            body {
                a.skip-link href="#main" { "Skip to main content" }
                @for (label, href) in &chrome.skip_links {
                    a.skip-link href=(href) { (label) }
                }
                header.site-header {
                    div.wrap {
                        a.site-name href="/" { "Answerable" }
                        form.site-search method="get" action="/search" role="search" aria-label="Search the site" {
                            label.visually-hidden for="site-search-q" { "Search posts and comments" }
                            input #site-search-q type="search" name="q" maxlength="500";
                            button type="submit" { "Search" }
                        }
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
