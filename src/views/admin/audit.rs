//! The audit log: every moderator and admin action, newest first, filterable, with a
//! CSV export of the same filter.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::{page, Section};
use crate::domain::audit::action_words;
use crate::domain::time;
use crate::read::rows::AuditRow;
use crate::views::components::pagination;
use crate::views::forms::{self, Field};
use crate::views::layout::Chrome;

/// The filters as typed, to show them again and build links.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub action: String,
    pub actor: String,
    pub target: String,
    pub target_id: String,
    pub from: String,
    pub to: String,
}

impl AuditQuery {
    pub fn params(&self) -> String {
        let pairs = [
            ("action", &self.action),
            ("actor", &self.actor),
            ("target", &self.target),
            ("target_id", &self.target_id),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                format!("{k}={}", percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn href(&self, base: &str, page: usize) -> String {
        let params = self.params();
        match (params.is_empty(), page) {
            (true, 1) => base.to_owned(),
            (true, _) => format!("{base}?page={page}"),
            (false, 1) => format!("{base}?{params}"),
            (false, _) => format!("{base}?{params}&page={page}"),
        }
    }
}

pub struct AuditPage<'a> {
    pub rows: &'a [AuditRow],
    pub query: &'a AuditQuery,
    pub actions: &'a [String],
    pub total: i64,
    pub page: usize,
    pub pages: usize,
    pub now: NaiveDateTime,
}

const TARGETS: [(&str, &str); 7] = [
    ("", "Anything"),
    ("comment", "Comments"),
    ("user", "Users"),
    ("department", "Departments"),
    ("official", "Officials"),
    ("post", "Posts"),
    ("settings", "Settings"),
];

fn change(row: &AuditRow) -> Markup {
    html! {
        @match (&row.before_value, &row.after_value) {
            (Some(before), Some(after)) if before.len() + after.len() < 80 && !before.contains('\n') => {
                (before) " → " (after)
            }
            (before, after) => {
                details {
                    summary { "Before and after" }
                    @if let Some(before) = before { p.change-label { strong { "Before" } } pre.kept-text { (before) } }
                    @if let Some(after) = after { p.change-label { strong { "After" } } pre.kept-text { (after) } }
                }
            }
        }
    }
}

pub fn index(p: &AuditPage, chrome: &Chrome) -> Markup {
    let q = p.query;
    let mut actions = vec![(String::new(), "Any action".to_owned())];
    actions.extend(p.actions.iter().map(|a| (a.clone(), action_words(a).to_owned())));
    let targets: Vec<(String, String)> = TARGETS.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned())).collect();
    page(
        "Audit log",
        chrome,
        Section::Audit,
        html! {
            h1 { "Audit log" }
            p { "Every moderator and admin action: who, when, what, before and after, and why. The log cannot be changed from the site." }
            form.filters-form method="get" action="/admin/audit" {
                (forms::select(&[], Field::new("action", "Action", &q.action), &actions))
                (forms::input(&[], Field::new("actor", "Done by (name contains)", &q.actor), "text", "off"))
                (forms::select(&[], Field::new("target", "Done to", &q.target), &targets))
                (forms::input(&[], Field::new("target_id", "Target number", &q.target_id), "text", "off"))
                (forms::input(&[], Field::new("from", "From (date)", &q.from).hint("For example 2026-11-01"), "date", "off"))
                (forms::input(&[], Field::new("to", "To (date, inclusive)", &q.to), "date", "off"))
                button.button type="submit" { "Filter" }
            }
            p {
                (p.total) " " (if p.total == 1 { "entry" } else { "entries" }) ". "
                a href=(q.href("/admin/audit.csv", 1)) download { "Download these as CSV" }
            }
            @if !p.rows.is_empty() {
                div.table-scroll {
                    table #audit-log {
                        caption.visually-hidden { "Audit log entries, newest first" }
                        thead { tr {
                            th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "Action" }
                            th scope="col" { "Target" } th scope="col" { "Change" } th scope="col" { "Reason" }
                        } }
                        tbody {
                            @for row in p.rows {
                                tr {
                                    td { time datetime=(time::iso(row.created_at)) { (time::absolute(row.created_at)) } }
                                    td { (row.actor_name) }
                                    td.action { (action_words(&row.action)) }
                                    td {
                                        (row.target_type) @if let Some(id) = row.target_id { " " (id) }
                                        @if !row.target_label.is_empty() { br; span.meta { (row.target_label) } }
                                    }
                                    td { (change(row)) }
                                    td { (row.reason.as_deref().unwrap_or("")) }
                                }
                            }
                        }
                    }
                }
            }
            (pagination("Pages of the audit log", p.page, p.pages, |n| q.href("/admin/audit", n)))
        },
    )
}
