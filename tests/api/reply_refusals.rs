//! Replies by email that are not posted, each with its outcome: a forged address is
//! refused by the mail server (550 at RCPT, exit 67); a known account's reply that
//! breaks a rule is taken (250, exit 0), refused with a short email to the account,
//! logged, and, for an official, kept in the moderation queue; auto-replies and
//! bounces are dropped unanswered; a message delivered twice is posted once.

use answerable::db;
use answerable::domain::inbound::{Review, Taken};
use answerable::domain::reply_address::ReplyToken;
use answerable::domain::time;
use answerable::services::freezes::{self, NewFreeze};
use answerable::services::officials::{self, GrantTarget};
use reqwest::StatusCode;

use crate::helpers::{location, Browser};
use crate::mail_sink::{drained, Received};
use crate::reply_by_email::{exit_code, out, reply_address, Desk, DEE};

const READER: &str = "gina@example.org";

/// Dee's notification about Gina's comment, and the comment.
async fn desk_with_comment(extra: &[(&str, &str)]) -> (Desk, i64, Received) {
    let desk = Desk::open_with(extra).await;
    let (comment, notification) = desk.routed_comment(READER, "My DWP log-in takes nine minutes.").await;
    (desk, comment, notification)
}

/// The one refusal email an account got about a reply by email.
async fn refusal_to(desk: &Desk, address: &str, count: usize) -> Received {
    let refusal = desk.sink.wait_for(address, count).await.remove(count - 1);
    assert_eq!(refusal.subject(), "Your reply by email was not posted");
    assert_eq!(refusal.header("Auto-Submitted").as_deref(), Some("auto-replied"), "marked so it is not answered");
    assert!(refusal.header("Reply-To").is_none(), "a refusal cannot be answered by email");
    refusal
}

/// The comment still waits, with no reply.
fn unanswered(desk: &Desk, comment: i64) {
    assert_eq!(desk.comment(comment).state().map(|s| s.as_str()), Some("awaiting"));
    assert_eq!(desk.replies_to(comment), 0);
}

#[tokio::test]
async fn a_forged_reply_address_is_refused_by_the_listener_and_by_mail_receive() {
    let (desk, comment, notification) = desk_with_comment(&[]).await;
    let address = reply_address(&notification);
    // Someone changes the comment the address is for, to post as Dee elsewhere.
    let (user, rest) = address.split_once('.').unwrap();
    let forged = format!("{user}.{}{}", comment + 1, &rest[rest.find('.').unwrap()..]);
    assert_ne!(forged, address);
    let raw = desk.reply("gmail", &notification, DEE, "forged@dwp.example").replace_to(&address, &forged);

    let refused = desk.over_smtp(&raw, DEE, &forged).expect_err("the listener refuses the recipient");
    assert!(refused.is_permanent(), "{refused}");
    assert!(refused.to_string().contains("550"), "{refused}");
    let elsewhere = desk.over_smtp(&raw, DEE, "someone@elsewhere.example").expect_err("no relaying");
    assert!(elsewhere.to_string().contains("only replies"), "{elsewhere}");

    let output = desk.mail_receive(&raw, &[&format!("--recipient={forged}")]);
    assert_eq!(exit_code(&output), 67, "EX_NOUSER: {}", out(&output));
    assert!(out(&output).contains("no such reply address"), "{}", out(&output));
    let nowhere = desk.mail_receive(b"From: dee@dwp.example\r\nTo: dee@dwp.example\r\nSubject: hi\r\n\r\nHello", &[]);
    assert_eq!(exit_code(&nowhere), 67, "{}", out(&nowhere));

    unanswered(&desk, comment);
    assert!(db::inbound::by_message_id(&mut desk.app.conn(), "forged@dwp.example").unwrap().is_none());
    drained(&desk.app).await;
    assert_eq!(desk.sink.to(DEE).len(), 1, "nobody is emailed about a forged address");
}

#[tokio::test]
async fn a_reply_whose_client_dropped_the_address_is_found_by_its_in_reply_to() {
    let (desk, comment, notification) = desk_with_comment(&[]).await;
    // Sent to the bare reply domain: the notification's Message-ID names the token.
    let raw = desk
        .reply("thunderbird", &notification, DEE, "lost@dwp.example")
        .replace_to(&reply_address(&notification), "replies@reply.test");
    let answer = desk.over_smtp(&raw, DEE, "replies@reply.test").expect("taken");
    assert!(answer.contains("posted as official reply"), "{answer}");
    assert_eq!(desk.comment(comment).state().map(|s| s.as_str()), Some("answered"));
}

