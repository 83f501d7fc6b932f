//! Delivery under faults: the mail server down and back, a worker dying mid-batch,
//! two workers on one database, giving up and the admin's retry; and digests.

use std::collections::HashSet;
use std::time::Duration;

use answerable::db;
use answerable::domain::account::Role;
use answerable::domain::time;
use answerable::mail::worker::Worker;
use answerable::mail::{Email, MailContext};
use answerable::services::{digests, outbox};
use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, test_mail, Form, TestApp};
use crate::mail_sink::{app_with_mail, drained, MailSink};

/// A port where nothing listens (yet).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Writes `count` messages to the outbox, as events would.
fn enqueue(app: &TestApp, count: usize) {
    let mail: MailContext = test_mail();
    let mut conn = app.conn();
    for n in 0..count {
        let email = Email {
            to: format!("reader{n}@example.org"),
            subject: format!("Message {n}"),
            text: format!("Body {n}"),
            html: format!("<p>Body {n}</p>"),
            references: Vec::new(),
            unsubscribe_url: None,
            ..Email::default()
        };
        outbox::enqueue(&mut conn, &mail, "test", &email).unwrap().expect("queued");
    }
}

/// A worker like another server's, sending to `smtp_url`, holding claims for `lease_ms`.
fn worker(app: &TestApp, smtp_url: &str, lease_ms: u64) -> Worker {
    worker_tuned(app, smtp_url, |mail| mail.lease = Duration::from_millis(lease_ms))
}

/// As `worker`, with the mail settings changed by `tune`.
fn worker_tuned(app: &TestApp, smtp_url: &str, tune: impl FnOnce(&mut answerable::config::MailSettings)) -> Worker {
    let mut settings = app.settings.clone();
    settings.mail.smtp_url = Some(smtp_url.to_owned());
    settings.mail.batch = 10;
    tune(&mut settings.mail);
    let pool = db::build_pool(&settings.database_url, 2).unwrap();
    Worker::new(pool, &settings).unwrap()
}

/// Messages in each status, and the attempts counted on them all.
fn outbox_state(app: &TestApp) -> (i64, i64, i64) {
    use answerable::db::schema::outbox;
    use diesel::prelude::*;
    let mut conn = app.conn();
    let count = |status: &str, conn: &mut db::PooledConnection| {
        outbox::table.filter(outbox::status.eq(status)).count().get_result::<i64>(conn).unwrap()
    };
    let attempts: Option<i64> = outbox::table.select(diesel::dsl::sum(outbox::attempts)).get_result(&mut conn).unwrap();
    (count("pending", &mut conn), count("dead", &mut conn), attempts.unwrap_or(0))
}

fn assert_each_once(sink: &MailSink, count: usize) {
    let messages = sink.messages();
    let ids: HashSet<String> = messages.iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len(), count, "every message arrived: {:?}", sink.subjects());
    assert_eq!(messages.len(), count, "and none twice");
}

#[tokio::test]
async fn mail_owed_while_the_server_is_down_is_all_delivered_once_it_is_back() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[
        ("ANSWERABLE_SMTP_URL", &url),
        ("ANSWERABLE_MAIL_POLL_MS", "50"),
        ("ANSWERABLE_MAIL_RETRY_MS", "100"),
        ("ANSWERABLE_MAIL_RETRY_CAP_MS", "300"),
    ])
    .await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    // Comments go through while the server is down; each owes a confirmation.
    for n in 0..5 {
        let email = format!("guest{n}@example.org");
        let response = app.submit_comment(&slug, &Form::new("Guest", "Open on Sundays?").emailing(&email)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "posting does not wait for the mail server");
    }
    // The worker has tried and failed, and recorded why.
    for _ in 0..100 {
        let failed = app.outbox_failures();
        if failed > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(app.outbox_failures() > 0, "failed attempts are recorded");
    assert_eq!(db::outbox::pending_count(&mut app.conn()).unwrap(), 5, "nothing is lost or given up");

    let sink = MailSink::start_on(port);
    sink.wait_for_total(5).await;
    drained(&app).await;
    assert_each_once(&sink, 5);
}

