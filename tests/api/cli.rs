//! The `answerable` binary as an admin uses it, against the test's own database.

use std::process::{Command, Output};

use crate::helpers::{spawn_app, TestApp};

fn answerable(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_answerable"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("ANSWERABLE_DATA_DIR", app.data_dir.path())
        .env("ANSWERABLE_BASE_URL", "https://comments.example.org")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run answerable")
}

/// `answerable migrate` with this DATABASE_URL (which may be set but empty).
fn migrate_with(database_url: &str, data_dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_answerable"))
        .args(["migrate"])
        .env("DATABASE_URL", database_url)
        .env("ANSWERABLE_DATA_DIR", data_dir)
        .output()
        .expect("run answerable")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn every_command_has_help() {
    let app = spawn_app().await;
    let top = answerable(&app, &["--help"]);
    assert!(top.status.success());
    for command in ["serve", "migrate", "demo", "post"] {
        assert!(stdout(&top).contains(command), "--help lists {command}");
    }
    for (args, flag) in [
        (&["serve", "--help"][..], "Run the web site"),
        (&["migrate", "--help"][..], "migrations"),
        (&["demo", "--help"][..], "--comments"),
        (&["post", "create", "--help"][..], "--body-file"),
        (&["post", "list", "--help"][..], "List all posts"),
    ] {
        let out = answerable(&app, args);
        assert!(out.status.success(), "{args:?}");
        assert!(stdout(&out).contains(flag), "{args:?}: {}", stdout(&out));
    }
}

#[tokio::test]
async fn an_admin_creates_and_lists_posts_from_the_command_line() {
    let app = spawn_app().await;
    let body = app.data_dir.path().join("post.md");
    std::fs::write(&body, "We are **closing** comments on this one.").unwrap();
    let body = body.to_str().unwrap();

    let created =
        answerable(&app, &["post", "create", "--title", "Pre-election notice", "--body-file", body, "--closed"]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(
        stdout(&created).contains("https://comments.example.org/posts/pre-election-notice"),
        "{}",
        stdout(&created)
    );
    let slugged =
        answerable(&app, &["post", "create", "--title", "Another", "--body-file", body, "--slug", "custom-slug"]);
    assert!(slugged.status.success(), "{}", stderr(&slugged));

    let listed = answerable(&app, &["post", "list"]);
    let list = stdout(&listed);
    assert!(list.contains("pre-election-notice") && list.contains("closed"), "{list}");
    assert!(list.contains("custom-slug") && list.contains("open"), "{list}");

    let page = app.page("/posts/pre-election-notice").await;
    assert_eq!(page.text(".post-body strong"), "closing");
    assert!(page.text("#comments-closed").contains("Comments are closed"));
    assert_eq!(page.count("form#comment-form"), 0);
    assert_eq!(page.count(".comment-actions"), 0);
}

#[tokio::test]
async fn command_line_mistakes_get_clear_messages() {
    let app = spawn_app().await;
    let body = app.data_dir.path().join("post.md");
    std::fs::write(&body, "Body").unwrap();
    let body = body.to_str().unwrap();
    assert!(answerable(&app, &["post", "create", "--title", "Same", "--body-file", body]).status.success());

    let duplicate = answerable(&app, &["post", "create", "--title", "Same", "--body-file", body]);
    assert!(!duplicate.status.success());
    assert!(stderr(&duplicate).contains("slug `same` already exists"), "{}", stderr(&duplicate));

    let missing = answerable(&app, &["post", "create", "--title", "X", "--body-file", "/no/such/file.md"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("/no/such/file.md"), "{}", stderr(&missing));

    let bad_slug = answerable(&app, &["post", "create", "--title", "X", "--body-file", body, "--slug", "Not A Slug"]);
    assert!(!bad_slug.status.success());
    assert!(stderr(&bad_slug).contains("--slug"), "{}", stderr(&bad_slug));

    let bad_url = migrate_with("mysql://root@localhost/db", app.data_dir.path());
    assert!(!bad_url.status.success());
    assert!(stderr(&bad_url).contains("DATABASE_URL"), "{}", stderr(&bad_url));

    // Set but empty is a mistake, not a wish for the default file.
    let empty_url = migrate_with("", &app.data_dir.path().join("elsewhere"));
    assert!(!empty_url.status.success());
    assert!(
        stderr(&empty_url).contains("DATABASE_URL") && stderr(&empty_url).contains("empty"),
        "{}",
        stderr(&empty_url)
    );
    assert!(!app.data_dir.path().join("elsewhere/answerable.db").exists(), "no database file was made");

    // A PostgreSQL server that is not there: one clear line.
    let unreachable = migrate_with("postgres://postgres@127.0.0.1:1/answerable", app.data_dir.path());
    assert!(!unreachable.status.success());
    let said = format!("{}{}", stdout(&unreachable), stderr(&unreachable));
    assert_eq!(said.trim().lines().count(), 1, "one line: {said}");
    assert!(said.contains("cannot connect to the database at postgres://postgres@127.0.0.1:1/answerable"), "{said}");
}

#[tokio::test]
async fn migrate_and_demo_fill_the_site() {
    let app = spawn_app().await;
    let migrated = answerable(&app, &["migrate"]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    assert!(stdout(&migrated).contains("up to date"));

    let demo = answerable(&app, &["demo", "--comments", "120"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let out = stdout(&demo);
    let path = out.lines().find_map(|l| l.strip_prefix("big post: ")).expect("demo names the big post").to_owned();
    let page = app.page(&path).await;
    assert_eq!(page.text("#comments-title"), "117 comments");
    let again = answerable(&app, &["demo"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("only fills an empty database"), "{}", stderr(&again));
}

#[tokio::test]
async fn serve_stops_cleanly_on_sigterm() {
    let app = spawn_app().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_answerable"))
        .arg("serve")
        .env("DATABASE_URL", &app.database_url)
        .env("ANSWERABLE_DATA_DIR", app.data_dir.path())
        .env("ANSWERABLE_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let health = format!("http://127.0.0.1:{port}/healthz");
    let mut up = false;
    for _ in 0..100 {
        if reqwest::get(&health).await.is_ok_and(|r| r.status().is_success()) {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "serve answered /healthz");
    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let output = tokio::task::spawn_blocking(move || {
        for _ in 0..100 {
            if server.try_wait().unwrap().is_some() {
                return Some(server.wait_with_output().unwrap());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        server.kill().ok();
        None
    })
    .await
    .unwrap()
    .expect("serve exits within 10 s of SIGTERM");
    assert!(output.status.success(), "exit status {:?}", output.status);
    let log = stderr(&output);
    assert!(log.contains("request") && log.contains("/healthz"), "one log line per request: {log}");
    assert!(log.contains("stopped"), "{log}");
}
