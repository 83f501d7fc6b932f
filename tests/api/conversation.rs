//! Which comments carry a response state: a top-level comment from the start; a reply
//! only once it is routed, answered by an official or acted on (until then it is part
//! of its thread's conversation). Existing data is migrated to match, and a
//! department's target counts from when a comment was routed to it.

use answerable::db;
use answerable::db::schema::{comments, department_state_counts};
use diesel::prelude::*;

use crate::helpers::{reply_as_official, spawn_app, Page, TestApp};
use crate::responses::{back_date, back_date_routing, respond, route_directly, state_line, world, JANE, MO};

fn has_state_tag(page: &Page, id: i64) -> bool {
    page.count(&format!("#comment-{id} .response-state")) > 0
}

fn queue_ids(page: &Page) -> Vec<String> {
    page.html
        .select(&scraper::Selector::parse("input[name=ids]").unwrap())
        .filter_map(|e| e.value().attr("value").map(str::to_owned))
        .collect()
}

fn stored_state(app: &TestApp, id: i64) -> Option<String> {
    comments::table.find(id).select(comments::response_state).first(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn a_reply_carries_a_state_only_once_it_is_routed_answered_or_acted_on() {
    let app = spawn_app().await;
    let (slug, question, role) = world(&app);
    let thanks = app.seed_comment(&slug, "Sam", "Thanks for raising it, same here.", Some(question));
    let routed = app.seed_comment(&slug, "Ann", "And the VPN drops every hour.", Some(question));
    let answered = app.seed_comment(&slug, "Bo", "Is the new laptop coming this year?", Some(question));
    let closed = app.seed_comment(&slug, "Cy", "+1", Some(question));

    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(has_state_tag(&page, question), "a top-level comment awaits a response");
    for reply in [thanks, routed, answered, closed] {
        assert!(
            !has_state_tag(&page, reply),
            "reply {reply} is part of the conversation: {}",
            state_line(&page, reply)
        );
    }
    assert!(
        page.text("#comment-summary").starts_with("5 comments from readers · 0 answered · 1 awaiting a response"),
        "{}",
        page.text("#comment-summary")
    );
    let awaiting = app.page(&format!("/posts/{slug}?show=awaiting")).await;
    assert_eq!(awaiting.count(&format!("#comment-{question}")), 1);
    assert_eq!(
        awaiting.count(&format!("#comment-{thanks}")),
        0,
        "the awaiting filter counts only what carries a state"
    );

    app.sign_in(MO).await;
    let queue = queue_ids(&app.page("/triage").await);
    assert!(queue.contains(&question.to_string()));
    assert!(!queue.contains(&thanks.to_string()), "a thanks is not in the triage queue");

    // Routed, answered by an official, acted on: each now carries its own state.
    route_directly(&app, routed, "DWP");
    respond(&app, closed, &[("action", "no_response_needed"), ("reason", "thanks")]).await;
    app.sign_in(JANE).await;
    reply_as_official(&app, &slug, answered, role, "Yes: January.", &[]).await;

    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(state_line(&page, routed).starts_with("Awaiting response"), "{}", state_line(&page, routed));
    assert!(state_line(&page, answered).starts_with("Answered by Jane Doe"), "{}", state_line(&page, answered));
    assert!(state_line(&page, closed).starts_with("No response needed"), "{}", state_line(&page, closed));
    assert!(!has_state_tag(&page, thanks));
    assert!(
        page.text("#comment-summary").starts_with("5 comments from readers · 1 answered · 2 awaiting a response"),
        "{}",
        page.text("#comment-summary")
    );
    let history = app.page(&format!("/comments/{closed}/responses")).await;
    assert!(
        history.text("table").contains("Part of the conversation → No response needed"),
        "{}",
        history.text("table")
    );
    let figures: serde_json::Value =
        serde_json::from_str(&app.get("/departments/DWP.json").await.text().await.unwrap()).unwrap();
    assert_eq!(figures["routed"], 2, "the routed reply and the answered one: {figures}");
}

#[tokio::test]
async fn the_migration_takes_the_state_off_replies_nobody_routed_answered_or_acted_on() {
    let app = spawn_app().await;
    let (slug, question, _) = world(&app);
    let plain = app.seed_comment(&slug, "Sam", "Thanks for raising it.", Some(question));
    let routed = app.seed_comment(&slug, "Ann", "The VPN drops too.", Some(question));
    let reopened = app.seed_comment(&slug, "Bo", "Any news?", Some(question));
    route_directly(&app, routed, "DWP");
    app.sign_in(MO).await;
    respond(&app, reopened, &[("action", "acknowledge")]).await;
    respond(&app, reopened, &[("action", "reopen")]).await;
    back_date(&app, routed, 3);

    // Back to the data as the previous version kept it: every reply awaiting.
    let mut conn = app.conn();
    assert!(db::revert_migrations_through(&mut conn, "20261202000014").unwrap() >= 1);
    let before: Vec<(i64, Option<String>)> = diesel::sql_query(format!(
        "SELECT id, response_state FROM comments WHERE id IN ({question}, {plain}, {routed}, {reopened}) ORDER BY id"
    ))
    .load::<StateRow>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|r| (r.id, r.response_state))
    .collect();
    assert!(before.iter().all(|(_, s)| s.as_deref() == Some("awaiting")), "{before:?}");

    db::run_migrations(&mut conn).unwrap();
    drop(conn);
    assert_eq!(stored_state(&app, question).as_deref(), Some("awaiting"));
    assert_eq!(stored_state(&app, plain), None, "an untouched reply is part of the conversation");
    assert_eq!(stored_state(&app, routed).as_deref(), Some("awaiting"), "a routed reply keeps its state");
    assert_eq!(stored_state(&app, reopened).as_deref(), Some("awaiting"), "a reply acted on keeps its state");
    let routed_at: Option<chrono::NaiveDateTime> =
        comments::table.find(routed).select(comments::routed_at).first(&mut app.conn()).unwrap();
    assert!(routed_at.is_some(), "routed_at is filled in from the routing event");

    // The department totals the database keeps follow.
    let kept: Vec<i64> = department_state_counts::table
        .filter(department_state_counts::n.gt(0))
        .select(department_state_counts::n)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(kept, [1], "one routed comment");
}

#[derive(QueryableByName)]
struct StateRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    response_state: Option<String>,
}

