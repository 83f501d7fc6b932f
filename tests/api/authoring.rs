//! Authors and their own comments and data: editing within the window (history kept
//! for moderators), deleting (a comment with replies leaves "Comment removed"),
//! downloading their data, and deleting their account.

use answerable::db::schema::comments;
use answerable::domain::account::Role;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{parse, posted_id, spawn_app, spawn_app_with, Browser, TestApp, PASSWORD};
use crate::moderation::{status, MO};

const ANN: &str = "ann@example.org";

async fn member_comment(ann: &Browser<'_>, slug: &str, body: &str, parent: Option<i64>) -> i64 {
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    let mut fields = vec![("body", body)];
    if !parent.is_empty() {
        fields.push(("parent_id", &parent));
    }
    let response = ann.submit(&format!("/posts/{slug}"), &format!("/posts/{slug}/comments"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    posted_id(&response)
}

fn backdate(app: &TestApp, id: i64, minutes: i64) {
    let at = answerable::domain::time::now() - chrono::TimeDelta::minutes(minutes);
    diesel::update(comments::table.find(id)).set(comments::created_at.eq(at)).execute(&mut app.conn()).unwrap();
}

#[tokio::test]
async fn authors_edit_within_the_window_and_moderators_see_the_history() {
    let app = spawn_app_with(&[("ANSWERABLE_EDIT_MINUTES", "15")]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Ann Author", ANN, Role::Reader);
    app.user("Mo Moderator", MO, Role::Moderator);
    let ann = Browser::signed_in(&app, ANN).await;
    let id = member_comment(&ann, &slug, "Open on Sundys?", None).await;

    let mine = ann.page("/account/comments").await;
    assert!(mine.text(&format!("#own-{id}")).contains("Published"));
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.comment_body(id), "Open on Sundys?", "read once before the edit");
    let edit = format!("/comments/{id}/edit");
    let response = ann.submit(&edit, &edit, &[("body", "Open on Sundays?")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.comment_body(id), "Open on Sundays?");

    // Someone else cannot edit it.
    app.user("Bea", "bea@example.org", Role::Reader);
    let bea = Browser::signed_in(&app, "bea@example.org").await;
    assert_eq!(bea.get(&edit).await.status(), StatusCode::NOT_FOUND);

    // Past the window: refused, with the text given back.
    backdate(&app, id, 16);
    assert_eq!(ann.page("/account/comments").await.count(&format!("#own-{id} a[href='{edit}']")), 0);
    let token = ann.page("/account/comments").await.attr("input[name=_csrf]", "value").unwrap();
    let response = ann
        .client
        .post(app.url(&edit))
        .form(&[("_csrf", token.as_str()), ("body", "Too late now")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("15 minutes"));
    assert_eq!(page.field("body"), "Too late now");

    let moderator = Browser::signed_in(&app, MO).await;
    let history = moderator.page(&format!("/moderation/{id}/edit")).await;
    let earlier = history.text(".edit-history");
    assert!(earlier.contains("Open on Sundys?") && earlier.contains("the author"), "{earlier}");
}

#[tokio::test]
async fn a_deleted_comment_with_replies_leaves_comment_removed_in_its_place() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Ann Author", ANN, Role::Reader);
    let ann = Browser::signed_in(&app, ANN).await;
    let top = member_comment(&ann, &slug, "A question with replies", None).await;
    let lonely = member_comment(&ann, &slug, "A question nobody answered", None).await;
    let reply = app.seed_comment(&slug, "Bob", "A reply to Ann", Some(top));

    for id in [top, lonely] {
        let response = ann.submit("/account/comments", &format!("/comments/{id}/delete"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(status(&app, id), "deleted");
    }
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text(&format!("#comment-{top}")), "Comment removed");
    assert!(!page.source.contains("A question with replies"));
    assert_eq!(page.displayed_parent(reply), Some(top), "the reply keeps its place");
    assert_eq!(page.count(&format!("#comment-{lonely}")), 0, "without replies it is simply gone");
}

#[tokio::test]
async fn members_download_their_data_and_delete_their_account() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Ann Author", ANN, Role::Reader);
    let ann = Browser::signed_in(&app, ANN).await;
    let id = member_comment(&ann, &slug, "My words", None).await;
    // Read once before, so what the page keeps of its comments is then out of date.
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text(&format!("#comment-{id} .author")), "Ann Author");

    let response = ann.get("/account/data.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let data: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(data["email"], ANN);
    assert_eq!(data["comments"][0]["body_markdown"], "My words");
    assert_eq!(data["comments"][0]["post"], format!("/posts/{slug}"));

    let wrong = [("comments", "keep"), ("password", "not my password")];
    let response = ann.submit("/account/delete", "/account/delete", &wrong).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = [("comments", "keep"), ("password", PASSWORD)];
    let response = ann.submit("/account/delete", "/account/delete", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text(&format!("#comment-{id} .author")), "Deleted user");
    assert_eq!(page.comment_body(id), "My words", "kept, as chosen");
    assert_eq!(ann.get("/account").await.status(), StatusCode::SEE_OTHER, "signed out");
    assert!(answerable::db::users::find_by_email(&mut app.conn(), ANN).unwrap().is_none(), "the email is gone");
}

#[tokio::test]
async fn a_member_sees_why_their_comment_was_rejected() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Ann Author", ANN, Role::Reader);
    app.user("Mo Moderator", MO, Role::Moderator);
    crate::moderation::set_mode(&app, "all").await;
    let ann = Browser::signed_in(&app, ANN).await;
    let id = member_comment(&ann, &slug, "Something off topic", None).await;
    assert!(ann.page("/account/comments").await.text(&format!("#own-{id}")).contains("Waiting for moderation"));
    let moderator = Browser::signed_in(&app, MO).await;
    let reason = format!("reason-{id}");
    crate::moderation::moderate(
        &moderator,
        &[("act", &format!("reject:{id}")), (&reason, "Please keep to the post's subject")],
    )
    .await;
    let mine = ann.page("/account/comments").await.text(&format!("#own-{id}"));
    assert!(mine.contains("rejected") && mine.contains("Please keep to the post's subject"), "{mine}");
}

#[tokio::test]
async fn a_comment_taken_down_by_a_moderator_keeps_its_replies_in_place() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    let top = app.seed_comment(&slug, "Troll", "Something rude", None);
    let reply = app.seed_comment(&slug, "Bob", "Please be kind", Some(top));
    let moderator = Browser::signed_in(&app, MO).await;
    let reason = format!("reason-{top}");
    let response =
        crate::moderation::moderate(&moderator, &[("act", &format!("reject:{top}")), (&reason, "Rude")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text(&format!("#comment-{top}")), "Comment removed");
    assert!(!page.source.contains("Something rude"));
    assert_eq!(page.displayed_parent(reply), Some(top));
    assert_eq!(page.comment_body(reply), "Please be kind");
}
