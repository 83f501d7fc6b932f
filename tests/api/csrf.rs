//! CSRF protection as a reader meets it: every form carries a token matching a cookie;
//! a POST without the pair is refused with the text kept, and sending again works.

use reqwest::header::SET_COOKIE;
use reqwest::StatusCode;

use crate::helpers::{app_with_post, client, parse, spawn_app, Form, Page, TestApp};

/// POSTs the given fields to a post's comments from `browser`, with its cookies.
async fn post_from(
    browser: &reqwest::Client,
    app: &TestApp,
    slug: &str,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    browser.post(app.url(&format!("/posts/{slug}/comments"))).form(fields).send().await.expect("POST comment")
}

/// The form's fields with `_csrf` left out.
fn without_token(form: &Form) -> Vec<(&'static str, String)> {
    form.fields("").into_iter().filter(|(name, _)| *name != "_csrf").collect()
}

/// A refused POST: 403, the reason shown, and everything typed kept.
async fn assert_refused_and_kept(response: reqwest::Response, form: &Form<'_>) -> Page {
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("There is a problem"));
    let message = page.text(".form-group--error #body-error");
    assert!(message.contains("expired") && message.contains("security cookie"), "explains why: {message:?}");
    assert_eq!(page.field("name"), form.name);
    assert_eq!(page.field("email"), form.email);
    assert_eq!(page.field("body"), form.body);
    page
}

async fn assert_no_comments(app: &TestApp, slug: &str) {
    let title = app.page(&format!("/posts/{slug}")).await.text("#comments-title");
    assert_eq!(title, "No comments yet", "nothing stored");
}

/// The `answerable_csrf` Set-Cookie header of a response, if any.
fn csrf_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("answerable_csrf="))
        .map(str::to_owned)
}

/// A page first loaded by a new browser gives it a token in the form and an
/// HttpOnly, SameSite=Lax cookie; loading it again does not set the cookie again.
async fn assert_form_has_token_and_sets_cookie(app: &TestApp, path: &str) {
    let browser = client();
    let response = browser.get(app.url(path)).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    let cookie = csrf_cookie(&response).unwrap_or_else(|| panic!("GET {path} sets the CSRF cookie"));
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let page = parse(response).await;
    let token = page.attr("form#comment-form input[type=hidden][name=_csrf]", "value").unwrap_or_default();
    assert!(!token.is_empty(), "the form on {path} carries a token");

    let again = browser.get(app.url(path)).send().await.expect("GET again");
    assert_eq!(csrf_cookie(&again), None, "a browser with the cookie is not sent a new one");
    let again = parse(again).await;
    assert_eq!(again.attr("input[name=_csrf]", "value"), Some(token), "the same token on every page");
}

