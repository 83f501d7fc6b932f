//! A member's own things: their comments (status, edit, delete), editing one, and
//! deleting their account.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{error_summary, timestamp};
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::comment::CommentStatus;
use crate::domain::FieldError;
use crate::read::rows::Comment;

pub struct OwnComment<'a> {
    pub comment: &'a Comment,
    pub post_slug: &'a str,
    pub post_title: &'a str,
    pub reject_reason: Option<&'a str>,
    pub editable: bool,
}

fn status_words(status: CommentStatus) -> &'static str {
    match status {
        CommentStatus::Published => "Published",
        CommentStatus::Pending => "Waiting for moderation",
        CommentStatus::Hidden => "Hidden while a moderator reviews readers' reports",
        CommentStatus::Rejected => "Not published: a moderator rejected it",
        CommentStatus::Spam => "Not published",
        CommentStatus::Deleted => "Deleted",
    }
}

pub fn comments(
    list: &[OwnComment],
    notice: Option<&str>,
    csrf_token: &str,
    chrome: &Chrome,
    now: NaiveDateTime,
) -> Markup {
    layout::page(
        "Your comments",
        chrome,
        html! {
            @if let Some(notice) = notice { div.success role="status" { p { (notice) } } }
            p { a href="/account" { "Back to your account" } }
            h1 { "Your comments" }
            @if list.is_empty() { p { "You have not commented yet." } }
            ol.own-comments {
                @for c in list {
                    li.own-comment #(format!("own-{}", c.comment.id)) {
                        p.comment-meta {
                            "On " a href=(format!("/posts/{}", c.post_slug)) { (c.post_title) } " · "
                            (timestamp(c.comment.created_at, now)) " · "
                            strong.status { (status_words(c.comment.status)) }
                        }
                        @if let Some(reason) = c.reject_reason.filter(|_| c.comment.status == CommentStatus::Rejected) {
                            p.reject-reason { "The moderator's reason: " (reason) }
                        }
                        pre.kept-text { (c.comment.body_md) }
                        @if c.comment.status != CommentStatus::Deleted {
                            div.row-actions {
                                @if c.editable {
                                    a href=(format!("/comments/{}/edit", c.comment.id)) { "Edit" span.visually-hidden { " your comment on " (c.post_title) } }
                                }
                                form.inline-form method="post" action=(format!("/comments/{}/delete", c.comment.id)) {
                                    (forms::csrf(csrf_token))
                                    button.button.button--secondary.button--small type="submit" { "Delete" span.visually-hidden { " your comment on " (c.post_title) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn edit(id: i64, body: &str, until: &str, errors: &[FieldError], csrf_token: &str, chrome: &Chrome) -> Markup {
    let title = if errors.is_empty() { "Edit your comment" } else { "Error: Edit your comment" };
    layout::page(
        title,
        chrome,
        html! {
            (error_summary(errors))
            h1 { "Edit your comment" }
            p { "You can edit it until " (until) ". Moderators can see earlier versions." }
            form method="post" action=(format!("/comments/{id}/edit")) novalidate {
                (forms::csrf(csrf_token))
                (forms::textarea(errors, Field::new("body", "Your comment", body), 8))
                button.button type="submit" { "Save" }
            }
        },
    )
}

pub fn delete_account(errors: &[FieldError], choice: &str, csrf_token: &str, chrome: &Chrome) -> Markup {
    let title = if errors.is_empty() { "Delete your account" } else { "Error: Delete your account" };
    let options = [
        ("keep".to_owned(), "Keep my comments, signed \u{201c}Deleted user\u{201d}".to_owned()),
        (
            "remove".to_owned(),
            "Remove my comments (those with replies stay as \u{201c}comment removed\u{201d})".to_owned(),
        ),
    ];
    layout::page(
        title,
        chrome,
        html! {
            (error_summary(errors))
            h1 { "Delete your account" }
            p { "Your name and email address are erased and you are signed out everywhere. This cannot be undone. You can "
                a href="/account/data.json" { "download your data" } " first." }
            p { "Replies you posted as a verified official stay, with their badge: they are the department's public answer." }
            form method="post" action="/account/delete" novalidate {
                (forms::csrf(csrf_token))
                (forms::radios(errors, "comments", "What should happen to your comments?", &options, choice))
                (forms::input(errors, Field::new("password", "Your password, to confirm", ""), "password", "current-password"))
                button.button.button--warning type="submit" { "Delete my account" }
            }
        },
    )
}
