//! Posts: all of them with their states, quick state changes, and the form to write
//! or change one with a server-rendered preview.

use maud::{html, Markup};

use super::{page, success, title, Section};
use crate::domain::markdown::SafeHtml;
use crate::domain::{time, FieldError};
use crate::read::rows::Post;
use crate::views::components::{error_for, error_summary, field_id};
use crate::views::forms::{self, Field};
use crate::views::layout::Chrome;

pub fn notice(done: Option<&str>) -> Option<&'static str> {
    if done == Some("moderation") {
        return Some("The post's pre-moderation was saved.");
    }
    match done? {
        "created" => Some("The post has been saved."),
        "saved" => Some("Your changes have been saved."),
        "published" => Some("The post has been published."),
        "unpublished" => Some("The post has been unpublished. Readers can no longer see it."),
        "opened" => Some("The post is open to new comments."),
        "closed" => Some("The post is closed to new comments."),
        _ => None,
    }
}

/// One post in the list, with its count of published comments.
pub struct PostRow {
    pub post: Post,
    pub comments: i64,
}

/// A one-button form that changes one state of a post.
fn state_button(csrf_token: &str, post: &Post, action: &str, label: &str, warning: bool) -> Markup {
    html! {
        form.inline-form method="post" action=(format!("/admin/posts/{}/{action}", post.id)) {
            (forms::csrf(csrf_token))
            button.button.button--small.button--secondary[!warning].button--warning[warning] type="submit" {
                (label) span.visually-hidden { ": " (post.title) }
            }
        }
    }
}

