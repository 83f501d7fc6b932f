//! Importing a department blog's thread where officials sign as they really do
//! (tests/fixtures/wordpress_officials.xml): certain signatures get the badge, near
//! misses go to an admin's review queue, and old unanswered history is closed honestly.

use answerable::db::schema::comments;
use answerable::domain::account::Role;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{location, spawn_app, Page, TestApp};
use crate::wordpress::{answerable, err, id_of, out, OFFICIALS_CSV};

pub const OFFICIALS_FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wordpress_officials.xml");
pub const POST: &str = "/posts/fixing-it-at-last";

/// The departments and the officials with accounts that the fixture's replies name.
pub fn site(app: &TestApp) {
    app.department("Department for Work and Pensions", "DWP", "");
    app.department("HM Revenue and Customs", "HMRC", "Revenue and Customs");
    app.department("Home Office", "HO", "");
    app.user("Jane Doe", "jane.doe@dwp.example.gov", Role::Reader);
    app.grant("jane.doe@dwp.example.gov", "DWP", "Chief Technology Officer");
    app.user("Priya Shah", "priya.shah@ho.example.gov", Role::Reader);
    app.grant("priya.shah@ho.example.gov", "HO", "Chief Technology Officer");
}

pub fn import(app: &TestApp, extra: &[&str]) -> String {
    let mut args = vec!["import", "wxr", OFFICIALS_FIXTURE, "--officials", OFFICIALS_CSV];
    args.extend_from_slice(extra);
    let imported = answerable(app, &args);
    assert!(imported.status.success(), "{}", err(&imported));
    out(&imported)
}

fn state_of(page: &Page, author: &str) -> String {
    page.text(&format!("#comment-{} .response-state", id_of(page, author)))
}

fn badge_of(page: &Page, author: &str) -> String {
    page.text(&format!("#comment-{} .badge", id_of(page, author)))
}

async fn department(app: &TestApp, acronym: &str) -> Value {
    serde_json::from_str(&app.get(&format!("/departments/{acronym}.json")).await.text().await.unwrap()).unwrap()
}

#[tokio::test]
async fn signatures_as_officials_write_them_get_the_badge_and_near_misses_get_none() {
    let app = spawn_app().await;
    site(&app);
    let summary = import(&app, &[]);
    assert!(summary.contains("official replies recognised: 4, answering 4 comments"), "{summary}");
    let matched: Vec<&str> = summary.lines().filter(|l| l.starts_with("  comment ")).collect();
    for (line, id, who) in [
        (0, "202", "as Jane Doe, Chief Technology Officer, DWP — matched on author: \"Jane Doe (DWP CTO)\""),
        (1, "204", "as Priya Shah, Chief Technology Officer, HO — matched on author"),
        (2, "206", "as Mark Dearnley, Chief Digital and Information Officer, HMRC — matched on signature"),
        (3, "208", "as Jane Doe, Chief Technology Officer, DWP — matched on author"),
    ] {
        assert!(matched[line].starts_with(&format!("  comment {id} ")) && matched[line].contains(who), "{summary}");
    }

    let page = app.page(POST).await;
    for (reply, badge) in [
        ("Jane Doe (DWP CTO)", "Jane Doe, Chief Technology Officer, Department for Work and Pensions (DWP)"),
        ("Priya Shah (Home Office CTO)", "Priya Shah, Chief Technology Officer, Home Office (HO)"),
        ("MD", "Mark Dearnley, Chief Digital and Information Officer, HM Revenue and Customs (HMRC)"),
        ("Jane Doe", "Jane Doe, Chief Technology Officer, Department for Work and Pensions (DWP)"),
    ] {
        assert!(badge_of(&page, reply).contains(badge), "{reply}: {}", badge_of(&page, reply));
    }
    for (asker, answer) in [
        ("Sam Smith", "Answered by Jane Doe, Chief Technology Officer, DWP (2 working days)"),
        ("Alex Brown", "Answered by Priya Shah, Chief Technology Officer, HO (2 working days)"),
        ("Chris Green", "Answered by Mark Dearnley, Chief Digital and Information Officer, HMRC (3 working days)"),
        ("Dana White", "Answered by Jane Doe, Chief Technology Officer, DWP (1 working day)"),
    ] {
        assert!(state_of(&page, asker).starts_with(answer), "{asker}: {}", state_of(&page, asker));
    }
    // No false badge: a namesake's initial, a first name, a stranger with a title, a
    // known name with another title or department.
    for reply in ["J. Doe (DWP CTO)", "Web team", "John Smith (Home Office CIO)", "Bob", "Jane Doe (Home Office CTO)"] {
        assert_eq!(page.count(&format!("#comment-{} .badge", id_of(&page, reply))), 0, "{reply} has no badge");
    }
    assert!(state_of(&page, "Erin Black").starts_with("Awaiting response"));
    assert_eq!(page.count(".badge"), 4);
}

