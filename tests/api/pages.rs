//! Pages as HTML: every page of the demo has unique ids (labels, skip links and
//! fragment links depend on them), and excerpts read as text, not as markdown.

use std::collections::HashMap;

use answerable::domain::account::{NewPassword, Role};
use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, test_mail, Browser, Page, TestApp, PASSWORD};

/// The ids that appear more than once on a page, with how often.
fn repeated_ids(page: &Page) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for element in page.html.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        if let Some(id) = element.value().id() {
            *counts.entry(id.to_owned()).or_default() += 1;
        }
    }
    let mut repeated: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
    repeated.sort();
    repeated
}

/// GETs `path` (following one redirect, as a permalink has) and returns the page.
async fn fetch(browser: &Browser<'_>, path: &str) -> Page {
    let response = browser.get(path).await;
    let response = if response.status().is_redirection() {
        let to = crate::helpers::location(&response);
        browser.get(&to).await
    } else {
        response
    };
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    Page::parse(&response.text().await.expect("body"))
}

/// The demo, small, with short pages so that the big post has a page 2.
async fn demo_app() -> (TestApp, String) {
    let app = spawn_app_with(&[("ANSWERABLE_THREADS_PER_PAGE", "10")]).await;
    let summary = answerable::tools::demo::fill(&mut app.conn(), &test_mail(), 150).expect("demo");
    let password = NewPassword::parse(PASSWORD, "password").expect("password");
    for (email, _) in &summary.accounts {
        answerable::services::accounts::set_password(&mut app.conn(), email, &password).expect("password set");
    }
    // A reader's own account, for the account pages of someone with comments.
    app.user("Rita Reader", "rita@example.org", Role::Reader);
    (app, summary.big_post_slug)
}

#[tokio::test]
async fn no_page_of_the_demo_repeats_an_id() {
    let (app, slug) = demo_app().await;
    let ids = {
        use answerable::db::schema::comments;
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        let replies: Vec<i64> = comments::table
            .filter(comments::parent_id.is_not_null())
            .filter(comments::status.eq("published"))
            .select(comments::id)
            .order(comments::id.desc())
            .limit(1)
            .load(&mut app.conn())
            .expect("a reply");
        replies
    };
    let reply = ids[0];
    let public = [
        "/".to_owned(),
        format!("/posts/{slug}"),
        format!("/posts/{slug}?page=2"),
        format!("/posts/{slug}?show=awaiting"),
        format!("/posts/{slug}?show=answered"),
        format!("/posts/{slug}?show=official"),
        format!("/comments/{reply}"),
        format!("/comments/{reply}/responses"),
        format!("/comments/{reply}/report"),
        format!("/posts/{slug}/comments/new?parent={reply}"),
        format!("/posts/{slug}/follow"),
        "/departments".to_owned(),
        "/departments/DWP".to_owned(),
        "/search?q=log".to_owned(),
        "/search?q=log&state=awaiting&official=1".to_owned(),
        "/signin".to_owned(),
        "/register".to_owned(),
        "/password/forgot".to_owned(),
    ];
    let anonymous = Browser::new(&app);
    let mut problems = Vec::new();
    for path in &public {
        let repeated = repeated_ids(&fetch(&anonymous, path).await);
        if !repeated.is_empty() {
            problems.push(format!("anonymous {path}: {repeated:?}"));
        }
    }
    let signed_in = [
        "/account",
        "/account/notifications",
        "/account/comments",
        "/account/tokens",
        "/account/delete",
        "/triage",
        "/triage?department=DWP&overdue=1",
        "/moderation",
        "/admin",
        "/admin/users",
        "/admin/departments",
        "/admin/departments/new",
        "/admin/departments/1",
        "/admin/posts/1/edit",
        "/admin/officials",
        "/admin/outbox",
        "/admin/posts",
        "/admin/posts/new",
        "/admin/moderation",
        "/admin/freezes",
        "/admin/audit",
    ];
    for email in ["admin@example.org", "moderator@example.org", "jane.doe@dwp.example.org", "rita@example.org"] {
        let browser = Browser::signed_in(&app, email).await;
        for path in public.iter().map(String::as_str).chain(signed_in) {
            let response = browser.get(path).await;
            // Each person sees only the pages their role opens.
            if matches!(response.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                || (response.status().is_redirection() && path.starts_with("/signin"))
                || (response.status().is_redirection() && path.starts_with("/register"))
            {
                continue;
            }
            let repeated = repeated_ids(&fetch(&browser, path).await);
            if !repeated.is_empty() {
                problems.push(format!("{email} {path}: {repeated:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "ids repeated:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn search_excerpts_read_as_text_with_the_words_found_marked() {
    let app = crate::helpers::spawn_app().await;
    let slug = app.create_post("Log-ins", "We are *looking* at log-in times.", true);
    app.seed_comment(
        &slug,
        "Sam Taylor",
        "## Log-in\n\n**Log-in** takes [nine minutes](https://example.org/nine) on `Windows 7`:\n\n- every morning\n- _every_ day",
        None,
    );
    let page = app.page("/search?q=nine").await;
    assert_eq!(page.count(".search-results > li"), 1);
    let excerpt = page.text(".search-results .excerpt");
    assert_eq!(excerpt, "Log-in. Log-in takes nine minutes on Windows 7: every morning. every day");
    assert_eq!(
        page.texts(".search-results mark"),
        ["nine"],
        "the word found is marked, once: the link's address is not shown"
    );
    let page = app.page("/search?q=looking").await;
    assert_eq!(page.text(".search-results .excerpt"), "We are looking at log-in times.", "a post's excerpt too");
}

#[tokio::test]
async fn home_page_excerpts_keep_a_heading_apart_from_the_text() {
    let app = crate::helpers::spawn_app().await;
    app.create_post("The plan", "# Where we start\n\nWe are fixing IT\n\n- laptops\n- log-ins", true);
    let home = app.page("/").await;
    assert_eq!(home.text(".post-list .excerpt"), "Where we start. We are fixing IT. laptops. log-ins");
}
