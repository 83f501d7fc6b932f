//! The audit log: every moderator and admin action writes exactly one row, the log
//! filters and exports as CSV, the database refuses changes to it, and readers are
//! refused on every moderation route.

use answerable::db::schema::audit_log;
use answerable::domain::account::Role;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{location, Browser, TestApp};
use crate::moderation::{audit_rows, guest_comment, moderate, set_mode, ADA, MO};

/// Runs one action and checks it added exactly one audit row, of `action`.
async fn exactly_one<F: std::future::Future<Output = reqwest::Response>>(app: &TestApp, action: &str, run: F) {
    let before = audit_rows(app).len();
    let response = run.await;
    assert!(
        response.status() == StatusCode::SEE_OTHER || response.status() == StatusCode::OK,
        "{action}: {}",
        response.status()
    );
    let rows = audit_rows(app);
    let added: Vec<&str> = rows[before..].iter().map(|r| r.0.as_str()).collect();
    assert_eq!(added, [action], "exactly one row for {action}");
}

#[tokio::test]
async fn every_moderator_and_admin_action_writes_exactly_one_audit_row() {
    let app = crate::helpers::spawn_app().await;
    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    let post = answerable::db::posts::find_published_by_slug(&mut app.conn(), &slug).unwrap().unwrap().id;
    app.user("Mo Moderator", MO, Role::Moderator);
    let rita = app.user("Rita Reader", "rita@example.org", Role::Reader);
    let jane = app.user("Jane Doe", "jane@dwp.example", Role::Reader);
    let dwp = app.department("Department for Work and Pensions", "DWP", "");
    app.grant("jane@dwp.example", "DWP", "Chief Technology Officer");
    set_mode(&app, "all").await;
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(guest_comment(&app, &slug, &format!("g{n}@example.org"), &format!("Point number {n}")).await.1);
        }
        ids
    };
    let moderator = Browser::signed_in(&app, MO).await;
    let admin = Browser::signed_in(&app, ADA).await;

    // Moderation.
    exactly_one(&app, "comment.approve", moderate(&moderator, &[("act", &format!("approve:{}", ids[0]))])).await;
    let reason = format!("reason-{}", ids[1]);
    let reject = format!("reject:{}", ids[1]);
    exactly_one(&app, "comment.reject", moderate(&moderator, &[("act", &reject), (&reason, "Abusive")])).await;
    exactly_one(&app, "comment.spam", moderate(&moderator, &[("act", &format!("spam:{}", ids[2]))])).await;
    exactly_one(&app, "comment.delete", moderate(&moderator, &[("act", &format!("delete:{}", ids[3]))])).await;
    let edit = format!("/moderation/{}/edit", ids[4]);
    let fields = [("body", "Point number four, edited"), ("reason", "Typo")];
    exactly_one(&app, "comment.edit", moderator.submit(&edit, &edit, &fields)).await;

    // Response management on the published comment.
    let responses = format!("/comments/{}/responses", ids[0]);
    let dwp_id = dwp.to_string();
    let route = format!("/comments/{}/route", ids[0]);
    exactly_one(&app, "comment.route", moderator.submit(&responses, &route, &[("department", &dwp_id)])).await;
    let assign = format!("/comments/{}/assign", ids[0]);
    let jane_id = jane.to_string();
    exactly_one(&app, "comment.assign", moderator.submit(&responses, &assign, &[("assignee", &jane_id)])).await;
    let fields = [("action", "acknowledge"), ("note", "Looking into it")];
    exactly_one(&app, "comment.state", moderator.submit(&responses, &responses, &fields)).await;

    // Admin actions.
    let role = format!("/admin/users/{rita}/role");
    exactly_one(&app, "user.role", admin.submit("/admin/users", &role, &[("role", "moderator")])).await;
    let trusted = format!("/admin/users/{rita}/trusted");
    exactly_one(&app, "user.trusted", admin.submit("/admin/users", &trusted, &[("trusted", "yes")])).await;
    let department = [
        ("name", "HM Revenue and Customs"),
        ("acronym", "HMRC"),
        ("description", ""),
        ("aliases", ""),
        ("email_domains", ""),
        ("target_days", "5"),
    ];
    let new = "/admin/departments/new";
    exactly_one(&app, "department.create", admin.submit(new, new, &department)).await;
    let edit = format!("/admin/departments/{dwp}");
    let changed = [
        ("name", "Department for Work and Pensions"),
        ("acronym", "DWP"),
        ("description", "Benefits and pensions"),
        ("aliases", ""),
        ("email_domains", ""),
        ("target_days", "10"),
    ];
    exactly_one(&app, "department.update", admin.submit(&edit, &edit, &changed)).await;
    let grant = [
        ("email", "rita@example.org"),
        ("department", "HMRC"),
        ("title", "Head of Digital"),
        ("confirm_email", "rita@example.org"),
    ];
    exactly_one(&app, "official.grant", admin.submit("/admin/officials", "/admin/officials", &grant)).await;
    let role_id: i64 = answerable::db::officials::active_listings_for_user(&mut app.conn(), rita).unwrap()[0].role_id;
    let revoke = format!("/admin/officials/{role_id}/revoke");
    exactly_one(&app, "official.revoke", admin.submit(&revoke, &revoke, &[("reason", "Left HMRC")])).await;
    let settings = [("premoderation", "first_time"), ("max_links", "2"), ("flag_threshold", "3"), ("words", "casino")];
    exactly_one(&app, "settings.moderation", admin.submit("/admin/moderation", "/admin/moderation", &settings)).await;
    let moderation = format!("/admin/posts/{post}/moderation");
    exactly_one(&app, "post.moderation", admin.submit("/admin/posts", &moderation, &[("moderation", "none")])).await;
    let close = format!("/admin/posts/{post}/close-comments");
    exactly_one(&app, "post.close_comments", admin.submit("/admin/posts", &close, &[])).await;
    let unpublish = format!("/admin/posts/{post}/unpublish");
    exactly_one(&app, "post.unpublish", admin.submit("/admin/posts", &unpublish, &[])).await;

    // Who did it is recorded by name.
    let names: Vec<String> = audit_log::table.select(audit_log::actor_name).load(&mut app.conn()).unwrap();
    assert!(names.iter().any(|n| n == "Mo Moderator") && names.iter().any(|n| n == "Ada Admin"));
}