pub fn index(rows: &[PostRow], notice: Option<&str>, csrf_token: &str, chrome: &Chrome) -> Markup {
    page(
        "Posts",
        chrome,
        Section::Posts,
        html! {
            (success(notice))
            h1 { "Posts" }
            p { a.button href="/admin/posts/new" { "Write a post" } }
            @if rows.is_empty() {
                p { "There are no posts yet." }
            } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "All posts, drafts included" }
                        thead {
                            tr {
                                th scope="col" { "Title" }
                                th scope="col" { "State" }
                                th scope="col" { "Comments" }
                                th scope="col" { "Actions" }
                            }
                        }
                        tbody {
                            @for row in rows {
                                @let post = &row.post;
                                tr {
                                    td {
                                        a href=(format!("/admin/posts/{}/edit", post.id)) { (post.title) }
                                        br;
                                        span.meta { "/posts/" (post.slug) }
                                    }
                                    td {
                                        @if post.published {
                                            "Published" br;
                                            span.meta { time datetime=(time::iso(post.published_at)) { (time::absolute(post.published_at)) } }
                                        } @else {
                                            strong { "Draft" }
                                        }
                                    }
                                    td {
                                        @if post.comments_open { "Open" } @else { "Closed" }
                                        br;
                                        span.meta { (row.comments) " published" }
                                    }
                                    td.actions {
                                        @if post.published {
                                            a href=(format!("/posts/{}", post.slug)) { "View" span.visually-hidden { ": " (post.title) } }
                                            " "
                                            (state_button(csrf_token, post, "unpublish", "Unpublish", true))
                                        } @else {
                                            (state_button(csrf_token, post, "publish", "Publish", false))
                                        }
                                        " "
                                        @if post.comments_open {
                                            (state_button(csrf_token, post, "close-comments", "Close comments", false))
                                        } @else {
                                            (state_button(csrf_token, post, "open-comments", "Open comments", false))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The post form as typed, and the preview when one was asked for.
pub struct PostForm<'a> {
    /// `None` when writing a new post.
    pub id: Option<i64>,
    pub title: &'a str,
    pub slug: &'a str,
    pub body: &'a str,
    pub comments_open: bool,
    pub published: bool,
    /// The email address of the account the byline names, as typed.
    pub author: &'a str,
    /// The byline the stored post shows now (none for a new post).
    pub byline: Option<&'a str>,
    /// Where readers see the post, when it is published.
    pub live_href: Option<String>,
    pub preview: Option<&'a SafeHtml>,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
    /// The post's own pre-moderation mode (`None`: the site's), for a stored post.
    pub moderation: Option<&'a str>,
}

/// The post's own pre-moderation: a separate small form under the post form.
fn moderation_form(id: i64, f: &PostForm) -> Markup {
    let mut options = vec![(String::new(), "Use the site setting".to_owned())];
    options.extend(
        crate::domain::moderation::Premoderation::ALL.iter().map(|m| (m.as_str().to_owned(), m.label().to_owned())),
    );
    html! {
        section aria-labelledby="post-moderation-title" {
            h2 #post-moderation-title { "Pre-moderation for this post" }
            form method="post" action=(format!("/admin/posts/{id}/moderation")) {
                (forms::csrf(f.csrf_token))
                (forms::select(&[], Field::new("moderation", "Which comments on this post wait for a moderator", f.moderation.unwrap_or("")), &options))
                button.button.button--secondary type="submit" { "Save pre-moderation" }
            }
        }
    }
}

fn checkbox(errors: &[FieldError], name: &'static str, label: &str, hint: &str, checked: bool) -> Markup {
    let error = error_for(errors, name);
    let hint_id = format!("{name}-hint");
    html! {
        div.form-group.form-group--error[error.is_some()] {
            @if let Some(message) = error {
                span.error-message id=(format!("{name}-error")) { span.visually-hidden { "Error: " } (message) }
            }
            div.checkbox {
                input type="checkbox" id=(field_id(name)) name=(name) value="yes" checked[checked] aria-describedby=(hint_id);
                label for=(field_id(name)) { (label) }
            }
            span.hint id=(hint_id) { (hint) }
        }
    }
}

/// What the author field does: the byline shows the chosen account's name.
fn author_hint(f: &PostForm) -> String {
    match f.byline {
        Some(byline) => {
            format!("The byline shows the name of this account. It now reads “{byline}”. Leave this blank to keep it.")
        }
        None => "The byline shows the name of this account: yours, unless you enter someone else’s.".to_owned(),
    }
}

fn preview(f: &PostForm) -> Markup {
    html! {
        @if let Some(body) = f.preview {
            section.preview aria-labelledby="preview-title" {
                h2 #preview-title { "Preview" }
                p.meta { "Not saved yet. This is how the post will read." }
                p.preview-post-title { strong { (f.title) } }
                div.post-body { (body) }
            }
        }
    }
}

pub fn form(f: &PostForm, chrome: &Chrome) -> Markup {
    let (heading, action) = match f.id {
        Some(id) => ("Change a post", format!("/admin/posts/{id}/edit")),
        None => ("Write a post", "/admin/posts/new".to_owned()),
    };
    let e = f.errors;
    page(
        &title(heading, e),
        chrome,
        Section::Posts,
        html! {
            (error_summary(e))
            p {
                a href="/admin/posts" { "Back to posts" }
                @if let Some(href) = &f.live_href { " · " a href=(href) { "View the post" } }
            }
            h1 { (heading) }
            (preview(f))
            form method="post" action=(action) novalidate {
                (forms::csrf(f.csrf_token))
                (forms::input(e, Field::new("title", "Title", f.title), "text", "off"))
                (forms::input(e, Field::new("slug", "Slug (optional)", f.slug)
                    .hint("The post's web address: /posts/ then this. Lower-case letters, digits and hyphens. Leave it blank to make one from the title."), "text", "off"))
                (forms::textarea(e, Field::new("body", "Body", f.body)
                    .hint("Markdown: a blank line between paragraphs, **bold**, _italic_, [link text](https://…), - for a list, # for a heading."), 20))
                (forms::input(e, Field::new("author", "Author (email address of their account)", f.author).hint(&author_hint(f)), "email", "off"))
                (checkbox(e, "comments_open", "Open to comments", "Readers can comment and reply.", f.comments_open))
                (checkbox(e, "published", "Published", "Readers can see it. Leave this unticked to keep a draft.", f.published))
                div.button-group {
                    button.button type="submit" name="action" value="save" { "Save post" }
                    " "
                    button.button.button--secondary type="submit" name="action" value="preview" { "Preview" }
                }
            }
            @if let Some(id) = f.id { (moderation_form(id, f)) }
        },
    )
}
