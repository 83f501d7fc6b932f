//! The admin area as an admin (and a curious reader) meets it: users, departments,
//! officials and posts, each a plain form that keeps what was typed on an error.

use answerable::db;
use answerable::domain::account::{Registration, Role};
use answerable::domain::department::DepartmentInput;
use answerable::services::{accounts, departments, officials};
use reqwest::StatusCode;

use crate::helpers::{client, location, parse, spawn_app, Page, TestApp};

const PASSWORD: &str = "correct horse battery";

fn create_user(app: &TestApp, name: &str, email: &str, role: Role) -> i64 {
    let registration = Registration::parse(name, email, PASSWORD).unwrap();
    accounts::create_user(&mut app.conn(), &registration, role).unwrap().id
}

fn create_department(app: &TestApp, name: &str, acronym: &str) -> i64 {
    let input = DepartmentInput::parse(name, acronym, "", "", "", "").unwrap();
    departments::create(&mut app.conn(), &input, None).unwrap()
}

/// The CSRF token of the first form on a page, as `browser` sees it.
async fn token(browser: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = browser.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    parse(response).await.attr("input[name=_csrf]", "value").expect("a form with a CSRF token")
}

async fn sign_in_as(browser: &reqwest::Client, app: &TestApp, email: &str) {
    let csrf = token(browser, app, "/signin").await;
    let fields = [("email", email), ("password", PASSWORD), ("_csrf", &csrf), ("next", "/")];
    let response = browser.post(app.url("/signin")).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed in as {email}");
}

async fn sign_in(app: &TestApp, email: &str) {
    sign_in_as(&app.client, app, email).await;
}

/// Submits a form found on `page_path` like a browser: its token, then the fields.
async fn submit(app: &TestApp, page_path: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = token(&app.client, app, page_path).await;
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    fields.push(("_csrf", &csrf));
    app.client.post(app.url(action)).form(&fields).send().await.unwrap()
}

/// A 303 back to `expected`, then the page it leads to.
async fn follow(app: &TestApp, response: reqwest::Response, expected: &str) -> Page {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), expected);
    app.page(expected).await
}

/// An admin signed in on `app.client`, and the id of the account.
async fn admin(app: &TestApp) -> i64 {
    let id = create_user(app, "Alex Admin", "admin@example.org", Role::Admin);
    sign_in(app, "admin@example.org").await;
    id
}

