//! Readers' reports (once per reader, a threshold hides the comment pending review)
//! and comment freezes (one post, all posts, a scheduled window; the notice replaces
//! the form and a POST is refused with the text kept).

use answerable::domain::account::Role;
use reqwest::StatusCode;

use crate::helpers::{parse, spawn_app, Browser, TestApp};
use crate::moderation::{audit_rows, moderate, set_mode, status, ADA, MO};

async fn report(reader: &Browser<'_>, id: i64, fields: &[(&str, &str)]) -> crate::helpers::Page {
    let path = format!("/comments/{id}/report");
    let response = reader.submit(&path, &path, fields).await;
    let code = response.status();
    let page = parse(response).await;
    assert!(code == StatusCode::OK || code == StatusCode::UNPROCESSABLE_ENTITY, "{code}");
    page
}

#[tokio::test]
async fn readers_report_once_and_enough_reports_hide_the_comment_until_reviewed() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    app.user("Rita Reader", "rita@example.org", Role::Reader);
    set_mode(&app, "none").await; // and two reports hide a comment
    let id = app.seed_comment(&slug, "Troll", "Something nasty", None);
    let public = format!("/posts/{slug}");
    let link = Browser::new(&app).page(&public).await.attr(&format!("#comment-{id} a.report"), "href").unwrap();
    assert_eq!(link, format!("/comments/{id}/report"));

    let guest = Browser::new(&app);
    let page = report(&guest, id, &[]).await;
    assert!(page.text(".error-summary").contains("Choose why"));
    let page = report(&guest, id, &[("reason", "other"), ("note", "")]).await;
    assert!(page.text(".error-summary").contains("Say what is wrong"));
    let page = report(&guest, id, &[("reason", "abusive"), ("note", "Insults another reader")]).await;
    assert!(page.text(".success").contains("Thank you"));
    let page = report(&guest, id, &[("reason", "spam")]).await;
    assert!(page.text(".success").contains("already reported"), "once per reader");
    assert_eq!(status(&app, id), "published", "one report does not hide it");

    let moderator = Browser::signed_in(&app, MO).await;
    let queue = moderator.page("/moderation").await;
    let item = queue.text(&format!("#held-{id}"));
    assert!(item.contains("Published, reported by readers") && item.contains("Insults another reader"), "{item}");

    let rita = Browser::signed_in(&app, "rita@example.org").await;
    report(&rita, id, &[("reason", "personal")]).await;
    assert_eq!(status(&app, id), "hidden");
    assert_eq!(Browser::new(&app).page(&public).await.count(&format!("#comment-{id}")), 0, "hidden from readers");
    let published_at = answerable::db::comments::find(&mut app.conn(), id).unwrap().unwrap().published_at;
    let queue = moderator.page("/moderation").await;
    assert!(queue.text(&format!("#held-{id}")).contains("Hidden by readers' flags"));

    // The moderator finds it fine: it is back, its clock unchanged, the reports closed.
    moderate(&moderator, &[("act", &format!("approve:{id}"))]).await;
    assert_eq!(status(&app, id), "published");
    assert_eq!(answerable::db::comments::find(&mut app.conn(), id).unwrap().unwrap().published_at, published_at);
    assert_eq!(moderator.page("/moderation").await.count(".moderation-item"), 0);
    assert_eq!(Browser::new(&app).page(&public).await.count(&format!("#comment-{id}")), 1);
}

async fn freeze(admin: &Browser<'_>, fields: &[(&str, &str)]) -> reqwest::Response {
    admin.submit("/admin/freezes", "/admin/freezes", fields).await
}

fn post_id(app: &TestApp, slug: &str) -> String {
    answerable::db::posts::find_published_by_slug(&mut app.conn(), slug).unwrap().unwrap().id.to_string()
}

