//! Paging a post's threads: whole threads per page, giant threads on pages of their own.

use reqwest::StatusCode;

use crate::helpers::{location, seed_comment_on, spawn_app, spawn_app_with, test_mail};

#[tokio::test]
async fn each_page_holds_whole_threads_and_permalinks_find_the_right_page() {
    let app = spawn_app_with(&[("ANSWERABLE_THREADS_PER_PAGE", "2")]).await;
    let slug = app.create_post("Plan", "Body.", true);
    let mut threads = Vec::new();
    for n in 1..=5 {
        let top = app.seed_comment(&slug, &format!("Author {n}"), &format!("Thread {n}"), None);
        let reply = app.seed_comment(&slug, "Replier", &format!("Reply in thread {n}"), Some(top));
        threads.push((top, reply));
    }
    // A late reply to the first thread stays with its thread on page 1.
    let late = app.seed_comment(&slug, "Late", "Late reply to thread 1", Some(threads[0].0));

    let page1 = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page1.texts(".threads > li > article .comment-body"), ["Thread 1", "Thread 2"]);
    assert_eq!(page1.displayed_parent(late), Some(threads[0].0));
    assert_eq!(page1.text("#comments-title"), "11 comments");
    assert!(page1.text(".comments > p.meta").contains("page 1 of 3"));
    let page3 = app.page(&format!("/posts/{slug}?page=3")).await;
    assert_eq!(page3.texts(".threads > li > article .comment-body"), ["Thread 5"]);
    assert_eq!(page3.displayed_parent(threads[4].1), Some(threads[4].0));
    assert_eq!(app.get(&format!("/posts/{slug}?page=4")).await.status(), StatusCode::NOT_FOUND);

    let response = app.get(&format!("/comments/{}", threads[4].1)).await;
    assert_eq!(location(&response), format!("/posts/{slug}?page=3#comment-{}", threads[4].1));
    let response = app.get(&format!("/comments/{late}")).await;
    assert_eq!(location(&response), format!("/posts/{slug}#comment-{late}"));
}

#[tokio::test]
async fn a_thread_larger_than_a_page_continues_on_thread_pages() {
    let app = spawn_app_with(&[("ANSWERABLE_COMMENTS_PER_PAGE", "5")]).await;
    let slug = app.create_post("Plan", "Body.", true);
    let before = app.seed_comment(&slug, "Before", "A small thread first", None);
    let root = app.seed_comment(&slug, "Root", "A busy thread", None);
    let mut replies = Vec::new();
    for n in 1..=11 {
        replies.push(app.seed_comment(&slug, "Replier", &format!("Reply {n}"), Some(root)));
    }
    app.seed_comment(&slug, "After", "A small thread after", None);

    let page1 = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page1.texts(".threads > li > article .comment-body"), ["A small thread first"]);
    let page2 = app.page(&format!("/posts/{slug}?page=2")).await;
    assert_eq!(page2.count("article.comment"), 5, "never more than a page of comments");
    let more = page2.text(".continue-thread a");
    assert!(more.contains("read the other 7 replies"), "{more}");
    let href = page2.attr(".continue-thread a", "href").unwrap();
    assert_eq!(href, format!("/posts/{slug}/threads/{root}?page=2"));

    let thread2 = app.page(&href).await;
    assert_eq!(thread2.count("article.comment"), 5);
    assert_eq!(thread2.comment_body(replies[4]), "Reply 5");
    assert_eq!(thread2.text(&format!("#comment-{} .in-reply-to", replies[4])), "in reply to Root");
    let thread3 = app.page(&format!("/posts/{slug}/threads/{root}?page=3")).await;
    assert_eq!(thread3.count("article.comment"), 2);
    let page3 = app.page(&format!("/posts/{slug}?page=3")).await;
    assert_eq!(page3.texts(".threads > li > article .comment-body"), ["A small thread after"]);

    let response = app.get(&format!("/comments/{}", replies[6])).await;
    assert_eq!(location(&response), format!("/posts/{slug}/threads/{root}?page=2#comment-{}", replies[6]));
    let response = app.get(&format!("/comments/{}", replies[1])).await;
    assert_eq!(location(&response), format!("/posts/{slug}?page=2#comment-{}", replies[1]));
    assert_eq!(app.get(&format!("/posts/{slug}/threads/{before}?page=2")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_thousand_comment_thread_never_makes_a_thousand_comment_page() {
    let app = spawn_app().await;
    let slug = app.create_post("Plan", "Body.", true);
    let post_id = {
        let mut conn = app.conn();
        answerable::db::posts::find_published_by_slug(&mut conn, &slug).unwrap().unwrap().id
    };
    {
        let mut conn = app.conn();
        // One transaction that writes first (BEGIN IMMEDIATE on SQLite), so the app's
        // mail worker writing meanwhile cannot make it fail.
        answerable::db::transaction::<_, diesel::result::Error, _>(&mut conn, |conn| {
            let root = seed_comment_on(conn, post_id, "Root", "Everyone replies here", None);
            let mut parent = root;
            for n in 0..1_200 {
                // Mostly replies to the root, with some short chains.
                let reply_to = if n % 4 == 0 { root } else { parent };
                parent = seed_comment_on(conn, post_id, "Replier", "Me too", Some(reply_to));
            }
            Ok(())
        })
        .unwrap();
    }
    let started = std::time::Instant::now();
    let page = app.page(&format!("/posts/{slug}")).await;
    assert_eq!(page.text("#comments-title"), "1201 comments");
    assert_eq!(page.count("article.comment"), 500, "the default page holds 500 comments");
    assert!(page.text(".continue-thread a").contains("read the other 701 replies"));
    let last = app
        .page(&format!(
            "/posts/{slug}/threads/{}?page=3",
            page.attr(".threads article", "id").unwrap().trim_start_matches("comment-")
        ))
        .await;
    assert_eq!(last.count("article.comment"), 201);
    // Not a timing assertion (benchmarks measure speed): just a guard against a pathological page.
    assert!(started.elapsed().as_secs() < 30);
}

#[tokio::test]
async fn the_demo_discussion_reads_as_nested_threads() {
    let app = spawn_app().await;
    let summary = {
        let mut conn = app.conn();
        answerable::tools::demo::fill(&mut conn, &test_mail(), 300).unwrap()
    };
    assert_eq!(summary.deepest, 5, "replies go five levels deep");
    let page = app.page(&format!("/posts/{}", summary.big_post_slug)).await;
    assert_eq!(page.text("#comments-title"), "297 comments");
    assert!(page.count("ol.replies ol.replies ol.replies ol.replies article") > 0, "nested five levels");
    let home = app.page("/").await;
    assert_eq!(home.count(".post-list > li"), 2);
    let mut conn = app.conn();
    assert!(
        answerable::tools::demo::fill(&mut conn, &test_mail(), 10).is_err(),
        "the demo only fills an empty database"
    );
}
