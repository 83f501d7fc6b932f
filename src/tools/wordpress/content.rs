//! WordPress content as WordPress shows it: HTML (not markdown) with its paragraph rules
//! (`wpautop`: a blank line ends a paragraph, a single newline is a line break) where
//! the content has no block markup; `[caption]` as a figure with its caption;
//! `[gallery]`, `[embed]`, `[audio]`, `[video]` and a bare URL on its own line as plain
//! links (no third-party iframes: many readers sit behind firewalls that block them);
//! Gutenberg's block comments dropped; the excerpt cut at `<!--more-->`. Shortcodes
//! that mean nothing here stay as text, and are reported.

use std::collections::HashMap;

use crate::domain::markdown::{self, SafeHtml};
use crate::domain::signature::plain_lines;

/// A post's body as it will be shown.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: SafeHtml,
    pub excerpt: String,
    /// Shortcodes left as text, by name, once each.
    pub unknown_shortcodes: Vec<String>,
    /// It has a `[gallery]`, whose images may come later in the file.
    pub has_gallery: bool,
}

/// The attachments a `[gallery]` may list: every one by WordPress id, and those
/// attached to this post, in file order.
#[derive(Debug, Default)]
pub struct Attachments<'a> {
    pub by_id: HashMap<i64, &'a str>,
    pub own: Vec<&'a str>,
}

/// Shortcodes this importer turns into links or figures.
const KNOWN: &[&str] = &["caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist"];
/// Attributes of `[audio]` and `[video]` that name the file.
const MEDIA_ATTRIBUTES: &[&str] = &["src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a"];
/// Tags `wpautop` does not wrap in a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

pub fn render_post(content: &str, attachments: &Attachments) -> Rendered {
    let has_blocks = content.contains("<!-- wp:");
    let content = drop_block_comments(content);
    let (teaser, content) = split_more(&content);
    let mut unknown = Vec::new();
    let mut has_gallery = false;
    let body = shortcodes(&content, attachments, &mut unknown, &mut has_gallery);
    let body = link_bare_urls(&body);
    let body = if has_blocks { body } else { autop(&body) };
    let excerpt = match teaser {
        Some(teaser) => {
            let teaser = shortcodes(&teaser, attachments, &mut Vec::new(), &mut false);
            markdown::excerpt(&plain_lines(&teaser).join("\n\n"), 600)
        }
        None => markdown::excerpt(&plain_lines(&body).join("\n\n"), 240),
    };
    Rendered { html: markdown::clean_post_html(&body), excerpt, unknown_shortcodes: unknown, has_gallery }
}

/// A comment: HTML with the paragraph rules; WordPress runs no shortcodes in comments.
pub fn render_comment(content: &str) -> SafeHtml {
    markdown::clean_comment_html(&autop(content.trim()))
}

/// Drops `<!-- wp:... -->` and `<!-- /wp:... -->`.
fn drop_block_comments(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let is_block = after.trim_start().starts_with("wp:") || after.trim_start().starts_with("/wp:");
        let Some(end) = after.find("-->") else { break };
        out.push_str(&rest[..start]);
        if !is_block {
            out.push_str(&rest[start..start + 4 + end + 3]);
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

/// (the teaser before `<!--more-->`, the whole content without the marker).
fn split_more(content: &str) -> (Option<String>, String) {
    let Some(start) = content.find("<!--more") else { return (None, content.to_owned()) };
    let Some(end) = content[start..].find("-->") else { return (None, content.to_owned()) };
    let teaser = content[..start].to_owned();
    let rest = &content[start + end + 3..];
    (Some(teaser.clone()), format!("{teaser}{rest}"))
}

/// One shortcode as written: `[name attrs]`, and what it encloses up to `[/name]`.
struct Shortcode<'a> {
    name: &'a str,
    attributes: &'a str,
    inner: Option<&'a str>,
    /// Bytes from the `[` to past the `]` of the closing tag (or of the opening one).
    len: usize,
}

fn parse_shortcode(text: &str) -> Option<Shortcode<'_>> {
    let body = text.strip_prefix('[')?;
    let name_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(body.len());
    let name = &body[..name_len];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after_name = &body[name_len..];
    if !(after_name.starts_with(']') || after_name.starts_with(char::is_whitespace) || after_name.starts_with("/]")) {
        return None;
    }
    let close = after_name.find(']')?;
    if after_name[..close].contains('[') {
        return None;
    }
    let attributes = after_name[..close].trim().trim_end_matches('/').trim();
    let open_len = 1 + name_len + close + 1;
    let closing = format!("[/{name}]");
    let rest = &text[open_len..];
    match rest.find(&closing) {
        Some(end) if !after_name[..close].ends_with('/') => {
            Some(Shortcode { name, attributes, inner: Some(&rest[..end]), len: open_len + end + closing.len() })
        }
        _ => Some(Shortcode { name, attributes, inner: None, len: open_len }),
    }
}

