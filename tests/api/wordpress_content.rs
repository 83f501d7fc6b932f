//! WordPress content comes in as WordPress showed it (tests/fixtures/wordpress_officials.xml,
//! a theme-unit-test-like export): paragraphs, captions, galleries, embeds, shortcodes,
//! block markup, excerpts, and a password-protected post kept private.

use answerable::domain::account::Role;
use reqwest::StatusCode;

use crate::helpers::spawn_app;
use crate::wordpress::id_of;
use crate::wordpress_officials::{import, site, POST};

#[tokio::test]
async fn posts_and_comments_are_shown_as_wordpress_showed_them() {
    let app = spawn_app().await;
    site(&app);
    let summary = import(&app, &[]);
    assert!(
        summary.contains("Shortcodes with no meaning here, shown as text:\n  [contact-form-7] in 1 post\n"),
        "{summary}"
    );
    assert!(
        summary.contains("password-protected: 1 posts kept as drafts (not public), their 1 comments held"),
        "{summary}"
    );

    let page = app.page(POST).await;
    let body = page.html.select(&scraper::Selector::parse(".post-body").unwrap()).next().unwrap().inner_html();
    // Paragraph rules: a blank line is a paragraph, a single newline a line break.
    assert!(body.contains("<p>The long version starts here.<br>\nIt has a second line.</p>"), "{body}");
    // A caption is a figure with its caption.
    assert!(
        body.contains(r#"<figure><img alt="New servers" height="200" src="https://blog.example.gov/wp-content/uploads/servers.jpg" width="300"><figcaption>The new servers in Leeds</figcaption></figure>"#),
        "{body}"
    );
    // A gallery, an embed and a bare video URL are plain links that show their address;
    // the gallery's images come later in the file than the post.
    for url in [
        "https://digital.example.gov/wp-content/uploads/servers.jpg",
        "https://digital.example.gov/wp-content/uploads/racks.jpg",
        "https://www.youtube.com/watch?v=abc123",
        "https://vimeo.com/76979871",
    ] {
        assert!(body.contains(&format!(r#"<a href="{url}" rel="noopener">{url}</a>"#)), "{url}: {body}");
    }
    assert!(!body.contains("<iframe") && !body.contains("[gallery") && !body.contains("[embed"), "{body}");
    // Unknown shortcodes stay as text; the post's own links are not user content.
    assert!(page.text(".post-body").contains("[contact-form-7 id=\"12\" title=\"Feedback\"]"), "{body}");
    assert!(body.contains(r#"<a href="https://www.gov.uk/guidance" rel="noopener">the guidance</a>"#), "{body}");
    assert!(!body.contains("more"), "the <!--more--> marker is gone: {body}");

    // The excerpt is what comes before <!--more-->.
    let home = app.page("/").await;
    assert!(home.source.contains("We are fixing IT. This is the short version."), "{}", home.source);
    assert!(!home.source.contains("The long version starts here"), "{}", home.source);

    // Comments follow the same paragraph rules, and their links stay user content.
    let selector = scraper::Selector::parse(&format!("#comment-{} .comment-body", id_of(&page, "Alex Brown"))).unwrap();
    let alex = page.html.select(&selector).next().unwrap().inner_html();
    assert!(
        alex.contains("<p>The case-work system<br>\ncannot be used without a mouse.</p>\n<p>A second paragraph.</p>"),
        "{alex}"
    );

    // Block markup keeps its own paragraphs and loses its comments.
    let blocks = app.page("/posts/a-block-editor-post").await;
    let body = blocks.html.select(&scraper::Selector::parse(".post-body").unwrap()).next().unwrap().inner_html();
    assert!(body.contains("<p>Block one\nstill block one</p>"), "{body}");
    assert!(!body.contains("wp:") && !body.contains("<br"), "{body}");
    let url = "https://www.youtube.com/watch?v=xyz789";
    assert!(body.contains(&format!(r#"<a href="{url}" rel="noopener">{url}</a>"#)), "{body}");

    // The password-protected post is not public, nor is its comment.
    assert_eq!(app.get("/posts/pay-award").await.status(), StatusCode::NOT_FOUND);
    assert!(!home.source.contains("should not be visible"));
    app.user("Ada Admin", "ada@example.gov", Role::Admin);
    app.sign_in("ada@example.gov").await;
    let drafts = app.page("/admin/posts").await;
    assert!(drafts.source.contains("Protected: Pay award"), "kept as a draft for an admin");
}
