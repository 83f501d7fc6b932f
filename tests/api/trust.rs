//! Trust in who speaks: an official's badge is not granted to an account nobody has
//! shown to be theirs without the admin confirming it, a revocation says why, and a
//! post's byline names the account that wrote it.

use answerable::db;
use answerable::domain::account::Role;
use answerable::domain::time;
use reqwest::StatusCode;

use crate::helpers::{location, parse, spawn_app, Page, TestApp};

const OFFICIALS: &str = "/admin/officials";
const TITLE: &str = "Chief Digital and Information Officer";

/// An app with HMRC, Mark's account (email not confirmed) and Ada the admin signed in.
async fn officials_desk() -> (TestApp, i64) {
    let app = spawn_app().await;
    app.department("HM Revenue and Customs", "HMRC", "");
    let mark = app.user("Mark Dearnley", "mark@example.org", Role::Reader);
    app.user("Ada Admin", "ada@example.org", Role::Admin);
    app.sign_in("ada@example.org").await;
    (app, mark)
}

fn grants_in_force(app: &TestApp, user_id: i64) -> usize {
    db::officials::active_listings_for_user(&mut app.conn(), user_id).unwrap().len()
}

/// The audit log's rows, as the admin reads them.
async fn audit_rows(app: &TestApp) -> Vec<String> {
    app.page("/admin/audit").await.texts("tbody tr")
}

#[tokio::test]
async fn granting_an_official_whose_email_is_not_confirmed_warns_and_asks_the_admin_to_confirm() {
    let (app, mark) = officials_desk().await;
    let grant = [("email", "mark@example.org"), ("department", "HMRC"), ("title", TITLE)];

    let response = app.submit(OFFICIALS, OFFICIALS, &grant).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "not granted on the first submit");
    let page = parse(response).await;
    let warning = page.text("#email-error");
    assert!(warning.contains("mark@example.org is not confirmed"), "{warning}");
    assert_eq!(page.texts(".error-summary a"), [warning.trim_start_matches("Error: ").to_owned()]);
    assert_eq!(page.field("email"), "mark@example.org", "what was typed is kept");
    assert_eq!(page.field("title"), TITLE);
    assert_eq!(page.attr("#field-department option[selected]", "value").unwrap(), "HMRC");
    let confirm = "input[type=checkbox][name=confirm_email]";
    assert_eq!(page.attr(confirm, "value").unwrap(), "mark@example.org");
    assert!(page.attr(confirm, "checked").is_none(), "the admin ticks it themselves");
    assert!(page.text("label[for=field-confirm_email]").contains("although the address is not confirmed"));
    assert_eq!(grants_in_force(&app, mark), 0);

    // A box ticked for another address does not confirm this one.
    let other = [("email", "mark@example.org"), ("department", "HMRC"), ("title", TITLE), ("confirm_email", "x@y.z")];
    let response = app.submit(OFFICIALS, OFFICIALS, &other).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(grants_in_force(&app, mark), 0);

    // The second submit, with the box ticked, grants; the log says the address was unconfirmed.
    let confirmed = [
        ("email", "mark@example.org"),
        ("department", "HMRC"),
        ("title", TITLE),
        ("confirm_email", "mark@example.org"),
    ];
    let response = app.submit(OFFICIALS, OFFICIALS, &confirmed).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/officials?done=granted");
    assert_eq!(grants_in_force(&app, mark), 1);
    let rows = audit_rows(&app).await;
    assert!(rows[0].contains("Verified an official") && rows[0].contains("not confirmed"), "{rows:?}");
}

#[tokio::test]
async fn an_account_with_a_confirmed_email_is_verified_at_once() {
    let (app, mark) = officials_desk().await;
    db::users::set_email_verified(&mut app.conn(), mark, time::now()).unwrap();
    let grant = [("email", "mark@example.org"), ("department", "HMRC"), ("title", TITLE)];
    let response = app.submit(OFFICIALS, OFFICIALS, &grant).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(grants_in_force(&app, mark), 1);
    let rows = audit_rows(&app).await;
    assert!(rows[0].contains("Verified an official") && !rows[0].contains("not confirmed"), "{rows:?}");
}

