//! Markdown → sanitised HTML, done once when text is written. `SafeHtml` is the only
//! way user text reaches a page as markup (its `Render` is in `views::components`).

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

use super::plain_text::Blocks;

/// HTML that went through the sanitiser: built only here, or read back by
/// `db::types` from a `body_html` column, which only ever receives a `SafeHtml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// HTML read back from a column these functions filled. Only `db::types` calls
    /// this (domain/ knows no diesel, so the FromSql impl cannot live here); it is the
    /// one way besides the sanitiser, and `tests/api/architecture.rs` fails on any
    /// other caller.
    #[doc(hidden)]
    pub fn from_stored_column(html: String) -> Self {
        Self(html)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

const LINK_REL: &str = "nofollow ugc noopener";
/// A post's own links are the site's, not user content.
const POST_LINK_REL: &str = "noopener";

static COMMENT_CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some(LINK_REL)).rm_tags(["img", "h1", "h2"]).url_schemes(HashSet::from(["http", "https", "mailto"]));
    b
});

static POST_CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some(POST_LINK_REL)).url_schemes(HashSet::from(["http", "https", "mailto"]));
    b
});

fn render(markdown: &str, cleaner: &ammonia::Builder<'static>) -> SafeHtml {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    SafeHtml(cleaner.clean(&raw).to_string())
}

/// A comment body: no images or big headings, links marked as user content.
pub fn render_comment(markdown: &str) -> SafeHtml {
    render(markdown, &COMMENT_CLEANER)
}

/// A post body written by the site's authors: images allowed, still sanitised.
pub fn render_post(markdown: &str) -> SafeHtml {
    render(markdown, &POST_CLEANER)
}

/// A post written as HTML elsewhere (a WordPress import): sanitised as a post is, no
/// markdown read into it.
pub fn clean_post_html(html: &str) -> SafeHtml {
    SafeHtml(POST_CLEANER.clean(html).to_string())
}

/// A comment written as HTML elsewhere (a WordPress import): sanitised as a comment is.
pub fn clean_comment_html(html: &str) -> SafeHtml {
    SafeHtml(COMMENT_CLEANER.clean(html).to_string())
}

/// A markdown text as plain text: the words its rendered HTML reads as, without any
/// markdown syntax, blocks kept apart (see `plain_text::Blocks`).
pub fn plain_text(markdown: &str) -> String {
    plain_text_up_to(markdown, usize::MAX)
}

/// As `plain_text`, stopping once about `max_chars` characters have been read.
fn plain_text_up_to(markdown: &str, max_chars: usize) -> String {
    let mut text = Blocks::default();
    let mut image = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            // Comments show no images: their alt text is not part of what one reads.
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image = image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if image == 0 => text.text(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell) => text.space(),
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableHead
                | TagEnd::TableRow,
            ) => text.end_block(),
            _ => {}
        }
        if text.len() > max_chars.saturating_mul(2) {
            break;
        }
    }
    text.finish()
}

/// The first words of a markdown text as plain text (see `plain_text`), cut at a word
/// boundary.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let text = plain_text_up_to(markdown, max_chars);
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > max_chars {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = render_comment("Log-in takes **9 minutes**.\n\n- every day");
        assert!(html.as_str().contains("<strong>9 minutes</strong>"), "{}", html.as_str());
        assert!(html.as_str().contains("<li>every day</li>"));
    }

    #[test]
    fn scripts_and_raw_html_never_survive() {
        let html = render_comment(
            "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a><b onclick=\"x()\">b</b>",
        );
        let out = html.as_str();
        for bad in ["<script", "onerror", "javascript:", "onclick", "<img"] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }

    #[test]
    fn links_are_marked_as_user_content() {
        let html = render_comment("[gov](https://www.gov.uk)");
        assert!(
            html.as_str().contains(r#"<a href="https://www.gov.uk" rel="nofollow ugc noopener">gov</a>"#),
            "{}",
            html.as_str()
        );
    }

    #[test]
    fn a_post_s_own_links_are_not_user_content() {
        let html = clean_post_html(
            r#"<p><a href="https://www.gov.uk">gov</a></p><figure><img src="https://x/a.png" alt="a"><figcaption>A</figcaption></figure>"#,
        );
        assert!(html.as_str().contains(r#"<a href="https://www.gov.uk" rel="noopener">gov</a>"#), "{}", html.as_str());
        assert!(html.as_str().contains("<figcaption>A</figcaption>"), "{}", html.as_str());
        assert!(clean_comment_html(r#"<a href="https://x">x</a>"#).as_str().contains("ugc"));
    }

    #[test]
    fn excerpts_are_plain_text_cut_at_a_word() {
        let e = excerpt("# Title\n\nWe are **fixing** IT for everyone in the department.", 30);
        assert_eq!(e, "Title. We are fixing IT for…");
        assert_eq!(excerpt("short", 30), "short");
        assert_eq!(excerpt("", 30), "");
    }

    #[test]
    fn plain_text_keeps_blocks_apart_and_shows_no_markdown() {
        assert_eq!(
            plain_text("## The plan\n\nFirst, **log-in** in [under a minute](https://example.org/x).\n\n- laptops\n- browsers: *new*\n  - Edge\n\n> `quoted` text\n\n![a picture](https://example.org/p.png)"),
            "The plan. First, log-in in under a minute. laptops. browsers: new. Edge. quoted text"
        );
        assert_eq!(plain_text("Is it fixed?\nNot yet"), "Is it fixed? Not yet");
        assert_eq!(plain_text("| a | b |\n|---|---|\n| 1 | 2 |"), "a b. 1 2");
    }
}
