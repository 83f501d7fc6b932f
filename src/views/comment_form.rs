//! The comment form, on a post page and on its own page (to reply, or when a comment
//! needs correcting).

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{error_summary, timestamp};
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::comment::{CommentDraft, BODY_MAX};
use crate::domain::{thousands, FieldError};
use crate::read::comment_responses::AnswerChoices;
use crate::read::rows::CommentRow;
use crate::read::rows::Post;

/// Who the form is for: a guest types a name and email; a member is known, and an
/// official chooses whether to post with a badge.
#[derive(Clone, Copy)]
pub enum FormAuthor<'a> {
    Guest,
    Member {
        name: &'a str,
        /// (official role id, "Title, Department") for each role in force.
        official_roles: &'a [(i64, String)],
        /// For officials: a short list of comments on the post still open that the
        /// reply may also answer.
        answerable: &'a AnswerChoices,
    },
}

pub struct CommentForm<'a> {
    pub post: &'a Post,
    pub draft: &'a CommentDraft,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
    /// The signed time the form is drawn (see `web::spam`).
    pub stamp: &'a str,
    /// The notice of a comment freeze in force, shown instead of the form.
    pub closed_notice: Option<&'a str>,
    pub replying_to: Option<&'a CommentRow>,
    pub author: FormAuthor<'a>,
}

/// The choices an official has: each official role, or a personal comment.
fn post_as_options(roles: &[(i64, String)], replying: bool) -> Vec<(String, String)> {
    let verb = if replying { "Reply" } else { "Comment" };
    roles
        .iter()
        .map(|(id, label)| (id.to_string(), format!("{verb} as {label} (verified official badge)")))
        .chain(std::iter::once(("personal".to_owned(), format!("{verb} as yourself, without a badge"))))
        .collect()
}

/// The form itself: who is writing, and the comment.
/// The id of the comment form's first field, where "Add a comment" links land focus.
pub fn first_field(author: &FormAuthor) -> &'static str {
    match author {
        FormAuthor::Guest => "field-name",
        FormAuthor::Member { .. } => "field-body",
    }
}

pub fn form(f: &CommentForm) -> Markup {
    let action = format!("/posts/{}/comments", f.post.slug);
    let submit = if f.replying_to.is_some() { "Post reply" } else { "Post comment" };
    let body_label = match f.replying_to {
        Some(parent) => format!("Your reply to {}", parent.author_name),
        None => "Your comment".to_owned(),
    };
    let body_hint = format!(
        "Up to {} characters. You can use Markdown: **bold**, *italic*, [link](https://…), lists.",
        thousands(BODY_MAX)
    );
    html! {
        form.comment-form #comment-form method="post" action=(action) novalidate {
            (forms::csrf(f.csrf_token))
            input type="hidden" name="form_stamp" value=(f.stamp);
            // People never see this field; automated posters fill it in.
            div.hp aria-hidden="true" {
                label for="field-website" { "Leave this field empty" }
                input type="text" id="field-website" name="website" value="" tabindex="-1" autocomplete="off";
            }
            @if let Some(parent) = f.replying_to {
                input type="hidden" name="parent_id" value=(parent.id);
            }
            @match &f.author {
                FormAuthor::Guest => {
                    (forms::input(f.errors, Field::new("name", "Your name", &f.draft.name).hint("Shown with your comment."), "text", "name"))
                    (forms::input(f.errors, Field::new("email", "Your email address", &f.draft.email).hint("Never shown publicly."), "email", "email"))
                }
                FormAuthor::Member { name, official_roles, answerable } => {
                    p.as-member { "You are signed in as " strong { (name) } "." }
                    @if !official_roles.is_empty() {
                        (forms::radios(f.errors, "as_official", "Post as", &post_as_options(official_roles, f.replying_to.is_some()), &f.draft.as_official))
                        (also_answers(f, answerable))
                    }
                }
            }
            (forms::textarea(f.errors, Field::new("body", &body_label, &f.draft.body).hint(&body_hint), 8))
            @if matches!(f.author, FormAuthor::Guest) {
                (forms::checkbox("email_me", "yes", "Email me when someone replies", Some("We will send a link to confirm your address first. Every email has an unsubscribe link."), f.draft.email_me))
            }
            button.button type="submit" { (submit) }
        }
    }
}

/// "This official reply also answers": a short list (chosen, then this conversation,
/// then comments routed to the official's departments) and a search that redraws the
/// form with everything typed kept (the "Find" button posts it back without sending).
fn also_answers(f: &CommentForm, choices: &AnswerChoices) -> Markup {
    let open = !f.draft.also_answers.is_empty() || !choices.search.is_empty();
    html! {
        details.also-answers #also-answers open[open] {
            summary { "This official reply also answers other comments (optional)" }
            @if choices.items.is_empty() {
                p { @if choices.search.is_empty() { "No other comment in this conversation or routed to your department is waiting for a response." } @else { "No open comment matches “" (choices.search) "”." } }
            } @else {
                fieldset.checkboxes {
                    legend { "Tick comments on this post that raise the same point: they will be marked answered by this reply." }
                    @for c in &choices.items {
                        @let field = format!("also-answers-{}", c.id);
                        div.checkbox {
                            input type="checkbox" id=(field) name="also_answers" value=(c.id) checked[f.draft.also_answers.contains(&c.id)];
                            label for=(field) { strong { (c.author) } ": " (c.excerpt) " " span.meta { "(" (c.why.label()) ")" } }
                        }
                    }
                }
            }
            @if choices.more > 0 {
                p.meta { (choices.more) " more open comments are not listed: search for them, or select them in the triage queue." }
            }
            div.also-search {
                (forms::input(f.errors, Field::new("also_search", "Find other comments on this post", &choices.search).hint("Words from the comment or its author’s name."), "search", "off"))
                button.button.button--secondary type="submit" name="find" value="1" formnovalidate { "Find comments" }
            }
        }
    }
}

/// The form on a page of its own: for a reply (showing the comment it answers), or
/// shown again with what went wrong and everything typed kept.
pub fn page(f: &CommentForm, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    let heading = match f.replying_to {
        Some(parent) => format!("Reply to {}", parent.author_name),
        None => "Add a comment".to_owned(),
    };
    let title = if f.errors.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    layout::page(
        &title,
        chrome,
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
                    div.comment-body { (parent.body_html) }
                }
            }
            @if f.post.comments_open {
                (form(f))
            } @else {
                (closed_with_text(f.draft, f.closed_notice))
            }
        },
    )
}

/// Comments are closed: say so, and give back anything that was typed.
/// `notice`: a freeze's own words, instead of the plain "closed".
pub fn closed_with_text(draft: &CommentDraft, notice: Option<&str>) -> Markup {
    html! {
        div.notice #comments-closed { p { (notice.unwrap_or("Comments are closed on this post.")) } }
        @if !draft.body.trim().is_empty() {
            h2 { "Your text" }
            p { "Your comment was not posted. Here is what you wrote, so you can keep a copy:" }
            pre.kept-text #field-body { (draft.body) }
        }
    }
}
