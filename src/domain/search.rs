//! What a reader typed into the search box, made safe for the database: words and
//! "quoted phrases", every one required. Nothing typed is ever passed on as query
//! syntax: operators, column filters and brackets become plain words or nothing.

/// Longest query read, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words and phrases used from one query.
pub const MAX_TERMS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Phrase(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<Term>,
}

/// The words of `text`: runs of letters and digits (what both full-text engines
/// index); everything else separates them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

impl SearchQuery {
    /// `None` when the text holds no word to look for.
    pub fn parse(input: &str) -> Option<Self> {
        let input: String = input.chars().take(MAX_QUERY_CHARS).collect();
        let mut terms = Vec::new();
        // Between pairs of double quotes is a phrase; an unpaired quote is ignored.
        let parts: Vec<&str> = input.split('"').collect();
        let paired = if parts.len() % 2 == 1 { parts.len() } else { parts.len() - 1 };
        for (i, part) in parts.iter().enumerate() {
            let inside_quotes = i % 2 == 1 && i < paired;
            let found = words(part);
            if inside_quotes && found.len() > 1 {
                terms.push(Term::Phrase(found));
            } else {
                terms.extend(found.into_iter().map(Term::Word));
            }
        }
        terms.dedup();
        terms.truncate(MAX_TERMS);
        (!terms.is_empty()).then_some(Self { terms })
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// An FTS5 MATCH expression: each term a quoted string (so `NEAR`, `OR`, `col:` and
    /// `*` are plain text), all of them required.
    pub fn fts5(&self) -> String {
        self.quoted()
    }

    /// Text for PostgreSQL's `websearch_to_tsquery`: each term in quotes, so that words
    /// such as "or" and a leading "-" are not read as operators.
    pub fn websearch(&self) -> String {
        self.quoted()
    }

    fn quoted(&self) -> String {
        self.terms
            .iter()
            .map(|term| match term {
                Term::Word(word) => format!("\"{word}\""),
                Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Marks around the matched words in an excerpt from the database. Private-use
/// characters, which the text itself is made not to contain.
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// Part of an excerpt: plain text, or a matched word to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excerpt<'a> {
    Text(&'a str),
    Match(&'a str),
}

/// Splits an excerpt at the marks.
pub fn excerpt_parts(excerpt: &str) -> Vec<Excerpt<'_>> {
    let mut parts = Vec::new();
    let mut rest = excerpt;
    while let Some(start) = rest.find(MARK_START) {
        if start > 0 {
            parts.push(Excerpt::Text(&rest[..start]));
        }
        let after = &rest[start + MARK_START.len_utf8()..];
        match after.find(MARK_END) {
            Some(end) => {
                if end > 0 {
                    parts.push(Excerpt::Match(&after[..end]));
                }
                rest = &after[end + MARK_END.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        parts.push(Excerpt::Text(rest));
    }
    parts
}

/// Writes `word` with each run of letters and digits that `is_match` marked.
fn mark_word(out: &mut String, word: &str, is_match: &impl Fn(&str) -> bool) {
    let mut rest = word;
    while let Some(start) = rest.find(char::is_alphanumeric) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let len = run.find(|c: char| !c.is_alphanumeric()).unwrap_or(run.len());
        if is_match(&run[..len]) {
            out.push(MARK_START);
            out.push_str(&run[..len]);
            out.push(MARK_END);
        } else {
            out.push_str(&run[..len]);
        }
        rest = &run[len..];
    }
    out.push_str(rest);
}

/// How many words a search result's excerpt shows.
pub const EXCERPT_WORDS: usize = 30;

/// A result's excerpt made from its plain text (what the rendered comment or post reads
/// as, no markdown): about `max_words` words around the first word the database marked
/// in `marked` (its own excerpt, which is cut from the markdown), with each of those
/// words marked again wherever it appears. The database says which words matched
/// (after stemming); this says where they are in what a reader sees.
pub fn plain_excerpt(plain: &str, marked: &str, max_words: usize) -> String {
    let matched: std::collections::HashSet<String> = excerpt_parts(marked)
        .into_iter()
        .filter_map(|part| match part {
            Excerpt::Match(word) => Some(word),
            Excerpt::Text(_) => None,
        })
        .flat_map(|word| word.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let is_match = |run: &str| matched.contains(&run.to_lowercase());
    let words: Vec<&str> = plain.split_whitespace().collect();
    let first = words.iter().position(|word| word.split(|c: char| !c.is_alphanumeric()).any(is_match)).unwrap_or(0);
    let max_words = max_words.max(1);
    // A few words of what comes before the match, then as much as fits.
    let mut start = first.saturating_sub(max_words / 4);
    let end = (start + max_words).min(words.len());
    start = start.min(end.saturating_sub(max_words));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    for (n, word) in words[start..end].iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        mark_word(&mut out, word, &is_match);
    }
    if end < words.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(input: &str) -> Option<String> {
        SearchQuery::parse(input).map(|q| q.fts5())
    }

    #[test]
    fn words_and_phrases_are_quoted_and_all_required() {
        assert_eq!(fts("nine minutes").as_deref(), Some("\"nine\" \"minutes\""));
        assert_eq!(
            fts("log-in \"takes nine minutes\" slow").as_deref(),
            Some(r#""log" "in" "takes nine minutes" "slow""#)
        );
    }

    #[test]
    fn hostile_input_becomes_plain_words_or_nothing() {
        assert_eq!(fts("NEAR(a b, 2) OR body:x*").as_deref(), Some(r#""NEAR" "a" "b" "2" "OR" "body" "x""#));
        assert_eq!(fts("\"unbalanced phrase").as_deref(), Some(r#""unbalanced" "phrase""#));
        assert_eq!(fts("(((").as_deref(), None);
        assert_eq!(fts("\"\"\"\"").as_deref(), None);
        assert_eq!(fts("   ").as_deref(), None);
        assert_eq!(fts("'; DROP TABLE comments; --").as_deref(), Some(r#""DROP" "TABLE" "comments""#));
    }

    #[test]
    fn long_input_is_cut() {
        let long = "word ".repeat(1000);
        let query = SearchQuery::parse(&long).unwrap();
        assert_eq!(query.terms().len(), 1, "repeats collapse");
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(SearchQuery::parse(&many).unwrap().terms().len(), MAX_TERMS);
    }

    #[test]
    fn plain_excerpts_mark_what_the_database_matched_in_the_text_people_read() {
        let marked = format!(
            "**Log-in** takes {MARK_START}nine{MARK_END} [minutes](https://x.example/{MARK_START}nine{MARK_END})"
        );
        assert_eq!(
            plain_excerpt("Log-in takes nine minutes, Nine!", &marked, 30),
            format!("Log-in takes {MARK_START}nine{MARK_END} minutes, {MARK_START}Nine{MARK_END}!")
        );
        let long: String = (0..100).map(|i| format!("w{i} ")).collect();
        let marked = format!("…w49 {MARK_START}w50{MARK_END} w51…");
        assert_eq!(plain_excerpt(&long, &marked, 6), format!("…w49 {MARK_START}w50{MARK_END} w51 w52 w53 w54…"));
        assert_eq!(plain_excerpt("a b c", "nothing marked", 2), "a b…", "no match shown: the start");
        assert_eq!(plain_excerpt("a b c", "", 30), "a b c");
        assert_eq!(plain_excerpt("", "x", 30), "");
    }

    #[test]
    fn excerpts_split_at_the_marks() {
        let text = format!("log-in takes {MARK_START}nine{MARK_END} <b>minutes</b>");
        assert_eq!(
            excerpt_parts(&text),
            vec![Excerpt::Text("log-in takes "), Excerpt::Match("nine"), Excerpt::Text(" <b>minutes</b>")]
        );
        assert_eq!(excerpt_parts(&format!("a{MARK_START}b")), vec![Excerpt::Text("a"), Excerpt::Text("b")]);
    }
}
