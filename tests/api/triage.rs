//! The triage queue as moderators and officials use it: who may see it, what each row
//! says, the filters, sorts and pages, and bulk actions that are one POST each.

use answerable::db;
use answerable::db::schema::comments;
use answerable::domain::account::{Registration, Role};
use answerable::domain::department::DepartmentInput;
use answerable::services::officials::GrantTarget;
use answerable::services::{accounts, departments, officials, responses};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use reqwest::StatusCode;
use scraper::Selector;

use crate::helpers::{client, location, parse, spawn_app, test_mail, Page, TestApp};

const PASSWORD: &str = "a long password";
const MODERATOR: &str = "mo@example.org";
const JANE: &str = "jane.doe@dwp.gov.uk";
const HARI: &str = "hari@hmrc.gov.uk";

fn user(app: &TestApp, name: &str, email: &str, role: Role) -> i64 {
    let registration = Registration::parse(name, email, PASSWORD).unwrap();
    accounts::create_user(&mut app.conn(), &registration, role).unwrap().id
}

fn department(app: &TestApp, name: &str, acronym: &str) -> i64 {
    let input = DepartmentInput::parse(name, acronym, "", "", "", "5").unwrap();
    departments::create(&mut app.conn(), &input, None).unwrap()
}

/// A moderator, DWP and HMRC, Jane Doe (DWP official) and Hari (HMRC official), and a post.
struct World {
    slug: String,
    moderator: i64,
    jane: i64,
    dwp: i64,
    hmrc: i64,
}

fn world(app: &TestApp) -> World {
    let moderator = user(app, "Mo Derator", MODERATOR, Role::Moderator);
    let jane = user(app, "Jane Doe", JANE, Role::Reader);
    user(app, "Hari Singh", HARI, Role::Reader);
    let dwp = department(app, "Department for Work and Pensions", "DWP");
    let hmrc = department(app, "HM Revenue and Customs", "HMRC");
    for (email, acronym) in [(JANE, "DWP"), (HARI, "HMRC")] {
        let target = GrantTarget { email, department_acronym: acronym };
        officials::grant(&mut app.conn(), &target, "Chief Technology Officer", None).unwrap();
    }
    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    World { slug, moderator, jane, dwp, hmrc }
}

/// A browser of its own, signed in as `email`.
async fn browser(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = client();
    let page = Page::parse(&browser.get(app.url("/signin")).send().await.unwrap().text().await.unwrap());
    let token = page.attr("input[name=_csrf]", "value").unwrap();
    let fields = [("email", email), ("password", PASSWORD), ("_csrf", &token)];
    let response = browser.post(app.url("/signin")).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email} signs in");
    browser
}

async fn get(app: &TestApp, browser: &reqwest::Client, path: &str) -> reqwest::Response {
    browser.get(app.url(path)).send().await.unwrap()
}

