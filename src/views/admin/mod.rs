//! The admin area's pages: a dashboard and one module per section. Like every view,
//! pure functions of data.

pub mod audit;
pub mod departments;
pub mod freezes;
pub mod imports;
pub mod moderation;
pub mod officials;
pub mod outbox;
pub mod posts;
pub mod users;

use maud::{html, Markup, Render};

use super::layout::{self, Chrome};
use crate::domain::FieldError;

/// The sections of the admin area, in the order the navigation shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Users,
    Departments,
    Officials,
    Posts,
    Outbox,
    Moderation,
    Freezes,
    Imports,
    History,
    Audit,
}

impl Section {
    const ALL: [Section; 11] = [
        Self::Dashboard,
        Self::Users,
        Self::Departments,
        Self::Officials,
        Self::Posts,
        Self::Moderation,
        Self::Freezes,
        Self::Imports,
        Self::History,
        Self::Audit,
        Self::Outbox,
    ];

    fn href(self) -> &'static str {
        match self {
            Self::Dashboard => "/admin",
            Self::Users => "/admin/users",
            Self::Departments => "/admin/departments",
            Self::Officials => "/admin/officials",
            Self::Posts => "/admin/posts",
            Self::Outbox => "/admin/outbox",
            Self::Moderation => "/admin/moderation",
            Self::Freezes => "/admin/freezes",
            Self::Imports => "/admin/imports",
            Self::History => "/admin/history",
            Self::Audit => "/admin/audit",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Dashboard => "Overview",
            Self::Users => "Users",
            Self::Departments => "Departments",
            Self::Officials => "Officials",
            Self::Posts => "Posts",
            Self::Outbox => "Outbox",
            Self::Moderation => "Moderation settings",
            Self::Freezes => "Freezes",
            Self::Imports => "Probable official replies",
            Self::History => "Imported history",
            Self::Audit => "Audit log",
        }
    }
}

/// "Error: Title" when the page shows errors, so a screen reader hears it first.
pub fn title(heading: &str, errors: &[FieldError]) -> String {
    if errors.is_empty() {
        heading.to_owned()
    } else {
        format!("Error: {heading}")
    }
}

/// An admin page: the site layout with the admin sections' navigation on top.
pub fn page(title: &str, chrome: &Chrome, current: Section, main: impl Render) -> Markup {
    layout::page(
        title,
        chrome,
        html! {
            nav aria-label="Admin" {
                ul.filters {
                    @for section in Section::ALL {
                        li {
                            @if section == current {
                                a href=(section.href()) aria-current="page" { (section.label()) }
                            } @else {
                                a href=(section.href()) { (section.label()) }
                            }
                        }
                    }
                }
            }
            (main)
        },
    )
}

/// The green box that says an action worked.
pub fn success(notice: Option<&str>) -> Markup {
    html! {
        @if let Some(notice) = notice {
            div.success role="status" { p { (notice) } }
        }
    }
}

/// What the dashboard counts.
pub struct Dashboard {
    pub users: i64,
    pub departments: i64,
    pub officials: i64,
    pub posts: i64,
    pub published: i64,
    /// Probable official replies from imports waiting for a decision.
    pub reviews: i64,
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", crate::domain::thousands(n))
    }
}

pub fn dashboard(d: &Dashboard, chrome: &Chrome) -> Markup {
    let drafts = d.posts - d.published;
    page(
        "Admin",
        chrome,
        Section::Dashboard,
        html! {
            h1 { "Admin" }
            ul.admin-sections {
                li {
                    h2 { a href="/admin/users" { "Users" } }
                    p { (plural(d.users, "account", "accounts")) ". Find people and change their role." }
                }
                li {
                    h2 { a href="/admin/departments" { "Departments" } }
                    p { (plural(d.departments, "department", "departments")) ". Names, aliases, email domains and response targets." }
                }
                li {
                    h2 { a href="/admin/officials" { "Officials" } }
                    p { (plural(d.officials, "verified official role", "verified official roles")) " in force. Verify or revoke officials." }
                }
                li {
                    h2 { a href="/admin/moderation" { "Moderation settings" } }
                    p { "Pre-moderation, spam rules and blocklists. The queue itself is at " a href="/moderation" { "Moderation" } "." }
                }
                li {
                    h2 { a href="/admin/freezes" { "Freezes" } }
                    p { "Close comments on one post or all posts, now or for a set period, with a notice." }
                }
                li {
                    h2 { a href="/admin/imports" { "Probable official replies" } }
                    p { (plural(d.reviews, "reply", "replies")) " to review. Replies from a WordPress import that look official but are not certain: confirm or dismiss each." }
                }
                li {
                    h2 { a href="/admin/history" { "Imported history" } }
                    p { "Close old comments nobody answered as \"no response recorded (imported history)\"." }
                }
                li {
                    h2 { a href="/admin/audit" { "Audit log" } }
                    p { "Every moderator and admin action, filterable, with a CSV export." }
                }
                li {
                    h2 { a href="/admin/posts" { "Posts" } }
                    p {
                        (plural(d.published, "published post", "published posts")) " and "
                        (plural(drafts, "draft", "drafts")) ". Write, publish, and open or close comments."
                    }
                }
            }
        },
    )
}
