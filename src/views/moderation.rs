//! The moderation queue: held, flagged and spam-suspected comments, oldest first,
//! each in context with its author's history and the actions; bulk actions on the
//! selected rows. One form, so it all works without JavaScript.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{error_summary, pagination, timestamp};
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::FieldError;
use crate::read::moderation::{status_label, KeptReply, QueueEntry, QueuePage, Voice};

pub struct ModerationView<'a> {
    pub queue: &'a QueuePage,
    /// Refused official replies by email, kept to post or dismiss.
    pub kept: &'a [KeptReply],
    pub csrf_token: &'a str,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub selected: &'a [i64],
    pub now: NaiveDateTime,
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn entry(e: &QueueEntry, v: &ModerationView) -> Markup {
    let c = &e.item;
    let id = c.id;
    let checkbox = format!("select-{id}");
    let reason = format!("reason-{id}");
    html! {
        li.moderation-item #(format!("held-{id}")) {
            div.checkbox {
                input type="checkbox" id=(checkbox) name="ids" value=(id) checked[v.selected.contains(&id)];
                label for=(checkbox) { "Select the comment by " (c.author_name) }
            }
            p.comment-meta {
                strong.status { (status_label(c.status, c.spam_suspected.unwrap_or(false))) }
                @if let Some(why) = &c.held_reason { " · " (why) }
            }
            p.meta {
                "On " a href=(format!("/posts/{}", c.post_slug)) { (c.post_title) } " · "
                (timestamp(c.created_at, v.now))
            }
            @if let Some((author, words)) = &e.parent {
                blockquote.parent-excerpt { p { "In reply to " strong { (author) } ": " (words) } }
            }
            div.comment-body { (c.body_html) }
            @if !e.reports.is_empty() {
                div.reports {
                    p { strong { (plural(e.reports.len() as i64, "report", "reports")) " from readers:" } }
                    ul {
                        @for (reason, note) in &e.reports {
                            li { (reason) @if !note.is_empty() { ": \u{201c}" (note) "\u{201d}" } }
                        }
                    }
                }
            }
            dl.author-facts {
                dt { "Author" } dd { (c.author_name) @if c.user_id.is_some() { " (has an account)" } }
                dt { "Email" } dd { (c.author_email) }
                dt { "Address" } dd { (c.ip.as_deref().unwrap_or("not kept")) }
                dt { "History" } dd {
                    (plural(e.approved, "comment approved", "comments approved")) ", "
                    (plural(e.rejected, "rejected", "rejected")) ", "
                    (plural(e.spam, "spam", "spam"))
                }
            }
            div.row-actions {
                button.button type="submit" name="act" value=(format!("approve:{id}")) { "Approve" span.visually-hidden { " the comment by " (c.author_name) } }
                button.button.button--secondary type="submit" name="act" value=(format!("spam:{id}")) { "Spam" span.visually-hidden { ": the comment by " (c.author_name) } }
                button.button.button--secondary type="submit" name="act" value=(format!("delete:{id}")) { "Delete" span.visually-hidden { " the comment by " (c.author_name) } }
                a href=(format!("/moderation/{id}/edit")) { "Edit" span.visually-hidden { " the comment by " (c.author_name) } }
            }
            div.reject-row {
                div.form-group {
                    label for=(reason) { "Reason for rejecting" span.visually-hidden { " the comment by " (c.author_name) } }
                    span.hint id=(format!("{reason}-hint")) { "Shown to the author if they have an account." }
                    input type="text" id=(reason) name=(reason) autocomplete="off" aria-describedby=(format!("{reason}-hint"));
                }
                button.button.button--secondary type="submit" name="act" value=(format!("reject:{id}")) { "Reject" span.visually-hidden { " the comment by " (c.author_name) } }
            }
        }
    }
}

