use super::*;

fn html(content: &str) -> String {
    render_post(content, &Attachments::default()).html.into_string()
}

#[test]
fn blank_lines_make_paragraphs_and_single_newlines_line_breaks() {
    assert_eq!(html("One\ntwo\n\nThree"), "<p>One<br>\ntwo</p>\n<p>Three</p>\n");
    assert_eq!(html("<ul>\n<li>a</li>\n</ul>\n\nText"), "<ul>\n<li>a</li>\n</ul>\n<p>Text</p>\n");
    assert!(html("*not* markdown").contains("<p>*not* markdown</p>"));
}

#[test]
fn block_markup_keeps_its_own_paragraphs_and_loses_its_comments() {
    let out = html("<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator /-->");
    assert_eq!(out.trim(), "<p>One\ntwo</p>");
}

#[test]
fn a_caption_becomes_a_figure_with_its_caption() {
    let out = html(
        r#"[caption id="attachment_9" align="alignnone" width="300"]<a href="https://blog.example.gov/a.jpg"><img src="https://blog.example.gov/a.jpg" alt="A server" width="300" /></a> The new servers[/caption]"#,
    );
    assert!(out.contains("<figure><a href=\"https://blog.example.gov/a.jpg\" rel=\"noopener\"><img src=\"https://blog.example.gov/a.jpg\" alt=\"A server\" width=\"300\"></a><figcaption>The new servers</figcaption></figure>"), "{out}");
    let out = html(r#"[caption caption="Old style"]<img src="https://x.example/b.png" alt="" />[/caption]"#);
    assert!(out.contains("<figcaption>Old style</figcaption>"), "{out}");
}

#[test]
fn embeds_galleries_and_bare_video_urls_are_plain_links() {
    let out = html("Watch:\n\nhttps://www.youtube.com/watch?v=abc\n\n[embed]https://vimeo.com/123[/embed]\n\n[video src=\"https://blog.example.gov/v.mp4\"]");
    for url in ["https://www.youtube.com/watch?v=abc", "https://vimeo.com/123", "https://blog.example.gov/v.mp4"] {
        assert!(out.contains(&format!("<a href=\"{url}\" rel=\"noopener\">{url}</a>")), "{url}: {out}");
    }
    assert!(!out.contains("iframe"));
    let files = Attachments {
        by_id: HashMap::from([(7, "https://blog.example.gov/7.jpg")]),
        own: vec!["https://blog.example.gov/own.jpg"],
    };
    let out = render_post("[gallery ids=\"7,8\"]\n\n[gallery]", &files).html.into_string();
    assert!(
        out.contains(">https://blog.example.gov/7.jpg</a>") && out.contains(">https://blog.example.gov/own.jpg</a>"),
        "{out}"
    );
    assert!(render_post("[gallery]", &Attachments::default()).has_gallery);
}

#[test]
fn the_excerpt_stops_at_more() {
    let r = render_post("The short version.\n\n<!--more-->\n\nThe long version.", &Attachments::default());
    assert_eq!(r.excerpt, "The short version.");
    assert!(r.html.as_str().contains("The long version."));
    assert!(!r.html.as_str().contains("more"));
}

#[test]
fn unknown_shortcodes_stay_as_text_and_are_reported() {
    let r = render_post("[contact-form-7 id=\"3\"] and [[gallery]] and [1] and [foo]x[/foo]", &Attachments::default());
    assert!(
        r.html.as_str().contains("[contact-form-7 id=\"3\"] and [gallery] and [1] and [foo]x[/foo]"),
        "{}",
        r.html.as_str()
    );
    assert_eq!(r.unknown_shortcodes, vec!["contact-form-7".to_owned(), "foo".to_owned()]);
}

#[test]
fn comments_follow_the_paragraph_rules_and_keep_ugc() {
    let out = render_comment("Line one\nline two\n\n<a href=\"https://x.example\">x</a>").into_string();
    assert_eq!(
        out,
        "<p>Line one<br>\nline two</p>\n<p><a href=\"https://x.example\" rel=\"nofollow ugc noopener\">x</a></p>\n"
    );
}
