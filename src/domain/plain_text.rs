//! Text as a reader sees it, without markup: from sanitised HTML (search results) or
//! from markdown events (`markdown::plain_text`). Blocks (paragraphs, headings, list
//! items, quotes, table rows) are kept apart: a block that ends in a word gets a full
//! stop before the next one, so a heading does not run into the text after it
//! ("Plan. We are…", not "Plan We are…").

/// Collects text a block at a time.
#[derive(Debug, Default)]
pub struct Blocks {
    text: String,
    /// A block ended: the next text starts a new one.
    ended: bool,
}

impl Blocks {
    pub fn text(&mut self, text: &str) {
        if self.ended && !text.trim().is_empty() {
            let kept = self.text.trim_end().len();
            self.text.truncate(kept);
            if self.text.chars().next_back().is_some_and(char::is_alphanumeric) {
                self.text.push('.');
            }
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.ended = false;
        }
        self.text.push_str(text);
    }

    pub fn space(&mut self) {
        self.text.push(' ');
    }

    pub fn end_block(&mut self) {
        self.ended = true;
    }

    /// Bytes collected so far.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text, whitespace collapsed to single spaces.
    pub fn finish(self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Elements that make a block of their own.
const BLOCKS: [&str; 20] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "div",
    "dl",
    "dt",
    "dd",
    "hr",
    "figure",
];

/// The text of HTML that the sanitiser wrote (well-formed, text escaped), as a reader
/// sees it: tags dropped, entities decoded, blocks kept apart, cells and line breaks
/// as spaces.
pub fn html_text(html: &str) -> String {
    let mut out = Blocks::default();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.text(&decode(&rest[..start]));
        let tag = &rest[start + 1..];
        // A tag ends at the first '>' outside a quoted attribute value.
        let mut quote = None;
        let end = tag
            .char_indices()
            .find(|&(_, c)| match quote {
                Some(q) if c == q => {
                    quote = None;
                    false
                }
                Some(_) => false,
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    false
                }
                None => c == '>',
            })
            .map_or(tag.len(), |(i, _)| i);
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if BLOCKS.contains(&name.as_str()) {
            out.end_block();
        } else if matches!(name.as_str(), "br" | "td" | "th") {
            out.space();
        }
        rest = tag.get(end + 1..).unwrap_or("");
    }
    out.text(&decode(rest));
    out.finish()
}

/// Decodes the character references a serialiser writes (`&amp;`, `&#39;`, `&#x27;`, …).
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &after[..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_reads_as_its_text_with_blocks_apart() {
        assert_eq!(
            html_text(
                "<h3>The plan</h3>\n<p>First, <strong>log-in</strong> in <a href=\"https://x.example/?a=1&amp;b=>2\" rel=\"nofollow\">under a minute</a></p><ul><li>laptops</li><li>browsers: <em>new</em><ul><li>Edge</li></ul></li></ul><p>Tom &amp; Jerry&#39;s &lt;b&gt; line<br>break</p>"
            ),
            "The plan. First, log-in in under a minute. laptops. browsers: new. Edge. Tom & Jerry's <b> line break"
        );
        assert_eq!(html_text("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"), "a b. 1 2");
        assert_eq!(html_text("plain &unknown; & text"), "plain &unknown; & text");
        assert_eq!(html_text(""), "");
    }
}
