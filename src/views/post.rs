use chrono::NaiveDateTime;
use maud::{html, Markup, Render};

use super::comment_form::{self, CommentForm, FormAuthor};
use super::components::{pagination, timestamp, CommentTree, CommentView, RenderedHtml};
use super::fragments::FragmentCache;
use super::home::comments_label;
use super::layout::{self, Chrome};
use super::subscriptions::{follow_form, FollowForm};
use crate::domain::comment::CommentDraft;
use crate::domain::response::ResponseState;
use crate::read::reading::{CommentsPage, HeldComment, OfficialReplies, StateList, ThreadPage};
use crate::read::rows::Post;
use crate::read::standing::CommentTotals;

fn post_article(post: &Post, categories: &[String], now: NaiveDateTime) -> Markup {
    html! {
        article {
            h1 { (post.title) }
            p.meta { (post.author_name) " · " (timestamp(post.published_at, now)) }
            @if !categories.is_empty() {
                p.categories { "Filed under: " (categories.join(", ")) }
            }
            div.post-body { (post.body_html) }
        }
    }
}

/// Which comments a post page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentFilter {
    All,
    Awaiting,
    Answered,
    Official,
}

/// Links to each view of the comments; the current one is marked.
fn filters(slug: &str, current: CommentFilter) -> Markup {
    let views = [
        (CommentFilter::All, format!("/posts/{slug}#comments"), "All comments"),
        (CommentFilter::Awaiting, format!("/posts/{slug}?show=awaiting#comments"), "Awaiting response"),
        (CommentFilter::Answered, format!("/posts/{slug}?show=answered#comments"), "Answered"),
        (CommentFilter::Official, format!("/posts/{slug}?show=official#comments"), "Official replies only"),
    ];
    html! {
        nav aria-label="Show comments" {
            ul.filters {
                @for (filter, href, label) in views {
                    li {
                        @if filter == current {
                            a href=(href) aria-current="page" { (label) }
                        } @else {
                            a href=(href) { (label) }
                        }
                    }
                }
            }
        }
    }
}

/// "N comments · A answered · W awaiting · O overdue": has anyone seen a response?
fn summary_line(totals: &CommentTotals) -> Markup {
    let asked = totals.comments - totals.official_replies;
    html! {
        p.comment-summary #comment-summary {
            strong { (asked) " " (if asked == 1 { "comment" } else { "comments" }) " from readers" }
            " · " (totals.answered) " answered"
            @if totals.acknowledged > 0 { " · " (totals.acknowledged) " acknowledged" }
            @if totals.referred > 0 { " · " (totals.referred) " referred" }
            " · " (totals.awaiting) " awaiting a response"
            " · " (totals.overdue) " overdue"
            @if totals.no_response_recorded > 0 {
                " · " (totals.no_response_recorded) " with no response recorded (imported history)"
            }
            @if totals.official_replies > 0 {
                " · " (totals.official_replies) " official " (if totals.official_replies == 1 { "reply" } else { "replies" })
            }
        }
    }
}

pub struct PostView<'a> {
    pub chrome: &'a Chrome,
    pub author: FormAuthor<'a>,
    pub csrf_token: &'a str,
    /// A signed-in reader's address, for "Follow this post".
    pub member_email: Option<&'a str>,
    pub stamp: &'a str,
    /// The notice of a comment freeze in force (the post is shown closed).
    pub closed_notice: Option<&'a str>,
    /// This browser's comments on the post that wait for a moderator.
    pub held: &'a [HeldComment],
    /// The comment this reader has just posted, when it is one of `held`.
    pub just_posted: Option<i64>,
    pub now: NaiveDateTime,
    pub categories: &'a [String],
}

