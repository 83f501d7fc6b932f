//! CSRF protection as a reader meets it: signed-in forms carry a token matching a
//! cookie; an anonymous reader's public page carries none and sets no cookie, and its
//! posts are accepted when the browser says they come from this site. A POST that is
//! neither is refused with the text kept, and sending again works.

use reqwest::header::SET_COOKIE;
use reqwest::StatusCode;

use crate::helpers::{app_with_post, client, parse, spawn_app, Form, Page, TestApp};

/// A page on another site, posting to this one.
const ELSEWHERE: &str = "https://elsewhere.example";

/// POSTs the given fields to a post's comments from `browser`, with its cookies; from
/// a form on the site `origin` names, or (`None`) saying nothing of where it comes from.
async fn post_with_origin(
    browser: &reqwest::Client,
    app: &TestApp,
    slug: &str,
    fields: &[(&'static str, String)],
    origin: Option<&str>,
) -> reqwest::Response {
    let mut request = browser.post(app.url(&format!("/posts/{slug}/comments")));
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    request.form(fields).send().await.expect("POST comment")
}

/// As a form on another site would.
async fn post_from_elsewhere(
    browser: &reqwest::Client,
    app: &TestApp,
    slug: &str,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    post_with_origin(browser, app, slug, fields, Some(ELSEWHERE)).await
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

    let response = post_from_elsewhere(&app.client, &app, &slug, &without_token(&form)).await;

    assert_refused_and_kept(response, &form).await;
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn post_with_a_wrong_token_is_refused_and_the_text_kept() {
    let (app, slug) = app_with_post().await;
    app.csrf_token(&slug).await;
    let form = Form::new("Sam", "Is it open on Sundays?");

    let response = post_from_elsewhere(&app.client, &app, &slug, &form.fields("not-the-token")).await;

    assert_refused_and_kept(response, &form).await;
    assert_no_comments(&app, &slug).await;
}

#[tokio::test]
async fn browser_without_the_cookie_is_refused_then_can_send_again() {
    let (app, slug) = app_with_post().await;
    let someone_elses = app.csrf_token(&slug).await;
    let fresh = client();
    let form = Form::new("Sam", "Is it open on Sundays?");

    let refused = post_with_origin(&fresh, &app, &slug, &form.fields(&someone_elses), None).await;
    let page = assert_refused_and_kept(refused, &form).await;
    let new_token = page.attr("input[name=_csrf]", "value").expect("the form again, with a token");
    assert_ne!(new_token, someone_elses);
    assert_no_comments(&app, &slug).await;

    let (name, email, body) = (page.field("name"), page.field("email"), page.field("body"));
    let kept = Form { name: &name, email: &email, body: &body, parent_id: None, email_me: false };
    let accepted = post_with_origin(&fresh, &app, &slug, &kept.fields(&new_token), None).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER, "pressing submit again works");
    assert_eq!(app.page(&format!("/posts/{slug}")).await.text("#comments-title"), "1 comment");
}

#[tokio::test]
async fn an_anonymous_readers_post_page_sets_no_cookie_and_its_form_posts_from_this_site() {
    let (app, slug) = app_with_post().await;
    let path = format!("/posts/{slug}");
    let reader = client();
    let response = reader.get(app.url(&path)).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get_all(SET_COOKIE).iter().count(), 0, "no cookie for a public page");
    let page = parse(response).await;
    assert_eq!(page.count("form#comment-form"), 1, "the comment form is there");
    assert_eq!(page.count("input[name=_csrf]"), 0, "with no per-browser token in it");

    // Posted from the site's own page (the browser says so), it is taken.
    let form = Form::new("Sam", "Is it open on Sundays?");
    let accepted = reader
        .post(app.url(&format!("/posts/{slug}/comments")))
        .header("Origin", app.address.as_str())
        .form(&without_token(&form))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER, "a guest's post from this site is accepted");
    // An old browser that sends no Origin sends the page as its Referer.
    let old = Form::new("Sam", "And on bank holidays?");
    let accepted = reader
        .post(app.url(&format!("/posts/{slug}/comments")))
        .header("Referer", app.url(&path))
        .form(&without_token(&old))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER, "a post with only a Referer from this site is accepted");
    assert_eq!(app.page(&path).await.text("#comments-title"), "2 comments");
}

#[tokio::test]
async fn a_signed_in_readers_post_page_carries_a_token_and_sets_the_cookie() {
    let (app, slug) = app_with_post().await;
    app.user("Rita Reader", "rita@example.org", answerable::domain::account::Role::Reader);
    app.sign_in("rita@example.org").await;
    let response = app.get(&format!("/posts/{slug}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = parse(response).await;
    let token = page.attr("form#comment-form input[type=hidden][name=_csrf]", "value").unwrap_or_default();
    assert!(!token.is_empty(), "a signed-in reader's form carries a token");
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

/// Fields that would make each form do something, were the check skipped.
fn acting_fields(w: &World) -> Vec<(&'static str, String)> {
    [
        ("name", "Sweep"),
        ("email", "sweep@example.org"),
        ("follow_email", "sweep@example.org"),
        ("body", "Sent without a token."),
        ("title", "Sent without a token"),
        ("role", "moderator"),
        ("action", "acknowledge"),
        ("reason", "spam"),
        ("comments", "keep"),
        ("password", crate::helpers::PASSWORD),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain([
        ("ids", w.comment.to_string()),
        ("department", w.department.to_string()),
        ("form_stamp", crate::helpers::stamp()),
    ])
    .collect()
}

/// Every form route of the table, with real objects for its placeholders.
fn form_routes(w: &World) -> Vec<String> {
    let posts: Vec<String> = answerable::web::routes::ROUTES
        .iter()
        .filter(|(method, path)| *method == "post" && !TOKEN_EXEMPT.contains(path))
        .map(|(_, path)| fill(path, w))
        .collect();
    assert!(posts.len() >= 40, "the table lists the form routes: {}", posts.len());
    posts
}

#[tokio::test]
async fn every_form_route_refuses_a_post_without_its_token_and_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app);
    app.sign_in("ada@example.org").await;
    let before = snapshot(&app);
    let fields = acting_fields(&w);
    for path in form_routes(&w) {
        // Even from the site's own origin: a signed-in browser's forms need their token.
        let response = app.client.post(app.url(&path)).form(&fields).send().await.expect("POST");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path} without a token is refused");
    }

    assert_eq!(snapshot(&app), before, "nothing stored changed");
    assert_eq!(app.get("/account").await.status(), StatusCode::OK, "and the admin is still signed in");
}

#[tokio::test]
async fn every_form_route_refuses_a_guests_cross_site_post_and_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app);
    let before = snapshot(&app);
    let fields = acting_fields(&w);
    // Another site's page; a sandboxed page (Origin: null); a post saying nothing of
    // where it comes from (no Origin, no Referer).
    for origin in [Some(ELSEWHERE), Some("null"), None] {
        let guest = client();
        for path in form_routes(&w) {
            let mut request = guest.post(app.url(&path));
            if let Some(origin) = origin {
                request = request.header("Origin", origin);
            }
            let response = request.form(&fields).send().await.expect("POST");
            let status = response.status();
            let to_sign_in =
                status == StatusCode::SEE_OTHER && crate::helpers::location(&response).starts_with("/signin");
            assert!(
                status == StatusCode::FORBIDDEN || to_sign_in,
                "POST {path} from {origin:?} without a token is refused, got {status}"
            );
        }
    }
    assert_eq!(snapshot(&app), before, "nothing stored changed");
}
