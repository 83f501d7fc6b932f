//! Spam defences and rate limits: each rule holds a comment as spam-suspected (never
//! silently dropped) with the same neutral words to its author; too many comments or
//! registrations get 429 with Retry-After and the text kept; old addresses are dropped.

use answerable::db::schema::comment_moderation;
use answerable::domain::account::Role;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{parse, posted_id, spawn_app, spawn_app_with, Browser, Page, TestApp};
use crate::moderation::{guest_comment, set_mode, status, ADA, MO};

/// Posts the post page's own form as a browser would: its token and its stamp, plus
/// `fields` (which may override them).
async fn post_own_form(browser: &Browser<'_>, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = browser.page(&format!("/posts/{slug}")).await;
    let token = page.attr("input[name=_csrf]", "value").unwrap_or_default();
    let stamp = page.attr("input[name=form_stamp]", "value").unwrap();
    let mut all: Vec<(&str, &str)> = vec![("_csrf", &token), ("form_stamp", &stamp), ("website", "")];
    for (name, value) in fields {
        all.retain(|(n, _)| n != name);
        all.push((name, value));
    }
    browser.client.post(browser.app.url(&format!("/posts/{slug}/comments"))).form(&all).send().await.unwrap()
}

fn id_of(response: &reqwest::Response) -> i64 {
    posted_id(response)
}

fn held_reason(app: &TestApp, id: i64) -> String {
    comment_moderation::table
        .find(id)
        .select(comment_moderation::held_reason)
        .first::<Option<String>>(&mut app.conn())
        .unwrap()
        .unwrap_or_default()
}

/// The author sees the same neutral words whatever held the comment.
async fn sees_it_waiting(browser: &Browser<'_>, slug: &str, id: i64) {
    let page: Page = browser.page(&format!("/posts/{slug}")).await;
    let meta = page.text(&format!("#held-{id} .comment-meta"));
    assert!(meta.contains("Waiting for moderation"), "{meta}");
    let words = format!("{meta} {}", page.text(".held-comments > p")).to_lowercase();
    assert!(!words.contains("spam"), "the author is not told it looks like spam: {words}");
}

#[tokio::test]
async fn the_honeypot_and_a_missing_or_forged_stamp_hold_as_spam() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let guest = Browser::new(&app);
    let base = [("name", "Bot"), ("email", "bot@example.org")];

    let filled = [base[0], base[1], ("body", "Cheap pills"), ("website", "http://pills.example")];
    let id = id_of(&post_own_form(&guest, &slug, &filled).await);
    assert_eq!(status(&app, id), "pending");
    assert!(held_reason(&app, id).contains("hidden field"), "{}", held_reason(&app, id));
    sees_it_waiting(&guest, &slug, id).await;

    let no_stamp = [base[0], base[1], ("body", "No form at all"), ("form_stamp", "")];
    let id = id_of(&post_own_form(&guest, &slug, &no_stamp).await);
    assert!(held_reason(&app, id).contains("without a form"));
    let forged = [base[0], base[1], ("body", "A forged stamp"), ("form_stamp", "1700000000")];
    let id = id_of(&post_own_form(&guest, &slug, &forged).await);
    assert!(held_reason(&app, id).contains("without a form"));

    let person = Browser::new(&app);
    let fields = [("name", "Pat"), ("email", "pat@example.org"), ("body", "A real question")];
    let id = id_of(&post_own_form(&person, &slug, &fields).await);
    assert_eq!(status(&app, id), "published", "a person's comment is not caught");
}

#[tokio::test]
async fn a_comment_sent_faster_than_the_minimum_time_is_held() {
    // Public pages a cache may keep carry a stamp to the minute; a site that relies on
    // the timer against scripts serves them uncached, with a stamp to the second.
    let app = spawn_app_with(&[("ANSWERABLE_MIN_FORM_SECONDS", "30"), ("ANSWERABLE_PUBLIC_CACHE_SECONDS", "0")]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let guest = Browser::new(&app);
    let fields = [("name", "Fast"), ("email", "fast@example.org"), ("body", "Typed in no time")];
    let id = id_of(&post_own_form(&guest, &slug, &fields).await);
    assert_eq!(status(&app, id), "pending");
    assert!(held_reason(&app, id).contains("less than 30s"), "{}", held_reason(&app, id));
    sees_it_waiting(&guest, &slug, id).await;
}

#[tokio::test]
async fn links_blocklists_and_duplicates_each_hold_as_spam_suspected() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Ada Admin", ADA, Role::Admin);
    app.user("Mo Moderator", MO, Role::Moderator);
    let admin = Browser::signed_in(&app, ADA).await;
    let settings = [
        ("premoderation", "none"),
        ("max_links", "2"),
        ("flag_threshold", "3"),
        ("words", "casino\nquick loans"),
        ("domains", "spam.example"),
        ("ips", "10.9.*"),
        ("emails", "*@junk.example"),
    ];
    assert_eq!(admin.submit("/admin/moderation", "/admin/moderation", &settings).await.status(), StatusCode::SEE_OTHER);
    let form = admin.page("/admin/moderation").await;
    assert_eq!(form.field("words"), "casino\nquick loans", "the lists are kept, one a line");

    let cases = [
        ("a@example.org", "See http://a.example http://b.example and http://c.example", "3 links"),
        ("b@example.org", "Visit our CASINO today", "casino"),
        ("c@example.org", "Need quick   loans? Ask me", "quick loans"),
        ("d@example.org", "More at https://www.spam.example/offer", "spam.example"),
        ("someone@junk.example", "An innocent sentence", "*@junk.example"),
    ];
    for (email, body, rule) in cases {
        let (guest, id) = guest_comment(&app, &slug, email, body).await;
        assert_eq!(status(&app, id), "pending", "{body}");
        let reason = held_reason(&app, id);
        assert!(reason.starts_with("Spam suspected") && reason.contains(rule), "{body}: {reason}");
        sees_it_waiting(&guest, &slug, id).await;
    }
    // The same text twice from one email: the second is held.
    let (_, first) = guest_comment(&app, &slug, "e@example.org", "Please extend the hours").await;
    assert_eq!(status(&app, first), "published");
    let (_, again) = guest_comment(&app, &slug, "E@example.org", "Please  extend the hours ").await;
    assert!(held_reason(&app, again).contains("already sent"));

    let queue = Browser::signed_in(&app, MO).await.page("/moderation").await;
    assert_eq!(queue.texts(".moderation-item .status").iter().filter(|s| *s == "Held: spam suspected").count(), 6);
}

