//! Test harness: the real server on port 0, its own database per test (a temp SQLite
//! file, or a fresh PostgreSQL database when TEST_DATABASE_URL is set), and a
//! cookie-keeping HTTP client that does not follow redirects.

use std::collections::HashMap;

use answerable::config::Settings;
use answerable::db::{self, AnyConnection, Pool};
use answerable::domain::comment::{AuthorName, CommentAuthor, CommentBody, Email, NewComment};
use answerable::domain::post::PostTitle;
use answerable::mail::MailContext;
use answerable::services::{comments, posts};
use answerable::startup::Application;
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::StatusCode;
use scraper::{Html, Selector};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: Pool,
    pub database_url: String,
    pub data_dir: tempfile::TempDir,
    /// The settings the app runs with (mail workers made by a test use them too).
    pub settings: Settings,
    /// The inbound SMTP listener's port, when ANSWERABLE_INBOUND_SMTP_BIND was set.
    pub inbound_port: Option<u16>,
    _database: TestDatabase,
}

/// A PostgreSQL database made for one test and dropped after it.
struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name)).execute(&mut conn);
        }
    }
}

fn fresh_postgres(admin_url: &str) -> (String, PostgresDatabase) {
    let name = format!("answerable_test_{}", uuid_like());
    let mut conn = PgConnection::establish(admin_url)
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL {admin_url} is set but unreachable: {e}"));
    diesel::sql_query(format!("CREATE DATABASE \"{name}\"")).execute(&mut conn).expect("create test database");
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    (format!("{server}/{name}{query}"), PostgresDatabase { admin_url: admin_url.to_owned(), name })
}

fn uuid_like() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..16).map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.gen_range(0..36)])).collect()
}

/// A database of this test's own: a fresh PostgreSQL database when TEST_DATABASE_URL
/// is set (dropped with this value), otherwise a SQLite file in `dir`.
pub struct TestDatabase {
    pub url: String,
    _postgres: Option<PostgresDatabase>,
}

impl TestDatabase {
    pub fn new(dir: &std::path::Path) -> Self {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(admin) => {
                let (url, guard) = fresh_postgres(&admin);
                Self { url, _postgres: Some(guard) }
            }
            None => Self { url: format!("sqlite://{}", dir.join("answerable.db").display()), _postgres: None },
        }
    }
}

/// The key every test app signs cookies and unsubscribe links with.
pub const SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// A mail context like the test apps' own (same key), for calling services directly.
pub fn test_mail() -> MailContext {
    let settings = Settings::from_lookup(|name| match name {
        "ANSWERABLE_SECRET" => Some(SECRET.into()),
        "DATABASE_URL" => Some(":memory:".into()),
        _ => None,
    })
    .expect("settings");
    MailContext::from_settings(&settings)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the app with extra environment settings, e.g. `("ANSWERABLE_THREADS_PER_PAGE", "2")`.
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::new(data_dir.path());
    let database_url = database.url.clone();
    let mut env: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url.clone()),
        ("ANSWERABLE_DATA_DIR".into(), data_dir.path().display().to_string()),
        ("ANSWERABLE_BIND".into(), "127.0.0.1:0".into()),
        ("ANSWERABLE_SECRET".into(), SECRET.into()),
        ("ANSWERABLE_POOL_SIZE".into(), "4".into()),
        ("ANSWERABLE_WORKERS".into(), "2".into()),
        // Tests fill forms in milliseconds; the minimum-time rule has its own tests.
        ("ANSWERABLE_MIN_FORM_SECONDS".into(), "0".into()),
        // Tests post many comments from one address; the rate-limit tests set their own.
        ("ANSWERABLE_COMMENTS_PER_MINUTE".into(), "1000".into()),
        ("ANSWERABLE_COMMENTS_PER_DAY".into(), "10000".into()),
    ]);
    for (k, v) in vars {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    let settings = Settings::from_lookup(|name| env.get(name).cloned()).expect("test settings");
    let pool = db::build_pool(&settings.database_url, settings.pool_size).expect("pool");
    let app = Application::build_with_pool(settings.clone(), pool.clone()).expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let inbound_port = app.inbound_port();
    tokio::spawn(app.run_until_stopped());
    let client = browser_client(&address);
    TestApp { address, client, pool, database_url, data_dir, settings, inbound_port, _database: database }
}