#[tokio::test]
async fn revoking_an_official_asks_for_confirmation_and_a_reason_kept_in_the_audit_log() {
    let (app, mark) = officials_desk().await;
    let role = app.grant("mark@example.org", "HMRC", TITLE);
    let confirm_path = format!("/admin/officials/{role}/revoke");

    // The list links to a confirmation page; nothing is revoked by one click.
    let list = app.page(OFFICIALS).await;
    assert_eq!(list.attr("a[href$='/revoke']", "href").unwrap(), confirm_path);
    assert_eq!(list.count("form[action$='/revoke']"), 0);
    let page = app.page(&confirm_path).await;
    assert_eq!(page.text("h1"), "Revoke Mark Dearnley as an official");
    assert!(page.text("main").contains("Replies they have already posted keep their badge"));
    assert_eq!(page.attr("form[action$='/revoke']", "action").unwrap(), confirm_path);
    assert_eq!(page.field("reason"), "");

    // No reason: the form again, with the message at the field.
    let response = app.submit(&confirm_path, &confirm_path, &[("reason", "   ")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert!(page.text("#reason-error").contains("Enter why you are revoking"), "{}", page.text("#reason-error"));
    assert_eq!(page.attr(".error-summary a", "href").unwrap(), "#field-reason");
    assert_eq!(grants_in_force(&app, mark), 1, "still an official");

    let reason = "Left HMRC at the end of March";
    let response = app.submit(&confirm_path, &confirm_path, &[("reason", reason)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/officials?done=revoked");
    assert_eq!(grants_in_force(&app, mark), 0);
    let rows = audit_rows(&app).await;
    let revoked = rows.iter().find(|r| r.contains("Revoked an official")).unwrap_or_else(|| panic!("{rows:?}"));
    assert!(revoked.contains(reason) && revoked.contains("Ada Admin"), "{revoked}");

    // Afterwards the page says so, with no form; a second submit changes nothing.
    let page = app.page(&confirm_path).await;
    assert!(page.text("main").contains("This role was revoked on"));
    assert_eq!(page.count("textarea[name=reason]"), 0);
    let again = app.submit(OFFICIALS, &confirm_path, &[("reason", "double click")]).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&app).await.iter().filter(|r| r.contains("Revoked an official")).count(), 1);
}

/// The byline on a post's page: "Name · date".
async fn byline(app: &TestApp, slug: &str) -> String {
    app.page(&format!("/posts/{slug}")).await.text("article .meta")
}

fn post_fields<'a>(title: &'a str, author: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("body", "We are replacing the laptops."),
        ("published", "yes"),
        ("comments_open", "yes"),
        ("author", author),
        ("action", "save"),
    ]
}

#[tokio::test]
async fn a_posts_byline_names_the_account_chosen_as_its_author() {
    let (app, _mark) = officials_desk().await;
    let new = "/admin/posts/new";
    let form = app.page(new).await;
    assert_eq!(form.field("author"), "ada@example.org", "the admin writing it, unless changed");

    // An address no account has: the form again, the message at the field, nothing saved.
    let response = app.submit(new, new, &post_fields("We are fixing IT", "nobody@example.org")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert!(page.text("#author-error").contains("No account has the email address nobody@example.org"));
    assert_eq!(page.field("author"), "nobody@example.org");
    assert_eq!(page.field("title"), "We are fixing IT");
    assert_eq!(db::posts::count_all(&mut app.conn()).unwrap(), 0);

    let response = app.submit(new, new, &post_fields("We are fixing IT", "Mark@Example.org")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let post = db::posts::list_all(&mut app.conn()).unwrap().remove(0);
    assert!(byline(&app, &post.slug).await.starts_with("Mark Dearnley · "), "{}", byline(&app, &post.slug).await);

    // Changing the post shows its author's address; another account can be named.
    let edit = format!("/admin/posts/{}/edit", post.id);
    assert_eq!(app.page(&edit).await.field("author"), "mark@example.org");
    let response = app.submit(&edit, &edit, &post_fields("We are fixing IT", "ada@example.org")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(byline(&app, &post.slug).await.starts_with("Ada Admin · "));
    let rows = audit_rows(&app).await;
    assert!(rows[0].contains("Edited a post"), "{rows:?}");
}

#[tokio::test]
async fn an_older_post_keeps_its_byline_until_an_author_is_chosen() {
    let (app, _mark) = officials_desk().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let post = db::posts::find_published_by_slug(&mut app.conn(), &slug).unwrap().unwrap();
    let edit = format!("/admin/posts/{}/edit", post.id);
    let page: Page = app.page(&edit).await;
    assert_eq!(page.field("author"), "", "no account was named");
    assert!(page.text("#author-hint").contains("The blog team"), "{}", page.text("#author-hint"));
    let response = app.submit(&edit, &edit, &post_fields("Opening hours", "")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(byline(&app, &slug).await.starts_with("The blog team · "));

    let response = app.submit(&edit, &edit, &post_fields("Opening hours", "mark@example.org")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(byline(&app, &slug).await.starts_with("Mark Dearnley · "));
}