#[tokio::test]
async fn readers_and_visitors_are_refused_on_every_admin_page_and_action() {
    let app = spawn_app().await;
    let reader = create_user(&app, "Rita Reader", "rita@example.org", Role::Reader);
    let department = create_department(&app, "HM Revenue and Customs", "HMRC");
    let official = create_user(&app, "Mark Dearnley", "mark@example.org", Role::Reader);
    let target = officials::GrantTarget { email: "mark@example.org", department_acronym: "HMRC" };
    let grant = officials::grant(&mut app.conn(), &target, "CDIO", None).unwrap();
    let slug = app.create_post("We are fixing IT", "The plan.", true);
    let post = db::posts::find_published_by_slug(&mut app.conn(), &slug).unwrap().unwrap().id;
    let gets = [
        "/admin".to_owned(),
        "/admin/users".to_owned(),
        "/admin/users?q=rita".to_owned(),
        "/admin/departments".to_owned(),
        "/admin/departments/new".to_owned(),
        format!("/admin/departments/{department}"),
        "/admin/officials".to_owned(),
        format!("/admin/officials/{grant}/revoke"),
        "/admin/posts".to_owned(),
        "/admin/posts/new".to_owned(),
        format!("/admin/posts/{post}/edit"),
        "/admin/moderation".to_owned(),
        "/admin/audit".to_owned(),
        "/admin/audit?action=comment.approve".to_owned(),
        "/admin/audit.csv".to_owned(),
        "/admin/freezes".to_owned(),
        "/admin/imports".to_owned(),
        "/admin/history".to_owned(),
    ];
    let posts = [
        format!("/admin/users/{reader}/role"),
        "/admin/departments/new".to_owned(),
        format!("/admin/departments/{department}"),
        "/admin/officials".to_owned(),
        format!("/admin/officials/{grant}/revoke"),
        "/admin/posts/new".to_owned(),
        format!("/admin/posts/{post}/edit"),
        format!("/admin/posts/{post}/publish"),
        format!("/admin/posts/{post}/unpublish"),
        format!("/admin/posts/{post}/open-comments"),
        format!("/admin/posts/{post}/close-comments"),
        format!("/admin/posts/{post}/moderation"),
        format!("/admin/users/{reader}/trusted"),
        "/admin/moderation".to_owned(),
        "/admin/freezes".to_owned(),
        "/admin/freezes/1/end".to_owned(),
        "/admin/imports/1/confirm".to_owned(),
        "/admin/imports/1/dismiss".to_owned(),
        "/admin/history".to_owned(),
    ];

    // Signed out: asked to sign in first, and brought back after.
    let visitor = client();
    for path in &gets {
        let response = visitor.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET {path}");
        assert!(location(&response).starts_with("/signin?next=%2Fadmin"), "GET {path}: {}", location(&response));
    }
    let visitor_csrf = token(&visitor, &app, "/signin").await;
    for path in &posts {
        let response = visitor.post(app.url(path)).form(&[("_csrf", visitor_csrf.as_str())]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "POST {path}");
        assert!(location(&response).starts_with("/signin?next="), "POST {path}");
    }

    // A reader, with a valid token and plausible fields: 403 and never the page.
    sign_in(&app, "rita@example.org").await;
    let csrf = token(&app.client, &app, "/account").await;
    let fields = [
        ("_csrf", csrf.as_str()),
        ("role", "admin"),
        ("name", "Takeover"),
        ("acronym", "TKO"),
        ("email", "rita@example.org"),
        ("department", "HMRC"),
        ("title", "Boss"),
        ("body", "Hello"),
        ("action", "save"),
    ];
    for path in &gets {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "GET {path}");
        assert_eq!(parse(response).await.text("h1"), "You cannot do that", "GET {path}");
    }
    for path in &posts {
        let response = app.client.post(app.url(path)).form(&fields).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }

    // Nothing changed.
    assert_eq!(app.get("/admin").await.status(), StatusCode::FORBIDDEN, "still a reader");
    let mut conn = app.conn();
    assert_eq!(db::departments::list(&mut conn).unwrap().len(), 1);
    assert_eq!(db::officials::all_listings(&mut conn).unwrap()[0].revoked_at, None);
    let stored = db::posts::find_by_id(&mut conn, post).unwrap().unwrap();
    assert!(stored.published && stored.comments_open);
    assert_eq!(db::posts::count_all(&mut conn).unwrap(), 1);
    assert!(db::officials::active_for(&mut conn, official, department).unwrap().is_some());
}