async fn queue(app: &TestApp, browser: &reqwest::Client, path: &str) -> Page {
    let response = get(app, browser, path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    Page::parse(&response.text().await.unwrap())
}

/// The comments listed, in order, by the values of their checkboxes.
fn rows(page: &Page) -> Vec<i64> {
    let boxes = Selector::parse("input[name=ids]").unwrap();
    page.html.select(&boxes).filter_map(|e| e.value().attr("value")?.parse().ok()).collect()
}

fn cell(page: &Page, id: i64, class: &str) -> String {
    page.text(&format!("#row-{id} td.{class}"))
}

/// Submits the bulk form from `from` (its token and hidden filters) with `fields`.
async fn bulk(app: &TestApp, browser: &reqwest::Client, from: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = queue(app, browser, from).await;
    let hidden = Selector::parse("form.triage-bulk input[type=hidden]").unwrap();
    let mut sent: Vec<(String, String)> = page
        .html
        .select(&hidden)
        .map(|e| (e.value().attr("name").unwrap().to_owned(), e.value().attr("value").unwrap_or("").to_owned()))
        .collect();
    sent.extend(fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    browser.post(app.url("/triage/bulk")).form(&sent).send().await.unwrap()
}

fn backdate(app: &TestApp, id: i64, days: i64) {
    let at: NaiveDateTime = chrono::Utc::now().naive_utc() - TimeDelta::days(days);
    // Published then, and routed then if it is routed.
    diesel::update(comments::table.find(id)).set(comments::published_at.eq(Some(at))).execute(&mut app.conn()).unwrap();
    diesel::update(comments::table.find(id).filter(comments::routed_at.is_not_null()))
        .set(comments::routed_at.eq(Some(at)))
        .execute(&mut app.conn())
        .unwrap();
}

fn route(app: &TestApp, moderator: i64, ids: &[i64], department: i64) {
    let mut conn = app.conn();
    let actor = responses::actor(&mut conn, moderator).unwrap().unwrap();
    responses::route(&mut conn, &test_mail(), &actor, ids, Some(department)).unwrap();
}

fn state(app: &TestApp, id: i64) -> (Option<String>, Option<i64>, Option<i64>) {
    let comment = db::comments::find(&mut app.conn(), id).unwrap().unwrap();
    (comment.response_state.map(|s| s.as_str().to_owned()), comment.department_id, comment.assigned_to)
}

fn event_kinds(app: &TestApp, id: i64) -> Vec<String> {
    db::responses::events_for(&mut app.conn(), id).unwrap().into_iter().map(|e| e.kind).collect()
}

#[tokio::test]
async fn readers_are_refused_and_the_signed_out_are_sent_to_sign_in() {
    let app = spawn_app().await;
    world(&app);
    user(&app, "Sam Reader", "sam@example.org", Role::Reader);

    let response = app.get("/triage").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signin?next=%2Ftriage");

    let sam = browser(&app, "sam@example.org").await;
    assert_eq!(get(&app, &sam, "/triage").await.status(), StatusCode::FORBIDDEN);
    let response = sam.post(app.url("/triage/bulk")).form(&[("ids", "1"), ("action", "acknowledge")]).send().await;
    assert_eq!(response.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_moderator_sees_what_awaits_a_response_oldest_first_with_age_post_and_suggestion() {
    let app = spawn_app().await;
    let w = world(&app);
    let recent = app.seed_comment(&w.slug, "Priya Shah", "HMRC laptops take nine minutes to log in.", None);
    let oldest = app.seed_comment(&w.slug, "Tom Baker", "The browser is too old to load the intranet.", None);
    let week = app.seed_comment(&w.slug, "Ann Lee", "Case work needs a mouse.", None);
    backdate(&app, oldest, 14);
    backdate(&app, week, 7);
    let answered = app.seed_comment(&w.slug, "Done Already", "Answered elsewhere.", None);
    diesel::update(comments::table.find(answered))
        .set(comments::response_state.eq("answered"))
        .execute(&mut app.conn())
        .unwrap();

    let mo = browser(&app, MODERATOR).await;
    let page = queue(&app, &mo, "/triage").await;
    assert_eq!(rows(&page), [oldest, week, recent], "awaiting only, oldest first");
    assert_eq!(page.text("h1"), "Triage");
    assert!(cell(&page, oldest, "age").starts_with("10 working days"), "{}", cell(&page, oldest, "age"));
    assert!(cell(&page, week, "age").starts_with("5 working days"));
    assert!(cell(&page, recent, "age").starts_with("0 working days"));
    assert_eq!(cell(&page, recent, "post-cell"), "Fixing our IT");
    assert_eq!(page.attr(&format!("#row-{recent} td.post-cell a"), "href"), Some(format!("/posts/{}", w.slug)));
    let comment = cell(&page, recent, "comment-cell");
    assert!(comment.contains("HMRC laptops take nine minutes to log in.") && comment.contains("by Priya Shah"));
    assert_eq!(
        page.count(&format!("#row-{recent} td.comment-cell a[href='/comments/{recent}']")),
        1,
        "view in context"
    );
    assert_eq!(
        page.text(&format!("#row-{recent} a[href='/comments/{recent}/responses#respond']")),
        format!("Respond to comment {recent} by Priya Shah"),
        "a direct Respond link on each row"
    );
    assert_eq!(cell(&page, recent, "department"), "Unrouted Suggested: HMRC");
    assert_eq!(cell(&page, recent, "assignee"), "Nobody");
    assert_eq!(page.text(&format!("label[for=select-{recent}]")), format!("Select comment {recent} by Priya Shah"));
    assert_eq!(page.count(".tag"), 0, "nothing routed, so nothing overdue");
}

#[tokio::test]
async fn filters_narrow_the_queue_by_department_post_assignment_and_overdue() {
    let app = spawn_app().await;
    let w = world(&app);
    let other = app.create_post("Our new phones", "What do you think?", true);
    let dwp_old = app.seed_comment(&w.slug, "A", "Universal Credit screens freeze.", None);
    let dwp_new = app.seed_comment(&w.slug, "B", "Pensions system logs me out.", None);
    let hmrc = app.seed_comment(&w.slug, "C", "Tax tool is slow.", None);
    let unrouted = app.seed_comment(&w.slug, "D", "Nobody knows who owns this.", None);
    let on_other = app.seed_comment(&other, "E", "Phones drop calls.", None);
    route(&app, w.moderator, &[dwp_old, dwp_new], w.dwp);
    route(&app, w.moderator, &[hmrc], w.hmrc);
    backdate(&app, dwp_old, 30);
    {
        let mut conn = app.conn();
        let actor = responses::actor(&mut conn, w.moderator).unwrap().unwrap();
        responses::assign(&mut conn, &actor, &[dwp_new], Some(w.jane)).unwrap();
    }

    let mo = browser(&app, MODERATOR).await;
    assert_eq!(rows(&queue(&app, &mo, &format!("/triage?department={}", w.dwp)).await), [dwp_old, dwp_new]);
    assert_eq!(rows(&queue(&app, &mo, "/triage?department=unrouted").await), [unrouted, on_other]);
    assert_eq!(rows(&queue(&app, &mo, "/triage?unrouted=1").await), [unrouted, on_other]);
    let post_id = db::posts::find_published_by_slug(&mut app.conn(), &other).unwrap().unwrap().id;
    assert_eq!(rows(&queue(&app, &mo, &format!("/triage?post={post_id}")).await), [on_other]);

    let page = queue(&app, &mo, "/triage?overdue=1").await;
    assert_eq!(rows(&page), [dwp_old], "routed and past the 5-day target");
    assert_eq!(page.text(&format!("#row-{dwp_old} .tag")), "Overdue");
    let page = queue(&app, &mo, "/triage").await;
    assert_eq!(page.count(".tag"), 1, "only the overdue comment carries the tag");
    assert_eq!(cell(&page, dwp_new, "assignee"), "Jane Doe");
    assert_eq!(cell(&page, hmrc, "department"), "HMRC");

    let jane = browser(&app, JANE).await;
    assert_eq!(rows(&queue(&app, &jane, "/triage?assigned=1").await), [dwp_new]);
    assert_eq!(rows(&queue(&app, &jane, "/triage?assigned=1&overdue=1").await), Vec::<i64>::new());
    assert_eq!(rows(&queue(&app, &mo, "/triage?assigned=1").await), Vec::<i64>::new(), "nothing assigned to Mo");
}

#[tokio::test]
async fn an_officials_queue_is_their_departments_and_no_one_elses() {
    let app = spawn_app().await;
    let w = world(&app);
    let dwp = app.seed_comment(&w.slug, "A", "Universal Credit screens freeze.", None);
    let hmrc = app.seed_comment(&w.slug, "B", "Tax tool is slow.", None);
    let unrouted = app.seed_comment(&w.slug, "C", "Who owns this?", None);
    route(&app, w.moderator, &[dwp], w.dwp);
    route(&app, w.moderator, &[hmrc], w.hmrc);

    let jane = browser(&app, JANE).await;
    let page = queue(&app, &jane, "/triage").await;
    assert_eq!(rows(&page), [dwp], "DWP's comments by default");
    assert_eq!(page.attr("#field-department option[selected]", "value").as_deref(), Some("mine"));
    let offered: Vec<String> = page.texts("#field-department option");
    assert!(!offered.iter().any(|o| o.contains("HMRC")), "{offered:?}");
    assert_eq!(rows(&queue(&app, &jane, "/triage?department=unrouted").await), [unrouted]);
    assert_eq!(get(&app, &jane, &format!("/triage?department={}", w.hmrc)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &jane, "/triage?department=all").await.status(), StatusCode::FORBIDDEN);

    // Acting on HMRC's comment by sending its id anyway is refused, and changes nothing.
    let sent = hmrc.to_string();
    let response = bulk(&app, &jane, "/triage", &[("ids", &sent), ("action", "acknowledge")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("You can only act on comments routed to your departments"));
    assert_eq!(state(&app, hmrc).0.as_deref(), Some("awaiting"));

    // Only moderators may say no response is needed; the selection is kept.
    let sent = dwp.to_string();
    let fields = [("ids", sent.as_str()), ("action", "no_response_needed"), ("reason", "thanks")];
    let response = bulk(&app, &jane, "/triage", &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("Only moderators can mark a comment as needing no response"));
    assert!(page.attr(&format!("#select-{dwp}"), "checked").is_some(), "the selection is kept");
    assert_eq!(state(&app, dwp).0.as_deref(), Some("awaiting"));
    assert!(event_kinds(&app, dwp).iter().all(|k| k == "route"), "no state event");
}

#[tokio::test]
async fn sorts_order_by_age_either_way_or_by_replies() {
    let app = spawn_app().await;
    let w = world(&app);
    let first = app.seed_comment(&w.slug, "A", "First.", None);
    let second = app.seed_comment(&w.slug, "B", "Second.", None);
    let third = app.seed_comment(&w.slug, "C", "Third.", None);
    backdate(&app, first, 3);
    backdate(&app, second, 2);
    for _ in 0..2 {
        app.seed_comment(&w.slug, "R", "Same here.", Some(second));
    }
    app.seed_comment(&w.slug, "R", "And me.", Some(third));

    let mo = browser(&app, MODERATOR).await;
    let by_replies = rows(&queue(&app, &mo, "/triage?sort=replies").await);
    assert_eq!(by_replies, [second, third, first]);
    let page = queue(&app, &mo, "/triage?sort=recent").await;
    assert_eq!(rows(&page), [third, second, first], "replies are part of the conversation, not in the queue");
    assert_eq!(page.attr("#field-sort option[selected]", "value").as_deref(), Some("recent"));
    assert!(cell(&page, second, "comment-cell").contains("2 replies"));
}

#[tokio::test]
async fn the_queue_is_paged_fifty_at_a_time() {
    let app = spawn_app().await;
    let w = world(&app);
    let ids: Vec<i64> = (0..51).map(|i| app.seed_comment(&w.slug, "Reader", &format!("Comment {i}"), None)).collect();
    let mo = browser(&app, MODERATOR).await;
    let page = queue(&app, &mo, "/triage").await;
    assert_eq!(rows(&page), ids[..50]);
    let next = page.attr(".pagination a[rel=next]", "href").expect("a Next link");
    let page = queue(&app, &mo, &next).await;
    assert_eq!(rows(&page), ids[50..]);
    assert_eq!(page.count(".pagination a[rel=next]"), 0);
    assert!(page.attr(".pagination a[rel=prev]", "href").is_some());

    // Two departments' overdue comments are merged page by page, so fewer pages are offered.
    let page = queue(&app, &mo, "/triage?overdue=1&page=21").await;
    assert!(page.text("p.notice").starts_with("These filters show 20 pages at most."), "{}", page.text("p.notice"));
    assert_eq!(page.count(".pagination a[rel=next]"), 0);
}

#[tokio::test]
async fn a_moderator_routes_three_comments_in_one_post() {
    let app = spawn_app().await;
    let w = world(&app);
    let ids: Vec<i64> = (0..4).map(|i| app.seed_comment(&w.slug, "Reader", &format!("Tax {i}"), None)).collect();
    let mo = browser(&app, MODERATOR).await;
    let hmrc = w.hmrc.to_string();
    let (a, b, c) = (ids[0].to_string(), ids[1].to_string(), ids[2].to_string());
    let fields = [("ids", a.as_str()), ("ids", &b), ("ids", &c), ("action", "route"), ("to_department", &hmrc)];
    let response = bulk(&app, &mo, "/triage?sort=recent", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let back = location(&response);
    assert!(back.starts_with("/triage?department=all&sort=recent&done=routed&n=3"), "{back}");
    let page = queue(&app, &mo, &back).await;
    assert_eq!(page.text(".success"), "3 comments routed to HMRC");
    for &id in &ids[..3] {
        assert_eq!(cell(&page, id, "department"), "HMRC");
        assert_eq!(event_kinds(&app, id), ["route"]);
    }
    assert_eq!(cell(&page, ids[3], "department"), "Unrouted");
    assert_eq!(page.attr("#field-sort option[selected]", "value").as_deref(), Some("recent"), "filters kept");
}

#[tokio::test]
async fn moderators_acknowledge_and_close_in_bulk_and_officials_assign_in_their_department() {
    let app = spawn_app().await;
    let w = world(&app);
    let ids: Vec<i64> = (0..6).map(|i| app.seed_comment(&w.slug, "Reader", &format!("Point {i}"), None)).collect();
    route(&app, w.moderator, &ids, w.dwp);
    let s: Vec<String> = ids.iter().map(i64::to_string).collect();
    let mo = browser(&app, MODERATOR).await;

    let response = bulk(&app, &mo, "/triage", &[("ids", &s[0]), ("ids", &s[1]), ("action", "acknowledge")]).await;
    let page = queue(&app, &mo, &location(&response)).await;
    assert_eq!(page.text(".success"), "2 comments acknowledged");
    assert_eq!(state(&app, ids[0]).0.as_deref(), Some("acknowledged"));
    assert!(!rows(&page).contains(&ids[0]), "acknowledged comments leave the queue");

    let fields =
        [("ids", s[2].as_str()), ("action", "no_response_needed"), ("reason", "thanks"), ("note", "Thanks only")];
    let response = bulk(&app, &mo, "/triage", &fields).await;
    let page = queue(&app, &mo, &location(&response)).await;
    assert_eq!(page.text(".success"), "1 comment marked as needing no response");
    let comment = db::comments::find(&mut app.conn(), ids[2]).unwrap().unwrap();
    assert_eq!(comment.response_state.map(|s| s.as_str()), Some("no_response_needed"));
    assert_eq!(comment.response_note.as_deref(), Some("thanks only: Thanks only"));

    let jane = browser(&app, JANE).await;
    let me = w.jane.to_string();
    let fields = [("ids", s[3].as_str()), ("ids", &s[4]), ("action", "assign"), ("assignee", &me)];
    let response = bulk(&app, &jane, "/triage", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = queue(&app, &jane, &location(&response)).await;
    assert_eq!(page.text(".success"), "2 comments assigned to Jane Doe");
    assert_eq!(cell(&page, ids[3], "assignee"), "Jane Doe");
    assert_eq!(state(&app, ids[4]).2, Some(w.jane));
    assert_eq!(event_kinds(&app, ids[4]), ["route", "assign"]);
    let offered = page.texts("#field-assignee option");
    assert!(
        offered.contains(&"Jane Doe (DWP)".to_owned()) && !offered.iter().any(|o| o.contains("Hari")),
        "{offered:?}"
    );

    // An HMRC official is not someone a DWP comment can be assigned to.
    let hari = db::users::find_by_email(&mut app.conn(), HARI).unwrap().unwrap().id.to_string();
    let response = bulk(&app, &mo, "/triage", &[("ids", &s[5]), ("action", "assign"), ("assignee", &hari)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(parse(response).await.text(".error-summary").contains("Hari Singh is not an official of the department"));
    assert_eq!(state(&app, ids[5]).2, None);
}

#[tokio::test]
async fn a_bulk_post_without_its_token_or_a_selection_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app);
    let id = app.seed_comment(&w.slug, "Reader", "Slow log-in.", None);
    let mo = browser(&app, MODERATOR).await;
    let sent = id.to_string();

    let fields = [("ids", sent.as_str()), ("action", "acknowledge"), ("department", "all")];
    let response = mo.post(app.url("/triage/bulk")).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(parse(response).await.text(".error-summary").contains("This form could not be checked"));
    assert_eq!(state(&app, id).0.as_deref(), Some("awaiting"));

    let response = bulk(&app, &mo, "/triage", &[("action", "acknowledge")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(page.text(".error-summary li"), "Select at least one comment");
    assert_eq!(page.attr("#field-action option[selected]", "value").as_deref(), Some("acknowledge"));

    let response = bulk(&app, &mo, "/triage", &[("ids", &sent), ("action", "route")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(parse(response).await.text(".error-summary li"), "Choose the department to route them to");
    assert_eq!(state(&app, id), (Some("awaiting".into()), None, None));
    assert!(event_kinds(&app, id).is_empty());
}
