//! The triage queue: a filter form (GET), then one form (POST) around the table of
//! comments awaiting a response, with the bulk actions above it and again under it
//! (the two sets have their own names: `top_action`, ...). No script needed.

use maud::{html, Markup};

use super::components::error_summary;
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::response::NO_RESPONSE_REASONS;
use crate::domain::{time, FieldError};
use crate::read::triage::{Filters, Queue, QueueItem};

/// The bulk form as it was sent, so a refused action keeps the selection.
#[derive(Debug, Default)]
pub struct BulkForm<'a> {
    pub selected: &'a [i64],
    /// "Select all on this page" was followed.
    pub select_all: bool,
    /// The set of controls that was used: "top_" above the list, "" under it.
    pub prefix: &'a str,
    pub action: &'a str,
    pub to_department: &'a str,
    pub assignee: &'a str,
    pub reason: &'a str,
    pub note: &'a str,
}

pub struct TriagePage<'a> {
    pub queue: &'a Queue,
    pub filters: &'a Filters,
    pub moderator: bool,
    /// The viewer's own departments, when they are an official ("DWP, HMRC").
    pub mine: Option<String>,
    pub bulk: BulkForm<'a>,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

/// "3 comments routed to HMRC": what a bulk action just did, from `?done=`.
pub fn notice(done: &str, count: usize, to: Option<&str>) -> Option<String> {
    let comments = if count == 1 { "1 comment".to_owned() } else { format!("{count} comments") };
    if count == 0 {
        return Some("Nothing changed: the selected comments were already like that.".into());
    }
    Some(match (done, to) {
        ("routed", Some(to)) => format!("{comments} routed to {to}"),
        ("assigned", Some(to)) => format!("{comments} assigned to {to}"),
        ("unassigned", _) => format!("{comments} no longer assigned"),
        ("acknowledged", _) => format!("{comments} acknowledged"),
        ("no_response_needed", _) => format!("{comments} marked as needing no response"),
        _ => return None,
    })
}

fn options(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    pairs.into_iter().collect()
}

fn filter_form(p: &TriagePage) -> Markup {
    let f = p.filters;
    let mut departments = Vec::new();
    if let Some(mine) = &p.mine {
        departments.push(("mine".to_owned(), format!("Your departments ({mine})")));
    }
    if p.moderator {
        departments.push(("all".to_owned(), "All departments".to_owned()));
    }
    departments.extend(p.queue.departments.iter().map(|d| (d.id.to_string(), format!("{} ({})", d.name, d.acronym))));
    departments.push(("unrouted".to_owned(), "Unrouted (no department yet)".to_owned()));
    let mut posts = vec![(String::new(), "All posts".to_owned())];
    posts.extend(p.queue.posts.iter().map(|(id, title)| (id.to_string(), title.clone())));
    let sorts = options(crate::read::rows::Sort::ALL.map(|s| (s.as_str().to_owned(), s.label().to_owned())));
    let department = f.department.as_param();
    let post = f.post.map(|p| p.to_string()).unwrap_or_default();
    html! {
        form.triage-filters method="get" action="/triage" aria-labelledby="filters-title" {
            h2 #filters-title { "Filter and sort" }
            div.filter-fields {
                (forms::select(&[], Field::new("department", "Department", &department), &departments))
                (forms::select(&[], Field::new("post", "Post", &post), &posts))
                (forms::select(&[], Field::new("sort", "Sort", f.sort.as_str()), &sorts))
            }
            div.checkbox {
                input #field-assigned type="checkbox" name="assigned" value="1" checked[f.assigned_to_me];
                label for="field-assigned" { "Assigned to me" }
            }
            div.checkbox {
                input #field-overdue type="checkbox" name="overdue" value="1" checked[f.overdue];
                label for="field-overdue" { "Overdue only (routed, and past the department's response target)" }
            }
            button.button.button--secondary type="submit" { "Show" }
        }
    }
}

fn age(item: &QueueItem) -> Markup {
    let days = if item.age_days == 1 { "1 working day".to_owned() } else { format!("{} working days", item.age_days) };
    html! {
        (days) " "
        br;
        span.meta { time datetime=(time::iso(item.published_at)) { (time::absolute(item.published_at)) } }
        @if item.overdue { " " br; strong.tag.tag--overdue { "Overdue" } }
    }
}

