//! Accounts as a reader meets them: register, sign in and out, sessions that end when
//! they should, sign-in slowed after repeated failures, and changing a password.

use reqwest::header::{COOKIE, LOCATION, RETRY_AFTER, SET_COOKIE};
use reqwest::StatusCode;

use crate::helpers::{client, location, parse, posted_id, spawn_app, spawn_app_with, TestApp};

const EMAIL: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery";

/// This browser's CSRF token, from the sign-in form (or, once signed in, the account page).
async fn token(browser: &reqwest::Client, app: &TestApp) -> String {
    let mut response = browser.get(app.url("/signin")).send().await.expect("GET /signin");
    if response.status() == StatusCode::SEE_OTHER {
        response = browser.get(app.url("/account")).send().await.expect("GET /account");
    }
    assert_eq!(response.status(), StatusCode::OK);
    parse(response).await.attr("input[name=_csrf]", "value").expect("a form with a CSRF token")
}

/// POSTs a form from `browser` with its own CSRF token added.
async fn post(browser: &reqwest::Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = token(browser, app).await;
    let stamp = crate::helpers::stamp();
    let mut fields = fields.to_vec();
    fields.push(("_csrf", &token));
    fields.push(("form_stamp", &stamp));
    browser.post(app.url(path)).form(&fields).send().await.expect("POST")
}

async fn register(app: &TestApp, name: &str, email: &str, password: &str) -> reqwest::Response {
    post(&app.client, app, "/register", &[("name", name), ("email", email), ("password", password)]).await
}

async fn sign_in_from(browser: &reqwest::Client, app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    post(browser, app, "/signin", &[("email", email), ("password", password)]).await
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    sign_in_from(&app.client, app, email, password).await
}

/// Registers Ada Lovelace and checks she is signed in.
async fn registered(app: &TestApp) {
    let response = register(app, "Ada Lovelace", EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "registered");
}

/// The whole `answerable_session` Set-Cookie header of a response.
fn session_set_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("answerable_session="))
        .expect("a session cookie is set")
        .to_owned()
}

/// Just `answerable_session=VALUE`, as a browser would send it back.
fn session_cookie(response: &reqwest::Response) -> String {
    session_set_cookie(response).split(';').next().unwrap_or_default().to_owned()
}

/// The site header's navigation as a browser showing `cookie` (and nothing else) sees it.
async fn header_with_cookie(app: &TestApp, cookie: &str) -> String {
    let response = client().get(app.url("/")).header(COOKIE, cookie).send().await.expect("GET /");
    parse(response).await.text(".site-nav")
}

async fn header(app: &TestApp) -> String {
    app.page("/").await.text(".site-nav")
}

fn assert_signed_in(nav: &str) {
    assert!(nav.contains("Sign out") && nav.contains("Your account"), "signed in: {nav}");
}

fn assert_signed_out(nav: &str) {
    assert!(nav.contains("Sign in") && !nav.contains("Sign out"), "signed out: {nav}");
}

fn password_hash(app: &TestApp, email: &str) -> String {
    answerable::db::users::find_by_email(&mut app.conn(), email).unwrap().expect("account").password_hash
}