/// "Your comment is waiting for moderation", with the comment, for its author only.
pub fn held_comments(held: &[HeldComment], just_posted: Option<i64>, now: NaiveDateTime) -> Markup {
    html! {
        @if !held.is_empty() {
            section.held-comments aria-labelledby="held-title" {
                h2 #held-title { "Waiting for moderation" }
                p { "Only you can see these comments until a moderator publishes them." }
                ol.threads {
                    @for c in held {
                        li {
                            article.comment.held #(format!("held-{}", c.id)) {
                                p.comment-meta {
                                    span.author { (c.author_name) } " · " (timestamp(c.created_at, now))
                                    " · " strong.status { "Waiting for moderation" }
                                }
                                div.comment-body { (c.body_html) }
                                @if just_posted == Some(c.id) {
                                    div.success.posted-notice role="status" {
                                        p { "Thank you: your comment was received and is waiting for a moderator. It will appear for everyone once it is published; until then only you can see it here." }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The comments of one page of a post: count, filters, pages, threads. The same for
/// every reader, so it can be rendered once and reused until the comments change.
/// Drawn into one buffer sized for it: a page can hold hundreds of comments.
pub fn comments_section(post: &Post, page: &CommentsPage, fragments: Option<&FragmentCache>) -> Markup {
    CommentsSection { post, page, fragments }.render()
}

struct CommentsSection<'a> {
    post: &'a Post,
    page: &'a CommentsPage,
    fragments: Option<&'a FragmentCache>,
}

impl Render for CommentsSection<'_> {
    fn render_to(&self, buffer: &mut String) {
        let (post, page, section) = (self.post, self.page, &self.page.section);
        let slug = post.slug.as_str();
        let page_href = |n: usize| format!("/posts/{slug}?page={n}#comments");
        buffer.reserve(section.html_size);
        html! {
            h2 #comments-title { (comments_label(section.comment_count)) }
            (summary_line(&page.summary))
            (filters(slug, CommentFilter::All))
            @if section.pages > 1 {
                p.meta { "Comments page " (page.page) " of " (section.pages) ". Each page holds whole conversations." }
            }
            (pagination("Pages of comments", page.page, section.pages, page_href))
        }
        .render_to(buffer);
        if !section.threads.is_empty() {
            buffer.push_str("<ol class=\"threads\">");
            let tree = CommentTree {
                slug,
                nodes: &section.threads,
                standing: &page.standing,
                replies_allowed: post.comments_open,
                fragments: self.fragments,
            };
            tree.render_to(buffer);
            buffer.push_str("</ol>");
        }
        html! {
            @if let Some(more) = &section.continued {
                p.continue-thread {
                    a href=(format!("/posts/{slug}/threads/{}?page=2", more.thread_id)) {
                        "This conversation continues: read the other " (more.total - more.shown) " replies"
                    }
                }
            }
            (pagination("Pages of comments", page.page, section.pages, page_href))
        }
        .render_to(buffer);
    }
}

/// Where "Add a comment" goes: the form's first field (following the link puts focus
/// there), or the heading that says comments are closed.
pub fn comment_form_href(post: &Post, author: &FormAuthor) -> String {
    if post.comments_open {
        format!("#{}", comment_form::first_field(author))
    } else {
        "#add-comment".to_owned()
    }
}

/// A post page: the post, its comments section (rendered by `comments_section`), and
/// the form to add a comment.
pub fn post_page(post: &Post, page: usize, comments_html: &RenderedHtml, view: PostView) -> Markup {
    let title = if page > 1 { format!("{} (comments page {page})", post.title) } else { post.title.clone() };
    let chrome = view.chrome;
    layout::page(&title, chrome, PostMain { post, comments_html, view })
}

/// The post page's content, written straight into the page's buffer: the comments
/// section (half a megabyte for 500 comments) is copied once, not once per level.
struct PostMain<'a> {
    post: &'a Post,
    comments_html: &'a RenderedHtml,
    view: PostView<'a>,
}

impl Render for PostMain<'_> {
    fn render_to(&self, buffer: &mut String) {
        let (post, view) = (self.post, &self.view);
        let draft = CommentDraft::default();
        let to_form = comment_form_href(post, &view.author);
        buffer.reserve(self.comments_html.as_str().len() + 32 * 1024);
        html! {
            (post_article(post, view.categories, view.now))
            p.add-comment-link { a href=(to_form) { "Add a comment" } " · " a href="#comments-title" { "Read the comments" } }
        }
        .render_to(buffer);
        buffer.push_str("<section class=\"comments\" id=\"comments\" aria-labelledby=\"comments-title\">");
        held_comments(view.held, view.just_posted, view.now).render_to(buffer);
        self.comments_html.render_to(buffer);
        html! {
            h2 #add-comment { "Add a comment" }
            @if post.comments_open {
                (comment_form::form(&CommentForm {
                    post,
                    draft: &draft,
                    errors: &[],
                    csrf_token: view.csrf_token,
                    stamp: view.stamp,
                    closed_notice: None,
                    replying_to: None,
                    author: view.author,
                }))
            } @else {
                (comment_form::closed_with_text(&draft, view.closed_notice))
            }
            h2 #follow { "Follow by email" }
            (follow_form(&FollowForm {
                slug: &post.slug,
                thread_id: None,
                member_email: view.member_email,
                email: "",
                errors: &[],
                csrf_token: view.csrf_token,
            }))
        }
        .render_to(buffer);
        buffer.push_str("</section>");
    }
}

/// "Official replies only": each official reply under the comment it answers.
pub fn official_replies_page(page: &OfficialReplies, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    let post = &page.post;
    let slug = post.slug.as_str();
    let view = CommentView { slug, standing: &page.standing, replies_allowed: false };
    // A comment answered twice, or an official reply that is answered in turn, is drawn
    // once (ids stay unique); later pairs point back to it.
    let mut drawn = std::collections::HashSet::new();
    let first_time: Vec<(bool, bool)> = page
        .pairs
        .iter()
        .map(|p| (p.answered.as_ref().is_none_or(|a| drawn.insert(a.id)), drawn.insert(p.reply.id)))
        .collect();
    layout::page(
        &format!("{} (official replies)", post.title),
        chrome,
        html! {
            (post_article(post, &[], now))
            section.comments #comments aria-labelledby="comments-title" {
                h2 #comments-title { (comments_label(page.comment_count)) }
                (filters(slug, CommentFilter::Official))
                @if page.pairs.is_empty() {
                    p #no-official-replies { "No official has replied on this post yet." }
                } @else {
                    p.meta { (page.pairs.len()) " official " (if page.pairs.len() == 1 { "reply" } else { "replies" }) ", each under the comment it answers." }
                    ol.threads {
                        @for (pair, (answered_new, reply_new)) in page.pairs.iter().zip(first_time) {
                            li.answered-pair {
                                @if let Some(answered) = &pair.answered {
                                    @if answered_new { (view.article(answered, false)) } @else { (shown_above(answered)) }
                                    ol.replies { li { @if reply_new { (view.article(&pair.reply, false)) } @else { (shown_above(&pair.reply)) } } }
                                } @else if reply_new {
                                    (view.article(&pair.reply, false))
                                } @else {
                                    (shown_above(&pair.reply))
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A comment this page already shows, named with a link to it.
fn shown_above(c: &crate::read::rows::CommentRow) -> Markup {
    html! { p.in-reply-to { a href=(format!("#comment-{}", c.id)) { "The comment by " (c.author_name) } ", shown above" } }
}

/// One long conversation, a page at a time.
pub fn thread_page(page: &ThreadPage, chrome: &Chrome, fragments: Option<&FragmentCache>) -> Markup {
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
                ol.threads { (CommentTree { slug, nodes: &page.threads, standing: &page.standing, replies_allowed: post.comments_open, fragments }) }
            }
            (pagination("Pages of this conversation", page.page, page.pages, page_href))
        },
    )
}

/// "Awaiting response" or "Answered": the post's comments in that state, each linked
/// to its place in the conversation.
pub fn state_list_page(list: &StateList, chrome: &Chrome) -> Markup {
    let post = &list.post;
    let slug = post.slug.as_str();
    let (filter, heading) = match list.state {
        ResponseState::Answered => (CommentFilter::Answered, "Answered comments"),
        _ => (CommentFilter::Awaiting, "Comments awaiting a response"),
    };
    let view = CommentView { slug, standing: &list.standing, replies_allowed: false };
    let show = list.state.as_str();
    layout::page(
        &format!("{} ({})", post.title, heading.to_lowercase()),
        chrome,
        html! {
            (post_article(post, &[], list.standing.now))
            section.comments #comments aria-labelledby="comments-title" {
                h2 #comments-title { (heading) }
                (summary_line(&list.summary))
                (filters(slug, filter))
                @if list.rows.is_empty() {
                    p #no-comments-in-state { "There are none." }
                } @else {
                    (pagination("Pages of comments", list.page, list.pages, |n| format!("/posts/{slug}?show={show}&page={n}#comments")))
                    ol.threads {
                        @for row in &list.rows {
                            li {
                                (view.article(row, row.parent_id.is_some()))
                                p.meta { a href=(format!("/comments/{}", row.id)) { "See it in the conversation" } }
                            }
                        }
                    }
                    (pagination("Pages of comments", list.page, list.pages, |n| format!("/posts/{slug}?show={show}&page={n}#comments")))
                }
            }
        },
    )
}