#[tokio::test]
async fn too_many_comments_get_429_with_retry_after_and_the_text_kept() {
    let app = spawn_app_with(&[("ANSWERABLE_COMMENTS_PER_MINUTE", "2")]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let guest = Browser::new(&app);
    for n in 0..2 {
        let fields = [("name", "Sam"), ("email", "sam@example.org"), ("body", &format!("Comment {n}") as &str)];
        assert_eq!(post_own_form(&guest, &slug, &fields).await.status(), StatusCode::SEE_OTHER);
    }
    let fields = [("name", "Sam"), ("email", "sam@example.org"), ("body", "The third, typed with care")];
    let response = post_own_form(&guest, &slug, &fields).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("Wait"), "{}", page.text(".error-summary"));
    assert_eq!(page.field("body"), "The third, typed with care");
    assert_eq!(page.field("name"), "Sam");
    // Another address-less reader on the same network is counted by address too.
    let other = Browser::new(&app);
    let fields = [("name", "Kim"), ("email", "kim@example.org"), ("body", "Hello")];
    assert_eq!(post_own_form(&other, &slug, &fields).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn too_many_registrations_from_one_address_get_429() {
    let app = spawn_app_with(&[("ANSWERABLE_REGISTRATIONS_PER_HOUR", "1")]).await;
    let first = Browser::new(&app);
    let fields = [("name", "One"), ("email", "one@example.org"), ("password", "a long password")];
    assert_eq!(first.submit("/register", "/register", &fields).await.status(), StatusCode::SEE_OTHER);
    let second = Browser::new(&app);
    let fields = [("name", "Two"), ("email", "two@example.org"), ("password", "a long password")];
    let response = second.submit("/register", "/register", &fields).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let page = parse(response).await;
    assert_eq!(page.field("email"), "two@example.org", "what was typed is kept");
}

#[tokio::test]
async fn the_rate_limiter_is_shared_through_the_database() {
    use answerable::services::rate_limit::{check, Action, RateLimitError};
    let app = spawn_app().await;
    let limits = answerable::config::AbuseSettings { emails_per_hour: 2, ..Default::default() };
    // Two pools on one database stand for two app instances.
    let other = answerable::db::build_pool(&answerable::db::DatabaseUrl::parse(&app.database_url).unwrap(), 1).unwrap();
    check(&mut app.conn(), &limits, Action::SendEmail, "user:1").unwrap();
    check(&mut other.get().unwrap(), &limits, Action::SendEmail, "user:1").unwrap();
    match check(&mut app.conn(), &limits, Action::SendEmail, "user:1") {
        Err(RateLimitError::RetryAfter(wait)) => assert!(wait > 3000 && wait <= 3600, "{wait}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    check(&mut app.conn(), &limits, Action::SendEmail, "user:2").expect("another key is counted apart");
}

#[tokio::test]
async fn addresses_are_shown_only_to_moderators_and_dropped_after_the_retention() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    set_mode(&app, "all").await;
    let (_, old) = guest_comment(&app, &slug, "old@example.org", "An old comment").await;
    let (_, new) = guest_comment(&app, &slug, "new@example.org", "A new comment").await;
    let queue = Browser::signed_in(&app, MO).await.page("/moderation").await;
    assert!(queue.text(&format!("#held-{new}")).contains("127.0.0.1"));
    let public = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert!(!public.source.contains("127.0.0.1") && !public.source.contains("new@example.org"));

    let long_ago = answerable::domain::time::now() - chrono::TimeDelta::days(91);
    diesel::update(comment_moderation::table.find(old))
        .set(comment_moderation::created_at.eq(long_ago))
        .execute(&mut app.conn())
        .unwrap();
    let swept = answerable::services::maintenance::run_once(&mut app.conn(), &Default::default()).unwrap();
    assert_eq!(swept.addresses_dropped, 1);
    let ip = |id: i64| -> Option<String> {
        comment_moderation::table.find(id).select(comment_moderation::ip).first(&mut app.conn()).unwrap()
    };
    assert_eq!(ip(old), None);
    assert_eq!(ip(new).as_deref(), Some("127.0.0.1"));
    let queue = Browser::signed_in(&app, MO).await.page("/moderation").await;
    assert!(queue.text(&format!("#held-{old}")).contains("not kept"));
}
