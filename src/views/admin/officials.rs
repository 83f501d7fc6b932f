//! Officials: who may answer for which department, the history of grants and
//! revocations, and the form to verify someone.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::{page, success, title, Section};
use crate::domain::{time, FieldError};
use crate::read::rows::Department;
use crate::read::rows::OfficialListing;
use crate::views::components::error_summary;
use crate::views::forms::{self, Field};
use crate::views::layout::Chrome;

pub fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "granted" => Some("The official has been verified. Their replies can now carry the badge."),
        "revoked" => Some("The official role has been revoked. Replies already posted keep their badge."),
        _ => None,
    }
}

/// The "Verify an official" form as typed.
pub struct GrantForm<'a> {
    pub email: &'a str,
    pub department: &'a str,
    pub title: &'a str,
    /// The unconfirmed address the admin is asked to confirm (the box is shown).
    pub unconfirmed: Option<&'a str>,
    /// Whether the box was ticked.
    pub confirmed: bool,
}

pub struct OfficialsPage<'a> {
    pub listings: &'a [OfficialListing],
    pub departments: &'a [Department],
    pub form: GrantForm<'a>,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

fn when(at: NaiveDateTime) -> Markup {
    html! { time datetime=(time::iso(at)) { (time::absolute(at)) } }
}

fn who(l: &OfficialListing) -> Markup {
    html! { (l.user_name) br; span.meta { (l.user_email) } }
}

fn department(l: &OfficialListing) -> Markup {
    html! { (l.department_name) " (" (l.department_acronym) ")" }
}

fn current(listings: &[&OfficialListing]) -> Markup {
    html! {
        h2 #current { "Current officials" }
        @if listings.is_empty() {
            p { "Nobody is verified as an official yet." }
        } @else {
            div.table-scroll {
                table aria-labelledby="current" {
                    thead {
                        tr {
                            th scope="col" { "Official" }
                            th scope="col" { "Department" }
                            th scope="col" { "Title" }
                            th scope="col" { "Verified" }
                            th scope="col" { span.visually-hidden { "Action" } }
                        }
                    }
                    tbody {
                        @for l in listings {
                            tr {
                                td { (who(l)) }
                                td { (department(l)) }
                                td { (l.title) }
                                td { (when(l.granted_at)) }
                                td {
                                    a.button.button--warning.button--small href=(format!("/admin/officials/{}/revoke", l.role_id)) {
                                        "Revoke" span.visually-hidden { " " (l.user_name) " as " (l.title) ", " (l.department_name) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn revoked(listings: &[&OfficialListing]) -> Markup {
    html! {
        @if !listings.is_empty() {
            h2 #revoked { "Revoked" }
            p { "Replies posted while a role was in force keep their badge." }
            div.table-scroll {
                table aria-labelledby="revoked" {
                    thead {
                        tr {
                            th scope="col" { "Official" }
                            th scope="col" { "Department" }
                            th scope="col" { "Title" }
                            th scope="col" { "Verified" }
                            th scope="col" { "Revoked" }
                        }
                    }
                    tbody {
                        @for l in listings {
                            tr.revoked {
                                td { (who(l)) }
                                td { (department(l)) }
                                td { (l.title) }
                                td { (when(l.granted_at)) }
                                td { @if let Some(at) = l.revoked_at { (when(at)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn grant_form(p: &OfficialsPage) -> Markup {
    let e = p.errors;
    let mut options = vec![(String::new(), "Choose a department".to_owned())];
    options.extend(p.departments.iter().map(|d| (d.acronym.clone(), format!("{} ({})", d.name, d.acronym))));
    html! {
        h2 #verify { "Verify an official" }
        @if p.departments.is_empty() {
            p { "Add a department first: " a href="/admin/departments/new" { "add a department" } "." }
        } @else {
            p { "The person needs an account first. Their replies can then carry a verified badge with their name, this title and the department." }
            form method="post" action="/admin/officials" novalidate {
                (forms::csrf(p.csrf_token))
                (forms::input(e, Field::new("email", "Email address of their account", p.form.email), "email", "off"))
                @if let Some(address) = p.form.unconfirmed {
                    (forms::checkbox("confirm_email", address, "Verify them although the address is not confirmed",
                        Some("Only when you have checked with them, by phone or in person, that this account is theirs. The audit log will say that the address was not confirmed."),
                        p.form.confirmed))
                }
                (forms::select(e, Field::new("department", "Department", p.form.department), &options))
                (forms::input(e, Field::new("title", "Title", p.form.title).hint("As the badge will show it, like Chief Digital and Information Officer."), "text", "off"))
                button.button type="submit" { "Verify official" }
            }
        }
    }
}

pub fn index(p: &OfficialsPage, chrome: &Chrome) -> Markup {
    let (active, past): (Vec<&OfficialListing>, Vec<&OfficialListing>) =
        p.listings.iter().partition(|l| l.revoked_at.is_none());
    page(
        &title("Officials", p.errors),
        chrome,
        Section::Officials,
        html! {
            (error_summary(p.errors))
            (success(p.notice))
            h1 { "Officials" }
            (current(&active))
            (grant_form(p))
            (revoked(&past))
        },
    )
}

/// The page that confirms a revocation and asks why.
pub struct RevokePage<'a> {
    pub listing: &'a OfficialListing,
    /// The reason as typed.
    pub reason: &'a str,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
}

pub fn revoke(p: &RevokePage, chrome: &Chrome) -> Markup {
    let l = p.listing;
    let heading = format!("Revoke {} as an official", l.user_name);
    page(
        &title(&heading, p.errors),
        chrome,
        Section::Officials,
        html! {
            (error_summary(p.errors))
            p { a href="/admin/officials" { "Back to officials" } }
            h1 { (heading) }
            @if let Some(at) = l.revoked_at {
                p { "This role was revoked on " (when(at)) "." }
            } @else {
                p { (l.user_name) " (" (l.user_email) ") is verified as " strong { (l.title) } ", " (department(l)) ", since " (when(l.granted_at)) "." }
                ul {
                    li { "From now on they cannot reply as an official of " (l.department_acronym) "." }
                    li { "Replies they have already posted keep their badge." }
                    li { "The revocation and your reason are kept in the audit log, with your name and the time." }
                }
                form method="post" action=(format!("/admin/officials/{}/revoke", l.role_id)) novalidate {
                    (forms::csrf(p.csrf_token))
                    (forms::textarea(p.errors, Field::new("reason", "Why are you revoking this role?", p.reason)
                        .hint("For example: they left the department, or the account is not theirs."), 3))
                    div.button-group {
                        button.button.button--warning type="submit" { "Revoke official role" }
                        " "
                        a.button.button--secondary href="/admin/officials" { "Cancel" }
                    }
                }
            }
        },
    )
}
