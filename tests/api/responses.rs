//! Response states as readers, officials and moderators meet them: answered by an
//! official reply, one reply answering several comments, each other transition and
//! who may make it, routing suggestions, overdue marks and the post's summary.

use answerable::domain::account::Role;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{location, reply_as_official, spawn_app, test_mail, Form, Page, TestApp};

pub(crate) const JANE: &str = "jane.doe@dwp.gov.uk";
pub(crate) const MO: &str = "mo@example.org";

/// A post, the DWP with Jane Doe as its CTO, a moderator, and one guest comment.
/// Returns (slug, comment id, Jane's role id).
pub(crate) fn world(app: &TestApp) -> (String, i64, i64) {
    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    let comment = app.seed_comment(&slug, "Priya Shah", "Why does log-in take nine minutes?", None);
    app.user("Jane Doe", JANE, Role::Reader);
    app.user("Mo Moderator", MO, Role::Moderator);
    app.department("Department for Work and Pensions", "DWP", "Work and Pensions");
    app.department("HM Revenue and Customs", "HMRC", "Revenue and Customs");
    let role = app.grant(JANE, "DWP", "Chief Technology Officer");
    (slug, comment, role)
}

pub(crate) fn state_line(page: &Page, id: i64) -> String {
    page.text(&format!("#comment-{id} .response-state"))
}

pub(crate) async fn respond(app: &TestApp, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = format!("/comments/{id}/responses");
    app.submit(&page, &page, fields).await
}

pub(crate) fn route_directly(app: &TestApp, comment: i64, acronym: &str) {
    let mut conn = app.conn();
    let moderator = answerable::db::users::find_by_email(&mut conn, MO).unwrap().unwrap();
    let actor = answerable::services::responses::actor(&mut conn, moderator.id).unwrap().unwrap();
    let department = answerable::db::departments::find_by_acronym(&mut conn, acronym).unwrap().unwrap();
    answerable::services::responses::route(&mut conn, &test_mail(), &actor, &[comment], Some(department.id)).unwrap();
}

pub(crate) fn back_date(app: &TestApp, comment: i64, days: i64) {
    use answerable::db::schema::comments;
    let at = answerable::domain::time::now() - chrono::TimeDelta::days(days);
    diesel::update(comments::table.find(comment)).set(comments::published_at.eq(at)).execute(&mut app.conn()).unwrap();
    // A change behind the app's back: bump the version so cached pages are not reused.
    let post = answerable::db::comments::find(&mut app.conn(), comment).unwrap().unwrap().post_id;
    answerable::db::posts::bump_comments_version(&mut app.conn(), post).unwrap();
}

/// As if the comment had been routed `days` ago.
pub(crate) fn back_date_routing(app: &TestApp, comment: i64, days: i64) {
    use answerable::db::schema::comments;
    let at = answerable::domain::time::now() - chrono::TimeDelta::days(days);
    diesel::update(comments::table.find(comment)).set(comments::routed_at.eq(at)).execute(&mut app.conn()).unwrap();
    let post = answerable::db::comments::find(&mut app.conn(), comment).unwrap().unwrap().post_id;
    answerable::db::posts::bump_comments_version(&mut app.conn(), post).unwrap();
}

#[tokio::test]
async fn every_comment_starts_awaiting_and_an_official_reply_answers_it() {
    let app = spawn_app().await;
    let (slug, question, role) = world(&app);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(
        state_line(&page, question),
        "Awaiting response · waiting less than a working day · History of responses to this comment"
    );
    assert!(page
        .text("#comment-summary")
        .starts_with("1 comment from readers · 0 answered · 1 awaiting a response · 0 overdue"));

    app.sign_in(JANE).await;
    let answer = reply_as_official(&app, &slug, question, role, "New laptops arrive in January.", &[]).await;
    let page = app.page(&format!("/posts/{slug}")).await;
    let line = state_line(&page, question);
    assert!(line.starts_with("Answered by Jane Doe, Chief Technology Officer, DWP (the same day)"), "{line}");
    assert_eq!(
        page.attr(&format!("#comment-{question} .response-state a[href^='/comments/{answer}']"), "href").unwrap(),
        format!("/comments/{answer}")
    );
    assert_eq!(
        page.count(&format!("#comment-{answer} .response-state")),
        0,
        "an official reply has no state of its own"
    );
    assert_eq!(page.text(&format!("#comment-{answer} .answers")), "This reply answers: Priya Shah’s comment");
    assert!(page
        .text("#comment-summary")
        .starts_with("1 comment from readers · 1 answered · 0 awaiting a response · 0 overdue · 1 official reply"));

    let history = app.page(&format!("/comments/{question}/responses")).await;
    assert!(history.text("table").contains("Awaiting response → Answered"), "{}", history.text("table"));
    assert!(
        history.text("dl.standing").contains("Department for Work and Pensions (DWP)"),
        "answering routes the comment"
    );
}

