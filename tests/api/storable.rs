//! What both backends can hold: text with U+0000 is refused the same way wherever it
//! comes in (forms, the API, addresses, imports), and reply chains stop nesting at one
//! depth both can index; so a site always moves between SQLite and PostgreSQL.

use answerable::db;
use answerable::domain::thread::MAX_DEPTH;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{app_with_post, parse, posted_id, Form};
use crate::wordpress::{answerable, err};

#[tokio::test]
async fn a_nul_character_in_a_form_is_refused_at_its_field_with_the_text_kept() {
    let (app, slug) = app_with_post().await;
    let response = app.submit_comment(&slug, &Form::new("Sam", "Log-in takes\u{0}nine minutes")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert!(page.text("#body-error").contains("NUL character"), "told at the field: {}", page.text("#body-error"));
    assert_eq!(page.field("body"), "Log-in takes\u{FFFD}nine minutes", "the text is kept, the NUL shown as \u{FFFD}");
    assert_eq!(page.field("name"), "Sam");

    let in_name = app.submit_comment(&slug, &Form::new("Sam\u{0}", "Fine text")).await;
    assert_eq!(in_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(parse(in_name).await.text("#name-error").contains("NUL character"), "told at the field that held it");
    assert_eq!(app.page(&format!("/posts/{slug}")).await.text("#comments-title"), "No comments yet");
}

#[tokio::test]
async fn a_nul_character_in_the_api_or_an_address_is_refused_and_nothing_stored() {
    let (app, slug) = app_with_post().await;
    let user = app.user("Sam Reader", "sam@example.org", answerable::domain::account::Role::Reader);
    let token = answerable::services::api_tokens::create(&mut app.conn(), user, "tests").unwrap().secret;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/posts/{slug}/comments")))
        .bearer_auth(&token)
        .json(&json!({"body": "a\u{0}b"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "body", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("NUL character"), "{body}");

    for path in [format!("/posts/{slug}%00"), "/search?q=a%00b".to_owned()] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(response.text().await.unwrap().contains("NUL character"), "{path}");
    }
    assert_eq!(app.page(&format!("/posts/{slug}")).await.text("#comments-title"), "No comments yet");
}

#[tokio::test]
async fn imports_refuse_a_nul_character_naming_where_it_is_and_import_nothing() {
    let (app, _) = app_with_post().await;
    let dir = tempfile::tempdir().unwrap();
    let wxr = std::fs::read_to_string(crate::wordpress::FIXTURE).unwrap().replacen(
        "Tell us what gets in your way",
        "Tell us\u{0}what gets in your way",
        1,
    );
    let wxr_path = dir.path().join("blog.xml");
    std::fs::write(&wxr_path, wxr).unwrap();
    let refused = answerable(&app, &["import", "wxr", wxr_path.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(err(&refused).contains("content:encoded") && err(&refused).contains("NUL"), "{}", err(&refused));
    assert_eq!(app.get("/posts/we-are-fixing-it").await.status(), StatusCode::NOT_FOUND, "nothing imported");

    let empty = crate::helpers::spawn_app().await;
    let export = r#"{"format": "answerable-export", "version": 1, "departments": [{"id": 1, "name": "Department for Work and Pensions", "acronym": "DWP", "description": "Pen\u0000sions", "target_days": 5, "created_at": "2024-01-01T00:00:00"}]}"#;
    let json_path = dir.path().join("site.json");
    std::fs::write(&json_path, export).unwrap();
    let refused = answerable(&empty, &["import", "json", json_path.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(err(&refused).contains("departments row 1, `description`"), "{}", err(&refused));
    assert_eq!(empty.get("/departments/DWP").await.status(), StatusCode::NOT_FOUND, "nothing imported");
}

#[tokio::test]
async fn a_reply_past_the_deepest_level_is_posted_beside_the_comment_it_answers() {
    let (app, slug) = app_with_post().await;
    let mut chain = vec![app.seed_comment(&slug, "Ann", "Top of the chain", None)];
    for n in 1..=MAX_DEPTH {
        let parent = *chain.last().unwrap();
        chain.push(app.seed_comment(&slug, "Ann", &format!("Reply {n}"), Some(parent)));
    }
    let deepest = *chain.last().unwrap();
    let stored = |id: i64| db::comments::find(&mut app.conn(), id).unwrap().unwrap();
    assert_eq!(stored(deepest).depth, MAX_DEPTH);

    let response = app.submit_comment(&slug, &Form::new("Bo", "Replying at the very bottom").reply_to(deepest)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a reply past the deepest level is posted");
    let id: i64 = posted_id(&response);
    let reply = stored(id);
    assert_eq!(reply.depth, MAX_DEPTH, "at the deepest level");
    assert_eq!(reply.parent_id, Some(chain[chain.len() - 2]), "beside the comment it answers");
    assert!(reply.path.len() < 2704 / 2, "its path fits a PostgreSQL index entry");
    assert_eq!(app.get(&format!("/comments/{id}")).await.status(), StatusCode::FOUND, "and it can be read");
}
