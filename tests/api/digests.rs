//! The officials' daily digest as it arrives over SMTP: each comment with its first
//! words, how long it has waited against the department's target, and a link that
//! opens the reply form ready to respond.

use answerable::db;
use answerable::domain::account::Role;
use answerable::domain::time;
use answerable::services::{digests, responses};
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::helpers::{test_mail, Browser};
use crate::mail_sink::{app_with_mail, drained, MailSink};

const DEE: &str = "dee@dwp.example";

fn at(day: u32, hour: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(hour, 0, 0).unwrap()
}

#[tokio::test]
async fn an_officials_digest_shows_the_words_the_wait_against_the_target_and_a_link_to_respond() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let slug = app.create_post("We are fixing IT", "Tell us.", true);
    let dwp = app.department("Department for Work and Pensions", "DWP", ""); // target: 5 working days
    let dee = app.user("Dee Official", DEE, Role::Reader);
    db::users::set_email_verified(&mut app.conn(), dee, time::now()).unwrap();
    app.grant(DEE, "DWP", "Chief Technology Officer");
    let moderator = app.user("Mo Moderator", "mo@example.org", Role::Moderator);
    let body = "My **DWP** log-in takes nine minutes every morning.\n\nIt has done since the new system came in, and nobody has said why, so I lose most of an hour each week before I can even open the case-work system and start on the letters that have been waiting for me.";
    let old = app.seed_comment(&slug, "Gina Guest", body, None);
    let new = app.seed_comment(&slug, "Ravi Reader", "Same on my team.", None);
    // Gina's was published on a Friday, Ravi's on the Monday the digest is made.
    for (id, published) in [(old, at(20, 10)), (new, at(30, 8))] {
        use answerable::db::schema::comments;
        diesel::update(comments::table.find(id))
            .set(comments::published_at.eq(Some(published)))
            .execute(&mut app.conn())
            .unwrap();
    }
    let actor = responses::actor(&mut app.conn(), moderator).unwrap().unwrap();
    responses::route(&mut app.conn(), &test_mail(), &actor, &[old, new], Some(dwp)).unwrap();
    // Routed the day each was published: the target counts from routing.
    for (id, published) in [(old, at(20, 10)), (new, at(30, 8))] {
        use answerable::db::schema::comments;
        diesel::update(comments::table.find(id))
            .set(comments::routed_at.eq(Some(published)))
            .execute(&mut app.conn())
            .unwrap();
    }
    drained(&app).await;

    assert_eq!(digests::make_due(&mut app.conn(), &test_mail(), at(30, 9), 7).unwrap(), 1);
    let digest = sink.wait_for(DEE, 1).await.remove(0);
    let text = digest.text();
    let item = |author: &str| -> Vec<String> {
        let start = text.find(&format!("- {author} on “We are fixing IT”")).unwrap_or_else(|| panic!("{text}"));
        text[start..].lines().take_while(|l| !l.trim().is_empty()).map(|l| l.trim().to_owned()).collect()
    };

    // Gina's: plain words cut at a sensible length, six working days against five.
    let gina = item("Gina Guest");
    let excerpt = &gina[1];
    assert!(excerpt.starts_with("“My DWP log-in takes nine minutes every morning. It has done since"), "{gina:?}");
    assert!(excerpt.ends_with("…”") && excerpt.chars().count() < 210, "{excerpt}");
    assert_eq!(gina[2], "Waiting 6 working days, target 5: overdue by 1 working day");
    let respond = gina[3].strip_prefix("Respond: ").unwrap_or_else(|| panic!("{gina:?}"));
    assert!(digest.html().contains(&format!("href=\"{respond}\"")), "the HTML part has the same link");
    assert!(digest.html().contains("Waiting 6 working days, target 5: overdue by 1 working day"));
    let ravi = item("Ravi Reader");
    assert_eq!(ravi[1], "“Same on my team.”");
    assert_eq!(ravi[2], "Waiting less than a working day, target 5: due in 5 working days");
    assert!(text.contains("Overdue for DWP: past the response target"), "{text}");

    // The link opens the reply to Gina's comment, ready for Dee to answer as an official.
    let path = &respond[respond.find("/posts/").expect("a link to the post")..];
    assert_eq!(path, format!("/posts/{slug}/comments/new?parent={old}#comment-form"));
    let browser = Browser::signed_in(&app, DEE).await;
    let page = browser.page(path.split('#').next().unwrap()).await;
    assert_eq!(page.text("h1"), "Reply to Gina Guest");
    assert_eq!(page.attr("#comment-form input[name=parent_id]", "value").unwrap(), old.to_string());
    assert!(page.count("#comment-form") == 1 && page.count("#comment-form textarea[name=body]") == 1);
    let post_as = page.texts("#comment-form input[name=as_official] + label");
    assert!(post_as.iter().any(|l| l.contains("Chief Technology Officer")), "{post_as:?}");
}
