use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::comment_form::{self, CommentForm, FormAuthor};
use super::components::{comment_article, pagination, timestamp, CommentTree, StoredHtml};
use super::home::comments_label;
use super::layout::{self, Chrome};
use crate::db::posts::Post;
use crate::domain::comment::CommentDraft;
use crate::services::reading::{CommentsPage, OfficialReplies, ThreadPage};

fn post_article(post: &Post, now: NaiveDateTime) -> Markup {
    html! {
        article {
            h1 { (post.title) }
            p.meta { (post.author_name) " · " (timestamp(post.published_at, now)) }
            div.post-body { (StoredHtml(&post.body_html)) }
        }
    }
}

/// Which comments a post page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentFilter {
    All,
    Official,
}

/// Links to each view of the comments; the current one is marked.
fn filters(slug: &str, current: CommentFilter) -> Markup {
    let link = |filter: CommentFilter, href: String, label: &str| {
        html! {
            li {
                @if filter == current {
                    a href=(href) aria-current="page" { (label) }
                } @else {
                    a href=(href) { (label) }
                }
            }
        }
    };
    html! {
        nav aria-label="Show comments" {
            ul.filters {
                (link(CommentFilter::All, format!("/posts/{slug}#comments"), "All comments"))
                (link(CommentFilter::Official, format!("/posts/{slug}?show=official#comments"), "Official replies only"))
            }
        }
    }
}

pub struct PostView<'a> {
    pub chrome: &'a Chrome,
    pub author: FormAuthor<'a>,
    pub csrf_token: &'a str,
    pub now: NaiveDateTime,
}

/// The comments of one page of a post: count, filters, pages, threads. The same for
/// every reader, so it can be rendered once and reused until the comments change.
pub fn comments_section(post: &Post, page: &CommentsPage, now: NaiveDateTime) -> Markup {
    let slug = post.slug.as_str();
    let page_href = |n: usize| format!("/posts/{slug}?page={n}#comments");
    html! {
        h2 #comments-title { (comments_label(page.comment_count)) }
        (filters(slug, CommentFilter::All))
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
    }
}

/// A post page: the post, its comments section (rendered by `comments_section`), and
/// the form to add a comment.
pub fn post_page(post: &Post, page: usize, comments_html: &str, view: PostView) -> Markup {
    let title = if page > 1 { format!("{} (comments page {page})", post.title) } else { post.title.clone() };
    let draft = CommentDraft::default();
    layout::page(
        &title,
        view.chrome,
        html! {
            (post_article(post, view.now))
            section.comments #comments aria-labelledby="comments-title" {
                (StoredHtml(comments_html))
                h2 #add-comment { "Add a comment" }
                @if post.comments_open {
                    (comment_form::form(&CommentForm {
                        post,
                        draft: &draft,
                        errors: &[],
                        csrf_token: view.csrf_token,
                        replying_to: None,
                        author: view.author,
                    }))
                } @else {
                    (comment_form::closed_with_text(&draft))
                }
            }
        },
    )
}

/// "Official replies only": each official reply under the comment it answers.
pub fn official_replies_page(page: &OfficialReplies, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    let post = &page.post;
    let slug = post.slug.as_str();
    layout::page(
        &format!("{} (official replies)", post.title),
        chrome,
        html! {
            (post_article(post, now))
            section.comments #comments aria-labelledby="comments-title" {
                h2 #comments-title { (comments_label(page.comment_count)) }
                (filters(slug, CommentFilter::Official))
                @if page.pairs.is_empty() {
                    p #no-official-replies { "No official has replied on this post yet." }
                } @else {
                    p.meta { (page.pairs.len()) " official " (if page.pairs.len() == 1 { "reply" } else { "replies" }) ", each under the comment it answers." }
                    ol.threads {
                        @for pair in &page.pairs {
                            li.answered-pair {
                                @if let Some(answered) = &pair.answered {
                                    (comment_article(slug, answered, false, now, false))
                                    ol.replies { li { (comment_article(slug, &pair.reply, false, now, false)) } }
                                } @else {
                                    (comment_article(slug, &pair.reply, false, now, false))
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// One long conversation, a page at a time.
pub fn thread_page(page: &ThreadPage, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    let post = &page.post;
    let slug = post.slug.as_str();
    let title = format!("A conversation on {} (page {} of {})", post.title, page.page, page.pages);
    let page_href = |n: usize| format!("/posts/{slug}/threads/{}?page={n}", page.thread_id);
    layout::page(
        &title,
        chrome,
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