#[tokio::test]
async fn post_without_a_token_is_refused_and_the_text_kept() {
    let (app, slug) = app_with_post().await;
    app.csrf_token(&slug).await; // the browser has loaded the page and has the cookie
    let form = Form::new("Sam", "Is it open on Sundays?");

    let response = post_from(&app.client, &app, &slug, &without_token(&form)).await;

    assert_refused_and_kept(response, &form).await;
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn post_with_a_wrong_token_is_refused_and_the_text_kept() {
    let (app, slug) = app_with_post().await;
    app.csrf_token(&slug).await;
    let form = Form::new("Sam", "Is it open on Sundays?");

    let response = post_from(&app.client, &app, &slug, &form.fields("not-the-token")).await;

    assert_refused_and_kept(response, &form).await;
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn browser_without_the_cookie_is_refused_then_can_send_again() {
    let (app, slug) = app_with_post().await;
    let someone_elses = app.csrf_token(&slug).await;
    let fresh = client();
    let form = Form::new("Sam", "Is it open on Sundays?");

    let refused = post_from(&fresh, &app, &slug, &form.fields(&someone_elses)).await;
    let page = assert_refused_and_kept(refused, &form).await;
    let new_token = page.attr("input[name=_csrf]", "value").expect("the form again, with a token");
    assert_ne!(new_token, someone_elses);
    assert_no_comments(&app, &slug).await;

    let (name, email, body) = (page.field("name"), page.field("email"), page.field("body"));
    let kept = Form { name: &name, email: &email, body: &body, parent_id: None, email_me: false };
    let accepted = post_from(&fresh, &app, &slug, &kept.fields(&new_token)).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER, "pressing submit again works");
    assert_eq!(app.page(&format!("/posts/{slug}")).await.text("#comments-title"), "1 comment");
}

#[tokio::test]
async fn post_page_form_carries_a_token_and_sets_the_cookie() {
    let (app, slug) = app_with_post().await;

    assert_form_has_token_and_sets_cookie(&app, &format!("/posts/{slug}")).await;
}

#[tokio::test]
async fn reply_page_form_carries_a_token_and_sets_the_cookie() {
    let (app, slug) = app_with_post().await;
    let parent = app.seed_comment(&slug, "Ada", "Is there a bike rack?", None);

    assert_form_has_token_and_sets_cookie(&app, &format!("/posts/{slug}/comments/new?parent={parent}")).await;
}

#[tokio::test]
async fn health_check_and_stylesheet_set_no_cookie() {
    let app = spawn_app().await;

    for path in ["/healthz", "/assets/style.css"] {
        let response = client().get(app.url(path)).send().await.expect("GET");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        assert_eq!(response.headers().get_all(SET_COOKIE).iter().count(), 0, "GET {path} sets no cookie");
    }
}

/// POST routes that take no CSRF token, and why: one-click unsubscribe (RFC 8058) is
/// sent by mail clients without cookies; the signed token in its address is the proof.
const TOKEN_EXEMPT: &[&str] = &["/unsubscribe/{token}"];

/// Everything a signed-in admin's forms can touch, so that every route reaches its
/// handler (a real id for each `{id}`) and a handler that skipped the check would act.
struct World {
    slug: String,
    post: i64,
    comment: i64,
    reader: i64,
    department: i64,
    grant: i64,
    freeze: i64,
    token: i64,
}

fn world(app: &TestApp) -> World {
    use answerable::domain::account::Role;
    let slug = app.create_post("Fixing IT", "We are fixing IT.", true);
    let post = answerable::db::posts::find_published_by_slug(&mut app.conn(), &slug).unwrap().unwrap().id;
    let admin = app.user("Ada Admin", "ada@example.org", Role::Admin);
    let reader = app.user("Rita Reader", "rita@example.org", Role::Reader);
    let department = app.department("Department for Work and Pensions", "DWP", "");
    let grant = app.grant("ada@example.org", "DWP", "Chief Technology Officer");
    let comment = app.seed_member_comment(&slug, admin, "Log-ins take nine minutes.");
    let next_year = answerable::domain::time::now() + chrono::Duration::days(365);
    let freeze = answerable::db::flags::insert_freeze(
        &mut app.conn(),
        Some(post),
        Some(next_year),
        None,
        "Pre-election period",
        answerable::domain::time::now(),
    )
    .unwrap();
    let token = answerable::services::api_tokens::create(&mut app.conn(), admin, "sweep").unwrap().id;
    World { slug, post, comment, reader, department, grant, freeze, token }
}

/// A route's path with each placeholder filled by a real object of the world.
fn fill(pattern: &str, w: &World) -> String {
    let id = [
        ("/admin/users/", w.reader),
        ("/admin/departments/", w.department),
        ("/admin/officials/", w.grant),
        ("/admin/posts/", w.post),
        ("/admin/freezes/", w.freeze),
        ("/account/tokens/", w.token),
    ]
    .iter()
    .find(|(prefix, _)| pattern.starts_with(prefix))
    .map_or(w.comment, |(_, id)| *id);
    pattern.replace("{slug}", &w.slug).replace("{id}", &id.to_string()).replace("{token}", "not-a-real-token")
}

/// Everything stored, as `answerable export` writes it (less the time of export).
fn snapshot(app: &TestApp) -> serde_json::Value {
    let mut out = Vec::new();
    answerable::tools::backup::export_json(&mut app.conn(), &mut out).unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    doc.as_object_mut().expect("an object").remove("exported_at").expect("the export's time");
    doc
}

#[tokio::test]
async fn every_form_route_refuses_a_post_without_its_token_and_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app);
    app.sign_in("ada@example.org").await;
    let before = snapshot(&app);
    let (comment, department) = (w.comment.to_string(), w.department.to_string());
    // Fields that would make each form do something, were the check skipped.
    let fields = [
        ("name", "Sweep"),
        ("email", "sweep@example.org"),
        ("follow_email", "sweep@example.org"),
        ("body", "Sent without a token."),
        ("title", "Sent without a token"),
        ("role", "moderator"),
        ("action", "acknowledge"),
        ("ids", comment.as_str()),
        ("department", department.as_str()),
        ("reason", "spam"),
        ("comments", "keep"),
        ("password", crate::helpers::PASSWORD),
        ("form_stamp", &crate::helpers::stamp()),
    ];

    let posts: Vec<&str> = answerable::web::routes::ROUTES
        .iter()
        .filter(|(method, path)| *method == "post" && !TOKEN_EXEMPT.contains(path))
        .map(|(_, path)| *path)
        .collect();
    assert!(posts.len() >= 40, "the table lists the form routes: {}", posts.len());
    for pattern in posts {
        let path = fill(pattern, &w);
        let response = app.client.post(app.url(&path)).form(&fields).send().await.expect("POST");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path} without a token is refused");
    }

    assert_eq!(snapshot(&app), before, "nothing stored changed");
    assert_eq!(app.get("/account").await.status(), StatusCode::OK, "and the admin is still signed in");
}
