//! Search finds words in posts and published comments, phrases as phrases, honours
//! the filters and pages, highlights what matched, and survives hostile queries.

use answerable::domain::account::Role;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, Page, TestApp};

async fn search(app: &TestApp, query: &str) -> Page {
    let url = format!("/search?{query}");
    let response = app.get(&url).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    Page::parse(&response.text().await.unwrap())
}

fn q(words: &str) -> String {
    format!("q={}", percent(words))
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn headings(page: &Page) -> Vec<String> {
    page.texts(".search-results h2")
}

struct World {
    slug: String,
    question: i64,
    deep: i64,
}

/// Two posts; a question answered by DWP, a deep reply chain, a held comment, and a
/// comment on the other post routed to HMRC.
fn world(app: &TestApp) -> World {
    let slug = app.create_post("Fixing our IT", "We are replacing the old computers this year.", true);
    let tax = app.create_post("Tax online", "The tax site is being rebuilt.", true);
    app.department("Department for Work and Pensions", "DWP", "");
    app.department("HM Revenue and Customs", "HMRC", "");
    let question = app.seed_comment(&slug, "Priya Shah", "Why does log-in take nine minutes?", None);
    let mut parent = app.seed_comment(&slug, "Sam", "The printer works, sometimes.", None);
    for depth in 0..4 {
        parent = app.seed_comment(&slug, "Lee", &format!("Still waiting, day {depth}."), Some(parent));
    }
    let deep = app.seed_comment(&slug, "Ola", "Honestly the printer on floor three is broken again.", Some(parent));
    let held = app.seed_comment(&slug, "Spammer", "nine cheap printers for sale", None);
    app.set_status(held, "pending");
    let jane = app.user("Jane Doe", "jane@dwp.gov.uk", Role::Reader);
    let role = app.grant("jane@dwp.gov.uk", "DWP", "Chief Technology Officer");
    app.seed_official_reply(&slug, jane, role, question, "Log-in will take seconds after the March upgrade.");
    let hmrc_comment = app.seed_comment(&tax, "Ali", "The tax site times out at log-in.", None);
    let hmrc = {
        use answerable::db::schema::departments;
        use diesel::prelude::*;
        departments::table
            .filter(departments::acronym.eq("HMRC"))
            .select(departments::id)
            .first::<i64>(&mut app.conn())
            .unwrap()
    };
    {
        use answerable::db::schema::comments;
        use diesel::prelude::*;
        diesel::update(comments::table.find(hmrc_comment))
            .set(comments::department_id.eq(hmrc))
            .execute(&mut app.conn())
            .unwrap();
    }
    World { slug, question, deep }
}

#[tokio::test]
async fn words_are_found_in_posts_and_published_comments_only() {
    let app = spawn_app().await;
    let w = world(&app);
    let page = search(&app, &q("computers")).await;
    assert_eq!(headings(&page), vec!["Fixing our IT"], "a word from a post's body");
    let page = search(&app, &q("nine")).await;
    assert_eq!(headings(&page), vec!["Comment by Priya Shah on Fixing our IT"], "the held comment is not found");
    assert_eq!(page.attr(".search-results h2 a", "href").unwrap(), format!("/comments/{}", w.question));
    assert_eq!(page.text("#results-title"), "1 result");
    assert_eq!(page.texts(".search-results mark"), vec!["nine"], "the matched word is highlighted");
    let page = search(&app, &q("log-in")).await;
    assert_eq!(page.count(".search-results > li"), 3, "question, official answer, tax comment: {:?}", headings(&page));
}

#[tokio::test]
async fn a_phrase_from_a_deep_reply_is_found_and_words_apart_are_not_a_phrase() {
    let app = spawn_app().await;
    let w = world(&app);
    let page = search(&app, &q("\"printer on floor three\"")).await;
    assert_eq!(page.attr(".search-results h2 a", "href").unwrap(), format!("/comments/{}", w.deep));
    assert_eq!(page.count(".search-results > li"), 1);
    let page = search(&app, &q("\"printer sometimes broken\"")).await;
    assert_eq!(page.text("#results-title"), "No results");
    let page = search(&app, &q("printer broken")).await;
    assert_eq!(page.count(".search-results > li"), 1, "every word must match: {:?}", headings(&page));
}

#[tokio::test]
async fn filters_narrow_by_post_department_state_and_official_replies() {
    let app = spawn_app().await;
    let w = world(&app);
    let on_post = search(&app, &format!("{}&post={}", q("log-in"), w.slug)).await;
    assert_eq!(on_post.count(".search-results > li"), 2, "{:?}", headings(&on_post));
    let official = search(&app, &format!("{}&official=1", q("log-in"))).await;
    assert_eq!(headings(&official), vec!["Official reply by Jane Doe on Fixing our IT"]);
    assert!(official.text(".search-results .badge").contains("Chief Technology Officer"));
    let dwp = search(&app, &format!("{}&department=DWP", q("log-in"))).await;
    assert_eq!(dwp.count(".search-results > li"), 2, "the answered question routed to DWP and DWP's reply");
    let hmrc = search(&app, &format!("{}&department=HMRC", q("log-in"))).await;
    assert_eq!(headings(&hmrc), vec!["Comment by Ali on Tax online"]);
    let answered = search(&app, &format!("{}&state=answered", q("log-in"))).await;
    assert_eq!(headings(&answered), vec!["Comment by Priya Shah on Fixing our IT"]);
    let awaiting = search(&app, &format!("{}&state=awaiting", q("log-in"))).await;
    assert_eq!(headings(&awaiting), vec!["Comment by Ali on Tax online"]);
    let nowhere = search(&app, &format!("{}&department=NOPE&post=no-such-post", q("log-in"))).await;
    assert_eq!(nowhere.text("#results-title"), "No results");
    assert_eq!(nowhere.count("#field-department option[selected]"), 0, "an unknown department is not offered");
    assert_eq!(nowhere.attr("#field-q", "value").unwrap(), "log-in", "what was typed is kept");
    let kept = search(&app, &format!("{}&department=HMRC&state=awaiting&official=1", q("log-in"))).await;
    assert_eq!(kept.attr("#field-department option[selected]", "value").unwrap(), "HMRC");
    assert_eq!(kept.attr("#field-state option[selected]", "value").unwrap(), "awaiting");
    assert_eq!(kept.count("#field-official[checked]"), 1);
}

#[tokio::test]
async fn results_come_a_page_at_a_time() {
    let app = spawn_app().await;
    let slug = app.create_post("Printers", "About printing.", true);
    for i in 0..25 {
        app.seed_comment(&slug, "Reader", &format!("Toner number {i} ran out."), None);
    }
    let first = search(&app, &q("toner")).await;
    assert_eq!(first.text("#results-title"), "25 results");
    assert_eq!(first.count(".search-results > li"), 20);
    let next = first.attr("nav.pagination a[rel=next]", "href").unwrap();
    assert_eq!(next, "/search?q=toner&page=2");
    let second = app.page(&next).await;
    assert_eq!(second.count(".search-results > li"), 5);
    let beyond = search(&app, "q=toner&page=9").await;
    assert_eq!(beyond.count(".search-results > li"), 0);
    assert!(beyond.source.contains("Go to the first page of results"));
}

#[tokio::test]
async fn excerpts_escape_the_text_and_mark_only_the_match() {
    let app = spawn_app().await;
    let slug = app.create_post("Markup", "Body.", true);
    app.seed_comment(&slug, "Mallory", "<script>alert('x')</script> <b>bold</b> firewall blocks video", None);
    let page = search(&app, &q("firewall")).await;
    let excerpt = page.text(".search-results .excerpt");
    // SQLite shows the markdown as typed; PostgreSQL's ts_headline drops the tags.
    assert!(excerpt.contains("bold") && excerpt.contains("firewall blocks video"), "the text around it: {excerpt}");
    assert!(!page.source.contains("<script>alert"), "never as markup");
    assert_eq!(page.count(".search-results .excerpt b"), 0);
    assert_eq!(page.texts(".search-results mark"), vec!["firewall"]);
}

#[tokio::test]
async fn hostile_queries_give_results_or_no_results_never_an_error() {
    let app = spawn_app().await;
    world(&app);
    let long = "nine ".repeat(2_000);
    let hostile = [
        "\"",
        "\"nine",
        "nine\"",
        "\"\"\"",
        "(((nine",
        "nine)))",
        "nine AND OR NOT",
        "NEAR(nine minutes, 1)",
        "body_md:nine",
        "title:computers",
        "nine*",
        "*",
        "-nine",
        "nine -minutes",
        "^nine",
        "nine + minutes",
        "'; DROP TABLE comments; --",
        "\\",
        "%",
        "<script>alert(1)</script>",
        "!@#$%^&*()",
        "the",
        "or",
        "nine | minutes",
        "nine & minutes",
        "nine:*",
        "\u{E000}nine\u{E001}",
        "日本語 nine",
        long.as_str(),
    ];
    for text in hostile {
        let page = search(&app, &q(text)).await;
        let shown = page.count(".search-results > li");
        let said = page.texts("#results-title, #no-results").join(" ");
        assert!(shown > 0 || !said.is_empty(), "{text:?}: results or a message, got {said}");
    }
    let page = search(&app, &q("NEAR(nine minutes, 1)")).await;
    assert!(page.count(".search-results > li") == 0, "NEAR is a word, not an operator");
    let page = search(&app, &q("-nine")).await;
    assert_eq!(page.count(".search-results > li"), 1, "a leading minus does not exclude");
    let page = search(&app, "q=nine&page=abc&official=&post=%FF").await;
    assert!(page.count("#results-title") == 1);
}

#[tokio::test]
async fn every_page_has_a_search_form_that_works_without_javascript() {
    let app = spawn_app().await;
    world(&app);
    let home = app.page("/").await;
    assert_eq!(home.attr("header form[role=search]", "action").unwrap(), "/search");
    assert_eq!(home.attr("header form[role=search]", "method").unwrap(), "get");
    assert_eq!(home.attr("header form[role=search] input[type=search]", "name").unwrap(), "q");
    let empty = search(&app, "").await;
    assert_eq!(empty.count(".search-results"), 0);
    assert_eq!(empty.attr("#field-q", "value").unwrap(), "");
}
