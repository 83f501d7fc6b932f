//! `answerable export --format json` and `answerable import json`: a site moved to a
//! fresh database (PostgreSQL when TEST_DATABASE_URL is set, from SQLite) is the same site.

use answerable::db;
use answerable::domain::account::Role;
use answerable::domain::comment::CommentBody;
use answerable::domain::ids::{CommentId, UserId};
use answerable::domain::notification::{Kind, Mode};
use answerable::domain::time;
use answerable::services::{flags, freezes, moderation, site_settings, subscriptions};
use serde_json::Value;

use crate::helpers::{spawn_app, spawn_app_with, Browser, Form, Page, TestApp};
use crate::wordpress::{answerable, err, import_fixture, out, site_before_import};

fn export(app: &TestApp, path: &std::path::Path) -> Value {
    let exported = answerable(app, &["export", "--format", "json", path.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", err(&exported));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc.as_object_mut().unwrap().remove("exported_at");
    doc
}

/// What moderators, admins and followers leave behind: settings and the blocklist, a
/// per-post moderation mode, a trusted account, a scheduled freeze, a held comment, a
/// moderator's edit, a reader's report, the audit log, a subscription and a preference.
async fn moderated_and_followed(app: &TestApp, comment: i64) {
    let admin = app.user("Ada Admin", "ada@example.org", Role::Admin);
    let mut conn = app.conn();
    let mut settings = site_settings::load(&mut conn).unwrap();
    settings.flag_threshold = 5;
    settings.blocklist_words = vec!["casino".into()];
    assert!(site_settings::save(&mut conn, Some(admin), &settings).unwrap());
    let post = db::posts::find_published_by_slug(&mut conn, "we-are-fixing-it").unwrap().unwrap();
    let closed = db::posts::find_published_by_slug(&mut conn, "closed-for-the-election").unwrap().unwrap();
    db::posts::set_moderation(&mut conn, closed.id, Some("all")).unwrap();
    db::users::set_trusted(&mut conn, admin, true, time::now()).unwrap();
    let soon = time::now() + chrono::TimeDelta::days(30);
    let freeze = freezes::NewFreeze {
        post_id: None,
        starts_at: Some(soon),
        ends_at: Some(soon + chrono::TimeDelta::days(2)),
        notice: "Comments close for the count.".into(),
    };
    freezes::create(&mut conn, Some(admin), &freeze).unwrap();
    let body = CommentBody::parse("Posted after the import, spelling fixed.").unwrap();
    moderation::edit(&mut conn, UserId(admin), CommentId(comment), &body, "Spelling").unwrap();
    flags::report(&mut conn, comment, "user:1", "off_topic", "Not about IT.").unwrap();
    let now = time::now();
    let follow = db::subscriptions::NewSubscription {
        email: "ada@example.org",
        user_id: Some(admin),
        target: db::subscriptions::TARGET_POST,
        post_id: post.id,
        comment_id: None,
        confirmed_at: Some(now),
        created_at: now,
    };
    db::subscriptions::insert(&mut conn, &follow).unwrap();
    subscriptions::set_preferences(&mut conn, admin, &[(Kind::Moderation, Mode::Daily)]).unwrap();
    drop(conn);
    // From another browser: its author would see the held comment where others do not.
    let spammer = Browser::new(app);
    let fields = [("name", "Spammer"), ("email", "spam@example.org"), ("body", "Best casino offers here.")];
    let held = spammer.submit("/posts/we-are-fixing-it", "/posts/we-are-fixing-it/comments", &fields).await;
    assert!(held.status().is_redirection(), "{}", held.status());
}

/// Moderators and followers carry on after a restore: every table's new rows take ids
/// past the restored ones (on PostgreSQL, only if the sequences were moved on).
fn more_after_the_restore(app: &TestApp, comment: i64) {
    let mut conn = app.conn();
    let admin = db::users::find_by_email(&mut conn, "ada@example.org").unwrap().unwrap().id;
    let mut settings = site_settings::load(&mut conn).unwrap();
    settings.blocklist_words.push("lottery".into());
    assert!(site_settings::save(&mut conn, Some(admin), &settings).unwrap());
    let freeze = freezes::NewFreeze { post_id: None, starts_at: None, ends_at: None, notice: "Closed.".into() };
    let frozen = freezes::create(&mut conn, Some(admin), &freeze).unwrap();
    assert!(freezes::end(&mut conn, Some(admin), frozen).unwrap());
    let body = CommentBody::parse("First on the new database, edited.").unwrap();
    moderation::edit(&mut conn, UserId(admin), CommentId(comment), &body, "Tidy").unwrap();
    flags::report(&mut conn, comment, "user:1", "other", "Checking.").unwrap();
    let post = db::posts::find_published_by_slug(&mut conn, "we-are-fixing-it").unwrap().unwrap();
    let now = time::now();
    let follow = db::subscriptions::NewSubscription {
        email: "kim@example.org",
        user_id: None,
        target: db::subscriptions::TARGET_POST,
        post_id: post.id,
        comment_id: None,
        confirmed_at: Some(now),
        created_at: now,
    };
    assert!(db::subscriptions::insert(&mut conn, &follow).unwrap() > 1);
}

/// What a reader sees of a post's comments.
fn comments_seen(page: &Page) -> Vec<Vec<String>> {
    ["h1", ".post-body", "#comments-title", "article.comment", ".badge", ".response-state"]
        .iter()
        .map(|css| page.texts(css))
        .collect()
}

#[tokio::test]
async fn a_site_exported_and_imported_into_a_fresh_database_is_the_same_site() {
    let files = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", files.path().join("source.db").display());
    let mut source = spawn_app_with(&[("DATABASE_URL", &sqlite)]).await;
    source.database_url = sqlite.clone();
    site_before_import(&source);
    import_fixture(&source);
    assert!(answerable(&source, &["holiday", "add", "2024-12-25", "--name", "Christmas Day"]).status.success());
    let robin = source.comment("we-are-fixing-it", Form::new("Robin", "Posted after the import.").reply_to(1)).await;
    moderated_and_followed(&source, robin).await;

    let path = files.path().join("site.json");
    let exported = export(&source, &path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("argon2") && !text.contains("password") && !text.contains("token"), "no secrets");
    for table in
        ["departments", "department_aliases", "users", "official_roles", "holidays", "posts", "post_categories"]
            .into_iter()
            .chain(["comments", "response_events", "imported_badges", "import_ids"])
            .chain(["site_settings", "blocklist", "freezes", "comment_moderation", "comment_edits", "comment_flags"])
            .chain(["audit_log", "subscriptions", "notification_preferences"])
    {
        assert!(!exported[table].as_array().unwrap().is_empty(), "{table} exported");
    }
    let rows = |table: &str| exported[table].as_array().unwrap().clone();
    assert!(rows("users").iter().any(|u| u["trusted"] == true), "trusted accounts");
    assert!(rows("posts").iter().any(|p| p["moderation"] == "all"), "a post's moderation mode");
    assert!(rows("comment_moderation").iter().any(|m| m["held_reason"].is_string()), "why a comment was held");

    let target = spawn_app().await;
    let restored = answerable(&target, &["import", "json", path.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", err(&restored));
    assert!(out(&restored).contains("3 posts, 14 comments"), "{}", out(&restored));
    assert_eq!(export(&target, &files.path().join("again.json")), exported, "every row came across");

    for path in ["/posts/we-are-fixing-it", "/posts/closed-for-the-election", "/departments/DWP", "/departments"] {
        let (before, after) = (source.page(path).await, target.page(path).await);
        assert_eq!(comments_seen(&after), comments_seen(&before), "{path}");
        assert_eq!(after.texts("main"), before.texts("main"), "{path}");
    }
    for path in ["/departments/DWP.json", "/departments/HMRC.json"] {
        let figures = |text: String| {
            let mut json: Value = serde_json::from_str(&text).unwrap();
            json.as_object_mut().unwrap().remove("as_of");
            json
        };
        let after = figures(target.get(path).await.text().await.unwrap());
        assert_eq!(after, figures(source.get(path).await.text().await.unwrap()), "{path}");
    }
    // New comments continue the ids after the restored ones.
    let id = target.comment("we-are-fixing-it", Form::new("Kim", "First on the new database.")).await;
    assert!(id > 14, "{id}");
    more_after_the_restore(&target, id);

    // Accounts come without passwords until one is set.
    let officer = "jane.doe@dwp.example.gov";
    let form = target.page("/signin").await.attr("input[name=_csrf]", "value").unwrap();
    let refused = target
        .client
        .post(target.url("/signin"))
        .form(&[("email", officer), ("password", ""), ("_csrf", &form)])
        .send()
        .await
        .unwrap();
    assert_ne!(refused.status(), reqwest::StatusCode::SEE_OTHER, "no empty password");
    let mut set = std::process::Command::new(env!("CARGO_BIN_EXE_answerable"))
        .args(["user", "password", "--email", officer, "--password-stdin"])
        .env("DATABASE_URL", &target.database_url)
        .env("ANSWERABLE_DATA_DIR", target.data_dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    writeln!(set.stdin.take().unwrap(), "{}", crate::helpers::PASSWORD).unwrap();
    assert!(set.wait().unwrap().success());
    target.sign_in(officer).await;

    let again = answerable(&target, &["import", "json", path.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(err(&again).contains("only fills an empty database"), "{}", err(&again));
}

#[tokio::test]
async fn a_file_that_is_not_an_export_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.json");
    std::fs::write(&path, r#"{"format": "something-else", "posts": []}"#).unwrap();
    let refused = answerable(&app, &["import", "json", path.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(err(&refused).contains("not an Answerable export"), "{}", err(&refused));

    let good = r#"{"format": "answerable-export", "version": 1, "departments": [{"id": 1, "name": "Department for Work and Pensions", "acronym": "DWP", "description": "", "target_days": 5, "created_at": "2024-01-01T00:00:00"}], "posts": [{"id": 1}]}"#;
    std::fs::write(&path, good).unwrap();
    let refused = answerable(&app, &["import", "json", path.to_str().unwrap()]);
    assert!(err(&refused).contains("missing field `slug`") && err(&refused).contains("line 1"), "{}", err(&refused));
    assert_eq!(app.get("/departments/DWP").await.status(), 404, "the department before the error is not kept");
}
