//! Bad input to the comment form: each case shows the form again with what went wrong,
//! next to the field and in the summary, keeps everything typed, and stores nothing.

use reqwest::StatusCode;

use crate::helpers::{app_with_post, parse, spawn_app, Form, Page, TestApp};

/// POSTs a raw url-encoded body, as a browser that encodes it its own way would.
async fn post_raw(app: &TestApp, slug: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/posts/{slug}/comments")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("POST comment")
}

/// POSTs form fields to a post's comments with this browser's cookies.
async fn post_form(app: &TestApp, slug: &str, fields: &[(&str, String)]) -> reqwest::Response {
    app.client.post(app.url(&format!("/posts/{slug}/comments"))).form(fields).send().await.expect("POST comment")
}

/// The error is in the summary (linked to its field) and next to the field.
fn assert_error(page: &Page, field: &str, message: &str) {
    assert!(page.text(".error-summary").contains("There is a problem"), "summary title");
    let link = page.text(&format!(".error-summary a[href=\"#field-{field}\"]"));
    assert!(link.contains(message), "summary link to {field}: {link:?} should contain {message:?}");
    let inline = page.text(&format!(".form-group--error #{field}-error.error-message"));
    assert!(inline.contains(message), "message next to {field}: {inline:?} should contain {message:?}");
}

/// What a reader sees as the comment count on the post page.
async fn comments_title(app: &TestApp, slug: &str) -> String {
    app.page(&format!("/posts/{slug}")).await.text("#comments-title")
}

async fn assert_no_comments(app: &TestApp, slug: &str) {
    assert_eq!(comments_title(app, slug).await, "No comments yet", "nothing stored on {slug}");
}