#[tokio::test]
async fn a_reply_from_another_address_is_refused_kept_for_the_moderators_and_posted_by_one() {
    let (desk, comment, notification) = desk_with_comment(&[]).await;
    let personal = "dee.at.home@mail.example";
    let raw = desk.reply("outlook", &notification, personal, "home@mail.example");
    let answer = desk.over_smtp(&raw, personal, &reply_address(&notification)).expect("taken, not posted");
    assert!(answer.contains("taken but not posted"), "{answer}");
    assert!(answer.contains("kept for the moderators"), "{answer}");
    unanswered(&desk, comment);

    let taken = desk.taken("home@mail.example");
    assert_eq!(taken.outcome, Taken::Refused);
    assert!(taken.reason.contains(personal), "{}", taken.reason);
    assert_eq!(taken.review, Some(Review::Open));
    assert!(taken.body.as_deref().unwrap().starts_with("Thank you for raising this."), "the text is kept");

    // The account is told, at its own confirmed address; the other address hears nothing.
    let refusal = refusal_to(&desk, DEE, 2).await;
    let text = refusal.text();
    assert!(text.contains(&format!("it came from {personal}")), "{text}");
    assert!(text.contains(&format!("/posts/{}/comments/new?parent={comment}", desk.slug)), "{text}");
    assert!(text.contains("> Thank you for raising this."), "what they wrote comes back: {text}");
    assert!(text.contains("kept for the moderators"), "{text}");
    drained(&desk.app).await;
    assert!(desk.sink.to(personal).is_empty());

    // A moderator sees it in the queue, with the text and the badge it would have, and posts it.
    let mo = Browser::signed_in(&desk.app, "mo@example.org").await;
    let page = mo.page("/moderation").await;
    let item = page.text(&format!("#field-kept-{}", taken.id));
    assert!(item.contains("Thank you for raising this."), "{item}");
    assert!(item.contains(personal), "{item}");
    assert!(item.contains("with the badge: Chief Technology Officer, Department for Work and Pensions"), "{item}");
    let posted = mo.submit("/moderation", &format!("/moderation/email-replies/{}", taken.id), &[("act", "post")]).await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&posted), "/moderation?done=email-posted");
    let after = mo.page("/moderation?done=email-posted").await;
    assert_eq!(after.count("#email-replies"), 0, "nothing left to review");
    assert!(after.text(".success").contains("the reply by email is on the site"));

    let reviewed = desk.taken("home@mail.example");
    assert_eq!(reviewed.review, Some(Review::Posted));
    let reply = desk.comment(reviewed.reply_id.unwrap());
    assert_eq!(reply.badge_title.as_deref(), Some("Chief Technology Officer"));
    assert_eq!(desk.comment(comment).answered_by, Some(reply.id));
    assert_eq!(desk.sink.wait_for(READER, 1).await[0].subject(), "Official response from DWP to your comment");
    let again = mo.submit("/moderation", &format!("/moderation/email-replies/{}", taken.id), &[("act", "post")]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "posted once");
}

#[tokio::test]
async fn an_expired_reply_address_is_refused_and_the_official_told() {
    let (desk, comment, notification) = desk_with_comment(&[("ANSWERABLE_REPLY_DAYS", "7")]).await;
    let old = ReplyToken::new(desk.dee, comment, Some(desk.role), time::now() - chrono::TimeDelta::days(8));
    let expired = desk.mail.reply_to(old).unwrap().address;
    let raw = desk
        .reply("apple_mail", &notification, DEE, "late@dwp.example")
        .replace_to(&reply_address(&notification), &expired);

    let output = desk.mail_receive(&raw, &[&format!("--recipient={expired}")]);
    assert_eq!(exit_code(&output), 0, "{}", out(&output));
    assert!(out(&output).contains("expired"), "{}", out(&output));
    unanswered(&desk, comment);
    assert_eq!(desk.taken("late@dwp.example").review, Some(Review::Open));
    let refusal = refusal_to(&desk, DEE, 2).await;
    assert!(refusal.text().contains("replies by email are taken for 7 days"), "{}", refusal.text());
}

