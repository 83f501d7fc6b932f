//! Email as people receive it: through real SMTP into an in-process server, with
//! headers, both parts, and the links in them followed like a person would.

use answerable::db;
use answerable::domain::account::Role;
use answerable::domain::time;
use reqwest::StatusCode;

use crate::helpers::{location, parse, reply_as_official, Form, TestApp};
use crate::mail_sink::{app_with_mail, drained, MailSink, Received};

const DEE: &str = "dee@dwp.example";

/// A DWP official, signed in on the app's browser; returns the grant's id.
async fn sign_in_official(app: &TestApp) -> i64 {
    app.department("Department for Work and Pensions", "DWP", "");
    let dee = app.user("Dee Official", DEE, Role::Reader);
    db::users::set_email_verified(&mut app.conn(), dee, time::now()).unwrap();
    let role = app.grant(DEE, "DWP", "Chief Technology Officer");
    app.sign_in(DEE).await;
    role
}

/// Opens the confirmation link in a message and presses its button.
async fn confirm(app: &TestApp, message: &Received) {
    let link = message.link("/subscriptions/confirm/");
    let response = app.submit(&link, &link, &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(parse(response).await.text("h1"), "Your email address is confirmed");
}

fn header(message: &Received, name: &str) -> String {
    message.header(name).unwrap_or_else(|| panic!("{name} header"))
}

#[tokio::test]
async fn a_guest_confirms_hears_of_the_official_answer_and_unsubscribes_in_one_click() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let slug = app.create_post("We are fixing IT", "Tell us.", true);
    let gina = "gina@example.org";
    let comment = app.comment(&slug, Form::new("Gina Guest", "Log-in takes nine minutes.").emailing(gina)).await;

    let confirmation = sink.wait_for(gina, 1).await.remove(0);
    assert_eq!(confirmation.subject(), "Confirm your email to get replies to your comment on “We are fixing IT”");
    assert!(confirmation.header("List-Unsubscribe").is_none(), "a confirmation is not a notification");

    // Before she confirms, a reply sends her nothing.
    app.comment(&slug, Form::new("Rob Reader", "Same for me.").reply_to(comment)).await;
    drained(&app).await;
    assert_eq!(sink.to(gina).len(), 1, "only the confirmation reaches an unconfirmed address");

    confirm(&app, &confirmation).await;
    let role = sign_in_official(&app).await;
    let answer = reply_as_official(&app, &slug, comment, role, "New log-in servers arrive in March.", &[]).await;

    let official = sink.wait_for(gina, 2).await.remove(1);
    assert_eq!(official.subject(), "Official response from DWP to your comment");
    assert_eq!(official.to, [gina]);
    let text = official.text();
    assert!(
        text.contains("Dee Official, Chief Technology Officer, Department for Work and Pensions (verified official)"),
        "{text}"
    );
    assert!(text.contains("> New log-in servers arrive in March."), "{text}");
    assert!(text.contains(&format!("/comments/{answer}")), "a link to the answer in context: {text}");
    assert!(official.html().contains("Verified official response"));
    assert!(official.html().contains("<p>New log-in servers arrive in March.</p>"));
    assert_eq!(header(&official, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    assert!(header(&official, "List-Unsubscribe").starts_with("<http://127.0.0.1:0/unsubscribe/s"));
    assert_eq!(header(&official, "In-Reply-To"), format!("<thread-{comment}@127.0.0.1>"));
    assert!(header(&official, "References").ends_with(&format!("<thread-{comment}@127.0.0.1>")));
    assert!(header(&official, "From").contains("noreply@127.0.0.1"));
    assert!(official.header("Date").is_some());
    assert_ne!(official.message_id(), confirmation.message_id());

    // Opened in a browser, the link asks first.
    let asks = reqwest::get(app.url(&official.unsubscribe_path())).await.unwrap();
    assert_eq!(asks.status(), StatusCode::OK);
    assert_eq!(
        parse(asks).await.text("main p"),
        "Stop getting emails about replies to your comment on “We are fixing IT”?"
    );
    // One click, from the mail client: a POST with no cookies and no form token.
    let response = reqwest::Client::new()
        .post(app.url(&official.unsubscribe_path()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(parse(response).await.text("h1"), "You are unsubscribed");

    reply_as_official(&app, &slug, comment, role, "Update: the servers are in.", &[]).await;
    drained(&app).await;
    assert_eq!(sink.to(gina).len(), 2, "nothing after unsubscribing");
}

#[tokio::test]
async fn an_official_answer_reaches_every_author_it_answers_and_every_follower_once() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let slug = app.create_post("We are fixing IT", "Tell us.", true);
    let authors = ["ann@example.org", "ben@example.org", "cat@example.org"];
    let mut ids = Vec::new();
    for (n, email) in authors.iter().enumerate() {
        let body = format!("The firewall blocks the training video ({n}).");
        ids.push(app.comment(&slug, Form::new("Reader", &body).emailing(email)).await);
    }
    // Someone follows the post, someone else the first thread.
    let follow = |email: &'static str, thread: Option<i64>| {
        let (app, slug) = (&app, &slug);
        async move {
            let from = match thread {
                Some(id) => format!("/posts/{slug}/follow?thread={id}"),
                None => format!("/posts/{slug}"),
            };
            let thread = thread.map(|id| id.to_string()).unwrap_or_default();
            let response = app
                .submit(&from, &format!("/posts/{slug}/follow"), &[("follow_email", email), ("thread_id", &thread)])
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(parse(response).await.text("h1"), "Check your email");
        }
    };
    follow("fay@example.org", None).await;
    follow("tom@example.org", Some(ids[0])).await;
    for email in authors.iter().chain(&["fay@example.org", "tom@example.org"]) {
        confirm(&app, &sink.wait_for(email, 1).await[0]).await;
    }

    let role = sign_in_official(&app).await;
    reply_as_official(&app, &slug, ids[0], role, "We have unblocked the video.", &ids[1..]).await;

    for email in authors {
        let got = sink.wait_for(email, 2).await;
        assert_eq!(got[1].subject(), "Official response from DWP to your comment", "{email}");
    }
    for email in ["fay@example.org", "tom@example.org"] {
        let got = sink.wait_for(email, 2).await;
        assert_eq!(got[1].subject(), "Official response from DWP on “We are fixing IT”", "{email}");
        assert!(got[1].text().contains("You get this email because you follow this discussion."));
    }
    drained(&app).await;
    assert_eq!(
        sink.messages().len(),
        10,
        "five confirmations and five notifications, none twice: {:?}",
        sink.subjects()
    );
}

#[tokio::test]
async fn a_member_hears_of_replies_until_they_turn_them_off() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let mia = "mia@example.org";
    let id = app.user("Mia Member", mia, Role::Reader);
    db::users::set_email_verified(&mut app.conn(), id, time::now()).unwrap();
    let comment = app.seed_member_comment(&slug, id, "Open on Sundays?");

    app.comment(&slug, Form::new("Gus Guest", "It is, from noon.").reply_to(comment)).await;
    let reply = sink.wait_for(mia, 1).await.remove(0);
    assert_eq!(reply.subject(), "Gus Guest replied to your comment on “Opening hours”");
    assert!(reply.text().contains("Gus Guest wrote:\n\n> It is, from noon."), "{}", reply.text());
    assert_eq!(header(&reply, "In-Reply-To"), format!("<thread-{comment}@127.0.0.1>"));
    assert!(header(&reply, "List-Unsubscribe").contains("/unsubscribe/u"));

    app.sign_in(mia).await;
    let saved = app
        .submit(
            "/account/notifications",
            "/account/notifications",
            &[("replies", "off"), ("official_responses", "immediate")],
        )
        .await;
    assert_eq!(location(&saved), "/account/notifications?saved=1");
    let settings = app.page("/account/notifications").await;
    assert_eq!(settings.attr("input[name=replies][checked]", "value").as_deref(), Some("off"));

    app.seed_comment(&slug, "Gus Guest", "And on holidays.", Some(comment));
    drained(&app).await;
    assert_eq!(sink.to(mia).len(), 1, "opted out: no second email");
}

#[tokio::test]
async fn a_new_account_confirms_its_address_by_the_emailed_link() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let page = app.page("/register").await;
    let token = page.attr("input[name=_csrf]", "value").unwrap();
    let fields =
        [("_csrf", token.as_str()), ("name", "Nia New"), ("email", "nia@example.org"), ("password", "a long password")];
    let response = app.client.post(app.url("/register")).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let message = sink.wait_for("nia@example.org", 1).await.remove(0);
    assert_eq!(message.subject(), "Confirm your email address for Answerable");
    assert!(message.text().contains("Hello Nia New,"));
    assert_eq!(app.page("/account").await.texts("dd")[1], "nia@example.org (not confirmed yet)");
    let link = message.link("/account/verify/");
    let response = app.submit(&link, &link, &[]).await;
    assert_eq!(parse(response).await.text("h1"), "Your email address is confirmed");
    assert_eq!(app.page("/account").await.texts("dd")[1], "nia@example.org (confirmed)");
    let again = app.submit(&link, &link, &[]).await;
    assert_eq!(parse(again).await.text("h1"), "Already confirmed", "a link works once");
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_link_that_works_once() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    app.user("Pat Person", "pat@example.org", Role::Reader);

    let ask = |email: &'static str| {
        let app = &app;
        async move {
            let response = app.submit("/password/forgot", "/password/forgot", &[("email", email)]).await;
            assert_eq!(response.status(), StatusCode::OK);
            parse(response).await.text("main p")
        }
    };
    let known = ask("pat@example.org").await;
    let unknown = ask("nobody@example.org").await;
    assert_eq!(
        known.replace("pat@", "X@"),
        unknown.replace("nobody@", "X@"),
        "the answer does not tell whether an account exists"
    );

    let message = sink.wait_for("pat@example.org", 1).await.remove(0);
    assert_eq!(message.subject(), "Reset your Answerable password");
    let link = message.link("/password/reset/");
    let form = app.page(&link).await;
    assert_eq!(form.text("h1"), "Choose a new password");
    let short = app.submit(&link, &link, &[("password", "short")]).await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = app.submit(&link, &link, &[("password", "a brand new passphrase")]).await;
    assert_eq!(location(&done), "/signin?reset=1");

    let signin = |password: &'static str| {
        let app = &app;
        async move {
            let token = app.page("/signin").await.attr("input[name=_csrf]", "value").unwrap();
            let fields = [("_csrf", token.as_str()), ("email", "pat@example.org"), ("password", password)];
            app.client.post(app.url("/signin")).form(&fields).send().await.unwrap().status()
        }
    };
    assert_eq!(signin("a long password").await, StatusCode::UNPROCESSABLE_ENTITY, "the old password is gone");
    assert_eq!(signin("a brand new passphrase").await, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&link).await.status(), StatusCode::GONE, "the link is used up");
    drained(&app).await;
    assert!(sink.to("nobody@example.org").is_empty());
}