#[tokio::test]
async fn empty_form_lists_every_missing_field_in_form_order() {
    let (app, slug) = app_with_post().await;
    let form = Form { name: "", email: "", body: "", parent_id: None, email_me: false };

    let response = app.submit_comment(&slug, &form).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(
        page.texts(".error-summary li a"),
        ["Enter your name", "Enter your email address", "Enter your comment"]
    );
    assert_error(&page, "name", "Enter your name");
    assert_error(&page, "email", "Enter your email address");
    assert_error(&page, "body", "Enter your comment");
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn name_of_101_characters_is_refused_and_kept() {
    let (app, slug) = app_with_post().await;
    let name = "n".repeat(101);

    let response = app.submit_comment(&slug, &Form::new(&name, "Is it open on Sundays?")).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_error(&page, "name", "Name must be 100 characters or fewer");
    assert_eq!(page.field("name"), name);
    assert_eq!(page.field("email"), "reader@example.org");
    assert_eq!(page.field("body"), "Is it open on Sundays?");
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn name_of_exactly_100_characters_is_accepted() {
    let (app, slug) = app_with_post().await;
    let name = "n".repeat(100);

    let response = app.submit_comment(&slug, &Form::new(&name, "Is it open on Sundays?")).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(comments_title(&app, &slug).await, "1 comment");
}

#[tokio::test]
async fn body_of_10001_characters_is_refused_and_kept_in_full() {
    let (app, slug) = app_with_post().await;
    let body = "x".repeat(10_001);

    let response = app.submit_comment(&slug, &Form::new("Sam", &body)).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_error(&page, "body", "10,000 characters or fewer");
    assert_eq!(page.field("body").chars().count(), 10_001);
    assert_eq!(page.field("name"), "Sam");
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn body_of_exactly_10000_characters_is_accepted() {
    let (app, slug) = app_with_post().await;
    let body = "x".repeat(10_000);

    let response = app.submit_comment(&slug, &Form::new("Sam", &body)).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(comments_title(&app, &slug).await, "1 comment");
}

#[tokio::test]
async fn invalid_email_is_refused_and_kept() {
    let (app, slug) = app_with_post().await;
    let form = Form { email: "not-an-email", ..Form::new("Sam", "Is it open on Sundays?") };

    let response = app.submit_comment(&slug, &form).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_error(&page, "email", "Enter an email address in the correct format");
    assert_eq!(page.field("email"), "not-an-email");
    assert_eq!(page.field("name"), "Sam");
    assert_eq!(page.field("body"), "Is it open on Sundays?");
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn reply_to_a_comment_on_another_post_is_refused_and_the_text_kept() {
    let (app, slug) = app_with_post().await;
    let other = app.create_post("Parking", "There are ten spaces.", true);
    let elsewhere = app.seed_comment(&other, "Ada", "Is there a bike rack?", None);

    let response = app.submit_comment(&slug, &Form::new("Sam", "Yes, by the door.").reply_to(elsewhere)).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_error(&page, "body", "not on this post");
    assert_eq!(page.field("name"), "Sam");
    assert_eq!(page.field("body"), "Yes, by the door.");
    assert_eq!(page.count("input[name=parent_id]"), 0, "sending again posts a new comment");
    assert_no_comments(&app, &slug).await;
    assert_eq!(comments_title(&app, &other).await, "1 comment", "only the seeded comment on the other post");
}

#[tokio::test]
async fn reply_to_a_missing_comment_is_refused_and_the_text_kept() {
    let (app, slug) = app_with_post().await;

    let response = app.submit_comment(&slug, &Form::new("Sam", "Agreed.").reply_to(999_999)).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_error(&page, "body", "not on this post");
    assert_eq!(page.field("name"), "Sam");
    assert_eq!(page.field("body"), "Agreed.");
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn comment_on_a_closed_post_is_refused_and_the_text_given_back() {
    let (app, open) = app_with_post().await;
    let closed = app.create_post("Old news", "This was last year.", false);
    // A closed post has no form: the token is the browser's, from any page that had one.
    let token = app.csrf_token(&open).await;
    let form = Form::new("Sam", "Is this still true?");

    let response = post_form(&app, &closed, &form.fields(&token)).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert!(page.text("#comments-closed").contains("Comments are closed"));
    assert_eq!(page.text("pre#field-body"), "Is this still true?");
    assert_no_comments(&app, &closed).await;
}

#[tokio::test]
async fn closed_post_page_says_so_and_has_no_form() {
    let app = spawn_app().await;
    let closed = app.create_post("Old news", "This was last year.", false);

    let page = app.page(&format!("/posts/{closed}")).await;

    assert!(page.text("#comments").contains("Comments are closed"));
    assert_eq!(page.count("form#comment-form"), 0);
}

#[tokio::test]
async fn body_that_is_not_utf8_is_refused_with_what_could_be_read() {
    let (app, slug) = app_with_post().await;
    let token = app.csrf_token(&slug).await;
    let latin1 = format!("_csrf={token}&name=Sam&email=sam%40example.org&body=caf%E9+au+lait");

    let response = post_raw(&app, &slug, latin1).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = parse(response).await;
    assert_error(&page, "body", "could not be read");
    assert_eq!(page.field("name"), "Sam");
    assert_eq!(page.field("email"), "sam@example.org");
    assert_eq!(page.field("body"), "caf\u{FFFD} au lait");
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn oversized_request_is_refused_keeping_what_arrived() {
    let (app, slug) = app_with_post().await;
    let token = app.csrf_token(&slug).await;
    let huge = format!("_csrf={token}&name=Sam&email=sam%40example.org&body={}", "x".repeat(300_000));

    let response = post_raw(&app, &slug, huge).await;

    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = parse(response).await;
    assert_error(&page, "body", "too large");
    assert_eq!(page.field("name"), "Sam");
    assert_eq!(page.field("email"), "sam@example.org");
    let kept = page.field("body");
    assert!(
        kept.len() > 200_000 && kept.chars().all(|c| c == 'x'),
        "the start of the text is kept: {} chars",
        kept.len()
    );
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn reply_page_for_a_comment_on_another_post_is_not_found() {
    let (app, slug) = app_with_post().await;
    let other = app.create_post("Parking", "There are ten spaces.", true);
    let elsewhere = app.seed_comment(&other, "Ada", "Is there a bike rack?", None);

    let response = app.get(&format!("/posts/{slug}/comments/new?parent={elsewhere}")).await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn comment_on_a_post_that_does_not_exist_is_not_found() {
    let (app, slug) = app_with_post().await;
    let token = app.csrf_token(&slug).await;
    let form = Form::new("Sam", "Hello?");

    let response = post_form(&app, "no-such-post", &form.fields(&token)).await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
