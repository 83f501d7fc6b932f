use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{pagination, timestamp};
use super::layout::{self, Chrome};
use crate::read::reading::HomePage;

pub fn home(page: &HomePage, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    layout::page(
        "Posts",
        chrome,
        html! {
            h1 { "Posts" }
            @if page.posts.is_empty() {
                p { "Nothing has been posted yet." }
            } @else {
                ol.post-list {
                    @for summary in &page.posts {
                        @let post = &summary.post;
                        li {
                            article aria-labelledby=(format!("post-{}", post.id)) {
                                h2 id=(format!("post-{}", post.id)) { a href=(format!("/posts/{}", post.slug)) { (post.title) } }
                                p.meta { (post.author_name) " · " (timestamp(post.published_at, now)) }
                                p.excerpt { (post.excerpt) }
                                p.meta {
                                    a href=(format!("/posts/{}#comments", post.slug)) { (comments_label(summary.comments)) }
                                    @if !post.comments_open { " · Comments closed" }
                                }
                            }
                        }
                    }
                }
            }
            (pagination("Pages of posts", page.page, page.pages, |n| format!("/?page={n}")))
        },
    )
}

pub fn comments_label(count: i64) -> String {
    match count {
        0 => "No comments yet".to_owned(),
        1 => "1 comment".to_owned(),
        n => format!("{n} comments"),
    }
}