pub fn index(v: &ModerationView, chrome: &Chrome) -> Markup {
    let title = if v.errors.is_empty() { "Moderation" } else { "Error: Moderation" };
    let q = v.queue;
    let actions = [
        ("approve".to_owned(), "Approve".to_owned()),
        ("reject".to_owned(), "Reject".to_owned()),
        ("spam".to_owned(), "Mark as spam".to_owned()),
        ("delete".to_owned(), "Delete".to_owned()),
    ];
    layout::page(
        title,
        chrome,
        html! {
            (error_summary(v.errors))
            @if let Some(notice) = v.notice { div.success role="status" { p { (notice) } } }
            h1 { "Moderation" }
            p.lead {
                "Comments held for moderation, hidden by readers' flags, or suspected of spam, oldest first. "
                (plural(q.total, "comment is", "comments are")) " waiting."
            }
            @if q.entries.is_empty() {
                p { "Nothing is waiting for a moderator." }
            } @else {
                form.moderation method="post" action="/moderation" novalidate {
                    (forms::csrf(v.csrf_token))
                    input type="hidden" name="page" value=(q.page);
                    // Enter in a text field presses the form's first button: make that one
                    // do nothing, so typing a reason and pressing Enter never approves a row.
                    button.visually-hidden type="submit" name="act" value="none" tabindex="-1" aria-hidden="true" { "Nothing" }
                    ol.moderation-queue #field-ids {
                        @for e in &q.entries { (entry(e, v)) }
                    }
                    fieldset.bulk-actions {
                        legend { "Do this to the selected comments" }
                        (forms::select(v.errors, Field::new("bulk_action", "Action", ""), &actions))
                        (forms::input(v.errors, Field::new("bulk_reason", "Reason (for Reject)", ""), "text", "off"))
                        button.button type="submit" name="act" value="bulk" { "Apply to selected comments" }
                    }
                }
            }
            (pagination("Pages of the queue", q.page, q.pages, |p| format!("/moderation?page={p}")))
            @if !v.kept.is_empty() { (kept_section(v)) }
        },
    )
}

/// Officials' replies by email that were refused: the text kept, why, and how
/// "Post" would post it. One form per reply (the queue above is one form).
fn kept_section(v: &ModerationView) -> Markup {
    html! {
        section #email-replies aria-labelledby="email-replies-title" {
            h2 #email-replies-title { "Official replies by email that were not posted" }
            p {
                "These came by email from officials and were refused (the reason is given). Nothing they wrote is lost: "
                "post a reply as it is, or dismiss it."
            }
            ol.moderation-queue {
                @for k in v.kept {
                    li.moderation-item #(format!("field-kept-{}", k.id)) {
                        p.comment-meta {
                            strong.status { "Not posted" } " · because " (k.reason)
                        }
                        p.meta {
                            "Received " (timestamp(k.received_at, v.now)) " from " (k.sender)
                            @if let Some((name, email)) = &k.account { " · account: " (name) " (" (email) ")" }
                        }
                        @if let Some(a) = &k.answers {
                            blockquote.parent-excerpt {
                                p {
                                    "In reply to " a href=(format!("/comments/{}", a.comment_id)) { strong { (a.author) } }
                                    " on " a href=(format!("/posts/{}", a.post_slug)) { (a.post_title) } ": " (a.excerpt)
                                }
                            }
                        }
                        pre.kept-text { (k.text) }
                        p {
                            @match &k.voice {
                                Voice::Official(badge) => { "Post would publish it with the badge: " strong { (badge) } "." }
                                Voice::Personal(why) => { "Post would publish it under the person's name, without a badge: " (why) "." }
                            }
                        }
                        form.row-actions method="post" action=(format!("/moderation/email-replies/{}", k.id)) {
                            (forms::csrf(v.csrf_token))
                            button.button type="submit" name="act" value="post" {
                                "Post" span.visually-hidden { " the reply by email from " (k.sender) }
                            }
                            button.button.button--secondary type="submit" name="act" value="dismiss" {
                                "Dismiss" span.visually-hidden { " the reply by email from " (k.sender) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub struct EditView<'a> {
    pub id: i64,
    pub author: &'a str,
    pub body: &'a str,
    pub reason: &'a str,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
    /// Earlier versions: (text before, edited by, by a moderator, when).
    pub history: &'a [(String, String, bool, NaiveDateTime)],
}

pub fn edit(v: &EditView, chrome: &Chrome) -> Markup {
    let title = if v.errors.is_empty() { "Edit a comment" } else { "Error: Edit a comment" };
    layout::page(
        title,
        chrome,
        html! {
            (error_summary(v.errors))
            p.meta { a href="/moderation" { "Back to the moderation queue" } }
            h1 { "Edit the comment by " (v.author) }
            p { "The comment will say it was edited by a moderator. The text before the edit is kept in the audit log." }
            form method="post" action=(format!("/moderation/{}/edit", v.id)) novalidate {
                (forms::csrf(v.csrf_token))
                (forms::textarea(v.errors, Field::new("body", "Comment text", v.body), 10))
                (forms::input(v.errors, Field::new("reason", "Why you edited it (for the audit log)", v.reason), "text", "off"))
                button.button type="submit" { "Save the edit" }
            }
            @if !v.history.is_empty() {
                h2 { "Earlier versions" }
                ol.edit-history {
                    @for (body, by, moderator, at) in v.history {
                        li {
                            p.comment-meta {
                                "Before the edit by " (by) @if *moderator { " (moderator)" } @else { " (the author)" }
                                " on " (crate::domain::time::absolute(*at))
                            }
                            pre.kept-text { (body) }
                        }
                    }
                }
            }
        },
    )
}