/// A valid form stamp, as a comment form drawn a minute ago carries.
pub fn stamp() -> String {
    let key = actix_web::cookie::Key::derive_from(SECRET.as_bytes());
    answerable::web::spam::stamp(&key, answerable::domain::time::now() - chrono::TimeDelta::seconds(60))
}

/// A client that keeps cookies and does not follow redirects (tests check them), and
/// sends no `Origin`: a program, or an old browser, posting from nowhere in particular.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().expect("client")
}

/// A browser on the site at `address`: as `client`, and its posts say they come from
/// the site's pages (`Origin`), as every current browser's form posts do.
pub fn browser_client(address: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, address.parse().expect("an origin"));
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("client")
}

pub struct Form<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub body: &'a str,
    pub parent_id: Option<i64>,
    /// "Email me when someone replies".
    pub email_me: bool,
}

impl<'a> Form<'a> {
    pub fn new(name: &'a str, body: &'a str) -> Self {
        Self { name, email: "reader@example.org", body, parent_id: None, email_me: false }
    }

    /// From this address, asking to be emailed about replies.
    pub fn emailing(mut self, email: &'a str) -> Self {
        self.email = email;
        self.email_me = true;
        self
    }

    pub fn reply_to(mut self, parent: i64) -> Self {
        self.parent_id = Some(parent);
        self
    }

    pub fn fields(&self, csrf: &str) -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("_csrf", csrf.to_owned()),
            ("name", self.name.to_owned()),
            ("email", self.email.to_owned()),
            ("body", self.body.to_owned()),
            ("form_stamp", stamp()),
        ];
        if let Some(parent) = self.parent_id {
            fields.push(("parent_id", parent.to_string()));
        }
        if self.email_me {
            fields.push(("email_me", "yes".to_owned()));
        }
        fields
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn conn(&self) -> db::PooledConnection {
        self.pool.get().expect("test connection")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// GET a page that must answer 200, parsed.
    pub async fn page(&self, path: &str) -> Page {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        Page::parse(&response.text().await.expect("body"))
    }

    /// The CSRF token from a post's comment form (as a browser would have it): none
    /// for an anonymous reader, whose form is checked by its origin.
    pub async fn csrf_token(&self, slug: &str) -> String {
        let page = self.page(&format!("/posts/{slug}")).await;
        page.attr("input[name=_csrf]", "value").unwrap_or_default()
    }

    /// Submits the comment form of a post like a browser: token from the page, then POST.
    pub async fn submit_comment(&self, slug: &str, form: &Form<'_>) -> reqwest::Response {
        let token = self.csrf_token(slug).await;
        self.client
            .post(self.url(&format!("/posts/{slug}/comments")))
            .form(&form.fields(&token))
            .send()
            .await
            .expect("POST comment")
    }

    /// Posts a comment that must be accepted; returns its id from the redirect.
    pub async fn comment(&self, slug: &str, form: Form<'_>) -> i64 {
        let response = self.submit_comment(slug, &form).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "comment accepted");
        posted_id(&response)
    }

    /// Creates a published post directly through the service.
    pub fn create_post(&self, title: &str, body: &str, open: bool) -> String {
        let mut conn = self.conn();
        let post = posts::create_post(
            &mut conn,
            posts::CreatePost {
                title: PostTitle::parse(title).expect("title"),
                slug: None,
                body_md: body,
                author_name: "The blog team",
                comments_open: open,
                published_at: None,
            },
        )
        .expect("post created");
        post.slug
    }

    /// A signed-in member's comment, written through the service; returns its id.
    pub fn seed_member_comment(&self, slug: &str, user_id: i64, body: &str) -> i64 {
        self.seed_as(slug, CommentAuthor::Member { user_id, as_official: None }, None, body)
    }

    /// A comment by `author`, written through the service (emails owed are queued).
    fn seed_as(&self, slug: &str, author: CommentAuthor, parent_id: Option<i64>, body: &str) -> i64 {
        let mut conn = self.conn();
        let post = db::posts::find_published_by_slug(&mut conn, slug).expect("query").expect("post");
        let body = CommentBody::parse(body).expect("body");
        let comment = NewComment { author, body, parent_id, also_answers: Vec::new(), email_me: false };
        comments::post_comment(&mut conn, &test_mail(), post.id, &comment).expect("seeded comment")
    }

    /// Writes a comment straight to the database (fast set-up for large threads).
    pub fn seed_comment(&self, slug: &str, name: &str, body: &str, parent_id: Option<i64>) -> i64 {
        let mut conn = self.conn();
        let post = db::posts::find_published_by_slug(&mut conn, slug).expect("query").expect("post");
        seed_comment_on(&mut conn, post.id, name, body, parent_id)
    }
}