#[tokio::test]
async fn a_worker_that_dies_mid_batch_loses_nothing() {
    let sink = MailSink::start();
    let app = spawn_app_with(&[("ANSWERABLE_MAIL_WORKER", "off")]).await;
    enqueue(&app, 20);
    let dying = worker(&app, &sink.url(), 3_000);
    let batch = dying.claim().unwrap();
    assert_eq!(batch.len(), 10);
    assert_eq!(dying.deliver(&batch[..4]).unwrap(), 4);
    drop(dying); // killed with six messages claimed and not sent

    let survivor = worker(&app, &sink.url(), 3_000);
    while survivor.run_once().unwrap() > 0 {}
    assert_eq!(sink.messages().len(), 14, "the dead worker's claimed messages wait for its lease to run out");
    // Once the lease has run out, the survivor sends them.
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    for _ in 0..100 {
        survivor.run_once().unwrap();
        if db::outbox::pending_count(&mut app.conn()).unwrap() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_each_once(&sink, 20);
    assert_eq!(db::outbox::pending_count(&mut app.conn()).unwrap(), 0);
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_the_same_message() {
    let sink = MailSink::start();
    let app = spawn_app_with(&[("ANSWERABLE_MAIL_WORKER", "off")]).await;
    enqueue(&app, 200);
    let workers: Vec<Worker> = (0..2).map(|_| worker(&app, &sink.url(), 60_000)).collect();
    let handles: Vec<_> = workers
        .into_iter()
        .map(|w| {
            std::thread::spawn(move || {
                let mut sent = 0;
                while let Ok(claimed) = w.run_once() {
                    if claimed == 0 {
                        break;
                    }
                    sent += claimed;
                }
                sent
            })
        })
        .collect();
    let shares: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(shares.iter().sum::<usize>(), 200, "each message claimed once: {shares:?}");
    assert_each_once(&sink, 200);
}

#[tokio::test]
async fn a_message_given_up_on_is_listed_for_admins_and_sent_when_retried() {
    // The server is up but refuses this message each time: its own failures count.
    let sink = MailSink::start();
    sink.refuse(true);
    let app = app_with_mail(&sink, &[("ANSWERABLE_MAIL_MAX_ATTEMPTS", "2"), ("ANSWERABLE_MAIL_RETRY_MS", "50")]).await;
    enqueue(&app, 1);
    drained(&app).await;
    assert_eq!(outbox_state(&app), (0, 1, 2), "dead after its two attempts");
    app.user("Ada Admin", "ada@example.org", Role::Admin);
    app.sign_in("ada@example.org").await;
    let page = app.page("/admin/outbox").await;
    assert_eq!(page.text("#outbox-dead"), "1");
    assert!(page.text("table").contains("reader0@example.org"));
    assert!(page.text("table").contains("451"), "the last error is shown: {}", page.text("table"));

    sink.refuse(false);
    let response = app.submit("/admin/outbox", "/admin/outbox/retry", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    sink.wait_for("reader0@example.org", 1).await;
    drained(&app).await;
    assert_eq!(app.page("/admin/outbox").await.text("#outbox-sent"), "1");
}

#[tokio::test]
async fn officials_get_one_daily_digest_of_comments_routed_to_them() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink, &[]).await;
    let slug = app.create_post("We are fixing IT", "Tell us.", true);
    app.department("Department for Work and Pensions", "DWP", "");
    let dee = app.user("Dee Official", "dee@dwp.example", Role::Reader);
    db::users::set_email_verified(&mut app.conn(), dee, time::now()).unwrap();
    app.grant("dee@dwp.example", "DWP", "Chief Technology Officer");
    let moderator = app.user("Mo Moderator", "mo@example.org", Role::Moderator);
    let comment = app.seed_comment(&slug, "Gina Guest", "My DWP log-in takes nine minutes.", None);
    let actor = answerable::services::responses::actor(&mut app.conn(), moderator).unwrap().unwrap();
    let dwp = db::departments::list(&mut app.conn()).unwrap()[0].id;
    answerable::services::responses::route(&mut app.conn(), &test_mail(), &actor, &[comment], Some(dwp)).unwrap();
    drained(&app).await;
    assert!(sink.to("dee@dwp.example").is_empty(), "by default, officials get a digest rather than one email each");

    // The moderator's digest lists what waits for moderators.
    db::users::set_email_verified(&mut app.conn(), moderator, time::now()).unwrap();
    let held = app.seed_comment(&slug, "Hal Held", "Held for a moderator.", None);
    app.set_status(held, "pending");
    app.seed_comment(&slug, "Una Unrouted", "Nobody has routed this.", None);

    let tomorrow = time::now() + chrono::TimeDelta::days(1);
    let made = digests::make_due(&mut app.conn(), &test_mail(), tomorrow, 7).unwrap();
    assert_eq!(made, 2);
    let moderators = sink.wait_for("mo@example.org", 1).await.remove(0).text();
    assert!(moderators.contains("Comments held for moderation\n\n- Hal Held on “We are fixing IT”"), "{moderators}");
    assert!(moderators.contains("Threads waiting to be routed to a department"), "{moderators}");
    assert!(moderators.contains("Una Unrouted"), "{moderators}");
    let digest = sink.wait_for("dee@dwp.example", 1).await.remove(0);
    assert_eq!(digest.subject(), "Your Answerable daily digest: 1 item");
    assert!(digest.text().contains("New comments routed to your departments"));
    assert!(digest.text().contains("Gina Guest on “We are fixing IT”"));
    assert!(digest.header("List-Unsubscribe").is_some());
    assert_eq!(digests::make_due(&mut app.conn(), &test_mail(), tomorrow, 7).unwrap(), 0, "one digest a day");
}

impl TestApp {
    /// How many owed messages have a recorded failure.
    fn outbox_failures(&self) -> usize {
        use diesel::prelude::*;
        answerable::db::schema::outbox::table
            .filter(answerable::db::schema::outbox::last_error.is_not_null())
            .count()
            .get_result::<i64>(&mut self.conn())
            .unwrap() as usize
    }
}

#[tokio::test]
async fn a_slow_mail_server_never_takes_a_connection_a_request_needs() {
    // Four senders, two connections for requests, a server taking a second a message:
    // senders that held a connection while sending would leave requests none.
    let sink = MailSink::slow(Duration::from_secs(1));
    let app = app_with_mail(&sink, &[("ANSWERABLE_POOL_SIZE", "2"), ("ANSWERABLE_MAIL_CONCURRENCY", "4")]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    enqueue(&app, 80);
    // The worker polls every 50 ms: by now every sender is in the middle of a batch.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for _ in 0..4 {
        let health = app.get("/healthz").await;
        assert_eq!(health.status(), StatusCode::OK, "healthy while mail is slow: {}", health.text().await.unwrap());
        assert_eq!(app.get(&format!("/posts/{slug}")).await.status(), StatusCode::OK);
    }
    let posted = app.submit_comment(&slug, &Form::new("Guest", "Open on Sundays?").emailing("g@example.org")).await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER, "posting works while mail is slow");
    assert!(sink.messages().len() < 80, "and all that while the mail was still going out");
}