#[tokio::test]
async fn the_log_filters_exports_csv_and_cannot_be_changed() {
    let app = crate::helpers::spawn_app().await;
    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    set_mode(&app, "all").await;
    let (_, id) = guest_comment(&app, &slug, "g@example.org", "Why, \"exactly\", is it slow?").await;
    let moderator = Browser::signed_in(&app, MO).await;
    let reason = format!("reason-{id}");
    moderate(&moderator, &[("act", &format!("reject:{id}")), (&reason, "Duplicate, see #3")]).await;

    let admin = Browser::signed_in(&app, ADA).await;
    let all = admin.page("/admin/audit").await;
    assert_eq!(all.count("#audit-log tbody tr"), 2, "settings change and rejection");
    let rejects = admin.page("/admin/audit?action=comment.reject&actor=mo").await;
    assert_eq!(rejects.count("#audit-log tbody tr"), 1);
    assert!(rejects.text("#audit-log tbody tr").contains("Duplicate, see #3"));
    assert_eq!(rejects.text("#audit-log tbody td.action"), "Rejected a comment", "the action in words, not its code");
    assert_eq!(admin.page("/admin/audit?actor=nobody").await.count("#audit-log tbody tr"), 0);
    let today = answerable::domain::time::now().format("%Y-%m-%d").to_string();
    let dated = admin.page(&format!("/admin/audit?from={today}&to={today}&target=comment")).await;
    assert_eq!(dated.count("#audit-log tbody tr"), 1);

    let csv = admin.get("/admin/audit.csv?action=comment.reject").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][3], "Mo Moderator");
    assert_eq!(&rows[0][4], "comment.reject");
    assert_eq!(&rows[0][10], "Duplicate, see #3");

    // Append-only: the database refuses an update or a delete.
    let mut conn = app.conn();
    assert!(diesel::update(audit_log::table).set(audit_log::reason.eq("changed")).execute(&mut conn).is_err());
    assert!(diesel::delete(audit_log::table).execute(&mut conn).is_err());
}

#[tokio::test]
async fn a_reader_is_refused_on_every_moderation_route() {
    let app = crate::helpers::spawn_app().await;
    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    app.user("Rita Reader", "rita@example.org", Role::Reader);
    set_mode(&app, "all").await;
    let (_, id) = guest_comment(&app, &slug, "g@example.org", "Held comment").await;
    let gets = ["/moderation".to_owned(), "/moderation?page=1".to_owned(), format!("/moderation/{id}/edit")];
    let posts = ["/moderation".to_owned(), format!("/moderation/{id}/edit")];

    let visitor = Browser::new(&app);
    for path in &gets {
        let response = visitor.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET {path}");
        assert!(location(&response).starts_with("/signin?next="), "GET {path}");
    }
    let rita = Browser::signed_in(&app, "rita@example.org").await;
    let token = rita.page("/account").await.attr("input[name=_csrf]", "value").unwrap();
    for path in &gets {
        assert_eq!(rita.get(path).await.status(), StatusCode::FORBIDDEN, "GET {path}");
    }
    let act = format!("approve:{id}");
    let fields = [("_csrf", token.as_str()), ("act", &act), ("body", "Taken over"), ("reason", "x")];
    for path in &posts {
        let response = rita.client.post(app.url(path)).form(&fields).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    assert_eq!(crate::moderation::status(&app, id), "pending", "nothing changed");
    assert_eq!(rita.page("/").await.count("a[href='/moderation']"), 0, "no link for readers");
}
