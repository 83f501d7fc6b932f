//! `answerable import wxr`: a hand-written WordPress export (tests/fixtures/wordpress.xml)
//! comes in with its threads, statuses and the officials' signed replies, once.

use std::collections::HashMap;
use std::process::{Command, Output};

use answerable::db::schema::{comments, import_ids, posts};
use answerable::domain::account::Role;
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::{spawn_app, Page, TestApp};

pub const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wordpress.xml");
pub const OFFICIALS_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/officials.csv");

pub fn answerable(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_answerable"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("ANSWERABLE_DATA_DIR", app.data_dir.path())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run answerable")
}

pub fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn err(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The departments and the verified official the fixture's replies refer to.
pub fn site_before_import(app: &TestApp) {
    app.department("Department for Work and Pensions", "DWP", "");
    app.department("HM Revenue and Customs", "HMRC", "Revenue and Customs");
    app.user("Jane Doe", "jane.doe@dwp.example.gov", Role::Reader);
    app.grant("jane.doe@dwp.example.gov", "DWP", "Chief Technology Officer");
}

pub fn import_fixture(app: &TestApp) -> String {
    let imported = answerable(app, &["import", "wxr", FIXTURE, "--officials", OFFICIALS_CSV]);
    assert!(imported.status.success(), "{}", err(&imported));
    out(&imported)
}

/// (author, author of the comment it is shown under) for each comment, in page order.
fn tree(page: &Page) -> Vec<(String, Option<String>)> {
    let ids: Vec<i64> = page
        .html
        .select(&scraper::Selector::parse("article.comment").unwrap())
        .filter_map(|a| a.value().id()?.strip_prefix("comment-")?.parse().ok())
        .collect();
    let authors: HashMap<i64, String> =
        ids.iter().map(|id| (*id, page.text(&format!("#comment-{id} .author")))).collect();
    ids.iter().map(|id| (authors[id].clone(), page.displayed_parent(*id).map(|p| authors[&p].clone()))).collect()
}

pub fn id_of(page: &Page, author: &str) -> i64 {
    let articles = scraper::Selector::parse("article.comment").unwrap();
    page.html
        .select(&articles)
        .find(|a| a.text().any(|t| t.trim() == author))
        .and_then(|a| a.value().id()?.strip_prefix("comment-")?.parse().ok())
        .unwrap_or_else(|| panic!("a comment by {author}"))
}

fn count_rows(app: &TestApp) -> (i64, i64, i64) {
    let mut conn = app.conn();
    (
        posts::table.count().get_result(&mut conn).unwrap(),
        comments::table.count().get_result(&mut conn).unwrap(),
        import_ids::table.count().get_result(&mut conn).unwrap(),
    )
}

#[tokio::test]
async fn a_wordpress_export_comes_in_with_threads_states_and_signed_official_replies() {
    let app = spawn_app().await;
    site_before_import(&app);
    let summary = import_fixture(&app);
    assert!(summary.contains("Imported from https://blog.example.gov:"), "{summary}");
    assert!(summary.contains("posts:    3 (2 published, 1 kept as drafts); 0 already imported"), "{summary}");
    assert!(summary.contains("comments: 12 (10 published, 1 held for moderation, 1 spam)"), "{summary}");
    assert!(summary.contains("official replies recognised: 2, answering 2 comments"), "{summary}");
    for reason in
        ["1  comments in the trash", "1  pingbacks", "1  items of type `page`", "1  posts with status `trash`"]
    {
        assert!(summary.contains(reason), "skipped {reason}: {summary}");
    }
    let matches: Vec<&str> = summary.lines().filter(|l| l.starts_with("  comment ")).collect();
    assert_eq!(matches.len(), 2, "{summary}");
    assert!(matches[0].contains("comment 102") && matches[0].contains("as Jane Doe, Chief Technology Officer, DWP"));
    assert!(matches[0].ends_with("answers Sam Smith"), "{}", matches[0]);
    assert!(
        matches[1].contains("comment 111")
            && matches[1].contains("Mark Dearnley, Chief Digital and Information Officer, HMRC")
    );

    let page = app.page("/posts/we-are-fixing-it").await;
    assert_eq!(page.text("h1"), "We are fixing IT");
    assert!(page.text(".post-body").contains("Tell us what gets in your way & we will answer."));
    assert!(page.text("p.meta").starts_with("Pat Lee"), "the author's display name");
    assert_eq!(page.text(".categories"), "Filed under: Staff news, Technology");
    assert_eq!(page.text("#comments-title"), "10 comments");
    let s = |x: &str| x.to_owned();
    assert_eq!(
        tree(&page),
        vec![
            (s("Sam Smith"), None),
            (s("Jane Doe"), Some(s("Sam Smith"))),
            (s("Sam Smith"), Some(s("Jane Doe"))),
            (s("Alex Brown"), None),
            (s("J. Doe"), Some(s("Alex Brown"))),
            // Its parent is in the trash: it moves up to where that comment was.
            (s("Dana White"), None),
            (s("Erin Black"), None),
            (s("MD"), Some(s("Erin Black"))),
            (s("Fay Gold"), None),
            // Listed before its parent in the file.
            (s("Gus Grey"), Some(s("Fay Gold"))),
        ]
    );
    let badges = page.texts(".badge");
    assert_eq!(badges.len(), 2, "{badges:?}");
    assert!(badges[0].contains("Jane Doe, Chief Technology Officer, Department for Work and Pensions (DWP)"));
    assert!(badges[1].contains("Mark Dearnley, Chief Digital and Information Officer, HM Revenue and Customs (HMRC)"));
    assert!(badges.iter().all(|b| b.ends_with("verified at import")), "{badges:?}");

    let sam = id_of(&page, "Sam Smith");
    assert!(page.text(&format!("#comment-{sam} .absolute")).contains("8 Jan 2024"), "original date kept");
    assert!(
        page.text(&format!("#comment-{sam} .response-state"))
            .starts_with("Answered by Jane Doe, Chief Technology Officer, DWP (2 working days)"),
        "{}",
        page.text(&format!("#comment-{sam} .response-state"))
    );
    let erin = id_of(&page, "Erin Black");
    assert!(page
        .text(&format!("#comment-{erin} .response-state"))
        .starts_with("Answered by Mark Dearnley, Chief Digital and Information Officer, HMRC (3 working days)"));
    let (alex, jdoe) = (id_of(&page, "Alex Brown"), id_of(&page, "J. Doe"));
    assert!(page.text(&format!("#comment-{alex} .response-state")).starts_with("Awaiting response"));
    assert_eq!(page.count(&format!("#comment-{jdoe} .response-state")), 0, "a reply nobody answered is conversation");
    assert_eq!(page.count(&format!("#comment-{jdoe} .badge")), 0, "another title is not the official");
    assert!(page.source.contains("without a mouse.<br"), "line breaks kept");
    for hidden in ["firewall", "cheap pills", "binned", "staff blog says", "First!"] {
        assert!(!page.source.contains(hidden), "{hidden} is not shown");
    }
    let history = app.page(&format!("/comments/{sam}/responses")).await;
    assert!(history.source.contains("Jane Doe (recognised at import)"), "the event names who answered");

    let mut conn = app.conn();
    let statuses: Vec<String> = comments::table
        .filter(comments::status.ne("published"))
        .order(comments::status)
        .select(comments::status)
        .load(&mut conn)
        .unwrap();
    assert_eq!(statuses, vec!["pending", "spam"]);

    assert_eq!(app.get("/posts/notes-for-the-next-update").await.status(), 404, "drafts stay drafts");
    assert_eq!(app.get("/posts/about").await.status(), 404, "pages are not posts");
    let closed = app.page("/posts/closed-for-the-election").await;
    assert!(closed.text("#comments-closed").contains("Comments are closed"));
    assert!(closed.text("p.meta").starts_with("someoneelse"));

    for (acronym, days) in [("DWP", 2), ("HMRC", 3)] {
        let json: Value =
            serde_json::from_str(&app.get(&format!("/departments/{acronym}.json")).await.text().await.unwrap())
                .unwrap();
        assert_eq!((json["routed"].clone(), json["answered"].clone()), (1.into(), 1.into()), "{acronym}: {json}");
        assert_eq!(json["median_working_days"], f64::from(days), "{acronym}: {json}");
    }
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing() {
    let app = spawn_app().await;
    site_before_import(&app);
    import_fixture(&app);
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("1.json"), dir.path().join("2.json"));
    assert!(answerable(&app, &["export", "--format", "json", first.to_str().unwrap()]).status.success());
    let page_before = app.page("/posts/we-are-fixing-it").await.texts("article.comment");

    let again = import_fixture(&app);
    assert!(again.contains("posts:    0 (0 published, 0 kept as drafts); 3 already imported"), "{again}");
    assert!(again.contains("comments: 0 (0 published, 0 held for moderation, 0 spam); 12 already imported"), "{again}");
    assert!(again.contains("official replies recognised: 0"), "{again}");

    assert!(answerable(&app, &["export", "--format", "json", second.to_str().unwrap()]).status.success());
    let canonical = |path: &std::path::Path| {
        let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        doc.as_object_mut().unwrap().remove("exported_at");
        doc
    };
    assert_eq!(canonical(&first), canonical(&second), "every row is as it was");
    assert_eq!(app.page("/posts/we-are-fixing-it").await.texts("article.comment"), page_before);
}

#[tokio::test]
async fn a_dry_run_lists_the_matches_and_writes_nothing() {
    let app = spawn_app().await;
    site_before_import(&app);
    let dry = answerable(&app, &["import", "wxr", FIXTURE, "--officials", OFFICIALS_CSV, "--dry-run"]);
    assert!(dry.status.success(), "{}", err(&dry));
    let text = out(&dry);
    assert!(text.starts_with("Would import from https://blog.example.gov:"), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("  comment ")).count(), 2, "{text}");
    assert!(text.ends_with("Dry run: nothing was written.\n"), "{text}");
    assert_eq!(count_rows(&app), (0, 0, 0));

    // Without the CSV, only the official verified on the site is recognised.
    let dry = out(&answerable(&app, &["import", "wxr", FIXTURE, "--dry-run"]));
    assert!(dry.contains("official replies recognised: 1, answering 1 comments"), "{dry}");
}