fn row(item: &QueueItem, selected: bool, official: bool) -> Markup {
    let check = format!("select-{}", item.id);
    html! {
        tr.overdue[item.overdue] id=(format!("row-{}", item.id)) {
            td.select {
                div.checkbox {
                    input id=(check) type="checkbox" name="ids" value=(item.id) checked[selected];
                    label for=(check) { span.visually-hidden { "Select comment " (item.id) " by " (item.author) } }
                }
            }
            td.comment-cell {
                p.excerpt { (item.excerpt) }
                p.meta {
                    "by " span.author { (item.author) }
                    " · " (if item.replies == 1 { "1 reply".to_owned() } else { format!("{} replies", item.replies) })
                }
                p.row-actions {
                    a href=(format!("/comments/{}/responses#respond", item.id)) {
                        "Respond" span.visually-hidden { " to comment " (item.id) " by " (item.author) }
                    }
                    @if official {
                        @if let Some((slug, _)) = &item.post {
                            " · "
                            a href=(format!("/posts/{slug}/comments/new?parent={}", item.id)) {
                                "Reply as official" span.visually-hidden { " to comment " (item.id) " by " (item.author) }
                            }
                        }
                    }
                    " · "
                    a href=(format!("/comments/{}", item.id)) {
                        "View in context" span.visually-hidden { ": comment " (item.id) " by " (item.author) }
                    }
                }
            }
            td.post-cell {
                @if let Some((slug, title)) = &item.post { a href=(format!("/posts/{slug}")) { (title) } }
            }
            td.age { (age(item)) }
            td.department {
                @match &item.department {
                    Some(acronym) => { (acronym) }
                    None => {
                        "Unrouted"
                        @if let Some(suggested) = &item.suggested {
                            " " br; span.suggested { "Suggested: " (suggested) }
                        }
                    }
                }
            }
            td.assignee {
                @match &item.assignee { Some(name) => { (name) } None => { span.meta { "Nobody" } } }
            }
        }
    }
}

/// One set of bulk controls; `prefix` names its fields ("top_" for the set above the
/// list). Only the set that was used shows what was sent, and its errors.
fn bulk_controls(p: &TriagePage, prefix: &'static str) -> Markup {
    let top = !prefix.is_empty();
    let name = |bottom: &'static str, above: &'static str| if top { above } else { bottom };
    let (action_name, department_name) = (name("action", "top_action"), name("to_department", "top_to_department"));
    let (assignee_name, reason_name) = (name("assignee", "top_assignee"), name("reason", "top_reason"));
    let note_name = name("note", "top_note");
    let used = p.bulk.prefix == prefix;
    let none = BulkForm::default();
    let b = if used { &p.bulk } else { &none };
    let e = if used { p.errors } else { &[] };
    let mut actions = vec![(String::new(), "Choose an action".to_owned())];
    if p.moderator {
        actions.push(("route".into(), "Route to a department".into()));
    }
    actions.push(("assign".into(), "Assign to an official".into()));
    actions.push(("acknowledge".into(), "Acknowledge".into()));
    if p.mine.is_some() {
        actions.push(("answer".into(), "Answer them with one official reply".into()));
    }
    if p.moderator {
        actions.push(("no_response_needed".into(), "Mark no response needed".into()));
    }
    let mut departments = vec![(String::new(), "Choose a department".to_owned())];
    departments
        .extend(p.queue.all_departments.iter().map(|d| (d.id.to_string(), format!("{} ({})", d.name, d.acronym))));
    let mut assignees = vec![(String::new(), "Choose an official".to_owned())];
    assignees.extend(p.queue.assignees.iter().map(|(id, label)| (id.to_string(), label.clone())));
    assignees.push(("none".into(), "Nobody (remove the assignment)".into()));
    let mut reasons = vec![(String::new(), "Choose a reason".to_owned())];
    reasons.extend(NO_RESPONSE_REASONS.iter().map(|(key, label)| ((*key).to_owned(), (*label).to_owned())));
    let to_department =
        Field::new(department_name, "Department to route to", b.to_department).hint("For Route to a department.");
    let assignee = Field::new(assignee_name, "Official to assign", b.assignee)
        .hint("For Assign: officials of the departments shown.");
    let reason = Field::new(reason_name, "Why no response is needed", b.reason).hint("For Mark no response needed.");
    let note_hint = if p.moderator {
        "For Acknowledge or Mark no response needed. Shown publicly with the comment."
    } else {
        "For Acknowledge. Shown publicly with the comment."
    };
    let note = Field::new(note_name, "Note (optional)", b.note).hint(note_hint);
    let position = if prefix.is_empty() { "bottom" } else { "top" };
    html! {
        fieldset.bulk-actions {
            legend { "Do this to the selected comments" }
            (forms::select(e, Field::new(action_name, "Action", b.action), &actions))
            @if p.moderator { (forms::select(e, to_department, &departments)) }
            (forms::select(e, assignee, &assignees))
            @if p.moderator { (forms::select(e, reason, &reasons)) }
            (forms::input(e, note, "text", "off"))
            button.button type="submit" name="controls" value=(position) { "Apply to selected comments" }
        }
    }
}