#[tokio::test]
async fn an_admin_finds_a_user_and_changes_their_role_but_cannot_demote_themselves() {
    let app = spawn_app().await;
    let priya = create_user(&app, "Priya Shah", "priya@example.org", Role::Reader);
    create_user(&app, "Tom Jones", "tom@example.org", Role::Reader);
    let me = admin(&app).await;

    let dashboard = app.page("/admin").await;
    assert!(dashboard.text("main").contains("3 accounts"), "{}", dashboard.text("main"));
    assert_eq!(app.page("/admin/users").await.count("tbody tr"), 3);
    let found = app.page("/admin/users?q=PRIYA").await;
    assert_eq!(found.texts("tbody td:first-child"), ["Priya Shah"], "search by name, any case");
    let by_email = app.page("/admin/users?q=tom%40example").await;
    assert_eq!(by_email.texts("tbody td:first-child"), ["Tom Jones"], "search by email");
    assert_eq!(app.page("/admin/users?q=alex").await.text("tbody td:first-child"), "Alex Admin (you)");

    let path = "/admin/users?q=priya";
    let response =
        submit(&app, path, &format!("/admin/users/{priya}/role"), &[("role", "moderator"), ("q", "priya")]).await;
    let page = follow(&app, response, "/admin/users?q=priya&done=role").await;
    assert_eq!(page.text(".success"), "The role has been changed.");
    assert_eq!(page.text("tbody td:nth-child(3)"), "Moderator");

    let response = submit(&app, "/admin/users", &format!("/admin/users/{me}/role"), &[("role", "reader")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("You cannot remove your own admin role"));
    assert_eq!(page.attr(".error-summary a", "href").unwrap(), "#field-role");
    assert_eq!(page.count("select#field-role"), 1, "the summary leads to the right row");
    assert_eq!(page.attr("#field-role option[selected]", "value").unwrap(), "reader", "the choice is kept");
    assert_eq!(app.get("/admin").await.status(), StatusCode::OK, "still an admin");
}

#[tokio::test]
async fn an_admin_adds_and_changes_a_department_and_sees_what_was_wrong() {
    let app = spawn_app().await;
    admin(&app).await;
    let new = "/admin/departments/new";
    let aliases = "Revenue and Customs\nthe Revenue";

    let bad = [("name", ""), ("acronym", "H M"), ("aliases", aliases), ("email_domains", ""), ("target_days", "")];
    let response = submit(&app, new, new, &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(
        page.texts(".error-summary li"),
        ["Enter the department's name", "Acronym must be up to 20 letters or digits, like HMRC"]
    );
    assert!(page.text("title").starts_with("Error: "));
    assert_eq!(page.field("acronym"), "H M", "input kept");
    assert_eq!(page.field("aliases"), aliases);

    let good = [
        ("name", "HM Revenue and Customs"),
        ("acronym", "HMRC"),
        ("description", "Taxes."),
        ("aliases", aliases),
        ("email_domains", "HMRC.gov.uk"),
        ("target_days", ""),
    ];
    let page = follow(&app, submit(&app, new, new, &good).await, "/admin/departments?done=created").await;
    assert_eq!(page.text(".success"), "The department has been added.");
    assert_eq!(
        page.texts("tbody td"),
        ["HM Revenue and Customs", "HMRC", "Revenue and Customs, the Revenue", "hmrc.gov.uk", "5 working days"]
    );

    let clash = [("name", "Her Majesty's Revenue"), ("acronym", "hmrc")];
    let response = submit(&app, new, new, &clash).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(page.text("#acronym-error"), "Error: Another department already has the acronym HMRC");
    assert_eq!(page.field("name"), "Her Majesty's Revenue");

    let edit = app.page("/admin/departments").await.attr("tbody a", "href").unwrap();
    let form = app.page(&edit).await;
    assert_eq!(form.field("aliases"), aliases, "stored values fill the form");
    assert_eq!(form.field("target_days"), "5");
    let changed = [("name", "HM Revenue & Customs"), ("acronym", "HMRC"), ("aliases", "HMRC"), ("target_days", "10")];
    let page = follow(&app, submit(&app, &edit, &edit, &changed).await, "/admin/departments?done=saved").await;
    assert_eq!(page.texts("tbody td"), ["HM Revenue & Customs", "HMRC", "HMRC", "", "10 working days"]);
    let response = submit(&app, &edit, &edit, &[("name", "HMRC"), ("acronym", "HMRC"), ("target_days", "0")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_admin_verifies_an_official_then_revokes_and_the_history_stays() {
    let app = spawn_app().await;
    create_department(&app, "HM Revenue and Customs", "HMRC");
    create_user(&app, "Mark Dearnley", "mark@example.org", Role::Reader);
    admin(&app).await;
    let path = "/admin/officials";
    let title = "Chief Digital and Information Officer";

    let page = app.page(path).await;
    assert_eq!(page.texts("#field-department option"), ["Choose a department", "HM Revenue and Customs (HMRC)"]);
    let unknown = [("email", "nobody@example.org"), ("department", "HMRC"), ("title", title)];
    let response = submit(&app, path, path, &unknown).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(
        page.texts(".error-summary li"),
        ["No account has the email address nobody@example.org. Ask them to create an account first."]
    );
    assert_eq!(page.field("title"), title, "input kept");
    assert_eq!(page.attr("#field-department option[selected]", "value").unwrap(), "HMRC");
    let response = submit(&app, path, path, &[("email", ""), ("title", "")]).await;
    assert_eq!(parse(response).await.count(".error-summary li"), 3, "every problem at once");

    // Mark's address is not confirmed: the admin confirms they checked (see tests/api/trust.rs).
    let grant = [
        ("email", "Mark@Example.org"),
        ("department", "HMRC"),
        ("title", title),
        ("confirm_email", "mark@example.org"),
    ];
    let page = follow(&app, submit(&app, path, path, &grant).await, "/admin/officials?done=granted").await;
    assert!(page.text(".success").contains("The official has been verified"));
    let row = page.text("table[aria-labelledby=current] tbody tr");
    assert!(row.contains("Mark Dearnley") && row.contains(title) && row.contains("HMRC"), "{row}");
    assert_eq!(page.count("tr.revoked"), 0);
    let users = app.page("/admin/users?q=mark").await;
    assert_eq!(users.text("tbody td:nth-child(4)"), format!("{title}, HM Revenue and Customs"));
    let again = submit(&app, path, path, &grant).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "one grant at a time per department");
    assert!(parse(again).await.text("#title-error").contains("already an official of HM Revenue and Customs"));

    let revoke = page.attr("a[href$='/revoke']", "href").unwrap();
    let reason = [("reason", "Moved to another department")];
    let page = follow(&app, submit(&app, &revoke, &revoke, &reason).await, "/admin/officials?done=revoked").await;
    assert!(page.text(".success").contains("revoked"));
    assert_eq!(page.count("table[aria-labelledby=current]"), 0);
    assert!(page.text("main").contains("Nobody is verified as an official yet."));
    let row = page.text("tr.revoked");
    assert!(row.contains("Mark Dearnley") && row.contains(title), "{row}");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let dates: Vec<String> = page
        .html
        .select(&scraper::Selector::parse("tr.revoked time").unwrap())
        .filter_map(|t| t.value().attr("datetime").map(str::to_owned))
        .collect();
    assert_eq!(dates.len(), 2, "granted and revoked dates");
    assert!(dates.iter().all(|d| d.starts_with(&today)), "{dates:?}");

    let page = follow(&app, submit(&app, path, path, &grant).await, "/admin/officials?done=granted").await;
    assert_eq!(page.count("table[aria-labelledby=current] tbody tr"), 1, "granted again");
    assert_eq!(page.count("tr.revoked"), 1, "the old grant is kept");
}

#[tokio::test]
async fn an_admin_previews_then_publishes_a_post_and_changes_its_states() {
    let app = spawn_app().await;
    admin(&app).await;
    let new = "/admin/posts/new";
    let body = "Log-in takes **9 minutes**.\n\n<script>alert(1)</script>";
    let mut fields = vec![
        ("title", "We are fixing IT"),
        ("slug", ""),
        ("body", body),
        ("comments_open", "yes"),
        ("published", "yes"),
        ("action", "preview"),
    ];

    let response = submit(&app, new, new, &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = parse(response).await;
    assert_eq!(page.text(".preview .post-body strong"), "9 minutes");
    assert!(!page.source.contains("<script>alert"), "the preview is sanitised");
    assert_eq!(page.field("title"), "We are fixing IT");
    assert_eq!(page.field("body"), body);
    assert!(page.attr("#field-published", "checked").is_some(), "ticks kept");
    assert_eq!(app.page("/").await.text("main p"), "Nothing has been posted yet.", "nothing saved yet");

    fields.pop();
    fields.push(("action", "save"));
    let page = follow(&app, submit(&app, new, new, &fields).await, "/admin/posts?done=created").await;
    assert_eq!(page.text(".success"), "The post has been saved.");
    assert_eq!(app.page("/").await.texts(".post-list h2"), ["We are fixing IT"]);
    let post = app.page("/posts/we-are-fixing-it").await;
    assert_eq!(post.text(".post-body strong"), "9 minutes");
    assert!(post.text("article .meta").starts_with("Alex Admin · "), "the admin is the author");

    let list = "/admin/posts";
    let unpublish = app.page(list).await.attr("form[action$='/unpublish']", "action").unwrap();
    let page = follow(&app, submit(&app, list, &unpublish, &[]).await, "/admin/posts?done=unpublished").await;
    assert!(page.text("tbody tr").contains("Draft"));
    assert_eq!(app.get("/posts/we-are-fixing-it").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.page("/").await.count(".post-list h2"), 0);

    let publish = page.attr("form[action$='/publish']", "action").unwrap();
    follow(&app, submit(&app, list, &publish, &[]).await, "/admin/posts?done=published").await;
    let close = app.page(list).await.attr("form[action$='/close-comments']", "action").unwrap();
    let page = follow(&app, submit(&app, list, &close, &[]).await, "/admin/posts?done=closed").await;
    assert!(page.text("tbody tr").contains("Closed"));
    let post = app.page("/posts/we-are-fixing-it").await;
    assert!(post.text("#comments-closed").contains("Comments are closed"));
    assert_eq!(post.count("form[action='/posts/we-are-fixing-it/comments']"), 0);
}

#[tokio::test]
async fn an_admin_edits_a_post_keeps_drafts_hidden_and_is_told_of_a_slug_clash() {
    let app = spawn_app().await;
    admin(&app).await;
    app.create_post("Another post", "Taken.", true);
    let new = "/admin/posts/new";
    let draft = [("title", "Plans for 2027"), ("slug", "plans"), ("body", "Draft text."), ("action", "save")];
    let page = follow(&app, submit(&app, new, new, &draft).await, "/admin/posts?done=created").await;
    assert!(page.texts("tbody tr").iter().any(|row| row.contains("Plans for 2027") && row.contains("Draft")));
    assert_eq!(app.get("/posts/plans").await.status(), StatusCode::NOT_FOUND, "a draft is not public");

    let empty = [("title", " "), ("slug", "Bad Slug"), ("body", ""), ("action", "save")];
    let response = submit(&app, new, new, &empty).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(page.count(".error-summary li"), 3, "title, slug and body");
    assert_eq!(page.field("slug"), "Bad Slug");

    let edit = page_link(&app, "Plans for 2027").await;
    let form = app.page(&edit).await;
    assert_eq!(form.field("body"), "Draft text.");
    assert_eq!(form.attr("#field-published", "checked"), None);
    let clash = [("title", "Plans for 2027"), ("slug", "another-post"), ("body", "New text."), ("action", "save")];
    let response = submit(&app, &edit, &edit, &clash).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(
        page.text("#slug-error"),
        "Error: Another post already has the address /posts/another-post. Enter a different slug."
    );
    assert_eq!(page.field("body"), "New text.", "input kept");

    let good = [
        ("title", "Plans for 2027"),
        ("slug", "plans-2027"),
        ("body", "The _final_ plan."),
        ("published", "yes"),
        ("action", "save"),
    ];
    follow(&app, submit(&app, &edit, &edit, &good).await, "/admin/posts?done=saved").await;
    let post = app.page("/posts/plans-2027").await;
    assert_eq!(post.text(".post-body em"), "final");
    assert_eq!(post.count("#comments-closed"), 1, "comments were left unticked, so closed");
    assert_eq!(app.get("/posts/plans").await.status(), StatusCode::NOT_FOUND);
}

/// The edit link of a post in the admin list.
async fn page_link(app: &TestApp, title: &str) -> String {
    let page = app.page("/admin/posts").await;
    let links = scraper::Selector::parse("tbody td a").unwrap();
    page.html
        .select(&links)
        .find(|a| a.text().collect::<String>() == title)
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap()
}

#[tokio::test]
async fn an_admin_post_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let reader = create_user(&app, "Rita Reader", "rita@example.org", Role::Reader);
    let slug = app.create_post("We are fixing IT", "The plan.", true);
    let post = db::posts::find_published_by_slug(&mut app.conn(), &slug).unwrap().unwrap().id;
    admin(&app).await;
    let send = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let request = app.client.post(app.url(&path)).form(&fields);
        async move { request.send().await.unwrap() }
    };

    let response = send(format!("/admin/users/{reader}/role"), vec![("role", "admin")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = send(format!("/admin/posts/{post}/unpublish"), vec![("_csrf", "forged")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let fields = vec![("name", "HM Revenue and Customs"), ("acronym", "HMRC")];
    let response = send("/admin/departments/new".to_owned(), fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("expired"), "says why");
    assert_eq!(page.field("name"), "HM Revenue and Customs", "and keeps the form");

    assert_eq!(app.page("/admin/users?q=rita").await.text("tbody td:nth-child(3)"), "Reader");
    assert_eq!(app.get(&format!("/posts/{slug}")).await.status(), StatusCode::OK);
    assert!(app.page("/admin/departments").await.text("main").contains("There are no departments yet."));
}
