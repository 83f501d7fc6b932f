//! Answering several comments with one official reply at a post's size: bulk actions
//! above the queue too, select all, and "answer them with one official reply" that
//! opens the reply form with them chosen; the reply form's search works without script.

use reqwest::StatusCode;

use crate::helpers::{location, parse, spawn_app};
use crate::responses::{route_directly, state_line, world, JANE};

#[tokio::test]
async fn an_official_selects_comments_in_triage_and_answers_them_with_one_reply() {
    let app = spawn_app().await;
    let (slug, first, role) = world(&app);
    let second = app.seed_comment(&slug, "Tom", "Nine minutes for me too.", None);
    let third = app.seed_comment(&slug, "Ann", "The printer queue is stuck.", None);
    for id in [first, second, third] {
        route_directly(&app, id, "DWP");
    }
    app.sign_in(JANE).await;

    let queue = app.page("/triage?select=all").await;
    assert_eq!(queue.count("form.triage-bulk fieldset.bulk-actions"), 2, "the actions are above the list and under it");
    assert!(queue.source.find("field-top_action").unwrap() < queue.source.find("<table").unwrap());
    assert_eq!(queue.count("input[name=ids][checked]"), 3, "select all on this page, without script");

    let ids = [first, second].map(|id| id.to_string());
    let mut fields = vec![("controls", "top"), ("top_action", "answer")];
    fields.extend(ids.iter().map(|id| ("ids", id.as_str())));
    fields.extend([("department", "mine"), ("sort", "oldest")]);
    let response = app.submit("/triage", "/triage/bulk", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert_eq!(to, format!("/posts/{slug}/comments/new?parent={first}&also={second}#also-answers"));

    let form = app.page(&to).await;
    assert_eq!(form.count(&format!("#also-answers-{second}[checked]")), 1, "the selected comment is ticked");
    assert_eq!(form.count(&format!("input[name=as_official][value='{role}'][checked]")), 1, "and the badge chosen");

    // The search redraws the form with the text kept and only the matches listed.
    let search = [
        ("parent_id", first.to_string()),
        ("as_official", role.to_string()),
        ("body", "A fix ships next week.".to_owned()),
        ("also_search", "printer".to_owned()),
        ("find", "1".to_owned()),
    ];
    let search: Vec<(&str, &str)> = search.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let found = parse(app.submit(&to, &format!("/posts/{slug}/comments"), &search).await).await;
    assert_eq!(found.text("textarea[name=body]"), "A fix ships next week.", "nothing typed is lost");
    assert_eq!(found.count(&format!("#also-answers-{third}")), 1);
    assert_eq!(found.count(&format!("#also-answers-{second}")), 0, "only what matches");

    let fields = [
        ("parent_id", first.to_string()),
        ("as_official", role.to_string()),
        ("also_answers", second.to_string()),
        ("body", "A fix for log-in ships next week.".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let posted = app.submit(&to, &format!("/posts/{slug}/comments"), &fields).await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let page = app.page(&format!("/posts/{slug}")).await;
    for id in [first, second] {
        assert!(state_line(&page, id).starts_with("Answered by Jane Doe"), "{}", state_line(&page, id));
    }
    assert!(state_line(&page, third).starts_with("Awaiting response"));
}

#[tokio::test]
async fn the_reply_form_offers_a_short_list_this_conversation_first_then_the_departments() {
    let app = spawn_app().await;
    let (slug, question, _) = world(&app);
    // A reply in the question's conversation that was routed (so it waits for an
    // answer), and more routed comments than the list holds.
    let routed_reply = app.seed_comment(&slug, "Rob Reader", "Is it the VPN?", Some(question));
    let unrouted_reply = app.seed_comment(&slug, "Una User", "Thanks for raising it.", Some(question));
    route_directly(&app, routed_reply, "DWP");
    let mut elsewhere = Vec::new();
    for n in 0..20 {
        let id = app.seed_comment(&slug, &format!("Reader {n}"), &format!("Problem number {n}."), None);
        route_directly(&app, id, "DWP");
        elsewhere.push(id);
    }
    let hmrc_only = app.seed_comment(&slug, "Hana", "HMRC laptops are slow.", None);
    route_directly(&app, hmrc_only, "HMRC");
    app.sign_in(JANE).await;

    let form = app.page(&format!("/posts/{slug}/comments/new?parent={question}")).await;
    let listed: Vec<String> = form.attrs("input[name=also_answers]", "value");
    assert_eq!(listed.len(), 15, "a short list, not every open comment: {listed:?}");
    assert_eq!(listed[0], routed_reply.to_string(), "this conversation first");
    assert!(form.text(".also-answers").contains("(in this conversation)"));
    assert!(form.text(".also-answers").contains("(routed to your department)"));
    assert!(!listed.contains(&question.to_string()), "not the comment being answered");
    assert!(!listed.contains(&unrouted_reply.to_string()), "a reply with no state is conversation, not a question");
    assert!(!listed.contains(&hmrc_only.to_string()), "nor another department's comment");
    assert!(
        form.text(".also-answers").contains("6 more open comments are not listed"),
        "the rest are a search away: {}",
        form.text(".also-answers")
    );
}