#[tokio::test]
async fn a_batch_that_takes_longer_than_its_lease_is_sent_once() {
    // Two senders of one worker; each batch of ten takes a second, the lease 400 ms.
    let sink = MailSink::slow(Duration::from_millis(100));
    let app = spawn_app_with(&[("ANSWERABLE_MAIL_WORKER", "off")]).await;
    enqueue(&app, 30);
    let worker = std::sync::Arc::new(worker(&app, &sink.url(), 400));
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let (worker, url) = (worker.clone(), app.database_url.clone());
            std::thread::spawn(move || {
                let pool = db::build_pool(&db::DatabaseUrl::parse(&url).unwrap(), 1).unwrap();
                for _ in 0..200 {
                    worker.run_once().unwrap();
                    if db::outbox::pending_count(&mut pool.get().unwrap()).unwrap() == 0 {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();
    for sender in senders {
        sender.join().unwrap();
    }
    assert_each_once(&sink, 30);
}

#[tokio::test]
async fn a_long_outage_uses_up_no_message_attempts() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("ANSWERABLE_MAIL_WORKER", "off")]).await;
    enqueue(&app, 5);
    let worker = worker_tuned(&app, &url, |mail| {
        mail.max_attempts = 2;
        mail.retry_base = Duration::from_millis(5);
        mail.retry_cap = Duration::from_millis(10);
    });
    // Many more rounds than a message has attempts, all finding the server away.
    for _ in 0..20 {
        worker.run_once().unwrap();
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    assert!(app.outbox_failures() > 0, "the outage is recorded on the messages");
    assert_eq!(outbox_state(&app), (5, 0, 0), "all still owed, none dead, no attempt counted");

    let sink = MailSink::start_on(port);
    for _ in 0..100 {
        worker.run_once().unwrap();
        if outbox_state(&app).0 == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_each_once(&sink, 5);
}
