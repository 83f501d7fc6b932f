//! Comment freezes: close comments on one post or all, now or for a set period.

use maud::{html, Markup};

use super::{page, success, title, Section};
use crate::domain::{time, FieldError};
use crate::read::rows::Freeze;
use crate::views::components::error_summary;
use crate::views::forms::{self, Field};
use crate::views::layout::Chrome;

#[derive(Debug, Clone, Default)]
pub struct FreezeForm {
    pub scope: String,
    pub starts: String,
    pub ends: String,
    pub notice: String,
}

pub struct FreezesPage<'a> {
    pub freezes: &'a [(Freeze, String)],
    /// (post id, title) for the scope choice.
    pub posts: &'a [(i64, String)],
    pub form: &'a FreezeForm,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

pub fn index(p: &FreezesPage, chrome: &Chrome) -> Markup {
    let e = p.errors;
    let mut scopes = vec![("all".to_owned(), "All posts".to_owned())];
    scopes.extend(p.posts.iter().map(|(id, title)| (id.to_string(), title.clone())));
    let when = |t: Option<chrono::NaiveDateTime>, none: &'static str| t.map_or_else(|| none.to_owned(), time::absolute);
    page(
        &title("Comment freezes", e),
        chrome,
        Section::Freezes,
        html! {
            (error_summary(e))
            (success(p.notice))
            h1 { "Comment freezes" }
            p { "While a freeze is in force, its notice replaces the comment form and new comments are refused (what a person typed is given back to them)." }
            h2 { "In force or to come" }
            @if p.freezes.is_empty() {
                p #no-freezes { "No freeze is in force or planned." }
            } @else {
                div.table-scroll {
                    table #freezes {
                        thead { tr { th scope="col" { "Covers" } th scope="col" { "From" } th scope="col" { "Until" } th scope="col" { "Notice" } th scope="col" { span.visually-hidden { "Action" } } } }
                        tbody {
                            @for (f, scope) in p.freezes {
                                tr {
                                    td { (scope) }
                                    td { (when(f.starts_at, "Now")) }
                                    td { (when(f.ends_at, "Until lifted")) }
                                    td { (f.notice) }
                                    td {
                                        form.inline-form method="post" action=(format!("/admin/freezes/{}/end", f.id)) {
                                            (forms::csrf(p.csrf_token))
                                            button.button.button--secondary.button--small type="submit" { "Lift" span.visually-hidden { " the freeze on " (scope) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Freeze comments" }
            form method="post" action="/admin/freezes" novalidate {
                (forms::csrf(p.csrf_token))
                (forms::select(e, Field::new("scope", "Which posts", &p.form.scope), &scopes))
                (forms::input(e, Field::new("starts", "From (optional, UTC)", &p.form.starts).hint("Leave blank to start now. For example 2027-04-01T00:00"), "datetime-local", "off"))
                (forms::input(e, Field::new("ends", "Until (optional, UTC)", &p.form.ends).hint("Leave blank to keep it until you lift it."), "datetime-local", "off"))
                (forms::textarea(e, Field::new("notice", "Notice shown instead of the comment form", &p.form.notice), 3))
                button.button type="submit" { "Freeze comments" }
            }
        },
    )
}