fn pages(p: &TriagePage) -> Markup {
    let page = p.filters.page;
    html! {
        @if page > 1 || p.queue.has_more {
            nav.pagination aria-label="Pages of the queue" {
                ul {
                    @if page > 1 {
                        li {
                            a href=(p.filters.href(page - 1)) rel="prev" { "Previous" span.visually-hidden { " page" } }
                        }
                    }
                    li { span aria-current="page" { span.visually-hidden { "Page " } (page) } }
                    @if p.queue.has_more {
                        li { a href=(p.filters.href(page + 1)) rel="next" { "Next" span.visually-hidden { " page" } } }
                    }
                }
            }
        }
    }
}

fn table(p: &TriagePage) -> Markup {
    html! {
        form.triage-bulk method="post" action="/triage/bulk" novalidate {
            (forms::csrf(p.csrf_token))
            @for (name, value) in p.filters.fields(p.filters.page) {
                input type="hidden" name=(name) value=(value);
            }
            (bulk_controls(p, "top_"))
            p.select-all {
                @if p.bulk.select_all {
                    a href=(format!("{}#queue-title", p.filters.href(p.filters.page))) { "Clear the selection" }
                } @else {
                    a href=(format!("{}&select=all#queue-title", p.filters.href(p.filters.page))) {
                        "Select all " (p.queue.items.len()) " on this page"
                    }
                }
            }
            table #field-ids {
                caption.visually-hidden { "Comments awaiting a response, page " (p.filters.page) }
                thead {
                    tr {
                        th scope="col" { span.visually-hidden { "Select" } }
                        th scope="col" { "Comment" }
                        th scope="col" { "Post" }
                        th scope="col" { "Age" }
                        th scope="col" { "Department" }
                        th scope="col" { "Assigned to" }
                    }
                }
                tbody {
                    @for item in &p.queue.items {
                        (row(item, p.bulk.select_all || p.bulk.selected.contains(&item.id), p.mine.is_some()))
                    }
                }
            }
            (bulk_controls(p, ""))
        }
    }
}

pub fn index(p: &TriagePage, chrome: &Chrome) -> Markup {
    let title = if p.errors.is_empty() { "Triage" } else { "Error: Triage" };
    layout::page(
        title,
        chrome,
        html! {
            (error_summary(p.errors))
            @if let Some(notice) = p.notice { div.success role="status" { p { (notice) } } }
            h1 { "Triage" }
            p.lead {
                "Comments awaiting a response. Select some, then route, assign, acknowledge or close them in one go."
            }
            (filter_form(p))
            h2 #queue-title { "Awaiting a response" }
            @if !p.queue.items.is_empty() {
                (table(p))
            } @else if p.filters.page > 1 && p.queue.cut_off.is_none() {
                p { "There are no more comments here. " a href=(p.filters.href(1)) { "Go to the first page" } "." }
            } @else if p.queue.cut_off.is_none() {
                p { "No comments awaiting a response match these filters." }
            }
            @if let Some(last) = p.queue.cut_off {
                p.notice {
                    "These filters show " (last) " pages at most. To see comments further on, choose one "
                    "department, a post, or the other sort order."
                }
            }
            (pages(p))
        },
    )
}
