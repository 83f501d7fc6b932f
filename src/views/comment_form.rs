//! The comment form, on a post page and on its own page (to reply, or when a comment
//! needs correcting).

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{error_for, error_summary, field_id, timestamp, StoredHtml};
use super::layout;
use crate::db::comments::CommentRow;
use crate::db::posts::Post;
use crate::domain::comment::{CommentDraft, BODY_MAX, NAME_MAX};
use crate::domain::{thousands, FieldError};

pub struct CommentForm<'a> {
    pub post: &'a Post,
    pub draft: &'a CommentDraft,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
    pub replying_to: Option<&'a CommentRow>,
}

/// The form itself: name, email, comment, each with its label, hint and error.
pub fn form(f: &CommentForm) -> Markup {
    let action = format!("/posts/{}/comments", f.post.slug);
    let submit = if f.replying_to.is_some() { "Post reply" } else { "Post comment" };
    html! {
        form.comment-form #comment-form method="post" action=(action) novalidate {
            input type="hidden" name="_csrf" value=(f.csrf_token);
            @if let Some(parent) = f.replying_to {
                input type="hidden" name="parent_id" value=(parent.id);
            }
            (text_field(f.errors, "name", "Your name", Some("Shown with your comment."), "text", "name", &f.draft.name, NAME_MAX))
            (text_field(f.errors, "email", "Your email address", Some("Never shown publicly."), "email", "email", &f.draft.email, 254))
            @let body_error = error_for(f.errors, "body");
            div.form-group.form-group--error[body_error.is_some()] {
                label for=(field_id("body")) {
                    @if let Some(parent) = f.replying_to { "Your reply to " (parent.author_name) } @else { "Your comment" }
                }
                span.hint #body-hint {
                    "Up to " (thousands(BODY_MAX)) " characters. You can use Markdown: **bold**, *italic*, [link](https://…), lists."
                }
                @if let Some(message) = body_error {
                    span.error-message #body-error { span.visually-hidden { "Error: " } (message) }
                }
                textarea.input--error[body_error.is_some()] id=(field_id("body")) name="body" rows="8"
                    aria-describedby=(describedby("body", body_error.is_some())) { (f.draft.body) }
            }
            button.button type="submit" { (submit) }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn text_field(
    errors: &[FieldError],
    name: &'static str,
    label: &str,
    hint: Option<&str>,
    kind: &str,
    autocomplete: &str,
    value: &str,
    max: usize,
) -> Markup {
    let error = error_for(errors, name);
    html! {
        div.form-group.form-group--error[error.is_some()] {
            label for=(field_id(name)) { (label) }
            @if let Some(hint) = hint { span.hint id=(format!("{name}-hint")) { (hint) } }
            @if let Some(message) = error {
                span.error-message id=(format!("{name}-error")) { span.visually-hidden { "Error: " } (message) }
            }
            input.input--error[error.is_some()] type=(kind) id=(field_id(name)) name=(name) value=(value)
                autocomplete=(autocomplete) spellcheck="false" data-max=(max)
                aria-describedby=(describedby(name, error.is_some()));
        }
    }
}

fn describedby(name: &str, has_error: bool) -> String {
    if has_error {
        format!("{name}-hint {name}-error")
    } else {
        format!("{name}-hint")
    }
}

/// The form on a page of its own: for a reply (showing the comment it answers), or
/// shown again with what went wrong and everything typed kept.
pub fn page(f: &CommentForm, now: NaiveDateTime) -> Markup {
    let heading = match f.replying_to {
        Some(parent) => format!("Reply to {}", parent.author_name),
        None => "Add a comment".to_owned(),
    };
    let title = if f.errors.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    layout::page(
        &title,
        html! {
            (error_summary(f.errors))
            p.meta { "On " a href=(format!("/posts/{}", f.post.slug)) { (f.post.title) } }
            h1 { (heading) }
            @if let Some(parent) = f.replying_to {
                section.replying-to aria-label="The comment you are replying to" {
                    p.comment-meta {
                        span.author { (parent.author_name) } " · "
                        a href=(format!("/comments/{}", parent.id)) { (timestamp(parent.shown_at(), now)) }
                    }
                    div.comment-body { (StoredHtml(&parent.body_html)) }
                }
            }
            @if f.post.comments_open {
                (form(f))
            } @else {
                (closed_with_text(f.draft))
            }
        },
    )
}

/// Comments are closed: say so, and give back anything that was typed.
pub fn closed_with_text(draft: &CommentDraft) -> Markup {
    html! {
        div.notice #comments-closed { p { "Comments are closed on this post." } }
        @if !draft.body.trim().is_empty() {
            h2 { "Your text" }
            p { "Your comment was not posted. Here is what you wrote, so you can keep a copy:" }
            pre.kept-text #field-body { (draft.body) }
        }
    }
}
