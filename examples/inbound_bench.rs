//! Benchmark (not a test) for reply-by-email: messages processed per second through
//! `answerable mail receive`, one process per message as Postfix's pipe transport
//! runs it. Run with bench/inbound.sh (it builds the release binary and this).
//!
//! Sets up a site in a temporary SQLite database (or DATABASE_URL: an empty
//! database), with MESSAGES comments routed to an official; then pipes one official
//! reply per comment (Gmail's shape: multipart, base64, quoted history) into the
//! binary at ANSWERABLE_BIN, first one at a time, then PARALLEL at once. Prints the
//! messages per second of each, and checks that every reply was posted.
//!
//! Environment: MESSAGES (default 300), PARALLEL (default 2), ANSWERABLE_BIN.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use answerable::config::Settings;
use answerable::db;
use answerable::domain::comment::{CommentAuthor, CommentBody, NewComment};
use answerable::domain::post::PostTitle;
use answerable::domain::reply_address::ReplyToken;
use answerable::domain::time;
use answerable::mail::MailContext;
use answerable::services::{comments, departments, officials, posts};

const SECRET: &str = "bench-secret-bench-secret-bench-secret-0123";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let messages = env_number("MESSAGES", 300);
    let parallel = env_number("PARALLEL", 2).max(1);
    let binary = std::env::var("ANSWERABLE_BIN").unwrap_or_else(|_| "target/release/answerable".into());
    let dir = tempfile::tempdir().unwrap();
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let vars: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", database_url.clone()),
        ("ANSWERABLE_DATA_DIR", dir.path().display().to_string()),
        ("ANSWERABLE_SECRET", SECRET.to_owned()),
        ("ANSWERABLE_REPLY_DOMAIN", "reply.example.org".to_owned()),
    ]);
    let settings = Settings::from_lookup(|name| vars.get(name).cloned()).unwrap();
    let mail = MailContext::from_settings(&settings);
    let pool = db::build_pool(&settings.database_url, 2).unwrap();
    let mut conn = pool.get().unwrap();
    db::run_migrations(&mut conn).unwrap();

    let post = posts::create_post(
        &mut conn,
        posts::CreatePost {
            title: PostTitle::parse("We are fixing IT").unwrap(),
            slug: None,
            body_md: "Tell us what is slow.",
            author_name: "The blog team",
            comments_open: true,
            published_at: None,
        },
    )
    .unwrap();
    let department = answerable::domain::department::DepartmentInput::parse(
        "Department for Work and Pensions",
        "DWP",
        "",
        "",
        "",
        "",
    )
    .unwrap();
    let dwp = departments::create(&mut conn, &department, None).unwrap();
    let registration =
        answerable::domain::account::Registration::parse("Dee Official", "dee@dwp.example", "a long password").unwrap();
    let dee = answerable::services::accounts::create_user(
        &mut conn,
        &registration,
        answerable::domain::account::Role::Reader,
    )
    .unwrap()
    .id;
    db::users::set_email_verified(&mut conn, dee, time::now()).unwrap();
    let target = officials::GrantTarget { email: "dee@dwp.example", department_acronym: "DWP" };
    let role = officials::grant(&mut conn, &target, "Chief Technology Officer", None).unwrap();
    let reader =
        answerable::domain::account::Registration::parse("Gina Reader", "gina@example.org", "a long password").unwrap();
    let gina =
        answerable::services::accounts::create_user(&mut conn, &reader, answerable::domain::account::Role::Reader)
            .unwrap()
            .id;

    let mut raws = Vec::with_capacity(messages);
    for n in 0..messages {
        let comment = NewComment {
            author: CommentAuthor::Member { user_id: gina, as_official: None },
            body: CommentBody::parse(&format!("My DWP log-in takes {n} minutes.")).unwrap(),
            parent_id: None,
            also_answers: Vec::new(),
            email_me: false,
        };
        let id = comments::post_comment(&mut conn, &mail, post.id, &comment).unwrap();
        db::responses::route(&mut conn, id, Some(dwp), time::now()).unwrap();
        let reply = mail.reply_to(ReplyToken::new(dee, id, Some(role), time::now())).unwrap();
        raws.push((reply.address.clone(), message(&reply.address, n)));
    }
    drop(conn);
    eprintln!("{messages} comments routed to DWP; piping one official reply to each into {binary}");

    let run = |batch: &[(String, Vec<u8>)]| {
        let children: Vec<_> = batch
            .iter()
            .map(|(to, raw)| {
                let mut child = Command::new(&binary)
                    .args(["mail", "receive", &format!("--recipient={to}"), "--sender=dee@dwp.example"])
                    .envs(vars.iter().map(|(k, v)| (k.to_string(), v.clone())))
                    .env("RUST_LOG", "warn")
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::inherit())
                    .spawn()
                    .expect("run answerable mail receive");
                child.stdin.take().unwrap().write_all(raw).unwrap();
                child
            })
            .collect();
        for child in children {
            let status = child.wait_with_output().unwrap().status;
            assert!(status.success(), "mail receive exited {status}");
        }
    };
    let half = messages / 2;
    let started = Instant::now();
    for one in raws[..half].chunks(1) {
        run(one);
    }
    let serial = half as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    for batch in raws[half..].chunks(parallel) {
        run(batch);
    }
    let concurrent = (messages - half) as f64 / started.elapsed().as_secs_f64();

    let mut conn = pool.get().unwrap();
    let posted = count_posted(&mut conn);
    assert_eq!(posted, messages as i64, "every reply was posted");
    println!("inbound replies through `answerable mail receive` ({}):", backend(&database_url));
    println!("  one at a time:      {serial:.1} messages/s ({half} messages)");
    println!("  {parallel} at a time:       {concurrent:.1} messages/s ({} messages)", messages - half);
    println!("  all {posted} replies posted as official answers");
}

fn count_posted(conn: &mut db::AnyConnection) -> i64 {
    use answerable::db::schema::inbound_messages;
    use diesel::prelude::*;
    inbound_messages::table.filter(inbound_messages::outcome.eq("posted")).count().get_result(conn).unwrap()
}

fn backend(url: &str) -> &'static str {
    if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

/// An official's reply in Gmail's shape, answering reply address `to`.
fn message(to: &str, n: usize) -> Vec<u8> {
    use base64::Engine as _;
    let text = format!(
        "We have ordered new log-in servers; number {n} arrives in March.\r\n\r\nDee\r\n\r\n\
         On Mon, 5 Feb 2024 at 10:00, Answerable <noreply@example.org>\r\nwrote:\r\n\r\n\
         > This comment was routed to DWP, and waits for a response.\r\n"
    );
    let body = base64::engine::general_purpose::STANDARD.encode(text);
    format!(
        "MIME-Version: 1.0\r\nFrom: Dee Official <dee@dwp.example>\r\nTo: {to}\r\nSubject: Re: New comment\r\n\
         Message-ID: <bench-{n}@dwp.example>\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n\
         --b\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n\r\n<div>We have ordered new log-in servers.</div>\r\n--b--\r\n"
    )
    .into_bytes()
}
