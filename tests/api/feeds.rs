//! Atom feeds parse as Atom 1.0 with every required element, list only published
//! comments, name officials by their badge, and are announced in page heads.

use std::str::FromStr;

use answerable::domain::account::Role;
use atom_syndication::Feed;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp};

const NS: &str = "http://www.w3.org/2005/Atom";

async fn feed(app: &TestApp, path: &str) -> Feed {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/atom+xml"), "{content_type}");
    let body = response.text().await.unwrap();
    assert!(body.contains(&format!("<feed xmlns=\"{NS}\"")), "the Atom namespace: {body}");
    let feed = Feed::from_str(&body).unwrap_or_else(|e| panic!("{path} is not Atom: {e}\n{body}"));
    assert!(!feed.id.is_empty() && !feed.title.value.is_empty(), "feed id and title");
    assert!(feed.links.iter().any(|l| l.rel == "self" && l.href.ends_with(path)), "a self link to {path}");
    assert!(feed.links.iter().any(|l| l.rel == "alternate"), "a link to the page");
    for entry in &feed.entries {
        assert!(entry.id.starts_with("tag:127.0.0.1,"), "a tag URI id: {}", entry.id);
        assert!(!entry.title.value.is_empty(), "entry title");
        assert!(!entry.authors.is_empty() && !entry.authors[0].name.is_empty(), "entry author");
        let content = entry.content.as_ref().expect("entry content");
        assert_eq!(content.content_type.as_deref(), Some("html"));
        assert!(entry.links.iter().any(|l| l.rel == "alternate" && l.href.starts_with("http://")), "entry link");
        assert!(entry.updated <= feed.updated, "the feed is as new as its newest entry");
    }
    feed
}

fn contents(feed: &Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.content.as_ref().unwrap().value.clone().unwrap()).collect()
}

/// A post with a question, a reply, a held comment, and an official answer from DWP;
/// a second post with an answer from HMRC. Returns (slug, question id).
fn world(app: &TestApp) -> (String, i64) {
    let slug = app.create_post("Fixing our IT", "Tell us *what* is slow.", true);
    let other = app.create_post("Tax online", "What about the tax site?", true);
    let question = app.seed_comment(&slug, "Priya Shah", "Why does log-in take **nine** minutes?", None);
    app.seed_comment(&slug, "Sam", "Same for me <script>alert(1)</script>", Some(question));
    let held = app.seed_comment(&slug, "Spammer", "Buy cheap pills", None);
    app.set_status(held, "pending");
    app.department("Department for Work and Pensions", "DWP", "");
    app.department("HM Revenue and Customs", "HMRC", "");
    let jane = app.user("Jane Doe", "jane@dwp.gov.uk", Role::Reader);
    let role = app.grant("jane@dwp.gov.uk", "DWP", "Chief Technology Officer");
    app.seed_official_reply(&slug, jane, role, question, "We are replacing the log-in server in March.");
    let mark = app.user("Mark Lee", "mark@hmrc.gov.uk", Role::Reader);
    let hmrc = app.grant("mark@hmrc.gov.uk", "HMRC", "Chief Digital Officer");
    let tax_question = app.seed_comment(&other, "Ali", "The tax site times out.", None);
    app.seed_official_reply(&other, mark, hmrc, tax_question, "Fixed last night.");
    (slug, question)
}

#[tokio::test]
async fn the_posts_feed_lists_posts_with_their_html() {
    let app = spawn_app().await;
    world(&app);
    let feed = feed(&app, "/feeds/posts.atom").await;
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.value.as_str()).collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.contains(&"Fixing our IT") && titles.contains(&"Tax online"), "{titles:?}");
    assert!(contents(&feed).iter().any(|c| c.contains("<em>what</em>")), "the post's HTML");
    assert_eq!(feed.entries[0].authors[0].name, "The blog team");
}

#[tokio::test]
async fn a_posts_comment_feed_has_published_comments_only_with_badges_for_officials() {
    let app = spawn_app().await;
    let (slug, _) = world(&app);
    let feed = feed(&app, &format!("/posts/{slug}/feed.atom")).await;
    assert_eq!(feed.entries.len(), 3, "question, reply and official answer; the held comment is not there");
    let authors: Vec<&str> = feed.entries.iter().map(|e| e.authors[0].name.as_str()).collect();
    assert!(authors.contains(&"Jane Doe, Chief Technology Officer, Department for Work and Pensions"), "{authors:?}");
    assert!(!authors.contains(&"Spammer"));
    let all = contents(&feed).join("\n");
    assert!(all.contains("<strong>nine</strong>"), "sanitised HTML kept: {all}");
    assert!(!all.contains("<script>"), "no script: {all}");
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    let again = self::feed(&app, &format!("/posts/{slug}/feed.atom")).await;
    assert_eq!(ids, again.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), "ids are stable");
    assert_eq!(app.get("/posts/no-such-post/feed.atom").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn official_feeds_list_only_official_replies_of_all_or_one_department() {
    let app = spawn_app().await;
    world(&app);
    let all = feed(&app, "/feeds/official.atom").await;
    assert_eq!(all.entries.len(), 2);
    assert!(all.entries.iter().all(|e| e.title.value.starts_with("Official response from")));
    let dwp = feed(&app, "/departments/DWP/feed.atom").await;
    assert_eq!(contents(&dwp), vec!["<p>We are replacing the log-in server in March.</p>\n"]);
    let hmrc = feed(&app, "/departments/HMRC/feed.atom").await;
    assert_eq!(hmrc.entries[0].authors[0].name, "Mark Lee, Chief Digital Officer, HM Revenue and Customs");
    assert_eq!(app.get("/departments/NOPE/feed.atom").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_thread_feed_has_one_conversation() {
    let app = spawn_app().await;
    let (slug, question) = world(&app);
    let other = app.seed_comment(&slug, "Lee", "Another topic entirely", None);
    let feed = feed(&app, &format!("/posts/{slug}/threads/{question}/feed.atom")).await;
    assert_eq!(feed.entries.len(), 3, "the question, Sam's reply and the official answer");
    assert!(!contents(&feed).join("").contains("Another topic"));
    let not_a_thread = app.seed_comment(&slug, "Lee", "a reply", Some(other));
    let status = app.get(&format!("/posts/{slug}/threads/{not_a_thread}/feed.atom")).await.status();
    assert_eq!(status, StatusCode::NOT_FOUND, "a reply does not start a thread");
}

#[tokio::test]
async fn pages_announce_their_feeds_in_the_head() {
    let app = spawn_app().await;
    let (slug, question) = world(&app);
    let feeds_of = |page: crate::helpers::Page| {
        page.html
            .select(&scraper::Selector::parse("head link[rel=alternate][type='application/atom+xml']").unwrap())
            .map(|l| l.value().attr("href").unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(feeds_of(app.page("/").await), vec!["/feeds/posts.atom"]);
    assert!(feeds_of(app.page(&format!("/posts/{slug}")).await).contains(&format!("/posts/{slug}/feed.atom")));
    let thread = feeds_of(app.page(&format!("/posts/{slug}/threads/{question}")).await);
    assert!(thread.contains(&format!("/posts/{slug}/threads/{question}/feed.atom")), "{thread:?}");
    assert!(feeds_of(app.page("/departments").await).contains(&"/feeds/official.atom".to_owned()));
    assert!(feeds_of(app.page("/departments/DWP").await).contains(&"/departments/DWP/feed.atom".to_owned()));
}