#[tokio::test]
async fn malformed_exports_are_refused_by_line_and_nothing_is_half_imported() {
    let app = spawn_app().await;
    site_before_import(&app);
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let line_of = |needle: &str| fixture[..fixture.find(needle).unwrap()].matches('\n').count() + 1;

    let cut = dir.path().join("cut.xml");
    std::fs::write(&cut, &fixture[..fixture.find("<wp:comment_id>111").unwrap()]).unwrap();
    let failed = answerable(&app, &["import", "wxr", cut.to_str().unwrap()]);
    assert!(!failed.status.success());
    let message = err(&failed);
    assert!(message.contains("ends at line") && message.contains("inside <wp:comment>"), "{message}");
    assert!(message.contains(&format!("the <item> starting at line {}", line_of("<item>"))), "{message}");
    assert!(message.contains("Nothing was imported."), "{message}");
    assert_eq!(count_rows(&app), (0, 0, 0), "the posts and comments before the cut are not kept");

    let typo = dir.path().join("typo.xml");
    std::fs::write(&typo, fixture.replacen("</wp:comment_content>", "</wp:comment_contents>", 1)).unwrap();
    let message = err(&answerable(&app, &["import", "wxr", typo.to_str().unwrap()]));
    let line = line_of("Log-in takes 9 minutes");
    assert!(message.contains(&format!("line {line}: the XML is not well formed")), "{message}");
    assert!(message.contains("</wp:comment_contents>"), "{message}");
    assert_eq!(count_rows(&app), (0, 0, 0));

    let number = dir.path().join("number.xml");
    std::fs::write(
        &number,
        fixture.replace("<wp:comment_parent>102</wp:comment_parent>", "<wp:comment_parent>x</wp:comment_parent>"),
    )
    .unwrap();
    let message = err(&answerable(&app, &["import", "wxr", number.to_str().unwrap()]));
    assert!(message.contains("<wp:comment_parent> should be a number, not `x`"), "{message}");

    let feed = dir.path().join("feed.xml");
    std::fs::write(&feed, "<rss><channel><title>A feed</title><item><title>x</title></item></channel></rss>").unwrap();
    let message = err(&answerable(&app, &["import", "wxr", feed.to_str().unwrap()]));
    assert!(message.contains("not a WordPress export"), "{message}");

    let csv = dir.path().join("officials.csv");
    std::fs::write(&csv, "name,title,department\nPat Lee,Permanent Secretary,Ministry of Magic\n").unwrap();
    let message = err(&answerable(&app, &["import", "wxr", FIXTURE, "--officials", csv.to_str().unwrap()]));
    assert!(message.contains("officials CSV line 2: no department called `Ministry of Magic`"), "{message}");
    assert_eq!(count_rows(&app), (0, 0, 0));
}