#[tokio::test]
async fn following_with_a_bad_address_says_so_next_to_the_field_and_keeps_it() {
    let app = crate::helpers::spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let response = app
        .submit(&format!("/posts/{slug}"), &format!("/posts/{slug}/follow"), &[("follow_email", "not an address")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = parse(response).await;
    assert_eq!(page.field("follow_email"), "not an address");
    assert!(page.text("#follow_email-error").contains("email address"), "{}", page.text("#follow_email-error"));
    assert_eq!(db::outbox::pending_count(&mut app.conn()).unwrap(), 0, "nothing is sent to it");
}

#[tokio::test]
async fn a_held_comment_sends_nothing_until_a_moderator_approves_it() {
    use crate::helpers::Browser;
    use crate::moderation::{moderate, set_mode, MO};
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    set_mode(&app, "all").await;
    let mo = app.user("Mo Moderator", MO, Role::Moderator);
    db::users::set_email_verified(&mut app.conn(), mo, time::now()).unwrap();
    // Mo wants each held comment at once.
    let moderator = Browser::signed_in(&app, MO).await;
    let fields = [("replies", "immediate"), ("official_responses", "immediate"), ("moderation", "immediate")];
    moderator.submit("/account/notifications", "/account/notifications", &fields).await;

    let held = app.comment(&slug, Form::new("Hana Held", "Is it open on Sundays?").emailing("hana@example.org")).await;
    let alert = sink.wait_for(MO, 1).await.remove(0);
    assert_eq!(alert.subject(), "Comment held for moderation on “Opening hours”");
    assert!(alert.text().contains("/moderation"));
    drained(&app).await;
    assert!(sink.to("hana@example.org").is_empty(), "no confirmation while the comment is held");

    let response = moderate(&moderator, &[("act", &format!("approve:{held}"))]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let confirmation = sink.wait_for("hana@example.org", 1).await.remove(0);
    assert_eq!(confirmation.subject(), "Confirm your email to get replies to your comment on “Opening hours”");
}

#[tokio::test]
async fn asking_for_too_many_emails_gets_429_with_retry_after_and_keeps_the_address() {
    let app = crate::helpers::spawn_app_with(&[("ANSWERABLE_EMAILS_PER_HOUR", "1")]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    let follow = |email: &'static str| {
        let (app, slug) = (&app, &slug);
        async move {
            app.submit(&format!("/posts/{slug}"), &format!("/posts/{slug}/follow"), &[("follow_email", email)]).await
        }
    };
    assert_eq!(follow("first@example.org").await.status(), StatusCode::OK);
    let refused = follow("second@example.org").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().get("Retry-After").is_some());
    let page = parse(refused).await;
    assert_eq!(page.field("follow_email"), "second@example.org");
    assert!(page.text("#follow_email-error").contains("Too many emails"));
    let forgot = app.submit("/password/forgot", "/password/forgot", &[("email", "third@example.org")]).await;
    assert_eq!(forgot.status(), StatusCode::TOO_MANY_REQUESTS, "resets count too");
}
