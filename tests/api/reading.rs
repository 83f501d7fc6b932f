use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn the_home_page_lists_posts_newest_first_with_excerpts_and_comment_counts() {
    let app = spawn_app().await;
    let first = app.create_post("Log-in times", "Nine minutes to log in is **too long**.", true);
    let second = app.create_post("We are fixing IT", "Here is the plan for the year ahead.", true);
    app.seed_comment(&second, "Priya", "Good to hear.", None);
    app.seed_comment(&second, "Tom", "When?", None);

    let page = app.page("/").await;
    assert_eq!(page.texts(".post-list h2"), ["We are fixing IT", "Log-in times"]);
    assert_eq!(page.attr(".post-list h2 a", "href").unwrap(), format!("/posts/{second}"));
    let items = page.texts(".post-list > li");
    assert!(items[0].contains("Here is the plan for the year ahead."), "{}", items[0]);
    assert!(items[0].contains("2 comments"), "{}", items[0]);
    assert!(items[1].contains("No comments yet"), "{}", items[1]);
    assert!(items[1].contains("Nine minutes to log in is too long."), "excerpt is plain text: {}", items[1]);
    assert!(page.attr(".post-list time", "datetime").unwrap().ends_with('Z'));
    assert!(first.starts_with("log-in-times"));
}

#[tokio::test]
async fn the_home_page_is_paged() {
    let app = spawn_app_with(&[("ANSWERABLE_POSTS_PER_PAGE", "2")]).await;
    for title in ["One", "Two", "Three"] {
        app.create_post(title, "Body.", true);
    }
    let page1 = app.page("/").await;
    assert_eq!(page1.texts(".post-list h2"), ["Three", "Two"]);
    assert_eq!(page1.attr(".pagination a[rel=next]", "href").unwrap(), "/?page=2");
    let page2 = app.page("/?page=2").await;
    assert_eq!(page2.texts(".post-list h2"), ["One"]);
    assert_eq!(page2.text(".pagination [aria-current=page]"), "Page 2");
    assert_eq!(app.get("/?page=3").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_post_page_shows_the_markdown_body_and_its_comments() {
    let app = spawn_app().await;
    let slug = app.create_post("We are fixing IT", "## The plan\n\n1. New laptops\n2. **Faster** log-in", true);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text("h1"), "We are fixing IT");
    assert_eq!(page.text(".post-body h2"), "The plan");
    assert_eq!(page.texts(".post-body li"), ["New laptops", "Faster log-in"]);
    assert_eq!(page.text(".post-body strong"), "Faster");
    assert_eq!(page.text("#comments-title"), "No comments yet");
    assert_eq!(page.count("form#comment-form"), 1, "anyone can comment");
    assert_eq!(page.text("title"), "We are fixing IT – Answerable");
}

#[tokio::test]
async fn pages_are_accessible_html_with_a_skip_link_and_landmarks() {
    let app = spawn_app().await;
    let slug = app.create_post("Accessible", "Body.", true);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(page.source.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.attr("html", "lang").unwrap(), "en-GB");
    assert_eq!(page.attr("a.skip-link", "href").unwrap(), "#main");
    assert_eq!(page.count("header"), 1);
    assert_eq!(page.count("main#main"), 1);
    assert_eq!(page.count("nav[aria-label=Site]"), 1);
    assert_eq!(page.count("nav[aria-label=\"Show comments\"]"), 1);
    assert_eq!(page.count("footer"), 1);
    for field in ["name", "email", "body"] {
        let id = page.attr(&format!("form#comment-form [name={field}]"), "id").unwrap();
        assert_eq!(page.count(&format!("label[for={id}]")), 1, "{field} has a label");
    }
}

#[tokio::test]
async fn comments_drawn_from_kept_fragments_match_a_fresh_drawing_and_follow_each_change() {
    use crate::responses::{respond, route_directly, world, JANE};
    // No section cache: every request draws the section, each comment from the
    // fragment kept for its inputs when there is one.
    let app = spawn_app_with(&[("ANSWERABLE_PAGE_CACHE_SECONDS", "0")]).await;
    let (slug, question, _) = world(&app);
    let other = app.seed_comment(&slug, "Tom Taylor", "The VPN drops at noon.", None);
    app.seed_comment(&slug, "Ann Lee", "Same here.", Some(other));
    route_directly(&app, question, "DWP");
    let path = format!("/posts/{slug}");
    let fresh = body(&app, &path).await;
    assert_eq!(body(&app, &path).await, fresh, "drawn from kept fragments, the page is the same");

    app.sign_in(JANE).await;
    let done = respond(&app, question, &[("action", "acknowledge"), ("note", "Testing a fix.")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let page = crate::helpers::Page::parse(&body(&app, &path).await);
    assert!(page.text(&format!("#comment-{question} .response-state")).starts_with("Acknowledged by Jane Doe"));
    assert!(page.text(&format!("#comment-{other} .response-state")).starts_with("Awaiting response"));

    app.seed_comment(&slug, "Raj Rao", "And the printers.", Some(other));
    let page = crate::helpers::Page::parse(&body(&app, &path).await);
    assert_eq!(page.count("article.comment"), 4, "the new reply is drawn with the kept ones");
    assert!(page.text(".threads").contains("And the printers."));
}

async fn body(app: &crate::helpers::TestApp, path: &str) -> String {
    app.get(path).await.text().await.unwrap()
}
