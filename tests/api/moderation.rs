//! Pre-moderation and the moderation queue as people meet them: each mode, a held
//! comment seen only by its author's browser, approval publishing it (and starting
//! its clock), reject/spam/delete/edit, bulk actions, and the audit rows they leave.

use answerable::db::schema::{audit_log, comments};
use answerable::domain::account::Role;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{location, parse, posted_id, spawn_app, Browser, Form, TestApp};

pub const MO: &str = "mo@example.org";
pub const ADA: &str = "ada@example.org";

/// Sets the site's pre-moderation through the admin form, as an admin would.
pub async fn set_mode(app: &TestApp, mode: &str) {
    if answerable::db::users::find_by_email(&mut app.conn(), ADA).unwrap().is_none() {
        app.user("Ada Admin", ADA, Role::Admin);
    }
    let admin = Browser::signed_in(app, ADA).await;
    let fields = [("premoderation", mode), ("max_links", "3"), ("flag_threshold", "2")];
    let response = admin.submit("/admin/moderation", "/admin/moderation", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "settings saved");
}

/// A comment as a guest with its own browser; returns (browser, comment id).
pub async fn guest_comment<'a>(app: &'a TestApp, slug: &str, email: &str, body: &str) -> (Browser<'a>, i64) {
    let guest = Browser::new(app);
    let fields = [("name", "Sam Guest"), ("email", email), ("body", body)];
    let response = guest.submit(&format!("/posts/{slug}"), &format!("/posts/{slug}/comments"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "comment stored");
    let id = posted_id(&response);
    (guest, id)
}

pub fn status(app: &TestApp, id: i64) -> String {
    comments::table.find(id).select(comments::status).first(&mut app.conn()).unwrap()
}

pub fn audit_rows(app: &TestApp) -> Vec<(String, Option<i64>, Option<String>)> {
    audit_log::table
        .order(audit_log::id)
        .select((audit_log::action, audit_log::target_id, audit_log::reason))
        .load(&mut app.conn())
        .unwrap()
}

/// Presses one button in the moderation queue: `act` is `approve:ID` and so on.
pub async fn moderate(moderator: &Browser<'_>, fields: &[(&str, &str)]) -> reqwest::Response {
    moderator.submit("/moderation", "/moderation", fields).await
}

async fn public_comment_count(app: &TestApp, slug: &str) -> String {
    Browser::new(app).page(&format!("/posts/{slug}")).await.text("#comments-title")
}

#[tokio::test]
async fn first_time_commenters_wait_then_their_email_is_trusted() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    set_mode(&app, "first_time").await;

    let (guest, id) = guest_comment(&app, &slug, "sam@example.org", "Is it open on Sundays?").await;
    assert_eq!(status(&app, id), "pending");
    // The permalink leads the author's browser to their held comment.
    let response = guest.get(&format!("/comments/{id}")).await;
    assert_eq!(location(&response), format!("/posts/{slug}#held-{id}"));
    let page = guest.page(&format!("/posts/{slug}")).await;
    assert!(page.text(&format!("#held-{id}")).contains("Waiting for moderation"));
    assert_eq!(page.comment_body_of_held(id), "Is it open on Sundays?");
    // Nobody else sees it, not even its permalink.
    let other = Browser::new(&app);
    assert_eq!(other.page(&format!("/posts/{slug}")).await.count(&format!("#held-{id}")), 0);
    assert_eq!(other.get(&format!("/comments/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(public_comment_count(&app, &slug).await, "No comments yet");

    // The moderator sees it in the queue, in context, and approves it in one click.
    let moderator = Browser::signed_in(&app, MO).await;
    let queue = moderator.page("/moderation").await;
    let item = queue.text(&format!("#held-{id}"));
    assert!(item.contains("Is it open on Sundays?") && item.contains("Opening hours"), "{item}");
    assert!(item.contains("First comment from this email address"), "{item}");
    assert!(item.contains("sam@example.org"), "moderators see the email: {item}");
    let response = moderate(&moderator, &[("act", &format!("approve:{id}"))]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = moderator.page(&location(&response)).await;
    assert!(page.text(".success").contains("Approved"));
    assert_eq!(page.count(&format!("#held-{id}")), 0, "gone from the queue");
    assert_eq!(status(&app, id), "published");
    assert_eq!(public_comment_count(&app, &slug).await, "1 comment");

    // The next comment from that email goes straight through.
    let (_, next) = guest_comment(&app, &slug, "Sam@Example.org", "And on bank holidays?").await;
    assert_eq!(status(&app, next), "published");
    // The audit log shows the approval.
    assert_eq!(audit_rows(&app).iter().filter(|r| r.0 == "comment.approve").count(), 1);
    let admin = Browser::signed_in(&app, ADA).await;
    let log = admin.page("/admin/audit?action=comment.approve").await;
    let row = log.text("#audit-log tbody tr");
    assert!(row.contains("Mo Moderator") && row.contains("pending → published"), "{row}");
}

#[tokio::test]
async fn holding_all_holds_everyone_but_moderators_officials_and_trusted_accounts() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    let trusted = app.user("Tess Trusted", "tess@example.org", Role::Reader);
    app.user("Rita Reader", "rita@example.org", Role::Reader);
    app.seed_comment(&slug, "Seed", "An earlier, approved comment.", None);
    set_mode(&app, "all").await;

    // Even an email with an approved comment waits.
    let (_, id) = guest_comment(&app, &slug, "seed@example.org", "Another thought.").await;
    assert_eq!(status(&app, id), "pending");
    let rita = Browser::signed_in(&app, "rita@example.org").await;
    let from = format!("/posts/{slug}");
    let action = format!("/posts/{slug}/comments");
    let response = rita.submit(&from, &action, &[("body", "A reader's view.")]).await;
    let rita_id: i64 = posted_id(&response);
    assert_eq!(status(&app, rita_id), "pending");

    let moderator = Browser::signed_in(&app, MO).await;
    let response = moderator.submit(&from, &action, &[("body", "A note from the moderators.")]).await;
    assert_eq!(status(&app, posted_id(&response)), "published");

    // An admin marks Tess trusted: her comments skip the queue.
    let admin = Browser::signed_in(&app, ADA).await;
    let response =
        admin.submit("/admin/users", &format!("/admin/users/{trusted}/trusted"), &[("trusted", "yes")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let tess = Browser::signed_in(&app, "tess@example.org").await;
    let response = tess.submit(&from, &action, &[("body", "Trusted words.")]).await;
    assert_eq!(status(&app, posted_id(&response)), "published");
}

#[tokio::test]
async fn holding_none_publishes_at_once_and_a_post_can_override_the_site() {
    let app = spawn_app().await;
    let open = app.create_post("Opening hours", "The library opens at nine.", true);
    let strict = app.create_post("Election period", "Careful here.", true);
    set_mode(&app, "none").await;
    let (_, id) = guest_comment(&app, &open, "new@example.org", "Straight through.").await;
    assert_eq!(status(&app, id), "published");

    let post = answerable::db::posts::find_published_by_slug(&mut app.conn(), &strict).unwrap().unwrap().id;
    let admin = Browser::signed_in(&app, ADA).await;
    let edit = format!("/admin/posts/{post}/edit");
    let response = admin.submit(&edit, &format!("/admin/posts/{post}/moderation"), &[("moderation", "all")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.page(&edit).await.attr("#field-moderation option[selected]", "value").unwrap(), "all");
    let (_, held) = guest_comment(&app, &strict, "new@example.org", "Held on this post.").await;
    assert_eq!(status(&app, held), "pending");
}

#[tokio::test]
async fn approval_publishes_and_starts_the_response_clock_then() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    set_mode(&app, "all").await;
    let parent = app.seed_comment(&slug, "Seed", "The first comment.", None);
    let (_, id) = guest_comment(&app, &slug, "sam@example.org", "A reply that waits.").await;
    // Posted three days ago, approved now: the clock starts now.
    let three_days_ago = answerable::domain::time::now() - chrono::TimeDelta::days(3);
    diesel::update(comments::table.find(id))
        .set(comments::created_at.eq(three_days_ago))
        .execute(&mut app.conn())
        .unwrap();
    let comment = answerable::db::comments::find(&mut app.conn(), id).unwrap().unwrap();
    assert_eq!(comment.published_at, None, "no clock while held");
    assert_eq!(answerable::db::comments::find(&mut app.conn(), parent).unwrap().unwrap().reply_count, 0);

    let moderator = Browser::signed_in(&app, MO).await;
    assert!(!moderator.page("/triage").await.source.contains("A reply that waits"), "not in triage while held");
    moderate(&moderator, &[("act", &format!("approve:{id}"))]).await;
    assert!(moderator.page("/triage").await.source.contains("A reply that waits"), "in triage once published");
    let comment = answerable::db::comments::find(&mut app.conn(), id).unwrap().unwrap();
    let published = comment.published_at.expect("published");
    assert!(published > three_days_ago + chrono::TimeDelta::days(2), "clock starts at approval: {published}");
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert!(page.text(&format!("#comment-{id} .response-state")).contains("Awaiting"));
}

#[tokio::test]
async fn reject_spam_delete_and_edit_each_act_once_and_leave_one_audit_row() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    set_mode(&app, "all").await;
    let mut ids = Vec::new();
    for (n, email) in ["a@example.org", "b@example.org", "c@example.org", "d@example.org"].iter().enumerate() {
        ids.push(guest_comment(&app, &slug, email, &format!("Comment number {n}")).await.1);
    }
    let moderator = Browser::signed_in(&app, MO).await;
    let before = audit_rows(&app).len();

    // Enter in a reason field sends the form's first (do-nothing) button.
    let reason_field = format!("reason-{}", ids[0]);
    let response = moderate(&moderator, &[("act", "none"), (&reason_field, "Off topic")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(parse(response).await.text(".error-summary").contains("Nothing was done"));
    let queue = moderator.page("/moderation").await;
    assert_eq!(queue.attr("form.moderation button[type=submit]", "value").as_deref(), Some("none"), "first button");

    // Rejecting needs a reason; without one, nothing happens.
    let response = moderate(&moderator, &[("act", &format!("reject:{}", ids[0]))]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(parse(response).await.text(".error-summary").contains("Give a reason"));
    assert_eq!(status(&app, ids[0]), "pending");
    let act = format!("reject:{}", ids[0]);
    moderate(&moderator, &[("act", &act), (&reason_field, "Off topic")]).await;
    assert_eq!(status(&app, ids[0]), "rejected");
    moderate(&moderator, &[("act", &format!("spam:{}", ids[1]))]).await;
    assert_eq!(status(&app, ids[1]), "spam");
    moderate(&moderator, &[("act", &format!("delete:{}", ids[2]))]).await;
    assert_eq!(status(&app, ids[2]), "deleted");

    // Edit: the text changes, and readers see a moderator edited it.
    let edit = format!("/moderation/{}/edit", ids[3]);
    let response = moderator.submit(&edit, &edit, &[("body", "Comment number three, tidied"), ("reason", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is needed");
    assert_eq!(parse(response).await.field("body"), "Comment number three, tidied", "text kept");
    let fields = [("body", "Comment number three, tidied"), ("reason", "Removed a phone number")];
    assert_eq!(moderator.submit(&edit, &edit, &fields).await.status(), StatusCode::SEE_OTHER);
    moderate(&moderator, &[("act", &format!("approve:{}", ids[3]))]).await;
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.comment_body(ids[3]), "Comment number three, tidied");
    assert_eq!(page.text(&format!("#comment-{} .moderator-note", ids[3])), "Edited by a moderator.");
    for gone in &ids[..3] {
        assert_eq!(page.count(&format!("#comment-{gone}")), 0);
    }

    let rows = audit_rows(&app)[before..].to_vec();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(actions, ["comment.reject", "comment.spam", "comment.delete", "comment.edit", "comment.approve"]);
    assert_eq!(rows[0].2.as_deref(), Some("Off topic"));
    assert_eq!(rows[3].2.as_deref(), Some("Removed a phone number"));

    // Editing a published comment shows on the page that was read before it.
    let fields = [("body", "Comment number three, tidied again"), ("reason", "Removed a name")];
    assert_eq!(moderator.submit(&edit, &edit, &fields).await.status(), StatusCode::SEE_OTHER);
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.comment_body(ids[3]), "Comment number three, tidied again");
}

#[tokio::test]
async fn bulk_actions_apply_to_the_selected_rows_only() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    app.user("Mo Moderator", MO, Role::Moderator);
    set_mode(&app, "all").await;
    let a = guest_comment(&app, &slug, "a@example.org", "First").await.1;
    let b = guest_comment(&app, &slug, "b@example.org", "Second").await.1;
    let c = guest_comment(&app, &slug, "c@example.org", "Third").await.1;
    let moderator = Browser::signed_in(&app, MO).await;
    let before = audit_rows(&app).len();

    let (a_id, c_id) = (a.to_string(), c.to_string());
    let response = moderate(&moderator, &[("act", "bulk"), ("bulk_action", "approve")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "nothing selected");
    let fields = [("act", "bulk"), ("bulk_action", "reject"), ("ids", &a_id), ("ids", &c_id)];
    let response = moderate(&moderator, &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "reject needs a reason");
    let page = parse(response).await;
    assert_eq!(page.count("input[name=ids][checked]"), 2, "the selection is kept");

    let fields = [("act", "bulk"), ("bulk_action", "approve"), ("ids", &a_id), ("ids", &c_id)];
    assert_eq!(moderate(&moderator, &fields).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        (status(&app, a), status(&app, b), status(&app, c)),
        ("published".into(), "pending".into(), "published".into())
    );
    assert_eq!(audit_rows(&app).len() - before, 2, "one audit row per comment");
    // The queue keeps the oldest first and shows the author's history.
    let queue = moderator.page("/moderation").await;
    assert_eq!(queue.count(".moderation-item"), 1);
    assert!(queue.text(&format!("#held-{b}")).contains("0 comments approved"));
}

impl crate::helpers::Page {
    /// The body of a held comment as its author's browser sees it.
    pub fn comment_body_of_held(&self, id: i64) -> String {
        self.text(&format!("#held-{id} .comment-body"))
    }
}

#[tokio::test]
async fn a_held_reply_does_not_count_until_published() {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let top = app.comment(&slug, Form::new("Ann", "Top comment")).await;
    set_mode(&app, "first_time").await;
    let newcomer = Form { email: "newcomer@example.org", ..Form::new("Newcomer", "A new reply").reply_to(top) };
    let response = app.submit_comment(&slug, &newcomer).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = Browser::new(&app).page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text("#comments-title"), "1 comment");
    assert_eq!(answerable::db::comments::find(&mut app.conn(), top).unwrap().unwrap().reply_count, 0);
}
