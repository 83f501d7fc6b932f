//! The JSON API: reading without a token, writing with one (never with the session
//! cookie), the same authority as the site's forms, JSON errors with stable codes,
//! cursor paging, and an OpenAPI document that lists every route.

use answerable::domain::account::Role;
use answerable::services::api_tokens;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

fn token(app: &TestApp, user_id: i64) -> String {
    api_tokens::create(&mut app.conn(), user_id, "tests").unwrap().secret
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = app.get(path).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, path: &str, bearer: Option<&str>, body: Value) -> (StatusCode, Value) {
    let mut request = app.client.post(app.url(path)).json(&body);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_else(|| panic!("an error body: {body}"))
}

struct World {
    slug: String,
    question: i64,
    reply: i64,
    other: i64,
    reader: i64,
    jane: i64,
    jane_role: i64,
    moderator: i64,
}

/// A post with a question answered by Jane (DWP), another comment routed to DWP, a
/// held comment; a reader and a moderator.
fn world(app: &TestApp) -> World {
    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    app.department("Department for Work and Pensions", "DWP", "");
    app.department("HM Revenue and Customs", "HMRC", "");
    let question = app.seed_comment(&slug, "Priya Shah", "Why does log-in take nine minutes?", None);
    let other = app.seed_comment(&slug, "Sam", "The DWP printer is broken.", None);
    let held = app.seed_comment(&slug, "Spammer", "Buy pills", None);
    app.set_status(held, "pending");
    let jane = app.user("Jane Doe", "jane@dwp.gov.uk", Role::Reader);
    let jane_role = app.grant("jane@dwp.gov.uk", "DWP", "Chief Technology Officer");
    let reply = app.seed_official_reply(&slug, jane, jane_role, question, "New log-in server in March.");
    let reader = app.user("Rita Reader", "rita@example.org", Role::Reader);
    let moderator = app.user("Mo Moderator", "mo@example.org", Role::Moderator);
    World { slug, question, reply, other, reader, jane, jane_role, moderator }
}

