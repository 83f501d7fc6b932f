use reqwest::StatusCode;

use crate::helpers::{location, posted_id, spawn_app, Form};

#[tokio::test]
async fn a_guest_comment_appears_with_name_and_time_but_never_the_email() {
    let app = spawn_app().await;
    let slug = app.create_post("We are fixing IT", "Tell us.", true);
    let form = Form {
        name: "Priya Shah",
        email: "priya.shah@example.org",
        body: "Log-in takes **nine minutes**.",
        parent_id: None,
        email_me: false,
    };
    let id = app.comment(&slug, form).await;

    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text("#comments-title"), "1 comment");
    assert_eq!(page.text(&format!("#comment-{id} .author")), "Priya Shah");
    assert_eq!(page.comment_body(id), "Log-in takes nine minutes.");
    assert_eq!(page.text(&format!("#comment-{id} .comment-body strong")), "nine minutes");
    let datetime = page.attr(&format!("#comment-{id} time"), "datetime").unwrap();
    assert!(datetime.ends_with('Z') && datetime.contains('T'), "{datetime}");
    assert_eq!(page.text(&format!("#comment-{id} time")), "just now");
    assert!(page.text(&format!("#comment-{id} .absolute")).ends_with("UTC"));
    assert!(!page.source.contains("priya.shah@example.org"), "email is never shown");
}

#[tokio::test]
async fn posting_leads_to_the_comment_on_its_page_with_a_confirmation_there() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    let response = app.submit_comment(&slug, &Form::new("Tom", "First!")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = posted_id(&response);
    assert_eq!(location(&response), format!("/comments/{id}?posted=1"));
    let response = app.get(&location(&response)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), format!("/posts/{slug}?posted={id}#comment-{id}"));
    let page = app.page(&location(&response)).await;
    assert_eq!(
        page.text(&format!("#comment-{id} .posted-notice[role=status]")),
        "Your comment is published. Thank you."
    );

    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.attr(&format!("#comment-{id} a.permalink"), "href").unwrap(), format!("/comments/{id}"));
    assert_eq!(page.count(".posted-notice"), 0, "other readers see no confirmation");
    let response = app.get(&format!("/comments/{id}")).await;
    assert_eq!(location(&response), format!("/posts/{slug}#comment-{id}"), "a plain permalink");
}

#[tokio::test]
async fn a_comment_held_for_moderation_is_confirmed_as_waiting_where_it_is_shown() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    crate::moderation::set_mode(&app, "all").await;
    let guest = crate::helpers::Browser::new(&app);
    let fields = [("name", "Sam Guest"), ("email", "sam@example.org"), ("body", "Held for a moderator.")];
    let response = guest.submit(&format!("/posts/{slug}"), &format!("/posts/{slug}/comments"), &fields).await;
    let id = posted_id(&response);
    let response = guest.get(&location(&response)).await;
    assert_eq!(location(&response), format!("/posts/{slug}?posted={id}#held-{id}"));
    let page = guest.page(&location(&response)).await;
    let notice = page.text(&format!("#held-{id} .posted-notice[role=status]"));
    assert!(notice.contains("waiting for a moderator") && notice.contains("only you can see it"), "{notice}");
}

#[tokio::test]
async fn replying_through_the_reply_link_nests_the_reply_under_its_parent() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    let parent = app.comment(&slug, Form::new("Aisha Begum", "The case system cannot be used without a mouse.")).await;
    let other = app.comment(&slug, Form::new("Gareth", "Video blocked by the firewall.")).await;

    let post_page = app.page(&format!("/posts/{slug}")).await;
    let reply_href = post_page.attr(&format!("#comment-{parent} .comment-actions a"), "href").unwrap();
    assert_eq!(post_page.text(&format!("#comment-{parent} .comment-actions a")), "Reply to Aisha Begum");
    let reply_page = app.page(&reply_href).await;
    assert_eq!(reply_page.text("h1"), "Reply to Aisha Begum");
    assert!(reply_page.text(".replying-to").contains("cannot be used without a mouse"));
    assert_eq!(reply_page.text("label[for=field-body]"), "Your reply to Aisha Begum");
    assert_eq!(reply_page.field("parent_id"), parent.to_string());
    assert_eq!(reply_page.text("form#comment-form button"), "Post reply");

    let reply = app.comment(&slug, Form::new("Rhys", "Same in our office.").reply_to(parent)).await;
    let deeper = app.comment(&slug, Form::new("Aisha Begum", "Thanks, Rhys.").reply_to(reply)).await;
    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.displayed_parent(reply), Some(parent));
    assert_eq!(page.displayed_parent(deeper), Some(reply));
    assert_eq!(page.displayed_parent(other), None);
    assert_eq!(page.displayed_parent(parent), None);
    assert_eq!(page.text("#comments-title"), "4 comments");
    assert_eq!(page.count(&format!("#comment-{reply} .in-reply-to")), 0, "nested replies need no 'in reply to'");
}

