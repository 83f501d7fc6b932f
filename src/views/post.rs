use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::comment_form::{self, CommentForm};
use super::components::{pagination, timestamp, CommentTree, StoredHtml};
use super::home::comments_label;
use super::layout;
use crate::db::posts::Post;
use crate::domain::comment::CommentDraft;
use crate::services::reading::{PostPage, ThreadPage};

fn post_header(post: &Post, now: NaiveDateTime) -> Markup {
    html! {
        h1 { (post.title) }
        p.meta { (post.author_name) " · " (timestamp(post.published_at, now)) }
    }
}

pub fn post_page(page: &PostPage, csrf_token: &str, now: NaiveDateTime) -> Markup {
    let post = &page.post;
    let slug = post.slug.as_str();
    let title =
        if page.page > 1 { format!("{} (comments page {})", post.title, page.page) } else { post.title.clone() };
    let page_href = |n: usize| format!("/posts/{slug}?page={n}#comments");
    layout::page(
        &title,
        html! {
            article {
                (post_header(post, now))
                div.post-body { (StoredHtml(&post.body_html)) }
            }
            section.comments #comments aria-labelledby="comments-title" {
                h2 #comments-title { (comments_label(page.comment_count)) }
                @if page.pages > 1 {
                    p.meta { "Comments page " (page.page) " of " (page.pages) ". Each page holds whole conversations." }
                }
                (pagination("Pages of comments", page.page, page.pages, page_href))
                @if !page.threads.is_empty() {
                    ol.threads { (CommentTree { slug, nodes: &page.threads, now, replies_allowed: post.comments_open }) }
                }
                @if let Some(more) = &page.continued {
                    p.continue-thread {
                        a href=(format!("/posts/{slug}/threads/{}?page=2", more.thread_id)) {
                            "This conversation continues: read the other " (more.total - more.shown) " replies"
                        }
                    }
                }
                (pagination("Pages of comments", page.page, page.pages, page_href))
                h2 #add-comment { "Add a comment" }
                @if post.comments_open {
                    (comment_form::form(&CommentForm {
                        post,
                        draft: &CommentDraft::default(),
                        errors: &[],
                        csrf_token,
                        replying_to: None,
                    }))
                } @else {
                    (comment_form::closed_with_text(&CommentDraft::default()))
                }
            }
        },
    )
}

/// One long conversation, a page at a time.
pub fn thread_page(page: &ThreadPage, now: NaiveDateTime) -> Markup {
    let post = &page.post;
    let slug = post.slug.as_str();
    let title = format!("A conversation on {} (page {} of {})", post.title, page.page, page.pages);
    let page_href = |n: usize| format!("/posts/{slug}/threads/{}?page={n}", page.thread_id);
    layout::page(
        &title,
        html! {
            p.meta { a href=(format!("/posts/{slug}?page={}#comment-{}", page.post_page, page.thread_id)) { "Back to the post" } }
            h1 { "A conversation on " (post.title) }
            p.meta { (page.total) " comments in this conversation · page " (page.page) " of " (page.pages) }
            (pagination("Pages of this conversation", page.page, page.pages, page_href))
            section.comments aria-label="Comments" {
                ol.threads { (CommentTree { slug, nodes: &page.threads, now, replies_allowed: post.comments_open }) }
            }
            (pagination("Pages of this conversation", page.page, page.pages, page_href))
        },
    )
}