/// `key="value"`, `key='value'` or `key=value` from a shortcode's attributes.
fn attribute<'a>(attributes: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = attributes;
    while let Some(at) = rest.find(key) {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + key.len()..].trim_start();
        if before_ok {
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                return Some(match value.chars().next() {
                    Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
                    _ => value.split_whitespace().next().unwrap_or(""),
                });
            }
        }
        rest = &rest[at + key.len()..];
    }
    None
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `<a href="URL">URL</a>`: the link says where it goes.
fn link(url: &str) -> String {
    let url = url.trim();
    format!("<a href=\"{}\">{}</a>", escape(url), escape(url))
}

fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() > 8
        && !text.contains(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
}

fn shortcodes(text: &str, attachments: &Attachments, unknown: &mut Vec<String>, has_gallery: &mut bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if let Some(escaped) = rest.strip_prefix("[[") {
            // `[[name]]` is WordPress's way to show a shortcode as text.
            if let Some(end) = escaped.find("]]") {
                out.push('[');
                out.push_str(&escaped[..end]);
                out.push(']');
                rest = &escaped[end + 2..];
                continue;
            }
        }
        let Some(code) = parse_shortcode(rest) else {
            out.push('[');
            rest = &rest[1..];
            continue;
        };
        if !KNOWN.contains(&code.name) {
            if !unknown.iter().any(|n| n == code.name) {
                unknown.push(code.name.to_owned());
            }
            out.push('[');
            rest = &rest[1..];
            continue;
        }
        out.push_str(&known(&code, attachments, unknown, has_gallery));
        rest = &rest[code.len..];
    }
    out.push_str(rest);
    out
}

fn known(code: &Shortcode, attachments: &Attachments, unknown: &mut Vec<String>, has_gallery: &mut bool) -> String {
    match code.name {
        "caption" | "wp_caption" => {
            let inner = code.inner.unwrap_or("");
            let (image, caption) = split_caption(inner);
            let caption = match attribute(code.attributes, "caption") {
                Some(c) if caption.trim().is_empty() => c.to_owned(),
                _ => caption.to_owned(),
            };
            let image = shortcodes(image, attachments, unknown, has_gallery);
            format!("<figure>{}<figcaption>{}</figcaption></figure>", image.trim(), caption.trim())
        }
        "embed" => {
            let url = code.inner.unwrap_or("").trim();
            if is_url(url) {
                format!("<p>{}</p>", link(url))
            } else {
                escape(url)
            }
        }
        "audio" | "video" => {
            let url = MEDIA_ATTRIBUTES.iter().find_map(|k| attribute(code.attributes, k)).filter(|u| is_url(u));
            match url {
                Some(url) => format!("<p>{}</p>", link(url)),
                None => String::new(),
            }
        }
        _ => {
            *has_gallery = true;
            let urls: Vec<&str> =
                match attribute(code.attributes, "ids").or_else(|| attribute(code.attributes, "include")) {
                    Some(ids) => ids
                        .split(',')
                        .filter_map(|id| id.trim().parse::<i64>().ok())
                        .filter_map(|id| attachments.by_id.get(&id).copied())
                        .collect(),
                    None => attachments.own.clone(),
                };
            if urls.is_empty() {
                return "<p class=\"gallery\">Gallery (its images were not in the export)</p>".to_owned();
            }
            let items: String = urls.iter().map(|u| format!("<li>{}</li>", link(u))).collect();
            format!("<ul class=\"gallery\">{items}</ul>")
        }
    }
}

/// A caption's image (an `<img>`, maybe inside an `<a>`) and the text after it.
fn split_caption(inner: &str) -> (&str, &str) {
    let trimmed = inner.trim_start();
    let lead = inner.len() - trimmed.len();
    let end = if trimmed.starts_with("<a") {
        trimmed.find("</a>").map(|e| e + 4)
    } else if trimmed.starts_with("<img") {
        trimmed.find('>').map(|e| e + 1)
    } else {
        None
    };
    match end {
        Some(end) => (&inner[..lead + end], &inner[lead + end..]),
        None => ("", inner),
    }
}

/// A URL alone on its line (WordPress would embed it) becomes a link.
fn link_bare_urls(text: &str) -> String {
    if !text.contains("http") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim();
        if is_url(trimmed) {
            out.push_str(&link(trimmed));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn opens_block(chunk: &str) -> bool {
    let Some(tag) = chunk.strip_prefix('<') else { return false };
    let tag = tag.trim_start_matches('/');
    let name: String = tag.chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// WordPress's paragraph rules: a blank line between paragraphs, a single newline a
/// line break; block-level HTML is left as it is, and nothing is added inside `<pre>`.
fn autop(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut pre_depth = 0usize;
    for chunk in paragraphs(&text) {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        let in_pre = pre_depth > 0;
        pre_depth = (pre_depth + chunk.matches("<pre").count()).saturating_sub(chunk.matches("</pre>").count());
        if in_pre || chunk.contains("<pre") || opens_block(chunk) {
            out.push_str(chunk);
            out.push('\n');
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br />\n"));
            out.push_str("</p>\n");
        }
    }
    out
}

/// Splits at blank lines.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line.trim_end());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