#[tokio::test]
async fn near_misses_are_listed_in_the_summary_and_the_dry_run() {
    let app = spawn_app().await;
    site(&app);
    let dry = import(&app, &["--dry-run"]);
    let listed = |text: &str| -> Vec<String> {
        text.lines().filter(|l| l.starts_with("  ? comment ")).map(str::to_owned).collect()
    };
    let probable = listed(&dry);
    assert!(dry.contains("probable official replies: 5 (listed below), for an admin to confirm or dismiss"), "{dry}");
    assert!(dry
        .contains("Probable official replies (5), not badged: an admin confirms or dismisses each at /admin/imports"));
    for (line, expected) in [
        (0, "comment 210 on \"Fixing IT at last\" by J. Doe (DWP CTO) (2014-03-11 12:00) — an official's title without a known official's name: \"J. Doe, (DWP CTO)\"; as Jane Doe, Chief Technology Officer, DWP; would answer Erin Black"),
        (1, "comment 212 on \"Fixing IT at last\" by Web team (2014-03-10 13:00) — a known official's first name in a sign-off only: \"Thanks, Jane\"; as Jane Doe, Chief Technology Officer, DWP; would answer Fay Gold"),
        (2, "comment 214 on \"Fixing IT at last\" by John Smith (Home Office CIO) (2014-03-12 14:00) — an official's title without a known official's name: \"John Smith, (Home Office CIO)\"; as John Smith, Chief Information Officer, HO; would answer Gus Grey"),
        (3, "comment 216 on \"Fixing IT at last\" by Bob (2014-03-11 15:00) — a known official's name with another title: \"Jane Doe, Head of Communications, DWP\"; as Jane Doe, Chief Technology Officer, DWP; would answer Kim Ray"),
        (4, "comment 220 on \"Fixing IT at last\" by Jane Doe (Home Office CTO) (2014-03-14 17:00) — a known official's name with another title: \"Jane Doe (Home Office CTO)\"; as Jane Doe, Chief Technology Officer, DWP; would answer Nina Hall"),
    ] {
        assert_eq!(probable[line], format!("  ? {expected}"), "{dry}");
    }
    assert!(dry.ends_with("Dry run: nothing was written.\n"));
    assert_eq!(app.get(POST).await.status(), StatusCode::NOT_FOUND, "a dry run writes nothing");
    let real = import(&app, &[]);
    assert_eq!(listed(&real), probable, "the import lists what the dry run did");
}

#[tokio::test]
async fn an_admin_confirms_or_dismisses_each_probable_official_reply() {
    let app = spawn_app().await;
    site(&app);
    import(&app, &[]);
    app.user("Ada Admin", "ada@example.gov", Role::Admin);
    app.sign_in("ada@example.gov").await;
    let queue = app.page("/admin/imports").await;
    assert_eq!(queue.text("h1"), "Probable official replies");
    assert_eq!(queue.count("#reviews > li"), 5, "{}", queue.source);
    let before = app.page(POST).await;
    let (jdoe, web_team) = (id_of(&before, "J. Doe (DWP CTO)"), id_of(&before, "Web team"));
    let review = queue.text(&format!("#review-{jdoe}"));
    assert!(review.contains("an official's title without a known official's name"), "{review}");
    assert!(review.contains("Jane Doe, Chief Technology Officer, DWP"), "{review}");

    let confirmed = app.submit("/admin/imports", &format!("/admin/imports/{jdoe}/confirm"), &[]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&confirmed), "/admin/imports?done=confirmed");
    let dismissed = app.submit("/admin/imports", &format!("/admin/imports/{web_team}/dismiss"), &[]).await;
    assert_eq!(location(&dismissed), "/admin/imports?done=dismissed");
    let queue = app.page("/admin/imports?done=dismissed").await;
    assert_eq!(queue.count("#reviews > li"), 3, "decided replies leave the queue");
    assert!(queue.text(".success").contains("Dismissed"));
    let again = app.submit("/admin/imports", &format!("/admin/imports/{jdoe}/confirm"), &[]).await;
    assert_eq!(location(&again), "/admin/imports?done=gone", "a decision is taken once");

    let page = app.page(POST).await;
    let badge = badge_of(&page, "J. Doe (DWP CTO)");
    assert!(badge.contains("Jane Doe, Chief Technology Officer, Department for Work and Pensions (DWP)"), "{badge}");
    assert!(badge.ends_with("verified at import by Ada Admin"), "{badge}");
    assert!(badge_of(&page, "Jane Doe (DWP CTO)").ends_with("verified at import"), "the importer's own stay unsigned");
    // Answered on the reply's own date (4 working days after the comment), not today.
    let erin = state_of(&page, "Erin Black");
    assert!(erin.starts_with("Answered by Jane Doe, Chief Technology Officer, DWP (2 working days)"), "{erin}");
    assert_eq!(page.count(&format!("#comment-{web_team} .badge")), 0);
    assert!(state_of(&page, "Fay Gold").starts_with("Awaiting response"));
    let dwp = department(&app, "DWP").await;
    assert_eq!(dwp["answered"], 3, "{dwp}");

    let audit = app.page("/admin/audit").await;
    assert!(audit.source.contains("Confirmed a probable official reply found at import"), "{}", audit.source);
    assert!(audit.source.contains("Dismissed a probable official reply found at import"));
}

