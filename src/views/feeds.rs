//! Atom 1.0 documents. Entry ids are tag URIs made from the site's host, the day the
//! thing was created and its id, so they stay the same when a slug changes.

use atom_syndication::{Content, Entry, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::markdown::SafeHtml;
use crate::read::feeds::{Entries, Feed};
use crate::read::rows::FeedComment;
use crate::read::rows::Post;

pub const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// The host of the base URL, without scheme or port: the authority of tag URIs.
fn authority(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let host = rest.split('/').next().unwrap_or(rest);
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    match host.strip_prefix('[') {
        Some(ipv6) => ipv6.split(']').next().unwrap_or(ipv6),
        None => host.split(':').next().unwrap_or(host),
    }
}

fn tag(base_url: &str, date: NaiveDate, name: &str) -> String {
    format!("tag:{},{}:{name}", authority(base_url), date.format("%Y-%m-%d"))
}

fn utc(t: NaiveDateTime) -> FixedDateTime {
    t.and_utc().fixed_offset()
}

fn link(href: String, rel: &str, mime_type: Option<&str>) -> Link {
    Link { href, rel: rel.into(), mime_type: mime_type.map(str::to_owned), ..Link::default() }
}

fn person(name: &str) -> Person {
    Person { name: name.to_owned(), ..Person::default() }
}

fn html_content(body_html: &SafeHtml) -> Content {
    Content { value: Some(body_html.as_str().to_owned()), content_type: Some("html".into()), ..Content::default() }
}

fn post_entry(post: &Post, base_url: &str) -> Entry {
    Entry {
        title: Text::plain(post.title.clone()),
        id: tag(base_url, post.created_at.date(), &format!("post/{}", post.id)),
        updated: utc(post.updated_at.max(post.published_at)),
        published: Some(utc(post.published_at)),
        authors: vec![person(&post.author_name)],
        links: vec![link(format!("{base_url}/posts/{}", post.slug), "alternate", Some("text/html"))],
        summary: Some(Text::plain(post.excerpt.clone())),
        content: Some(html_content(&post.body_html)),
        ..Entry::default()
    }
}

fn comment_entry(comment: &FeedComment, base_url: &str) -> Entry {
    let (author, title) = match comment.badge_text() {
        Some(badge) => {
            let title = format!("Official response from {badge} on {}", comment.post_title);
            (badge, title)
        }
        None => {
            let kind = if comment.parent_id.is_some() { "Reply" } else { "Comment" };
            (comment.author_name.clone(), format!("{kind} by {} on {}", comment.author_name, comment.post_title))
        }
    };
    let at = comment.shown_at();
    Entry {
        title: Text::plain(title),
        id: tag(base_url, comment.created_at.date(), &format!("comment/{}", comment.id)),
        updated: utc(at),
        published: Some(utc(at)),
        authors: vec![person(&author)],
        links: vec![link(format!("{base_url}/comments/{}", comment.id), "alternate", Some("text/html"))],
        content: Some(html_content(&comment.body_html)),
        ..Entry::default()
    }
}

/// The feed as an Atom XML document.
pub fn atom(feed: &Feed, base_url: &str) -> String {
    let entries = match &feed.entries {
        Entries::Posts(posts) => posts.iter().map(|p| post_entry(p, base_url)).collect(),
        Entries::Comments(comments) => comments.iter().map(|c| comment_entry(c, base_url)).collect(),
    };
    let document = atom_syndication::Feed {
        title: Text::plain(format!("{} – Answerable", feed.title)),
        id: tag(base_url, feed.id_date, &feed.id_name),
        updated: utc(feed.updated()),
        authors: vec![person("Answerable")],
        links: vec![
            link(format!("{base_url}{}", feed.self_path), "self", Some("application/atom+xml")),
            link(format!("{base_url}{}", feed.page_path), "alternate", Some("text/html")),
        ],
        lang: Some("en-GB".into()),
        entries,
        ..atom_syndication::Feed::default()
    };
    document.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_authority_is_the_host_alone() {
        assert_eq!(authority("https://blog.example.org"), "blog.example.org");
        assert_eq!(authority("http://127.0.0.1:8080/base"), "127.0.0.1");
        assert_eq!(authority("http://[::1]:8080"), "::1");
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        assert_eq!(tag("https://blog.example.org", day, "comment/7"), "tag:blog.example.org,2026-11-27:comment/7");
    }
}
