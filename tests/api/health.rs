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

/// The address of a site on the app's database, which now refuses writes. PostgreSQL:
/// the database is made read-only and the app's connections ended, so it reconnects
/// read-only. SQLite: a second app opens the same file read-only (tests run as root
/// here, and file modes do not stop root writing).
async fn refusing_writes(app: &crate::helpers::TestApp) -> String {
    use diesel::{Connection, RunQueryDsl};
    match app.database_url.strip_prefix("sqlite://") {
        Some(path) => {
            let mut settings = app.settings.clone();
            settings.database_url = answerable::db::DatabaseUrl::parse(&format!("file:{path}?mode=ro")).unwrap();
            settings.mail.worker_in_serve = false;
            let site = answerable::startup::Application::build(settings).expect("a read-only site starts");
            let address = format!("http://127.0.0.1:{}", site.port());
            tokio::spawn(site.run_until_stopped());
            address
        }
        None => {
            let name = app.database_url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
            let admin = std::env::var("TEST_DATABASE_URL").unwrap();
            let mut conn = diesel::PgConnection::establish(&admin).unwrap();
            diesel::sql_query(format!("ALTER DATABASE \"{name}\" SET default_transaction_read_only = on"))
                .execute(&mut conn)
                .unwrap();
            diesel::sql_query(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .execute(&mut conn)
            .unwrap();
            app.address.clone()
        }
    }
}

#[tokio::test]
async fn a_database_that_refuses_writes_gives_the_form_back_and_fails_the_health_check() {
    let (app, slug) = crate::helpers::app_with_post().await;
    let site = refusing_writes(&app).await;
    let guest = crate::helpers::browser_client(&site);
    let page = guest.get(format!("{site}/posts/{slug}")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "reading still works");
    let page = crate::helpers::Page::parse(&page.text().await.unwrap());
    let csrf = page.attr("input[name=_csrf]", "value").unwrap_or_default();
    let form = crate::helpers::Form::new("Priya", "Log-in takes nine minutes every morning.");
    let response = guest.post(format!("{site}/posts/{slug}/comments")).form(&form.fields(&csrf)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = crate::helpers::Page::parse(&response.text().await.unwrap());
    assert_eq!(page.field("body"), "Log-in takes nine minutes every morning.", "what the guest typed is kept");
    assert_eq!(page.field("name"), "Priya");
    assert!(page.text("#body-error").contains("cannot save"), "{}", page.text("#body-error"));

    let health = guest.get(format!("{site}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(health.text().await.unwrap().contains("refuses writes"));
}
