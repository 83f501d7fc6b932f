//! A commenter who asked for email hears where their comment stands: acknowledged,
//! referred (and where to), marked as needing no response (and why), each as their
//! notification settings say. Over real SMTP, headers included.

use answerable::db;
use answerable::domain::time;
use answerable::services::digests;
use reqwest::StatusCode;

use crate::helpers::{location, parse, test_mail, Form};
use crate::mail_sink::{app_with_mail, drained, MailSink};
use crate::responses::{respond, route_directly, world, JANE, MO};

const MIA: &str = "mia@example.org";
const GINA: &str = "gina@example.org";

#[tokio::test]
async fn a_commenter_hears_when_their_comment_is_acknowledged_referred_or_needs_no_response() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let (slug, _, _) = world(&app);
    let mia = app.user("Mia Member", MIA, answerable::domain::account::Role::Reader);
    db::users::set_email_verified(&mut app.conn(), mia, time::now()).unwrap();
    let hers = app.seed_member_comment(&slug, mia, "The case system needs a mouse.");
    let guest = app.comment(&slug, Form::new("Gina Guest", "My pay slip is late.").emailing(GINA)).await;
    let confirmation = sink.wait_for(GINA, 1).await.remove(0);
    let link = confirmation.link("/subscriptions/confirm/");
    assert_eq!(app.submit(&link, &link, &[]).await.status(), StatusCode::OK);
    route_directly(&app, hers, "DWP");
    route_directly(&app, guest, "DWP");

    // Acknowledged: who, and their note, with her comment quoted and a link to it.
    app.sign_in(JANE).await;
    let done = respond(&app, hers, &[("action", "acknowledge"), ("note", "We are testing keyboard access.")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let acknowledged = sink.wait_for(MIA, 1).await.remove(0);
    assert_eq!(acknowledged.subject(), "Your comment on “Fixing our IT” was acknowledged");
    let text = acknowledged.text();
    assert!(
        text.contains(
            "Jane Doe, Chief Technology Officer, DWP acknowledged your comment. Their note: We are testing keyboard access."
        ),
        "{text}"
    );
    assert!(text.contains("> The case system needs a mouse."), "{text}");
    assert!(text.contains(&format!("/comments/{hers}")), "{text}");
    let unsubscribe = acknowledged.header("List-Unsubscribe").unwrap();
    assert!(unsubscribe.contains("/unsubscribe/u") && unsubscribe.contains("acknowledgements"), "{unsubscribe}");

    // Referred, to a web address: where to, as words and as a link; the guest hears
    // through her confirmed request.
    let referral = [("action", "refer"), ("referred_to", "https://hr.example/pay"), ("note", "Pay is HR's.")];
    assert_eq!(respond(&app, guest, &referral).await.status(), StatusCode::SEE_OTHER);
    let referred = sink.wait_for(GINA, 2).await.remove(1);
    assert_eq!(referred.subject(), "Your comment on “Fixing our IT” was referred to https://hr.example/pay");
    assert!(
        referred.text().contains("referred your comment to https://hr.example/pay. Their note: Pay is HR's."),
        "{}",
        referred.text()
    );
    assert!(referred.html().contains("href=\"https://hr.example/pay\""), "{}", referred.html());
    assert!(referred.header("List-Unsubscribe").unwrap().contains("/unsubscribe/s"));

    // No response needed: the reason, in words.
    app.sign_in(MO).await;
    let closed = [("action", "no_response_needed"), ("reason", "duplicate"), ("note", "see the log-in thread")];
    assert_eq!(respond(&app, hers, &closed).await.status(), StatusCode::SEE_OTHER);
    let marked = sink.wait_for(MIA, 2).await.remove(1);
    assert_eq!(marked.subject(), "Your comment on “Fixing our IT” was marked as needing no response");
    assert!(
        marked.text().contains("The reason given: duplicate of another comment: see the log-in thread"),
        "{}",
        marked.text()
    );

    // Reopening tells nobody; each kind has its own setting, and off means off.
    assert_eq!(respond(&app, hers, &[("action", "reopen")]).await.status(), StatusCode::SEE_OTHER);
    app.sign_in(MIA).await;
    let settings = app.page("/account/notifications").await;
    for kind in ["acknowledgements", "referrals", "no_response_needed"] {
        assert_eq!(
            settings.attr(&format!("input[name={kind}][checked]"), "value").as_deref(),
            Some("immediate"),
            "{kind} is on by default"
        );
    }
    assert!(settings.text("main").contains("When your comment is referred elsewhere, and where to"));
    let saved = app
        .submit(
            "/account/notifications",
            "/account/notifications",
            &[("referrals", "off"), ("acknowledgements", "daily")],
        )
        .await;
    assert_eq!(location(&saved), "/account/notifications?saved=1");
    app.sign_in(JANE).await;
    let again = [("action", "refer"), ("referred_to", "HR service desk")];
    assert_eq!(respond(&app, hers, &again).await.status(), StatusCode::SEE_OTHER);
    drained(&app).await;
    assert_eq!(sink.to(MIA).len(), 2, "referrals are off: {:?}", sink.subjects());

    // Daily: the acknowledgement waits for her digest, which says what happened.
    let answered = app.seed_member_comment(&slug, mia, "And the VPN drops.");
    route_directly(&app, answered, "DWP");
    let done = respond(&app, answered, &[("action", "acknowledge")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    drained(&app).await;
    assert_eq!(sink.to(MIA).len(), 2, "nothing at once for a daily kind");
    assert_eq!(digests::make_due(&mut app.conn(), &test_mail(), time::now(), 0).unwrap(), 1);
    let digest = sink.wait_for(MIA, 3).await.remove(2);
    assert!(digest.text().contains("Your comments that were acknowledged"), "{}", digest.text());
    assert!(
        digest.text().contains(
            "Mia Member on “Fixing our IT”: Jane Doe, Chief Technology Officer, DWP acknowledged your comment."
        ),
        "{}",
        digest.text()
    );
    let page = parse(app.client.get(app.url(&format!("/posts/{slug}"))).send().await.unwrap()).await;
    assert!(page.text(&format!("#comment-{answered} .response-state")).starts_with("Acknowledged"));
}