#[tokio::test]
async fn a_revoked_official_s_address_dies_and_the_kept_reply_can_be_dismissed() {
    let (desk, comment, notification) = desk_with_comment(&[]).await;
    let target = GrantTarget { email: DEE, department_acronym: "DWP" };
    officials::revoke(&mut desk.app.conn(), &target, None).unwrap();

    let raw = desk.reply("thunderbird", &notification, DEE, "revoked@dwp.example");
    let output = desk.mail_receive(&raw, &[&format!("--recipient={}", reply_address(&notification))]);
    assert_eq!(exit_code(&output), 0, "{}", out(&output));
    assert!(out(&output).contains("official role for Department for Work and Pensions has ended"), "{}", out(&output));
    unanswered(&desk, comment);
    let refusal = refusal_to(&desk, DEE, 2).await;
    assert!(refusal.text().contains("has ended"), "{}", refusal.text());

    let kept = desk.taken("revoked@dwp.example");
    let mo = Browser::signed_in(&desk.app, "mo@example.org").await;
    let item = mo.page("/moderation").await.text(&format!("#field-kept-{}", kept.id));
    assert!(
        item.contains("without a badge: the official role for Department for Work and Pensions has ended"),
        "{item}"
    );
    let dismissed =
        mo.submit("/moderation", &format!("/moderation/email-replies/{}", kept.id), &[("act", "dismiss")]).await;
    assert_eq!(location(&dismissed), "/moderation?done=email-dismissed");
    assert_eq!(desk.taken("revoked@dwp.example").review, Some(Review::Dismissed));
    unanswered(&desk, comment);
    let filter = db::audit::AuditFilter { action: Some("email_reply.dismiss".into()), ..Default::default() };
    assert_eq!(db::audit::list(&mut desk.app.conn(), &filter, 10, 0).unwrap().len(), 1, "the decision is audited");
}

#[tokio::test]
async fn auto_replies_bounces_and_empty_replies_are_dropped_and_never_answered() {
    let (desk, comment, notification) = desk_with_comment(&[]).await;
    let to = reply_address(&notification);
    let away = desk.reply("auto_reply", &notification, DEE, "away@dwp.example");
    let answer = desk.over_smtp(&away, DEE, &to).expect("taken");
    assert!(answer.contains("dropped: an automatic reply"), "{answer}");
    let output = desk.mail_receive(&away, &[&format!("--recipient={to}")]);
    assert_eq!(exit_code(&output), 0, "{}", out(&output));
    assert!(out(&output).contains("dropped"), "{}", out(&output));

    let bounce = desk.reply("bounce", &notification, DEE, "bounce@mx.dwp.example");
    let daemon = "MAILER-DAEMON@mx.dwp.example";
    assert!(desk.over_smtp(&bounce, daemon, &to).expect("taken").contains("dropped: a bounce"));
    // The listener's SMTP parser (mailin) refuses a null sender outright: a bounce
    // sent as MAIL FROM:<> is refused at once, so it is never posted either.
    assert!(desk.over_smtp(&bounce, "", &to).expect_err("refused").is_permanent());
    let output = desk.mail_receive(&bounce, &["--sender=", &format!("--recipient={to}")]);
    assert_eq!(exit_code(&output), 0, "{}", out(&output));

    // Only the quoted history, nothing new above it.
    let empty = String::from_utf8(desk.reply("thunderbird", &notification, DEE, "empty@dwp.example")).unwrap();
    let start = empty.find("Thanks, Gina.").unwrap();
    let end = empty.find("On 05/02/2024").unwrap();
    let empty = format!("{}{}", &empty[..start], &empty[end..]);
    assert!(desk.over_smtp(empty.as_bytes(), DEE, &to).expect("taken").contains("no new text"));

    unanswered(&desk, comment);
    drained(&desk.app).await;
    assert_eq!(desk.sink.to(DEE).len(), 1, "no refusal is sent to an auto-reply or a bounce");
}

#[tokio::test]
async fn the_same_message_delivered_twice_is_posted_once() {
    let (desk, comment, notification) = desk_with_comment(&[]).await;
    let to = reply_address(&notification);
    let raw = desk.reply("gmail", &notification, DEE, "twice@dwp.example");
    assert!(desk.over_smtp(&raw, DEE, &to).unwrap().contains("posted"));
    let again = desk.mail_receive(&raw, &[&format!("--recipient={to}")]);
    assert_eq!(exit_code(&again), 0, "{}", out(&again));
    assert!(out(&again).contains("already taken"), "{}", out(&again));
    assert!(desk.over_smtp(&raw, DEE, &to).unwrap().contains("already taken"));
    assert_eq!(desk.replies_to(comment), 1);
    drained(&desk.app).await;
    assert_eq!(desk.sink.to(READER).len(), 1, "its author hears of it once");
}

