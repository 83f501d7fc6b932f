//! Running it like a service: `/metrics` for the operator, request ids, and public
//! pages a shared cache can keep (no cookie, `ETag`, `304`), while signed-in pages
//! stay private.

use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH, SET_COOKIE};
use reqwest::StatusCode;

use crate::helpers::{app_with_post, client, spawn_app_with, Form};

const TOKEN: &str = "metrics-token-0123456789";

#[tokio::test]
async fn metrics_are_prometheus_text_for_the_token_only_and_count_requests() {
    let app = spawn_app_with(&[("ANSWERABLE_METRICS_TOKEN", TOKEN)]).await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    assert_eq!(app.get(&format!("/posts/{slug}")).await.status(), StatusCode::OK);
    assert_eq!(app.get("/metrics").await.status(), StatusCode::UNAUTHORIZED, "not without the token");
    let wrong = app.client.get(app.url("/metrics")).bearer_auth("wrong-token-wrong-token").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let response = app.client.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    let samples = parse_exposition(&text);
    let value = |name: &str, labels: &str| {
        samples.iter().find(|(n, l, _)| n == name && l == labels).map(|(_, _, v)| *v).unwrap_or_else(|| {
            panic!("{name}{{{labels}}} in:\n{text}");
        })
    };
    assert_eq!(value("answerable_http_requests_total", r#"method="GET",route="/posts/{slug}",status="200""#), 1.0);
    assert_eq!(value("answerable_http_request_duration_seconds_count", r#"method="GET",route="/posts/{slug}""#), 1.0);
    for name in ["answerable_outbox_messages", "answerable_db_pool_connections"] {
        assert!(samples.iter().any(|(n, _, _)| n == name), "{name} in:\n{text}");
    }
    for name in ["answerable_comments_held", "answerable_mail_worker_lag_seconds", "answerable_db_pool_waiting"] {
        value(name, "");
    }
}

#[tokio::test]
async fn without_a_token_there_are_no_metrics() {
    let (app, _) = app_with_post().await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
}

/// (name, labels, value) of each sample line; panics on a line that is not the text
/// format (`# HELP`/`# TYPE` comments, or `name{labels} value`).
fn parse_exposition(text: &str) -> Vec<(String, String, f64)> {
    text.lines()
        .filter(|line| !line.is_empty())
        .filter_map(|line| {
            if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
                return None;
            }
            let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("a sample line: {line}"));
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number in {line}"));
            let (name, labels) = match series.split_once('{') {
                Some((name, labels)) => (name, labels.strip_suffix('}').unwrap_or_else(|| panic!("labels in {line}"))),
                None => (series, ""),
            };
            assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "a metric name: {line}");
            Some((name.to_owned(), labels.to_owned(), value))
        })
        .collect()
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let (app, slug) = app_with_post().await;
    let first = app.get(&format!("/posts/{slug}")).await;
    let id = first.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(id.len() >= 16, "{id}");
    let second = app.get("/nope").await;
    assert_ne!(second.headers()["x-request-id"], id.as_str(), "a new id for each request");
    let given = app.client.get(app.url("/")).header("X-Request-Id", "edge-4f2a").send().await.unwrap();
    assert_eq!(given.headers()["x-request-id"], "edge-4f2a", "the id a proxy gave is kept");
}

#[tokio::test]
async fn an_anonymous_post_page_is_cacheable_and_revalidates_to_a_304_until_a_comment_changes_it() {
    let (app, slug) = app_with_post().await;
    let path = format!("/posts/{slug}");
    let reader = client();
    // The page is drawn to the minute: start well inside one, so the second look below
    // (a second later, as a revalidating cache would come) falls in the same minute.
    while chrono::Utc::now().format("%S").to_string().parse::<u32>().unwrap() >= 55 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let first = reader.get(app.url(&path)).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers().get_all(SET_COOKIE).iter().count(), 0, "no Set-Cookie");
    let control = first.headers()[CACHE_CONTROL].to_str().unwrap().to_owned();
    assert!(control.contains("public") && control.contains("s-maxage="), "{control}");
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let again = reader.get(app.url(&path)).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "unchanged: 304");
    assert_eq!(again.headers()[ETAG], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty(), "with no body");

    app.comment(&slug, Form::new("Sam", "Is it open on Sundays?")).await;
    let changed = reader.get(app.url(&path)).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK, "a new comment is seen at once");
    assert_ne!(changed.headers()[ETAG], etag.as_str(), "with a new ETag");
    assert!(changed.text().await.unwrap().contains("Is it open on Sundays?"));

    for public in ["/", "/departments", "/feeds/posts.atom"] {
        let response = reader.get(app.url(public)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{public}");
        assert_eq!(response.headers().get_all(SET_COOKIE).iter().count(), 0, "{public}: no Set-Cookie");
        assert!(response.headers()[CACHE_CONTROL].to_str().unwrap().contains("public"), "{public}");
        assert!(response.headers().contains_key(ETAG), "{public}");
    }
}

#[tokio::test]
async fn signed_in_pages_stay_private() {
    let (app, slug) = app_with_post().await;
    app.user("Rita Reader", "rita@example.org", answerable::domain::account::Role::Reader);
    app.sign_in("rita@example.org").await;
    for path in [format!("/posts/{slug}"), "/".to_owned(), "/account".to_owned()] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let control = response.headers()[CACHE_CONTROL].to_str().unwrap().to_owned();
        assert!(control.contains("private") && !control.contains("public"), "{path}: {control}");
        assert!(!response.headers().contains_key(ETAG), "{path}: no shared validator");
    }
}