#[tokio::test]
async fn a_freeze_replaces_the_form_and_refuses_comments_with_the_text_kept() {
    let app = spawn_app().await;
    let slug = app.create_post("Election period", "Careful here.", true);
    let other = app.create_post("Opening hours", "The library opens at nine.", true);
    let top = app.seed_comment(&slug, "Ann", "Before the freeze", None);
    app.user("Ada Admin", ADA, Role::Admin);
    let admin = Browser::signed_in(&app, ADA).await;
    let notice = "Comments are closed during the pre-election period.";

    let response = freeze(&admin, &[("scope", "all"), ("notice", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = [("scope", "all"), ("starts", "2030-01-02T00:00"), ("ends", "2030-01-01T00:00"), ("notice", notice)];
    let page = parse(freeze(&admin, &bad).await).await;
    assert!(page.text(".error-summary").contains("end must be after"));
    assert_eq!(page.field("notice"), notice, "typed text kept");

    // A freeze of one post, in force now.
    let before = audit_rows(&app).len();
    let post = post_id(&app, &slug);
    assert_eq!(freeze(&admin, &[("scope", &post), ("notice", notice)]).await.status(), StatusCode::SEE_OTHER);
    let reader = Browser::new(&app);
    let page = reader.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text("#comments-closed"), notice);
    assert_eq!(page.count("form#comment-form"), 0);
    assert_eq!(page.count(&format!("#comment-{top} .comment-actions a[href*='comments/new']")), 0, "no reply links");
    assert_eq!(reader.page(&format!("/posts/{other}")).await.count("form#comment-form"), 1, "other posts stay open");

    // A POST during the freeze: refused with the notice, and the text given back.
    let fields = [("name", "Sam"), ("email", "sam@example.org"), ("body", "My carefully typed view")];
    let response = reader.submit(&format!("/posts/{other}"), &format!("/posts/{slug}/comments"), &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert_eq!(page.text("#comments-closed"), notice);
    assert_eq!(page.text("#field-body"), "My carefully typed view");

    // Lifted: the form is back. Two audit rows in all.
    let listing = admin.page("/admin/freezes").await;
    let lift = listing.attr("#freezes form", "action").unwrap();
    assert_eq!(admin.submit("/admin/freezes", &lift, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(reader.page(&format!("/posts/{slug}")).await.count("form#comment-form"), 1);
    let actions: Vec<String> = audit_rows(&app)[before..].iter().map(|r| r.0.clone()).collect();
    assert_eq!(actions, ["freeze.create", "freeze.end"]);
}

#[tokio::test]
async fn a_scheduled_freeze_of_all_posts_applies_only_inside_its_window() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Ada Admin", ADA, Role::Admin);
    let admin = Browser::signed_in(&app, ADA).await;
    let now = answerable::domain::time::now();
    let fmt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
    let (later, much_later) = (fmt(now + chrono::TimeDelta::days(2)), fmt(now + chrono::TimeDelta::days(9)));
    let fields =
        [("scope", "all"), ("starts", &later as &str), ("ends", &much_later), ("notice", "Closed for the election.")];
    assert_eq!(freeze(&admin, &fields).await.status(), StatusCode::SEE_OTHER);
    assert!(admin.page("/admin/freezes").await.text("#freezes").contains("Closed for the election."));
    let reader = Browser::new(&app);
    assert_eq!(reader.page(&format!("/posts/{slug}")).await.count("form#comment-form"), 1, "not yet");

    let (started, ends) = (fmt(now - chrono::TimeDelta::hours(1)), fmt(now + chrono::TimeDelta::hours(1)));
    let fields = [("scope", "all"), ("starts", &started as &str), ("ends", &ends), ("notice", "Closed for the count.")];
    assert_eq!(freeze(&admin, &fields).await.status(), StatusCode::SEE_OTHER);
    let page = reader.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text("#comments-closed"), "Closed for the count.");
    let reply_page = reader.get(&format!("/posts/{slug}/comments/new")).await;
    assert_eq!(parse(reply_page).await.text("#comments-closed"), "Closed for the count.");
}