#[tokio::test]
async fn replies_deeper_than_five_levels_are_flat_and_say_whom_they_answer() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    let mut ids = vec![app.comment(&slug, Form::new("Level 0", "Top.")).await];
    for level in 1..=6 {
        let parent = *ids.last().unwrap();
        let name = format!("Level {level}");
        // Each text differs: the same text twice from one email is held as a duplicate.
        let body = format!("Deeper, level {level}.");
        ids.push(app.comment(&slug, Form::new(&name, &body).reply_to(parent)).await);
    }
    let page = app.page(&format!("/posts/{slug}")).await;
    for (level, id) in ids.iter().enumerate() {
        assert_eq!(page.nesting_level(*id), level.min(4), "level {level} is shown at most 5 deep");
    }
    assert_eq!(page.text(&format!("#comment-{} .in-reply-to", ids[5])), "in reply to Level 4");
    assert_eq!(page.text(&format!("#comment-{} .in-reply-to", ids[6])), "in reply to Level 5");
    assert_eq!(
        page.attr(&format!("#comment-{} .in-reply-to a", ids[6]), "href").unwrap(),
        format!("/comments/{}", ids[5])
    );
    assert_eq!(page.count(&format!("#comment-{} .in-reply-to", ids[4])), 0);
}

#[tokio::test]
async fn raw_html_and_scripts_never_reach_the_page_and_links_are_marked_ugc() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    let body = "See [the guidance](https://www.gov.uk/guidance).\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)> <a href=\"javascript:alert(2)\">click</a>";
    let id = app.comment(&slug, Form::new("<b>Mallory</b>", body)).await;
    let page = app.page(&format!("/posts/{slug}")).await;
    assert!(!page.source.contains("<script>alert"), "no script element");
    assert!(!page.source.contains("onerror"));
    assert!(!page.source.contains("javascript:alert"));
    assert_eq!(page.text(&format!("#comment-{id} .author")), "<b>Mallory</b>", "names are text, never markup");
    assert_eq!(
        page.attr(&format!("#comment-{id} .comment-body a[href^=https]"), "rel").unwrap(),
        "nofollow ugc noopener"
    );
    assert_eq!(page.count(&format!("#comment-{id} .comment-body img")), 0);
}

#[tokio::test]
async fn the_form_says_which_comment_a_reply_answers_even_without_the_reply_page() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    let parent = app.comment(&slug, Form::new("Mei Chen", "Our browser is too old.")).await;
    let response = app.submit_comment(&slug, &Form::new("Sam", "").reply_to(parent)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::Page::parse(&response.text().await.unwrap());
    assert_eq!(page.text("h1"), "Reply to Mei Chen", "a reply shown again still says what it answers");
    assert_eq!(page.field("parent_id"), parent.to_string());
    assert_eq!(page.field("name"), "Sam");
}

/// The focusable elements of a page in document order: its Tab order (the site sets
/// no positive tabindex), as (element, href or id).
fn tab_stops(page: &crate::helpers::Page) -> Vec<(String, String)> {
    let focusable = "a[href], input:not([type=hidden]):not([tabindex='-1']), select, textarea, button";
    page.html
        .select(&scraper::Selector::parse(focusable).unwrap())
        .map(|e| {
            let v = e.value();
            (v.name().to_owned(), v.attr("href").or(v.attr("id")).unwrap_or_default().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn the_comment_form_is_two_tab_presses_from_the_top_of_a_long_page() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    for n in 0..40 {
        app.seed_comment(&slug, "Reader", &format!("Point {n}"), None);
    }
    let page = app.page(&format!("/posts/{slug}")).await;
    let stops = tab_stops(&page);
    assert_eq!(stops[0].1, "#main");
    assert_eq!(stops[1].1, "#field-name", "the second Tab reaches the skip link to the form: {:?}", &stops[..3]);
    assert_eq!(page.text("a.skip-link[href='#field-name']"), "Skip to the comment form");
    assert_eq!(page.attr("form#comment-form input#field-name", "name").as_deref(), Some("name"));
    assert!(stops.len() > 150, "the form itself is far down: {} stops", stops.len());
    let source = &page.source;
    let link = source.find("<p class=\"add-comment-link\"><a href=\"#field-name\">Add a comment</a>").unwrap();
    assert!(link < source.find("id=\"comments\"").unwrap(), "'Add a comment' comes before the comments");

    app.user("Ada Lovelace", "ada@example.org", answerable::domain::account::Role::Reader);
    app.sign_in("ada@example.org").await;
    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(tab_stops(&page)[1].1, "#field-body", "signed in, the form starts at the text box");
}