/// A WXR export of one post with one approved comment; `extra` goes inside the item.
fn one_post_export(extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Staff Blog</title>
	<link>https://blog.example.gov</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://blog.example.gov</wp:base_site_url>
	<item>
		<title>Pay award for 2025</title>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<content:encoded><![CDATA[<p>This should not be visible until the password is entered.</p>]]></content:encoded>
		<wp:post_id>41</wp:post_id>
		<wp:post_date_gmt><![CDATA[2024-03-01 09:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:post_name><![CDATA[pay-award-2025]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		{extra}
		<wp:comment>
			<wp:comment_id>900</wp:comment_id>
			<wp:comment_author><![CDATA[Sam Staff]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[sam@example.gov]]></wp:comment_author_email>
			<wp:comment_date_gmt><![CDATA[2024-03-02 10:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[What does this mean for band B?]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
		</wp:comment>
	</item>
</channel>
</rss>
"#
    )
}

#[tokio::test]
async fn a_password_protected_post_comes_in_as_a_draft_with_its_comments_held() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("protected.xml");
    std::fs::write(&path, one_post_export("<wp:post_password><![CDATA[hunter2]]></wp:post_password>")).unwrap();
    let imported = answerable(&app, &["import", "wxr", path.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", err(&imported));
    let summary = out(&imported);
    assert!(
        summary.contains("password-protected: 1 posts kept as drafts (not public), their 1 comments held"),
        "the summary says so:\n{summary}"
    );
    assert_eq!(app.get("/posts/pay-award-2025").await.status(), reqwest::StatusCode::NOT_FOUND, "not public");
    let home = app.get("/").await.text().await.unwrap();
    assert!(!home.contains("should not be visible"), "nor on the home page");
    let feed = app.get("/feeds/posts.atom").await.text().await.unwrap();
    assert!(!feed.contains("Pay award"), "nor in the feed");
    let held: i64 = comments::table.filter(comments::status.eq("pending")).count().get_result(&mut app.conn()).unwrap();
    assert_eq!(held, 1, "its comment waits for a moderator");

    // The same post without a password is published as before.
    let open = spawn_app().await;
    std::fs::write(&path, one_post_export("<wp:post_password><![CDATA[]]></wp:post_password>")).unwrap();
    let imported = answerable(&open, &["import", "wxr", path.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", err(&imported));
    assert!(!out(&imported).contains("password-protected"));
    assert_eq!(open.get("/posts/pay-award-2025").await.status(), reqwest::StatusCode::OK);
}

/// Every index on `comments`, as its definition, in name order.
fn comment_indexes(app: &TestApp) -> Vec<String> {
    use answerable::db::AnyConnection;
    #[derive(QueryableByName)]
    struct Index {
        #[diesel(sql_type = diesel::sql_types::Text)]
        definition: String,
    }
    let mut conn = app.conn();
    let sql = match &*conn {
        AnyConnection::Sqlite(_) => {
            "SELECT sql AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comments' \
             AND sql IS NOT NULL ORDER BY name"
        }
        _ => "SELECT indexdef AS definition FROM pg_indexes WHERE tablename = 'comments' ORDER BY indexname",
    };
    diesel::sql_query(sql).load::<Index>(&mut conn).unwrap().into_iter().map(|i| i.definition).collect()
}

#[tokio::test]
async fn a_large_import_leaves_the_comment_indexes_as_the_schema_defines_them() {
    let app = spawn_app().await;
    let before = comment_indexes(&app);
    assert!(before.len() > 10, "the schema's indexes: {before:?}");
    // Enough comments that the import drops the indexes it does not read (SQLite)
    // and builds them again before it commits.
    let comments: String = (0..2_100)
        .map(|n| {
            let parent = if n % 3 == 0 { 0 } else { 5_000 + n - 1 };
            format!(
                "<wp:comment><wp:comment_id>{}</wp:comment_id><wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>\
                 <wp:comment_author_email>r{n}@example.gov</wp:comment_author_email>\
                 <wp:comment_date_gmt>2024-03-02 10:00:00</wp:comment_date_gmt>\
                 <wp:comment_content><![CDATA[Comment number {n}.]]></wp:comment_content>\
                 <wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>\
                 <wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n",
                5_000 + n
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.xml");
    std::fs::write(&path, one_post_export(&comments)).unwrap();
    let imported = answerable(&app, &["import", "wxr", path.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", err(&imported));
    assert!(out(&imported).contains("comments: 2101 (2101 published"), "{}", out(&imported));
    assert_eq!(comment_indexes(&app), before, "every index is back, as defined");
    let page = app.page("/posts/pay-award-2025").await;
    assert!(page.text(".threads").contains("Comment number 0."), "the comments are on the page");
}