#[tokio::test]
async fn posts_and_comments_read_with_states_answer_links_and_badges() {
    let app = spawn_app().await;
    let w = world(&app);
    let (status, posts) = get(&app, "/api/v1/posts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(posts["posts"][0]["slug"], w.slug);
    assert_eq!(posts["posts"][0]["comment_count"], 3, "the held comment is not counted");
    assert!(posts["next_cursor"].is_null());
    let (_, post) = get(&app, &format!("/api/v1/posts/{}", w.slug)).await;
    assert_eq!(post["title"], "Fixing our IT");
    let (status, list) = get(&app, &format!("/api/v1/posts/{}/comments", w.slug)).await;
    assert_eq!(status, StatusCode::OK);
    let comments = list["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 3);
    let question = &comments[0];
    assert_eq!(question["id"], w.question);
    assert_eq!(question["response"]["state"], "answered");
    assert_eq!(question["response"]["department"], "DWP");
    assert_eq!(question["response"]["answered_by"], w.reply);
    assert!(question["response"]["answer_url"].as_str().unwrap().ends_with(&format!("/comments/{}", w.reply)));
    assert!(question["badge"].is_null());
    let reply = comments.iter().find(|c| c["id"] == w.reply).unwrap();
    assert_eq!(reply["badge"]["name"], "Jane Doe");
    assert_eq!(reply["badge"]["title"], "Chief Technology Officer");
    assert_eq!(reply["badge"]["acronym"], "DWP");
    assert!(reply["response"].is_null(), "an official reply is a response, with no state");
    assert_eq!(reply["answers"], json!([w.question]));
    let (_, one) = get(&app, &format!("/api/v1/comments/{}", w.other)).await;
    assert_eq!(one["response"]["state"], "awaiting");
    assert_eq!(one["body_html"], "<p>The DWP printer is broken.</p>\n");
}

#[tokio::test]
async fn lists_page_by_opaque_cursor_and_bad_paging_is_a_422() {
    let app = spawn_app().await;
    let slug = app.create_post("Busy", "Many comments.", true);
    let ids: Vec<i64> = (0..5).map(|i| app.seed_comment(&slug, "R", &format!("Comment {i}"), None)).collect();
    let mut seen = Vec::new();
    let mut path = format!("/api/v1/posts/{slug}/comments?limit=2");
    loop {
        let (status, page) = get(&app, &path).await;
        assert_eq!(status, StatusCode::OK);
        seen.extend(page["comments"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/posts/{slug}/comments?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ids, "every comment once, oldest first");
    let (status, body) = get(&app, &format!("/api/v1/posts/{slug}/comments?cursor=rubbish")).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_cursor"));
    let (status, body) = get(&app, "/api/v1/posts?limit=0").await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let (status, body) = get(&app, "/api/v1/posts?limit=many").await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    app.create_post("Second", "Another.", true);
    let (_, first) = get(&app, "/api/v1/posts?limit=1").await;
    assert_eq!(first["posts"][0]["title"], "Second");
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = get(&app, &format!("/api/v1/posts?limit=1&cursor={cursor}")).await;
    assert_eq!(second["posts"][0]["title"], "Busy");
    assert!(second["next_cursor"].is_null());
}

#[tokio::test]
async fn unknown_things_are_json_404s() {
    let app = spawn_app().await;
    world(&app);
    for path in [
        "/api/v1/posts/nope",
        "/api/v1/posts/nope/comments",
        "/api/v1/comments/999999",
        "/api/v1/comments/abc",
        "/api/v1/departments/NOPE",
        "/api/v1/nothing-here",
    ] {
        let (status, body) = get(&app, path).await;
        assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"), "{path}");
    }
}

#[tokio::test]
async fn departments_and_their_figures() {
    let app = spawn_app().await;
    world(&app);
    let (status, all) = get(&app, "/api/v1/departments").await;
    assert_eq!(status, StatusCode::OK);
    let dwp = all["departments"].as_array().unwrap().iter().find(|d| d["acronym"] == "DWP").unwrap();
    assert_eq!(dwp["answered"], 1);
    let (_, one) = get(&app, "/api/v1/departments/DWP").await;
    assert_eq!(one["name"], "Department for Work and Pensions");
    assert_eq!(one["answered"], 1);
    assert!(one["weeks"].is_array() && one["definitions"].is_array());
}

#[tokio::test]
async fn writing_needs_a_token_and_a_session_cookie_is_not_one() {
    let app = spawn_app().await;
    let w = world(&app);
    let path = format!("/api/v1/posts/{}/comments", w.slug);
    let (status, body) = post(&app, &path, None, json!({"body": "Hello"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let (status, body) = post(&app, &path, Some("ans_not-a-real-token"), json!({"body": "Hello"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthorized"));
    app.sign_in("rita@example.org").await;
    let (status, _) = post(&app, &path, None, json!({"body": "Signed in by cookie"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session cookie does not authenticate the API");
    let secret = token(&app, w.reader);
    let (status, created) = post(&app, &path, Some(&secret), json!({"body": "Posted *by API*"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["author_name"], "Rita Reader");
    assert_eq!(created["body_html"], "<p>Posted <em>by API</em></p>\n");
    assert_eq!(created["response"]["state"], "awaiting");
    let page = app.page(&format!("/posts/{}", w.slug)).await;
    assert!(page.source.contains("Posted <em>by API</em>"), "readers see it on the post page");
    let (status, reply) =
        post(&app, &path, Some(&secret), json!({"body": "A reply", "parent_id": created["id"]})).await;
    assert_eq!((status, reply["parent_id"].clone()), (StatusCode::CREATED, created["id"].clone()));
}

#[tokio::test]
async fn bad_comments_are_422s_and_closed_posts_403() {
    let app = spawn_app().await;
    let w = world(&app);
    let secret = token(&app, w.reader);
    let path = format!("/api/v1/posts/{}/comments", w.slug);
    let (status, body) = post(&app, &path, Some(&secret), json!({"body": "   "})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    assert_eq!(body["error"]["fields"][0]["field"], "body");
    let (status, body) = post(&app, &path, Some(&secret), json!({"text": "wrong field"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json"));
    let (status, body) = post(&app, &path, Some(&secret), json!({"body": "hi", "parent_id": 999999})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let (status, body) = post(&app, &path, Some(&secret), json!({"body": "hi", "as_official": w.jane_role})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "not Rita's grant");
    let closed = app.create_post("Closed", "No comments.", false);
    let (status, body) =
        post(&app, &format!("/api/v1/posts/{closed}/comments"), Some(&secret), json!({"body": "hi"})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "comments_closed"));
}

#[tokio::test]
async fn an_official_replies_with_a_badge_and_the_parent_is_answered() {
    let app = spawn_app().await;
    let w = world(&app);
    let secret = token(&app, w.jane);
    let body = json!({"body": "Fixed today.", "parent_id": w.other, "as_official": w.jane_role});
    let (status, reply) = post(&app, &format!("/api/v1/posts/{}/comments", w.slug), Some(&secret), body).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["badge"]["department"], "Department for Work and Pensions");
    assert_eq!(reply["answers"], json!([w.other]));
    let (_, parent) = get(&app, &format!("/api/v1/comments/{}", w.other)).await;
    assert_eq!(parent["response"]["state"], "answered");
    assert_eq!(parent["response"]["answered_by"], reply["id"]);
}

#[tokio::test]
async fn response_actions_follow_the_same_authority_as_the_forms() {
    let app = spawn_app().await;
    let w = world(&app);
    let (reader, jane, moderator) = (token(&app, w.reader), token(&app, w.jane), token(&app, w.moderator));
    let state = format!("/api/v1/comments/{}/state", w.other);
    let route = format!("/api/v1/comments/{}/route", w.other);
    let assign = format!("/api/v1/comments/{}/assign", w.other);
    let (status, body) = post(&app, &state, Some(&reader), json!({"action": "acknowledge"})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "a reader may not");
    let (status, body) = post(&app, &state, Some(&jane), json!({"action": "acknowledge"})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "not routed to DWP yet");
    let (status, body) = post(&app, &route, Some(&jane), json!({"department": "DWP"})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "only moderators route");
    let (status, body) = post(&app, &route, Some(&moderator), json!({"department": "NOPE"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let (status, routed) = post(&app, &route, Some(&moderator), json!({"department": "DWP"})).await;
    assert_eq!((status, routed["response"]["department"].clone()), (StatusCode::OK, json!("DWP")));
    let (status, done) =
        post(&app, &state, Some(&jane), json!({"action": "acknowledge", "note": "Looking into it"})).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["response"]["state"], "acknowledged");
    assert_eq!(done["response"]["note"], "Looking into it");
    let (status, body) = post(&app, &state, Some(&jane), json!({"action": "acknowledge"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_transition"));
    let (status, body) =
        post(&app, &state, Some(&jane), json!({"action": "no_response_needed", "reason": "thanks"})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "moderators only");
    let (status, body) = post(&app, &state, Some(&jane), json!({"action": "refer"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    assert_eq!(body["error"]["fields"][0]["field"], "referred_to");
    let (status, body) = post(&app, &state, Some(&jane), json!({"action": "explode"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let (status, body) = post(&app, &assign, Some(&moderator), json!({"assignee_id": w.reader})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "forbidden"), "not an official of DWP");
    let (status, _) = post(&app, &assign, Some(&jane), json!({"assignee_id": w.jane})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) =
        post(&app, "/api/v1/comments/999999/state", Some(&moderator), json!({"action": "reopen"})).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let page = app.page(&format!("/comments/{}/responses", w.other)).await;
    assert!(page.source.contains("Looking into it"), "the change is an event like any other");
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_lists_every_route() {
    let app = spawn_app().await;
    let w = world(&app);
    let (status, doc) = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    let registered: Vec<(String, String)> =
        answerable::web::api::ROUTES.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    for route in &registered {
        assert!(documented.contains(route), "{route:?} is registered but not documented");
    }
    for route in &documented {
        assert!(registered.contains(route), "{route:?} is documented but not registered");
    }
    // Each listed route answers at its path (not the "no such API route" fallback).
    for (method, path) in &registered {
        let path = path.replace("{slug}", &w.slug).replace("{id}", &w.question.to_string()).replace("{acronym}", "DWP");
        let response = match method.as_str() {
            "get" => app.client.get(app.url(&path)).send().await.unwrap(),
            _ => app.client.post(app.url(&path)).json(&json!({})).send().await.unwrap(),
        };
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let fallback = body["error"]["message"].as_str().is_some_and(|m| m.starts_with("No such API route"));
        assert!(!fallback, "{method} {path} is served");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["CommentJson"].is_object());
}

#[tokio::test]
async fn a_user_makes_sees_once_and_revokes_a_token_on_the_tokens_page() {
    let app = spawn_app().await;
    let w = world(&app);
    app.sign_in("rita@example.org").await;
    let account = app.page("/account").await;
    assert_eq!(account.attr("a[href='/account/tokens']", "href").unwrap(), "/account/tokens");
    let empty = app.submit("/account/tokens", "/account/tokens", &[("token_name", "   ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::parse(empty).await;
    assert!(page.text(".error-summary").contains("Enter a name for the token"));
    let made = app.submit("/account/tokens", "/account/tokens", &[("token_name", "Triage script")]).await;
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(made.headers()["cache-control"], "no-store");
    let page = crate::helpers::parse(made).await;
    let secret = page.text("#new-token code.token");
    assert!(secret.starts_with("ans_") && secret.len() > 40, "{secret}");
    assert_eq!(page.texts(".tokens .token-name"), vec!["Triage script"]);
    assert_eq!(page.text(".tokens .token-used"), "Never");
    let stored: Vec<String> = {
        use answerable::db::schema::api_tokens;
        use diesel::prelude::*;
        api_tokens::table.select(api_tokens::token_hash).load(&mut app.conn()).unwrap()
    };
    assert!(stored.iter().all(|h| !h.contains(&secret[4..]) && h.len() == 64), "only a hash is stored");
    let again = app.page("/account/tokens").await;
    assert_eq!(again.count("#new-token"), 0, "shown once");
    assert!(!again.source.contains(&secret));
    let path = format!("/api/v1/posts/{}/comments", w.slug);
    let (status, _) = post(&app, &path, Some(&secret), json!({"body": "From my script"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let used = app.page("/account/tokens").await;
    assert_ne!(used.text(".tokens .token-used"), "Never", "last use recorded");
    let action = used.attr(".tokens form", "action").unwrap();
    let revoked = app.submit("/account/tokens", &action, &[]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let after = app.page("/account/tokens?revoked=1").await;
    assert!(after.text(".tokens .token-status").starts_with("Revoked"));
    let (status, body) = post(&app, &path, Some(&secret), json!({"body": "Again"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthorized"), "a revoked token is refused");
    let other = app.user("Other", "other@example.org", Role::Reader);
    let theirs = api_tokens::create(&mut app.conn(), other, "theirs").unwrap().id;
    let response = app.submit("/account/tokens", &format!("/account/tokens/{theirs}/revoke"), &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "no revoking someone else's token");
}