pub fn seed_comment_on(conn: &mut AnyConnection, post_id: i64, name: &str, body: &str, parent_id: Option<i64>) -> i64 {
    let comment = NewComment {
        author: CommentAuthor::Guest {
            name: AuthorName::parse(name).expect("name"),
            email: Email::parse("seed@example.org").expect("email"),
        },
        body: CommentBody::parse(body).expect("body"),
        parent_id,
        also_answers: Vec::new(),
        email_me: false,
    };
    comments::post_comment(conn, &test_mail(), post_id, &comment).expect("seeded comment")
}

/// The id of the comment a successful post redirects to: `/comments/{id}?posted=1`.
pub fn posted_id(response: &reqwest::Response) -> i64 {
    let location = location(response);
    location
        .strip_prefix("/comments/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirect to a permalink, got {location}"))
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_owned()
}

/// A parsed HTML page with the few queries tests need.
pub struct Page {
    pub html: Html,
    pub source: String,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
}

impl Page {
    pub fn parse(source: &str) -> Self {
        Self { html: Html::parse_document(source), source: source.to_owned() }
    }

    pub fn count(&self, css: &str) -> usize {
        self.html.select(&selector(css)).count()
    }

    /// Text of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.html
            .select(&selector(css))
            .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// Text of the first element matching `css`; panics if there is none.
    pub fn text(&self, css: &str) -> String {
        self.texts(css).into_iter().next().unwrap_or_else(|| panic!("no element matches {css}"))
    }

    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.html.select(&selector(css)).next().and_then(|e| e.value().attr(name)).map(str::to_owned)
    }

    /// The attribute `name` of every element `css` matches, in page order.
    pub fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.html.select(&selector(css)).filter_map(|e| e.value().attr(name)).map(str::to_owned).collect()
    }

    /// The value of the form field `name` (input value or textarea text).
    pub fn field(&self, name: &str) -> String {
        if let Some(value) = self.attr(&format!("input[name={name}]"), "value") {
            return value;
        }
        self.html
            .select(&selector(&format!("textarea[name={name}]")))
            .next()
            .map(|e| e.text().collect())
            .unwrap_or_else(|| panic!("no field named {name}"))
    }
}

impl Page {
    /// The id of the comment under which comment `id` is displayed (the nearest
    /// enclosing thread item), or `None` for a top-level comment.
    pub fn displayed_parent(&self, id: i64) -> Option<i64> {
        let article = self.html.select(&selector(&format!("article#comment-{id}"))).next().expect("comment shown");
        let own_item = article.parent()?;
        own_item.ancestors().filter_map(scraper::ElementRef::wrap).filter(|e| e.value().name() == "li").find_map(|li| {
            li.children()
                .filter_map(scraper::ElementRef::wrap)
                .find(|c| c.value().name() == "article")
                .and_then(|a| a.value().id())
                .and_then(|id| id.strip_prefix("comment-"))
                .and_then(|id| id.parse().ok())
        })
    }

    /// How many reply lists enclose comment `id`: its visual nesting level.
    pub fn nesting_level(&self, id: i64) -> usize {
        let article = self.html.select(&selector(&format!("article#comment-{id}"))).next().expect("comment shown");
        article
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .filter(|e| e.value().name() == "ol" && e.value().classes().any(|c| c == "replies"))
            .count()
    }

    /// The text of comment `id`'s body.
    pub fn comment_body(&self, id: i64) -> String {
        self.text(&format!("#comment-{id} .comment-body"))
    }
}

/// The password every test account is made with.
pub const PASSWORD: &str = "a long password";

impl TestApp {
    /// Creates an account directly through the service; returns its id.
    pub fn user(&self, name: &str, email: &str, role: answerable::domain::account::Role) -> i64 {
        let registration =
            answerable::domain::account::Registration::parse(name, email, PASSWORD).expect("registration");
        answerable::services::accounts::create_user(&mut self.conn(), &registration, role).expect("user").id
    }

    /// Creates a department (aliases comma-separated); returns its id.
    pub fn department(&self, name: &str, acronym: &str, aliases: &str) -> i64 {
        let input = answerable::domain::department::DepartmentInput::parse(name, acronym, "", aliases, "", "")
            .expect("department input");
        answerable::services::departments::create(&mut self.conn(), &input, None).expect("department")
    }

