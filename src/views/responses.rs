//! One comment's responses: where it stands, its history, and the actions open to
//! moderators and the officials of its department.

use maud::{html, Markup};

use super::components::{error_summary, CommentView};
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::response::NO_RESPONSE_REASONS;
use crate::domain::{time, FieldError};
use crate::read::comment_responses::ResponsesPage;

/// What was typed into one of the forms, kept when it is shown again.
#[derive(Default)]
pub struct Typed {
    pub action: String,
    pub note: String,
    pub referred_to: String,
    pub reason: String,
}

pub struct ResponsesView<'a> {
    pub page: &'a ResponsesPage,
    pub errors: &'a [FieldError],
    pub typed: &'a Typed,
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

fn event_text(kind: &str, from: Option<&str>, to: Option<&str>) -> String {
    let label = |v: Option<&str>, none: &str| match v {
        Some(s) => {
            crate::domain::response::ResponseState::parse(s).map_or_else(|| s.to_owned(), |st| st.label().to_owned())
        }
        None => none.to_owned(),
    };
    match kind {
        // A reply acted on for the first time had no state of its own.
        "state" => format!("{} → {}", label(from, "Part of the conversation"), label(to, "nobody")),
        "route" => format!("Routed: {} → {}", from.unwrap_or("unrouted"), to.unwrap_or("unrouted")),
        "assign" => format!("Assigned to {}", to.unwrap_or("nobody")),
        other => other.to_owned(),
    }
}