#[tokio::test]
async fn a_departments_target_counts_from_when_the_comment_was_routed_to_it() {
    let app = spawn_app().await;
    let (slug, question, _) = world(&app);
    back_date(&app, question, 14);
    route_directly(&app, question, "DWP");

    let page = app.page(&format!("/posts/{slug}")).await;
    let line = state_line(&page, question);
    assert!(line.contains("waiting 10 working days") && line.contains("routed to DWP"), "{line}");
    assert!(!line.contains("Overdue"), "routed today, so not overdue for DWP: {line}");
    assert!(page.text("#comment-summary").contains("0 overdue"));
    let figures: serde_json::Value =
        serde_json::from_str(&app.get("/departments/DWP.json").await.text().await.unwrap()).unwrap();
    assert_eq!(figures["overdue"], 0);
    app.sign_in(MO).await;
    assert!(queue_ids(&app.page("/triage?overdue=1").await).is_empty());

    back_date_routing(&app, question, 14);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(state_line(&page, question).contains("Overdue"));
    let figures: serde_json::Value =
        serde_json::from_str(&app.get("/departments/DWP.json").await.text().await.unwrap()).unwrap();
    assert_eq!(figures["overdue"], 1);
    assert_eq!(queue_ids(&app.page("/triage?overdue=1").await), vec![question.to_string()]);
    let definitions = app.page("/departments").await;
    assert!(
        definitions.source.contains("counted from when each was routed to the department"),
        "the definitions say when the clock starts"
    );
}

#[tokio::test]
async fn each_state_tag_links_to_what_it_means() {
    let app = spawn_app().await;
    let (slug, question, _) = world(&app);
    let page = app.page(&format!("/posts/{slug}")).await;
    let href = page.attr(&format!("#comment-{question} .response-state a.tag-link"), "href").unwrap();
    assert_eq!(href, "/response-states#state-awaiting");

    let response = app.get("/response-states").await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(response.headers().get("set-cookie").is_none(), "a public page");
    let states = Page::parse(&response.text().await.unwrap());
    for (anchor, term) in [
        ("state-awaiting", "Awaiting response"),
        ("state-acknowledged", "Acknowledged"),
        ("state-answered", "Answered"),
        ("state-referred", "Referred"),
        ("state-no-response-needed", "No response needed"),
    ] {
        assert_eq!(states.text(&format!("#{anchor}")), term);
        assert!(!states.text(&format!("#{anchor} + dd")).is_empty(), "{term} is explained");
    }
    assert!(states.text("#state-acknowledged + dd").contains("It is not an answer"));
}