#[tokio::test]
async fn one_reply_answers_three_comments_when_posted_or_afterwards() {
    let app = spawn_app().await;
    let (slug, first, role) = world(&app);
    let second = app.seed_comment(&slug, "Tom Evans", "Same nine minutes here.", None);
    let third = app.seed_comment(&slug, "Aisha Begum", "Log-in is slow on Mondays.", None);
    let fourth = app.seed_comment(&slug, "Gareth Jones", "And the VPN drops.", None);
    let elsewhere = app.seed_comment(&slug, "Ivy", "Printers, not ours.", None);
    for id in [second, third, fourth] {
        route_directly(&app, id, "DWP");
    }
    app.sign_in(JANE).await;

    let form = app.page(&format!("/posts/{slug}/comments/new?parent={first}")).await;
    assert_eq!(form.count("input[name=also_answers]"), 3, "the comments routed to her department are offered");
    assert_eq!(form.count(&format!("#also-answers-{elsewhere}")), 0, "an unrouted comment in another thread is not");
    let answer = reply_as_official(&app, &slug, first, role, "A fix for log-in ships next week.", &[second]).await;

    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(state_line(&page, third).starts_with("Awaiting response"), "read once before linking");
    let linking = app.page(&format!("/comments/{answer}/responses")).await;
    assert_eq!(linking.count("input[name=also_answers]"), 2, "third and fourth are still open");
    let third_id = third.to_string();
    let response = app
        .submit(
            &format!("/comments/{answer}/responses"),
            &format!("/comments/{answer}/answers"),
            &[("also_answers", &third_id)],
        )
        .await;
    assert_eq!(location(&response), format!("/comments/{answer}/responses?done=answers"));

    let page = app.page(&format!("/posts/{slug}")).await;
    for id in [first, second, third] {
        assert!(state_line(&page, id).starts_with("Answered by Jane Doe"), "comment {id}: {}", state_line(&page, id));
    }
    assert!(state_line(&page, fourth).starts_with("Awaiting response"));
    assert_eq!(
        page.text(&format!("#comment-{answer} .answers")),
        "This reply answers: Priya Shah’s comment, Tom Evans’s comment, Aisha Begum’s comment"
    );
    let answered = app.page(&format!("/posts/{slug}?show=answered")).await;
    assert_eq!(answered.count("article.comment"), 3);
    let awaiting = app.page(&format!("/posts/{slug}?show=awaiting")).await;
    assert_eq!(awaiting.count("article.comment"), 2, "the VPN and the printers");
    assert!(awaiting.text(".threads").contains("And the VPN drops."));
}