    /// Verifies a user as an official of a department; returns the grant's id.
    pub fn grant(&self, email: &str, acronym: &str, title: &str) -> i64 {
        let target = answerable::services::officials::GrantTarget { email, department_acronym: acronym };
        answerable::services::officials::grant(&mut self.conn(), &target, title, None).expect("grant")
    }

    /// Signs this browser in over HTTP, as a person would.
    pub async fn sign_in(&self, email: &str) {
        // Signed in already, /signin redirects: the header's sign-out form has the token.
        let signed_in = self.get("/signin").await.status() == reqwest::StatusCode::SEE_OTHER;
        let form = self.page(if signed_in { "/account" } else { "/signin" }).await;
        let token = form.attr("input[name=_csrf]", "value").expect("a form with a CSRF token");
        let response = self
            .client
            .post(self.url("/signin"))
            .form(&[("email", email), ("password", PASSWORD), ("_csrf", &token)])
            .send()
            .await
            .expect("POST /signin");
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "{email} signs in");
    }

    /// POSTs a form from the page at `from`, with that page's CSRF token added.
    pub async fn submit(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.page(from).await.attr("input[name=_csrf]", "value").unwrap_or_default();
        let stamp = stamp();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", &token), ("form_stamp", &stamp)];
        all.extend_from_slice(fields);
        self.client.post(self.url(action)).form(&all).send().await.expect("POST")
    }
}

/// Posts an official reply from the signed-in official's reply page; returns its id.
pub async fn reply_as_official(app: &TestApp, slug: &str, parent: i64, role: i64, body: &str, also: &[i64]) -> i64 {
    let from = format!("/posts/{slug}/comments/new?parent={parent}");
    let (parent, role) = (parent.to_string(), role.to_string());
    let also: Vec<String> = also.iter().map(i64::to_string).collect();
    let mut fields = vec![("parent_id", parent.as_str()), ("as_official", role.as_str()), ("body", body)];
    fields.extend(also.iter().map(|id| ("also_answers", id.as_str())));
    let response = app.submit(&from, &format!("/posts/{slug}/comments"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "official reply accepted");
    posted_id(&response)
}

/// The page a response carries.
pub async fn parse(response: reqwest::Response) -> Page {
    Page::parse(&response.text().await.expect("body"))
}

/// An app with one open post; returns the app and the post's slug.
pub async fn app_with_post() -> (TestApp, String) {
    let app = spawn_app().await;
    let slug = app.create_post("Opening hours", "The library opens at nine.", true);
    (app, slug)
}

impl TestApp {
    /// Writes an official reply straight through the service, as `user_id` with the
    /// grant `role_id`; returns its id.
    pub fn seed_official_reply(&self, slug: &str, user_id: i64, role_id: i64, parent: i64, body: &str) -> i64 {
        self.seed_as(slug, CommentAuthor::Member { user_id, as_official: Some(role_id) }, Some(parent), body)
    }

    /// Sets a comment's moderation status directly (e.g. "pending", "spam").
    pub fn set_status(&self, comment_id: i64, status: &str) {
        use answerable::db::schema::comments;
        use diesel::{ExpressionMethods, QueryDsl};
        diesel::update(comments::table.find(comment_id))
            .set(comments::status.eq(status))
            .execute(&mut self.conn())
            .expect("status set");
    }
}

/// Another browser on the same app, with its own cookies (a moderator next to a guest).
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub client: reqwest::Client,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, client: browser_client(&app.address) }
    }

    /// A fresh browser signed in as `email`.
    pub async fn signed_in(app: &'a TestApp, email: &str) -> Self {
        let browser = Self::new(app);
        let token = browser.page("/signin").await.attr("input[name=_csrf]", "value").expect("sign-in form");
        let fields = [("email", email), ("password", PASSWORD), ("_csrf", &token), ("next", "/")];
        let response = browser.client.post(app.url("/signin")).form(&fields).send().await.expect("POST /signin");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email} signs in");
        browser
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.app.url(path)).send().await.expect("GET")
    }

    pub async fn page(&self, path: &str) -> Page {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        parse(response).await
    }

    /// POSTs a form from the page at `from`, with that page's CSRF token and a stamp.
    pub async fn submit(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.page(from).await.attr("input[name=_csrf]", "value").unwrap_or_default();
        let stamp = stamp();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", &token), ("form_stamp", &stamp)];
        all.extend_from_slice(fields);
        self.client.post(self.app.url(action)).form(&all).send().await.expect("POST")
    }
}