#[tokio::test]
async fn history_before_closes_old_unanswered_comments_and_keeps_answered_history() {
    let app = spawn_app().await;
    site(&app);
    let summary = import(&app, &["--history-before", "2016-01-01"]);
    assert!(
        summary.contains(
            "history:  6 comments published before 2016-01-01 with no answer closed as \"no response recorded (imported history)\""
        ),
        "{summary}"
    );
    let page = app.page(POST).await;
    assert_eq!(state_of(&page, "Lee Ash").split(" · ").next().unwrap(), "No response recorded (imported history)");
    assert!(state_of(&page, "Max Moss").starts_with("Awaiting response"), "2016 is not history");
    assert!(state_of(&page, "Sam Smith").starts_with("Answered by Jane Doe"), "answered history keeps its answer");
    let summary_line = page.text("#comment-summary");
    assert!(summary_line.contains("1 awaiting a response"), "{summary_line}");
    assert!(summary_line.contains("6 with no response recorded (imported history)"), "{summary_line}");

    for bad in ["2016-13-01", "last year"] {
        let refused = answerable(&app, &["import", "wxr", OFFICIALS_FIXTURE, "--history-before", bad]);
        assert!(!refused.status.success());
        let message = err(&refused);
        assert!(message.contains("use YYYY-MM-DD, like 2026-12-25") && !message.contains("panicked"), "{message}");
    }
}

#[tokio::test]
async fn an_admin_closes_old_history_on_any_site_and_it_leaves_the_figures() {
    let app = spawn_app().await;
    site(&app);
    import(&app, &[]);
    let page = app.page(POST).await;
    let lee = id_of(&page, "Lee Ash");
    let dwp = answerable::db::departments::find_by_acronym(&mut app.conn(), "DWP").unwrap().unwrap().id;
    diesel::update(comments::table.find(lee)).set(comments::department_id.eq(dwp)).execute(&mut app.conn()).unwrap();
    let before = department(&app, "DWP").await;
    assert_eq!((before["awaiting"].clone(), before["overdue"].clone()), (1.into(), 1.into()), "{before}");
    let rate_before = before["response_rate_percent"].as_f64().unwrap();
    assert!(rate_before < 100.0, "{before}");

    app.user("Ada Admin", "ada@example.gov", Role::Admin);
    app.sign_in("ada@example.gov").await;
    let bad = app.submit("/admin/history", "/admin/history", &[("before", "01/01/2016")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = Page::parse(&bad.text().await.unwrap());
    assert!(bad.text(".error-summary").contains("Enter the day as YYYY-MM-DD"), "{}", bad.source);
    assert_eq!(bad.field("before"), "01/01/2016", "what was typed is kept");

    let closed = app.submit("/admin/history", "/admin/history", &[("before", "2016-01-01")]).await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let done = app.page(&location(&closed)).await;
    assert!(
        done.text(".success").contains("6 unanswered comments published before 2016-01-01 closed"),
        "{}",
        done.source
    );

    let after = department(&app, "DWP").await;
    assert_eq!((after["awaiting"].clone(), after["overdue"].clone()), (0.into(), 0.into()), "{after}");
    assert_eq!(after["answered"], before["answered"]);
    assert_eq!(after["response_rate_percent"], 100.0, "history is left out of the rate: {after}");
    let page = app.page(POST).await;
    assert!(state_of(&page, "Lee Ash").starts_with("No response recorded (imported history)"));
    assert!(state_of(&page, "Max Moss").starts_with("Awaiting response"));
    let history = app.page(&format!("/comments/{lee}/responses")).await;
    assert!(history.source.contains("Ada Admin"), "the event names who closed it");
    let audit = app.page("/admin/audit").await;
    assert!(audit.source.contains("Closed old unanswered comments as imported history"));
}