#[tokio::test]
async fn officials_respond_only_for_their_department_and_only_moderators_say_no_response_is_needed() {
    let app = spawn_app().await;
    let (slug, question, _) = world(&app);
    app.user("Hari", "hari@hmrc.gov.uk", Role::Reader);
    app.grant("hari@hmrc.gov.uk", "HMRC", "Director");
    route_directly(&app, question, "DWP");

    app.sign_in("hari@hmrc.gov.uk").await;
    let refused = respond(&app, question, &[("action", "acknowledge"), ("note", "Looking")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "another department's official");

    app.sign_in(JANE).await;
    let response = respond(&app, question, &[("action", "acknowledge"), ("note", "We are looking into it.")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(
        state_line(&page, question),
        "Acknowledged by Jane Doe, Chief Technology Officer, DWP: We are looking into it. · History of responses to this comment"
    );

    let refused = respond(&app, question, &[("action", "no_response_needed"), ("reason", "thanks")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body = Page::parse(&refused.text().await.unwrap());
    assert!(body.text(".error-summary").contains("only moderators"));

    let response = respond(
        &app,
        question,
        &[("action", "refer"), ("referred_to", "HR service desk"), ("note", "They own log-ins.")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(state_line(&page, question).starts_with("Referred to HR service desk: They own log-ins."));

    app.sign_in(MO).await;
    let response =
        respond(&app, question, &[("action", "no_response_needed"), ("reason", "duplicate"), ("note", "see #1")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(state_line(&page, question).starts_with("No response needed: duplicate of another comment: see #1"));
    let response = respond(&app, question, &[("action", "reopen")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let history = app.page(&format!("/comments/{question}/responses")).await;
    let rows = history.texts("tbody tr");
    assert_eq!(rows.len(), 5, "route, acknowledge, refer, no response needed, reopen: {rows:?}");
    assert!(rows[1].contains("Jane Doe") && rows[1].contains("Awaiting response → Acknowledged"));
    assert!(rows[4].contains("Mo Moderator") && rows[4].contains("No response needed → Awaiting response"));
}

#[tokio::test]
async fn commenters_and_readers_cannot_change_states() {
    let app = spawn_app().await;
    let (slug, _, _) = world(&app);
    app.user("Priya", "priya@example.org", Role::Reader);
    app.sign_in("priya@example.org").await;
    let own = app.comment(&slug, Form::new("ignored", "My own complaint.")).await;
    let page = app.page(&format!("/comments/{own}/responses")).await;
    assert_eq!(page.count("input[name=action]"), 0, "no actions offered");
    let refused = respond(&app, own, &[("action", "acknowledge")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(state_line(&page, own).starts_with("Awaiting response"));

    let guest = crate::helpers::client();
    let response = guest
        .post(app.url(&format!("/comments/{own}/responses")))
        .form(&[("action", "acknowledge")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed out: sent to sign in");
    assert!(location(&response).starts_with("/signin"));
}

#[tokio::test]
async fn a_department_named_in_the_text_is_suggested_and_a_moderator_routes_it() {
    let app = spawn_app().await;
    let (slug, _, _) = world(&app);
    let mentions = app.comment(&slug, Form::new("Tom", "Revenue and Customs log-ins are slow.")).await;
    let lookalike = app.comment(&slug, Form::new("Sam", "HMRCX is a made-up word.")).await;
    app.sign_in(MO).await;
    let page = app.page(&format!("/comments/{mentions}/responses")).await;
    assert!(
        page.text("dl.standing").contains("HM Revenue and Customs (HMRC), because the comment mentions it"),
        "{}",
        page.text("dl.standing")
    );
    let page = app.page(&format!("/comments/{lookalike}/responses")).await;
    assert!(!page.text("dl.standing").contains("because the comment mentions it"));

    let hmrc = page.attr("select[name=department] option:nth-child(3)", "value").unwrap();
    let post = app.page(&format!("/posts/{slug}")).await;
    assert!(!state_line(&post, mentions).contains("routed to"), "read once before routing");
    let response = app
        .submit(
            &format!("/comments/{mentions}/responses"),
            &format!("/comments/{mentions}/route"),
            &[("department", &hmrc)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.page(&format!("/comments/{mentions}/responses")).await;
    assert!(page.text("dl.standing").contains("HM Revenue and Customs (HMRC)"));
    assert!(page.text("table").contains("Routed: unrouted → HMRC"));
    let post = app.page(&format!("/posts/{slug}")).await;
    assert!(state_line(&post, mentions).contains("routed to HMRC"), "{}", state_line(&post, mentions));
}

#[tokio::test]
async fn overdue_shows_only_after_the_response_target() {
    let app = spawn_app().await;
    let (slug, question, _) = world(&app);
    let fresh = app.seed_comment(&slug, "Tom", "Printing is slow.", None);
    route_directly(&app, question, "DWP");
    route_directly(&app, fresh, "DWP");
    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(!state_line(&page, question).contains("Overdue"));
    back_date(&app, question, 14);
    back_date_routing(&app, question, 14);
    let page = app.page(&format!("/posts/{slug}")).await;
    let line = state_line(&page, question);
    assert!(line.contains("10 working days") && line.contains("routed to DWP") && line.contains("Overdue"), "{line}");
    assert!(!state_line(&page, fresh).contains("Overdue"));
    assert!(page.text("#comment-summary").contains("1 overdue"));
}

#[tokio::test]
async fn department_totals_kept_by_the_database_match_a_full_count() {
    use answerable::db::schema::{comments, department_state_counts};
    let app = spawn_app().await;
    let (slug, question, role) = world(&app);
    let others: Vec<i64> = (0..4).map(|n| app.seed_comment(&slug, "Tom", &format!("Point {n}"), None)).collect();
    for id in &others {
        route_directly(&app, *id, "DWP");
    }
    route_directly(&app, others[3], "HMRC");
    app.sign_in(JANE).await;
    reply_as_official(&app, &slug, question, role, "Answered.", &[others[0]]).await;
    respond(&app, others[1], &[("action", "acknowledge")]).await;
    app.sign_in(MO).await;
    respond(&app, others[2], &[("action", "no_response_needed"), ("reason", "thanks")]).await;
    respond(&app, others[1], &[("action", "reopen")]).await;

    let mut conn = app.conn();
    let mut kept: Vec<(i64, String, i64)> = department_state_counts::table
        .filter(department_state_counts::n.gt(0))
        .select((
            department_state_counts::department_id,
            department_state_counts::response_state,
            department_state_counts::n,
        ))
        .load(&mut conn)
        .unwrap();
    let mut counted: Vec<(Option<i64>, Option<String>, i64)> = comments::table
        .filter(comments::department_id.is_not_null())
        .filter(comments::response_state.is_not_null())
        .group_by((comments::department_id, comments::response_state))
        .select((comments::department_id, comments::response_state, diesel::dsl::count_star()))
        .load(&mut conn)
        .unwrap();
    kept.sort();
    counted.sort();
    let counted: Vec<(i64, String, i64)> = counted.into_iter().map(|(d, s, n)| (d.unwrap(), s.unwrap(), n)).collect();
    assert_eq!(kept, counted);
    assert_eq!(kept.iter().map(|(_, _, n)| n).sum::<i64>(), 5, "five routed comments");
}

/// The whole story: a moderator routes three comments from the triage queue in one
/// action, an official answers two with one reply, and the department's public page
/// and open data show it.
#[tokio::test]
async fn triage_then_one_answer_for_two_then_the_public_figures() {
    let app = spawn_app().await;
    let (slug, _, role) = world(&app);
    let ids: Vec<i64> = ["Nine-minute log-ins.", "Log-in takes forever.", "Old browser."]
        .iter()
        .map(|text| app.seed_comment(&slug, "Reader", text, None))
        .collect();

    app.sign_in(MO).await;
    let queue = app.page("/triage").await;
    let listed: Vec<String> = queue
        .html
        .select(&scraper::Selector::parse("input[name=ids]").unwrap())
        .filter_map(|e| e.value().attr("value").map(str::to_owned))
        .collect();
    for id in &ids {
        assert!(listed.contains(&id.to_string()), "comment {id} is in the queue");
    }
    let dwp = answerable::db::departments::find_by_acronym(&mut app.conn(), "DWP").unwrap().unwrap().id.to_string();
    assert!(queue.count(&format!("form.triage-bulk option[value='{dwp}']")) >= 1, "the bulk form offers DWP");
    let hidden: Vec<(String, String)> = queue
        .html
        .select(&scraper::Selector::parse("form.triage-bulk input[type=hidden]").unwrap())
        .map(|e| (e.value().attr("name").unwrap().to_owned(), e.value().attr("value").unwrap_or("").to_owned()))
        .collect();
    let mut fields: Vec<(String, String)> = hidden;
    fields.extend(ids.iter().map(|id| ("ids".to_owned(), id.to_string())));
    fields.push(("action".into(), "route".into()));
    fields.push(("to_department".into(), dwp));
    let routed = app.client.post(app.url("/triage/bulk")).form(&fields).send().await.unwrap();
    assert_eq!(routed.status(), StatusCode::SEE_OTHER);
    let after = app.page(&location(&routed)).await;
    assert!(after.text(".success").contains("3 comments routed to DWP"), "{}", after.text(".success"));

    app.sign_in(JANE).await;
    reply_as_official(&app, &slug, ids[0], role, "A fix for log-in ships next week.", &[ids[1]]).await;

    let page = app.page("/departments/DWP").await;
    assert!(page.source.contains("svg"), "the chart is on the page");
    let figures: serde_json::Value =
        serde_json::from_str(&app.get("/departments/DWP.json").await.text().await.unwrap()).unwrap();
    assert_eq!(figures["routed"], 3);
    assert_eq!(figures["answered"], 2);
    assert_eq!(figures["awaiting"], 1);
    assert_eq!(figures["overdue"], 0);
    assert_eq!(figures["response_rate_percent"], 66.7);
    assert_eq!(figures["oldest_awaiting"].as_array().unwrap().len(), 1);
}