#[tokio::test]
async fn a_reply_to_a_frozen_post_is_refused_with_the_freeze_notice() {
    let (desk, comment, notification) = desk_with_comment(&[]).await;
    let post = db::posts::find_published_by_slug(&mut desk.app.conn(), &desk.slug).unwrap().unwrap();
    let notice = "Comments are paused during the election period.".to_owned();
    let freeze = NewFreeze { post_id: Some(post.id), starts_at: None, ends_at: None, notice };
    freezes::create(&mut desk.app.conn(), None, &freeze).unwrap();

    let raw = desk.reply("outlook", &notification, DEE, "frozen@dwp.example");
    let answer = desk.over_smtp(&raw, DEE, &reply_address(&notification)).expect("taken, not posted");
    assert!(answer.contains("paused"), "{answer}");
    unanswered(&desk, comment);
    let refusal = refusal_to(&desk, DEE, 2).await;
    assert!(refusal.text().contains("Comments are paused during the election period."), "{}", refusal.text());
    assert_eq!(desk.taken("frozen@dwp.example").review, Some(Review::Open), "an official's text is kept");
}

#[tokio::test]
async fn mail_receive_exits_65_unreadable_75_database_down_78_not_configured() {
    let (desk, _, notification) = desk_with_comment(&[]).await;
    let to = format!("--recipient={}", reply_address(&notification));
    let unreadable = desk.mail_receive(b"\x00\x01 not a message", &[&to]);
    assert_eq!(exit_code(&unreadable), 65, "EX_DATAERR: {}", out(&unreadable));

    let raw = desk.reply("gmail", &notification, DEE, "later@dwp.example");
    let down = desk.mail_receive_with(&raw, &[&to], &[("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")]);
    assert_eq!(exit_code(&down), 75, "EX_TEMPFAIL: {}", out(&down));
    assert!(out(&down).contains("try again later"), "{}", out(&down));

    let off = desk.mail_receive_with(&raw, &[&to], &[("ANSWERABLE_REPLY_DOMAIN", "")]);
    assert_eq!(exit_code(&off), 78, "EX_CONFIG: {}", out(&off));
    let bad = desk.mail_receive_with(&raw, &[&to], &[("ANSWERABLE_REPLY_DAYS", "0")]);
    assert_eq!(exit_code(&bad), 78, "EX_CONFIG: {}", out(&bad));
    assert!(out(&bad).contains("ANSWERABLE_REPLY_DAYS"), "{}", out(&bad));

    // Once the database is back, the mail server's retry is taken.
    let retried = desk.mail_receive(&raw, &[&to]);
    assert_eq!(exit_code(&retried), 0, "{}", out(&retried));
}

/// A reply address in a fixture changed to another.
trait ReplaceTo {
    fn replace_to(self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceTo for Vec<u8> {
    fn replace_to(self, from: &str, to: &str) -> Vec<u8> {
        String::from_utf8(self).unwrap().replace(from, to).into_bytes()
    }
}

#[tokio::test]
async fn received_replies_are_forgotten_after_the_retention_period_and_with_the_account() {
    use answerable::db::schema::inbound_messages;
    use diesel::prelude::*;
    let (desk, _, notification) = desk_with_comment(&[]).await;
    let to = reply_address(&notification);
    desk.over_smtp(&desk.reply("gmail", &notification, DEE, "old@dwp.example"), DEE, &to).unwrap();
    let kept = desk.reply("gmail", &notification, "dee@elsewhere.example", "kept@elsewhere.example");
    desk.over_smtp(&kept, "dee@elsewhere.example", &to).unwrap();
    let long_ago = time::now() - chrono::TimeDelta::days(91);
    diesel::update(inbound_messages::table)
        .set(inbound_messages::received_at.eq(long_ago))
        .execute(&mut desk.app.conn())
        .unwrap();

    answerable::services::maintenance::run_once(&mut desk.app.conn(), &Default::default()).unwrap();
    let left: Vec<String> =
        inbound_messages::table.select(inbound_messages::message_id).load(&mut desk.app.conn()).unwrap();
    assert_eq!(left, ["kept@elsewhere.example"], "only what waits for a moderator outlives the retention period");

    let departure = answerable::services::authoring::Departure::KeepAnonymous;
    answerable::services::authoring::delete_account(&mut desk.app.conn(), desk.dee, departure).unwrap();
    assert_eq!(inbound_messages::table.count().get_result::<i64>(&mut desk.app.conn()).unwrap(), 0);
}
