use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_is_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("database reachable"));
}

#[tokio::test]
async fn healthz_is_503_when_no_database_connection_can_be_had() {
    let app = spawn_app_with(&[("ANSWERABLE_POOL_SIZE", "1")]).await;
    let held = app.conn();
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.text().await.unwrap().contains("unreachable"));
    drop(held);
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK, "recovers once the database answers again");
}

#[tokio::test]
async fn unknown_pages_get_a_404_page_with_a_way_back() {
    let app = spawn_app().await;
    for path in ["/nope", "/posts/no-such-post", "/comments/123456", "/comments/not-a-number", "/?page=abc"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains("Page not found"), "{path}: {body}");
        assert!(body.contains("href=\"/\""), "{path}");
    }
}

#[tokio::test]
async fn the_stylesheet_is_served_with_long_cache_headers() {
    let app = spawn_app().await;
    let page = app.page("/").await;
    let href = page.attr("link[rel=stylesheet]", "href").expect("a stylesheet link");
    assert!(href.starts_with("/assets/style.css?v="), "{href}");
    let response = app.get(&href).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/css"));
    assert!(headers["cache-control"].to_str().unwrap().contains("max-age=31536000"));
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let again = app.client.get(app.url(&href)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}