#[tokio::test]
async fn registering_signs_you_in_and_the_account_page_shows_who_you_are() {
    let app = spawn_app().await;
    let response = register(&app, "Ada Lovelace", EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account?welcome=1");

    assert_signed_in(&header(&app).await);
    let account = app.page("/account?welcome=1").await;
    assert!(account.text(".success").contains("Your account has been created"));
    assert_eq!(account.texts("dd")[..2], ["Ada Lovelace".to_owned(), format!("{EMAIL} (not confirmed yet)")]);
}

#[tokio::test]
async fn registration_mistakes_are_listed_and_what_was_typed_is_kept_except_the_password() {
    let app = spawn_app().await;
    for (name, email, password, message) in [
        ("", "", "", "Enter your name"),
        ("Ada", "ada@example.org", "s3cr3t!", "Password must be at least 10 characters"),
        ("Ada", "not-an-email", PASSWORD, "Enter an email address in the correct format"),
    ] {
        let response = register(&app, name, email, password).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let page = parse(response).await;
        assert!(page.text(".error-summary").contains("There is a problem"));
        assert!(page.text(".error-summary").contains(message), "{}", page.text(".error-summary"));
        assert_eq!(page.field("name"), name);
        assert_eq!(page.field("email"), email);
        assert_eq!(page.attr("input[name=password]", "value").as_deref(), Some(""), "the password is not sent back");
        assert!(password.is_empty() || !page.source.contains(password), "the password appears nowhere");
    }
    let empty = parse(register(&app, "", "", "").await).await.text(".error-summary");
    assert!(empty.contains("Enter your email address") && empty.contains("Enter a password"), "{empty}");
    assert_signed_out(&header(&app).await);
}

#[tokio::test]
async fn an_email_can_have_only_one_account() {
    let app = spawn_app().await;
    registered(&app).await;
    let other = client();
    let response = post(
        &other,
        &app,
        "/register",
        &[("name", "Someone Else"), ("email", "ADA@example.org"), ("password", "another long password")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(parse(response).await.text(".error-summary").contains("cannot be used to create an account"));
    assert_eq!(answerable::db::users::count(&mut app.conn()).unwrap(), 1, "no second account");
    assert_eq!(answerable::db::users::find_by_email(&mut app.conn(), EMAIL).unwrap().unwrap().name, "Ada Lovelace");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server_too() {
    let app = spawn_app().await;
    registered(&app).await;
    let signed_in = sign_in(&app, EMAIL, PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let old_cookie = session_cookie(&signed_in);
    assert_signed_in(&header_with_cookie(&app, &old_cookie).await);

    let response = post(&app.client, &app, "/signout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert_signed_out(&header(&app).await);
    assert_signed_out(&header_with_cookie(&app, &old_cookie).await);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    registered(&app).await;
    let browser = client();

    let wrong_password = sign_in_from(&browser, &app, EMAIL, "not the password").await;
    let unknown_email = sign_in_from(&browser, &app, "nobody@example.org", "not the password").await;

    assert_eq!(wrong_password.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_email.status(), wrong_password.status());
    let (wrong_password, unknown_email) = (parse(wrong_password).await, parse(unknown_email).await);
    assert!(wrong_password.text(".error-summary").contains("The email address or password is not right"));
    assert_eq!(wrong_password.text(".error-summary"), unknown_email.text(".error-summary"));
    assert_eq!(wrong_password.field("email"), EMAIL, "the email is kept");
    assert_eq!(wrong_password.attr("input[name=password]", "value").as_deref(), Some(""));
    assert_signed_out(&parse(browser.get(app.url("/")).send().await.unwrap()).await.text(".site-nav"));
}

#[tokio::test]
async fn signing_in_again_gives_a_new_session_and_ends_the_old_one() {
    let app = spawn_app().await;
    registered(&app).await;
    let first = session_cookie(&sign_in(&app, EMAIL, PASSWORD).await);
    let second = session_cookie(&sign_in(&app, EMAIL, PASSWORD).await);

    assert_ne!(first, second);
    assert_signed_in(&header_with_cookie(&app, &second).await);
    assert_signed_out(&header_with_cookie(&app, &first).await);
}

#[tokio::test]
async fn after_signing_in_you_go_back_to_a_page_on_this_site_only() {
    let app = spawn_app().await;
    registered(&app).await;
    for (next, expected) in [
        ("/posts/some-post#comments", "/posts/some-post#comments"),
        ("https://evil.example", "/"),
        ("//evil.example", "/"),
    ] {
        let response =
            post(&client(), &app, "/signin", &[("email", EMAIL), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "next={next}");
        assert_eq!(location(&response), expected, "next={next}");
    }
    let browser = client();
    let form = parse(browser.get(app.url("/signin?next=//evil.example")).send().await.unwrap()).await;
    assert_eq!(form.field("next"), "/", "the form does not carry another site's address");
}

#[tokio::test]
async fn after_five_failures_even_the_right_password_must_wait() {
    let app = spawn_app().await;
    registered(&app).await;
    let browser = client();
    for attempt in 1..=5 {
        let response = sign_in_from(&browser, &app, EMAIL, "not the password").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "attempt {attempt}");
    }

    let response = sign_in_from(&browser, &app, EMAIL, PASSWORD).await;

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 0);
    assert!(response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .all(|c| !c.to_str().unwrap().starts_with("answerable_session=")));
    let message = parse(response).await.text(".error-summary");
    assert!(message.contains("Too many failed attempts") && message.contains("Wait"), "{message}");
    assert_signed_out(&parse(browser.get(app.url("/")).send().await.unwrap()).await.text(".site-nav"));
}

#[tokio::test]
async fn a_signed_in_member_comments_under_their_account_name_without_giving_name_or_email() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    registered(&app).await;

    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.count("form#comment-form input[name=name]"), 0);
    assert_eq!(page.count("form#comment-form input[name=email]"), 0);
    assert_eq!(page.text("form#comment-form .as-member"), "You are signed in as Ada Lovelace.");

    let response = post(&app.client, &app, &format!("/posts/{slug}/comments"), &[("body", "Open on Sundays?")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = posted_id(&response);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text(&format!("#comment-{id} .author")), "Ada Lovelace");
    assert_eq!(page.text(&format!("#comment-{id} .comment-body")), "Open on Sundays?");
    assert!(!page.source.contains(EMAIL), "the email is never shown");
}

#[tokio::test]
async fn changing_your_password_needs_the_current_one_and_then_only_the_new_one_works() {
    let app = spawn_app().await;
    registered(&app).await;
    assert!(password_hash(&app, EMAIL).starts_with("$argon2id$"));
    let new_password = "a brand new passphrase";

    let wrong = post(
        &app.client,
        &app,
        "/account/password",
        &[("current_password", "not the password"), ("new_password", new_password)],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(wrong).await;
    assert!(page.text(".error-summary").contains("Your current password is not right"));
    assert_eq!(page.attr("input[name=new_password]", "value").as_deref(), Some(""));

    let changed =
        post(&app.client, &app, "/account/password", &[("current_password", PASSWORD), ("new_password", new_password)])
            .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), "/account?changed=1");
    assert!(app.page("/account?changed=1").await.text(".success").contains("Your password has been changed"));
    assert!(password_hash(&app, EMAIL).starts_with("$argon2id$"));

    let browser = client();
    assert_eq!(sign_in_from(&browser, &app, EMAIL, PASSWORD).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sign_in_from(&browser, &app, EMAIL, new_password).await.status(), StatusCode::SEE_OTHER);
}

/// POSTs `fields` from the app's browser (which has the CSRF cookie) without a token,
/// as a page on another site would make it.
async fn post_without_token(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    token(&app.client, app).await; // the browser has loaded a form and holds the cookie
    let request = app.client.post(app.url(path)).header("Origin", "https://elsewhere.example");
    request.form(fields).send().await.expect("POST")
}

#[tokio::test]
async fn account_forms_without_the_csrf_token_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let fields = [("name", "Ada Lovelace"), ("email", EMAIL), ("password", PASSWORD)];
    let response = post_without_token(&app, "/register", &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .all(|c| !c.to_str().unwrap().starts_with("answerable_session=")));
    assert!(answerable::db::users::find_by_email(&mut app.conn(), EMAIL).unwrap().is_none(), "no account");

    registered(&app).await;
    let response = post_without_token(&app, "/signout", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_signed_in(&header(&app).await);

    let hash = password_hash(&app, EMAIL);
    let fields = [("current_password", PASSWORD), ("new_password", "a brand new passphrase")];
    let response = post_without_token(&app, "/account/password", &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(password_hash(&app, EMAIL), hash, "the password is unchanged");

    let browser = client();
    token(&browser, &app).await;
    let response =
        browser.post(app.url("/signin")).form(&[("email", EMAIL), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(LOCATION).is_none());
    assert!(response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .all(|c| !c.to_str().unwrap().starts_with("answerable_session=")));
    assert_signed_out(&parse(browser.get(app.url("/")).send().await.unwrap()).await.text(".site-nav"));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    let response = register(&app, "Ada Lovelace", EMAIL, PASSWORD).await;
    let cookie = session_set_cookie(&response);
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_site_is_served_over_https() {
    let app = spawn_app_with(&[("ANSWERABLE_BASE_URL", "https://example.org")]).await;
    // A browser would not send Secure cookies back over plain http, so carry the CSRF
    // cookie by hand.
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let form = plain.get(app.url("/register")).send().await.unwrap();
    let csrf_cookie = form
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("answerable_csrf="))
        .expect("a CSRF cookie")
        .to_owned();
    assert!(csrf_cookie.contains("Secure"), "{csrf_cookie}");
    let token = parse(form).await.attr("input[name=_csrf]", "value").unwrap();
    let response = plain
        .post(app.url("/register"))
        .header(COOKIE, csrf_cookie.split(';').next().unwrap())
        .form(&[("name", "Ada Lovelace"), ("email", EMAIL), ("password", PASSWORD), ("_csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = session_set_cookie(&response);
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
}