pub fn responses_page(v: &ResponsesView, chrome: &Chrome) -> Markup {
    let p = v.page;
    let c = &p.comment;
    let heading = format!("Responses to {}’s comment", c.author_name);
    let title = if v.errors.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    let view = CommentView { slug: &p.post.slug, standing: &p.standing, replies_allowed: false };
    let action = format!("/comments/{}/responses", c.id);
    layout::page(
        &title,
        chrome,
        html! {
            (error_summary(v.errors))
            @if let Some(notice) = v.notice { div.success role="status" { p { (notice) } } }
            p.meta { "On " a href=(format!("/posts/{}", p.post.slug)) { (p.post.title) } " · " a href=(format!("/comments/{}", c.id)) { "See it in the conversation" } }
            h1 { (heading) }
            (view.article(&p.row, p.row.parent_id.is_some()))
            @if !c.is_official_reply() {
                dl.standing {
                    dt { "Routed to" }
                    dd { @match p.department(c.department_id) { Some(d) => { (d.name) " (" (d.acronym) ")" }, None => { "Not routed yet" } } }
                    @if c.department_id.is_none() {
                        @if let Some(suggested) = p.department(c.suggested_department_id) {
                            dt { "Suggested" } dd { (suggested.name) " (" (suggested.acronym) "), because the comment mentions it" }
                        }
                    }
                    dt { "Assigned to" } dd { (p.assigned_name.as_deref().unwrap_or("Nobody")) }
                }
            }
            h2 #history { "History" }
            @if p.events.is_empty() {
                p { "Nothing has changed since it was posted." }
            } @else {
                table {
                    caption.visually-hidden { "Every change to this comment’s response, oldest first" }
                    thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Note" } } }
                    tbody {
                        @for e in &p.events {
                            tr {
                                td { time datetime=(time::iso(e.created_at)) { (time::absolute(e.created_at)) } }
                                td { (e.actor_name) }
                                td { (event_text(&e.kind, e.from_value.as_deref(), e.to_value.as_deref())) }
                                td { (e.note.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            @if p.can_respond() {
                h2 #respond { "Respond" }
                form method="post" action=(action) novalidate {
                    (forms::csrf(v.csrf_token))
                    (forms::radios(v.errors, "action", "What has happened?", &action_options(p.can_moderate()), &v.typed.action))
                    (forms::textarea(v.errors, Field::new("note", "Public note (optional)", &v.typed.note).hint("Shown with the comment’s state, for example what happens next."), 3))
                    (forms::input(v.errors, Field::new("referred_to", "Referred to (when referring)", &v.typed.referred_to).hint("A department, a service like HR service desk, or a web address."), "text", "off"))
                    @if p.can_moderate() {
                        (forms::select(v.errors, Field::new("reason", "Reason no response is needed (when marking it)", &v.typed.reason), &reason_options()))
                    }
                    button.button type="submit" { "Save" }
                }
                (assign_form(v))
            }
            @if p.can_moderate() && !c.is_official_reply() {
                (route_form(v))
            }
            @if p.can_link_answers() {
                (link_answers_form(v))
            }
        },
    )
}

fn action_options(moderator: bool) -> Vec<(String, String)> {
    let mut options = vec![
        ("acknowledge".to_owned(), "Acknowledged: we have seen it and are looking into it".to_owned()),
        ("refer".to_owned(), "Referred to another department or channel".to_owned()),
    ];
    if moderator {
        options.push(("no_response_needed".to_owned(), "No response needed".to_owned()));
    }
    options.push(("reopen".to_owned(), "Reopen: back to awaiting a response".to_owned()));
    options
}

fn reason_options() -> Vec<(String, String)> {
    std::iter::once((String::new(), "Choose a reason".to_owned()))
        .chain(NO_RESPONSE_REASONS.iter().map(|(k, label)| ((*k).to_owned(), (*label).to_owned())))
        .collect()
}

fn assign_form(v: &ResponsesView) -> Markup {
    let p = v.page;
    let chosen = p.comment.assigned_to.map(|id| id.to_string()).unwrap_or_default();
    let options: Vec<(String, String)> = std::iter::once((String::new(), "Nobody".to_owned()))
        .chain(p.assignable.iter().map(|o| (o.user_id.to_string(), format!("{}, {}", o.user_name, o.title))))
        .collect();
    html! {
        @if p.comment.department_id.is_some() {
            h2 #assign { "Assign" }
            form method="post" action=(format!("/comments/{}/assign", p.comment.id)) novalidate {
                (forms::csrf(v.csrf_token))
                (forms::select(v.errors, Field::new("assignee", "Official who will answer", &chosen), &options))
                button.button.button--secondary type="submit" { "Assign" }
            }
        }
    }
}

fn route_form(v: &ResponsesView) -> Markup {
    let p = v.page;
    let chosen =
        p.comment.department_id.or(p.comment.suggested_department_id).map(|id| id.to_string()).unwrap_or_default();
    let options: Vec<(String, String)> = std::iter::once((String::new(), "Not routed".to_owned()))
        .chain(p.departments.iter().map(|d| (d.id.to_string(), format!("{} ({})", d.name, d.acronym))))
        .collect();
    html! {
        h2 #route { "Route" }
        form method="post" action=(format!("/comments/{}/route", p.comment.id)) novalidate {
            (forms::csrf(v.csrf_token))
            (forms::select(v.errors, Field::new("department", "Department that should respond", &chosen), &options))
            button.button.button--secondary type="submit" { "Route" }
        }
    }
}

fn link_answers_form(v: &ResponsesView) -> Markup {
    let p = v.page;
    html! {
        h2 #also-answers { "This reply also answers" }
        @if p.answerable.items.is_empty() {
            p { "No other comment in this conversation or routed to the department is waiting for a response." }
        } @else {
            form method="post" action=(format!("/comments/{}/answers", p.comment.id)) novalidate {
                (forms::csrf(v.csrf_token))
                fieldset.checkboxes {
                    legend { "Tick the comments on this post that raise the same point. They will be marked answered by this reply." }
                    @for c in &p.answerable.items {
                        @let id = format!("also-answers-{}", c.id);
                        div.checkbox {
                            input type="checkbox" id=(id) name="also_answers" value=(c.id);
                            label for=(id) { strong { (c.author) } ": " (c.excerpt) " " span.meta { "(" (c.why.label()) ")" } }
                        }
                    }
                }
                button.button type="submit" { "Mark them answered" }
            }
            @if p.answerable.more > 0 {
                p.meta { (p.answerable.more) " more open comments are not listed. To answer them with this reply, select them in the triage queue." }
            }
        }
    }
}
