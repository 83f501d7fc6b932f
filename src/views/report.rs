//! Reporting a comment: the comment, a reason and the reader's own words.

use maud::{html, Markup};

use super::components::error_summary;
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::flags::REASONS;
use crate::domain::FieldError;
use crate::read::rows::CommentRow;

pub struct ReportView<'a> {
    pub comment: &'a CommentRow,
    pub reason: &'a str,
    pub note: &'a str,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

pub fn page(v: &ReportView, chrome: &Chrome) -> Markup {
    let title = if v.errors.is_empty() { "Report a comment" } else { "Error: Report a comment" };
    let reasons: Vec<(String, String)> = REASONS.iter().map(|(k, l)| ((*k).to_owned(), (*l).to_owned())).collect();
    let c = v.comment;
    layout::page(
        title,
        chrome,
        html! {
            (error_summary(v.errors))
            @if let Some(notice) = v.notice { div.success role="status" { p { (notice) } } }
            h1 { "Report the comment by " (c.author_name) }
            section.replying-to aria-label="The comment you are reporting" {
                div.comment-body { (c.body_html) }
            }
            p { a href=(format!("/comments/{}", c.id)) { "Back to the comment" } }
            @if v.notice.is_none() {
                p { "Moderators read every report. If several readers report a comment, it is hidden until a moderator has looked at it." }
                form method="post" action=(format!("/comments/{}/report", c.id)) novalidate {
                    (forms::csrf(v.csrf_token))
                    (forms::radios(v.errors, "reason", "Why are you reporting it?", &reasons, v.reason))
                    (forms::textarea(v.errors, Field::new("note", "Anything the moderators should know (optional)", v.note), 4))
                    button.button type="submit" { "Send the report" }
                }
            }
        },
    )
}
