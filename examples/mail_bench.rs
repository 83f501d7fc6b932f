//! Benchmark (not a test) for the outbox. Run: `cargo run --release --example mail_bench`
//! (or bench/mail.sh). Prints:
//!   1. 10,000 messages written to the outbox, then sent by one worker to a local SMTP
//!      sink (mailin-embedded, in this process): messages per second.
//!   2. Comment POST latency (each comment owes a confirmation email) with the SMTP
//!      server up and with it down: posting must not wait for mail.
//!
//! Environment: MESSAGES (default 10000), POSTS (default 200), DATABASE_URL (default a
//! temporary SQLite file; a PostgreSQL URL must name an empty database).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use answerable::config::Settings;
use answerable::db;
use answerable::mail::worker::Worker;
use answerable::mail::{Email, MailContext};
use answerable::services::{outbox, posts};
use answerable::startup::Application;
use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server};

#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl Handler for Counter {
    fn data_end(&mut self) -> Response {
        self.0.fetch_add(1, Ordering::Relaxed);
        OK
    }
}

fn sink() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let mut server = Server::new(Counter(count.clone()));
    server.with_num_threads(64).with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), count)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn settings(dir: &std::path::Path, smtp_url: &str, database_url: &str) -> Settings {
    let vars: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", database_url.to_owned()),
        ("ANSWERABLE_DATA_DIR", dir.display().to_string()),
        ("ANSWERABLE_BIND", "127.0.0.1:0".to_owned()),
        ("ANSWERABLE_SECRET", "bench-secret-bench-secret-bench-secret-0123".to_owned()),
        ("ANSWERABLE_SMTP_URL", smtp_url.to_owned()),
        ("ANSWERABLE_MAIL_POLL_MS", "100".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
        // Every request comes from this machine: lift the per-address limits, and
        // accept forms sent at once.
        ("ANSWERABLE_COMMENTS_PER_MINUTE", "1000000".to_owned()),
        ("ANSWERABLE_COMMENTS_PER_DAY", "1000000".to_owned()),
        ("ANSWERABLE_EMAILS_PER_HOUR", "1000000".to_owned()),
        ("ANSWERABLE_MIN_FORM_SECONDS", "0".to_owned()),
    ]);
    Settings::from_lookup(|name| vars.get(name).cloned()).unwrap()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn post_comments(settings: Settings, count: usize) -> (f64, f64) {
    let pool = db::build_pool(&settings.database_url, 8).unwrap();
    let app = Application::build_with_pool(settings, pool.clone()).unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let server = tokio::spawn(app.run_until_stopped());
    let title = answerable::domain::post::PostTitle::parse(&format!("Bench {}", rand_suffix())).unwrap();
    let post = posts::create_post(
        &mut pool.get().unwrap(),
        posts::CreatePost {
            title,
            slug: None,
            body_md: "Body.",
            author_name: "Bench",
            comments_open: true,
            published_at: None,
        },
    )
    .unwrap();
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(format!("{base}/posts/{}", post.slug)).send().await.unwrap().text().await.unwrap();
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        page.split(marker.as_str()).nth(1).unwrap().split('"').next().unwrap().to_owned()
    };
    let (token, stamp) = (field("_csrf"), field("form_stamp"));
    let mut times = Vec::with_capacity(count);
    for n in 0..count {
        let email = format!("guest{n}@example.org");
        let body = format!("Is the library open on Sundays? (question {n})");
        let fields = [
            ("_csrf", token.as_str()),
            ("form_stamp", stamp.as_str()),
            ("name", "Guest"),
            ("email", &email),
            ("body", &body),
            ("email_me", "yes"),
        ];
        let started = Instant::now();
        let response = client.post(format!("{base}/posts/{}/comments", post.slug)).form(&fields).send().await.unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(response.status(), 303);
    }
    server.abort();
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

#[tokio::main]
async fn main() {
    let messages = env_number("MESSAGES", 10_000);
    let comment_posts = env_number("POSTS", 200);
    let dir = tempfile::tempdir().unwrap();
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let (smtp_url, received) = sink();
    let settings = settings(dir.path(), &smtp_url, &database_url);
    let pool = db::build_pool(&settings.database_url, 16).unwrap();
    db::run_migrations(&mut pool.get().unwrap()).unwrap();
    println!("database: {}", settings.database_url.redacted());

    let mail = MailContext::from_settings(&settings);
    let started = Instant::now();
    {
        let mut conn = pool.get().unwrap();
        for n in 0..messages {
            let email = Email {
                to: format!("reader{n}@example.org"),
                subject: format!("Official response from DWP to your comment ({n})"),
                text: "DWP has responded to your comment.\n\n> We are replacing the log-in servers in March.".into(),
                html: "<p>DWP has responded to your comment.</p><blockquote><p>We are replacing the log-in servers in March.</p></blockquote>".into(),
                references: vec![format!("<thread-{}@bench>", n % 100)],
                unsubscribe_url: Some(format!("https://bench.example/unsubscribe/s{n}.x")),
                ..Email::default()
            };
            outbox::enqueue(&mut conn, &mail, "bench", &email).unwrap();
        }
    }
    let enqueue_secs = started.elapsed().as_secs_f64();
    println!(
        "enqueued {messages} messages in {enqueue_secs:.2} s ({:.0}/s, one transaction each)",
        messages as f64 / enqueue_secs
    );

    let worker = Arc::new(Worker::new(pool.clone(), &settings).unwrap());
    let started = Instant::now();
    let senders: Vec<_> = (0..worker.concurrency())
        .map(|_| {
            let worker = worker.clone();
            std::thread::spawn(move || while worker.run_once().unwrap() > 0 {})
        })
        .collect();
    for sender in senders {
        sender.join().unwrap();
    }
    let send_secs = started.elapsed().as_secs_f64();
    while received.load(Ordering::Relaxed) < messages {
        std::thread::sleep(Duration::from_millis(10));
    }
    println!(
        "sent {messages} messages over SMTP in {send_secs:.2} s with {} senders: {:.0} messages/s (target >= 300/s)",
        worker.concurrency(),
        messages as f64 / send_secs
    );

    let up = settings.clone();
    let dead_port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down = self::settings(dir.path(), &format!("smtp://127.0.0.1:{dead_port}"), &database_url);
    let (up_p50, up_p95) = post_comments(up, comment_posts).await;
    let (down_p50, down_p95) = post_comments(down, comment_posts).await;
    println!("comment POST (each owes an email), {comment_posts} requests:");
    println!("  SMTP up:   median {up_p50:.2} ms, p95 {up_p95:.2} ms");
    println!("  SMTP down: median {down_p50:.2} ms, p95 {down_p95:.2} ms");
}
