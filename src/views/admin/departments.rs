//! Departments: the list, and one form to add or change a department.

use maud::{html, Markup};

use super::{page, success, title, Section};
use crate::domain::FieldError;
use crate::read::rows::DepartmentDetail;
use crate::views::components::error_summary;
use crate::views::forms::{self, Field};
use crate::views::layout::Chrome;

pub fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "created" => Some("The department has been added."),
        "saved" => Some("The department has been saved."),
        _ => None,
    }
}

pub fn index(departments: &[DepartmentDetail], notice: Option<&str>, chrome: &Chrome) -> Markup {
    page(
        "Departments",
        chrome,
        Section::Departments,
        html! {
            (success(notice))
            h1 { "Departments" }
            p { a.button href="/admin/departments/new" { "Add a department" } }
            @if departments.is_empty() {
                p { "There are no departments yet." }
            } @else {
                table {
                    caption.visually-hidden { "Departments" }
                    thead {
                        tr {
                            th scope="col" { "Name" }
                            th scope="col" { "Acronym" }
                            th scope="col" { "Other names" }
                            th scope="col" { "Email domains" }
                            th scope="col" { "Response target" }
                        }
                    }
                    tbody {
                        @for d in departments {
                            tr {
                                td {
                                    a href=(format!("/admin/departments/{}", d.department.id)) {
                                        (d.department.name)
                                    }
                                }
                                td { (d.department.acronym) }
                                td { (d.aliases.join(", ")) }
                                td { (d.email_domains.join(", ")) }
                                td { (d.department.target_days) " working days" }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The department form as typed (or as stored, when editing starts).
pub struct DepartmentForm<'a> {
    /// `None` when adding a department.
    pub id: Option<i64>,
    pub name: &'a str,
    pub acronym: &'a str,
    pub description: &'a str,
    pub aliases: &'a str,
    pub email_domains: &'a str,
    pub target_days: &'a str,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
}

pub fn form(f: &DepartmentForm, chrome: &Chrome) -> Markup {
    let (heading, action, button) = match f.id {
        Some(id) => (format!("Change {}", f.name), format!("/admin/departments/{id}"), "Save department"),
        None => ("Add a department".to_owned(), "/admin/departments/new".to_owned(), "Add department"),
    };
    let heading = if f.id.is_some() && f.name.trim().is_empty() { "Change a department".to_owned() } else { heading };
    let e = f.errors;
    page(
        &title(&heading, e),
        chrome,
        Section::Departments,
        html! {
            (error_summary(e))
            p { a href="/admin/departments" { "Back to departments" } }
            h1 { (heading) }
            form method="post" action=(action) novalidate {
                (forms::csrf(f.csrf_token))
                (forms::input(e, Field::new("name", "Name", f.name).hint("Like HM Revenue and Customs."), "text", "off"))
                (forms::input(e, Field::new("acronym", "Acronym", f.acronym).hint("Like HMRC. Letters and digits, no spaces. Officials' badges show it."), "text", "off"))
                (forms::textarea(e, Field::new("description", "Description (optional)", f.description), 3))
                (forms::textarea(e, Field::new("aliases", "Other names (optional)", f.aliases)
                    .hint("One per line, like Revenue and Customs. Comments that mention one are suggested for this department."), 4))
                (forms::textarea(e, Field::new("email_domains", "Email domains (optional)", f.email_domains)
                    .hint("One per line: the part after @, like hmrc.gov.uk."), 3))
                (forms::input(e, Field::new("target_days", "Response target, in working days", f.target_days)
                    .hint("From 1 to 60. Comments waiting longer count as overdue."), "text", "off"))
                button.button type="submit" { (button) }
            }
        },
    )
}
