//! Recognising an official's reply in an imported comment: by the author's name, or by
//! a closing signature on the comment's last lines ("Jane Doe", "Jane Doe, Chief
//! Technology Officer, DWP", "Jane Doe – Chief Technology Officer", or the name on one
//! line and the title on the next). A name mentioned anywhere else, or a signature that
//! gives the official another title, is not a match.

/// An official a reply may be recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownOfficial {
    pub name: String,
    pub title: String,
    pub department: String,
    pub acronym: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedOn {
    Author,
    Signature,
}

impl MatchedOn {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Author => "author",
            Self::Signature => "signature",
        }
    }
}

/// Which official (an index into the list given), how, and the words that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialMatch {
    pub official: usize,
    pub on: MatchedOn,
    pub text: String,
}

/// What one line says about the officials.
enum LineVerdict {
    /// The line signs as these officials (more than one: ambiguous).
    Signs(Vec<usize>),
    /// The line signs with an official's name but another title: not them.
    Contradicts,
    Nothing,
}

/// Characters that separate a name from a title in a signature.
const SEPARATORS: &[char] = &[',', '–', '—', '-', '|', ':', '/', '(', ')', ';'];

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Lower case, separators as spaces, "&" as "and": how titles are compared.
fn words(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if SEPARATORS.contains(&c) || c == '.' { ' ' } else { c }).collect();
    collapse(&spaced.replace('&', " and "))
}

/// True when `rest` (what follows the name) is this official's title, department, or
/// both, in any of the usual orders.
fn is_titled(rest: &str, official: &KnownOfficial) -> bool {
    let rest = words(rest);
    let title = words(&official.title);
    let mut departments = vec![words(&official.department)];
    if !official.acronym.trim().is_empty() {
        departments.push(words(&official.acronym));
    }
    if rest == title || departments.contains(&rest) {
        return true;
    }
    departments.iter().any(|d| {
        [format!("{title} {d}"), format!("{d} {title}"), format!("{title} at {d}"), format!("{title} for {d}")]
            .contains(&rest)
    })
}

/// Reads one line (or the author field) as a possible signature.
fn read_line(line: &str, officials: &[KnownOfficial]) -> LineVerdict {
    let line = collapse(line.trim_start_matches(|c: char| SEPARATORS.contains(&c) || c.is_whitespace() || c == '~'));
    let line = line.trim_end_matches('.');
    let mut signs = Vec::new();
    let mut contradicted = false;
    for (i, official) in officials.iter().enumerate() {
        let name = collapse(&official.name);
        if name.is_empty() {
            continue;
        }
        if line == name {
            signs.push(i);
            continue;
        }
        let Some(rest) = line.strip_prefix(&name) else { continue };
        // "Jane Doe, Title": a separator follows the name. "Jane Doe said..." is a sentence.
        if !rest.trim_start().starts_with(SEPARATORS) {
            continue;
        }
        if is_titled(rest, official) {
            signs.push(i);
        } else {
            contradicted = true;
        }
    }
    match (signs.is_empty(), contradicted) {
        (false, _) => LineVerdict::Signs(signs),
        (true, true) => LineVerdict::Contradicts,
        (true, false) => LineVerdict::Nothing,
    }
}

/// One official among `candidates`, unless they are different people or posts.
fn single(candidates: &[usize], officials: &[KnownOfficial]) -> Option<usize> {
    let first = *candidates.first()?;
    let same = |i: &usize| {
        let (a, b) = (&officials[first], &officials[*i]);
        collapse(&a.title) == collapse(&b.title) && collapse(&a.department) == collapse(&b.department)
    };
    candidates.iter().all(same).then_some(first)
}

/// The official who wrote a comment, if its author field or closing lines say so.
pub fn recognise(author: &str, body: &str, officials: &[KnownOfficial]) -> Option<OfficialMatch> {
    let lines = plain_lines(body);
    let last = lines.last().map(String::as_str).unwrap_or("");
    let mut contradicted = false;
    match read_line(last, officials) {
        LineVerdict::Signs(found) => {
            return single(&found, officials).map(|official| OfficialMatch {
                official,
                on: MatchedOn::Signature,
                text: collapse_case_kept(last),
            })
        }
        LineVerdict::Contradicts => contradicted = true,
        LineVerdict::Nothing => {}
    }
    // The name alone on one line and the title on the last.
    if lines.len() >= 2 {
        let name_line = &lines[lines.len() - 2];
        if let LineVerdict::Signs(found) = read_line(name_line, officials) {
            let titled: Vec<usize> = found.into_iter().filter(|&i| is_titled(last, &officials[i])).collect();
            if let Some(official) = single(&titled, officials) {
                let text = format!("{}, {}", collapse_case_kept(name_line), collapse_case_kept(last));
                return Some(OfficialMatch { official, on: MatchedOn::Signature, text });
            }
        }
    }
    if contradicted {
        return None;
    }
    match read_line(author, officials) {
        LineVerdict::Signs(found) => single(&found, officials).map(|official| OfficialMatch {
            official,
            on: MatchedOn::Author,
            text: collapse_case_kept(author),
        }),
        _ => None,
    }
}

fn collapse_case_kept(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A comment's text as plain lines, last ones last: tags dropped (a `<br>` or a
/// paragraph ends a line), common entities decoded, blank lines left out.
pub fn plain_lines(body: &str) -> Vec<String> {
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            text.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim_start_matches('/').to_ascii_lowercase();
        if tag.starts_with("br") || tag.starts_with('p') || tag.starts_with("div") || tag.starts_with("li") {
            text.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    decode_entities(&text).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &after[..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
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

    fn officials() -> Vec<KnownOfficial> {
        vec![
            KnownOfficial {
                name: "Jane Doe".into(),
                title: "Chief Technology Officer".into(),
                department: "Department for Work and Pensions".into(),
                acronym: "DWP".into(),
            },
            KnownOfficial {
                name: "Mark Dearnley".into(),
                title: "Chief Digital and Information Officer".into(),
                department: "HM Revenue and Customs".into(),
                acronym: "HMRC".into(),
            },
        ]
    }

    fn on(author: &str, body: &str) -> Option<(usize, MatchedOn)> {
        recognise(author, body, &officials()).map(|m| (m.official, m.on))
    }

    #[test]
    fn closing_signatures_in_the_usual_forms_match() {
        let sig = Some((0, MatchedOn::Signature));
        assert_eq!(on("jd", "We are on it.\n\nJane Doe"), sig);
        assert_eq!(on("jd", "We are on it.\nJane Doe, Chief Technology Officer, DWP"), sig);
        assert_eq!(on("jd", "We are on it.\n— Jane Doe – Chief Technology Officer"), sig);
        assert_eq!(
            on("jd", "We are on it.<br />\nJane Doe, Chief Technology Officer, Department for Work and Pensions."),
            sig
        );
        assert_eq!(on("jd", "<p>We are on it.</p><p>Jane Doe<br/>Chief Technology Officer, DWP</p>"), sig);
        assert_eq!(
            on("MD", "Fixed next week.\n\nMark Dearnley, HMRC Chief Digital &amp; Information Officer"),
            Some((1, MatchedOn::Signature))
        );
    }

    #[test]
    fn the_author_name_matches_when_no_signature_says_otherwise() {
        assert_eq!(on("Jane Doe", "We are on it."), Some((0, MatchedOn::Author)));
        assert_eq!(on("  jane  doe ", "We are on it."), Some((0, MatchedOn::Author)));
        assert_eq!(on("Jane Doe", "We are on it.\nJane Doe, Head of Communications"), None);
    }

    #[test]
    fn mentions_and_other_titles_do_not_match() {
        assert_eq!(on("Bob", "I asked Jane Doe about this and heard nothing."), None);
        assert_eq!(on("Bob", "Still waiting.\nJane Doe said it would be fixed"), None);
        assert_eq!(on("Bob", "Jane Doe\nwhy has nobody answered?"), None);
        assert_eq!(on("Jane Doe-Smith", "Hello"), None);
        assert_eq!(on("Bob", "Signed,\nJane Doe, Head of Communications, DWP"), None);
        assert_eq!(on("Bob", "Mark Dearnley – Chief Technology Officer"), None);
    }

    #[test]
    fn namesakes_in_different_posts_are_not_guessed_between() {
        let mut list = officials();
        list.push(KnownOfficial { title: "Head of Digital".into(), ..list[0].clone() });
        assert_eq!(recognise("Jane Doe", "Thanks", &list), None);
        assert_eq!(recognise("x", "Thanks\nJane Doe, Head of Digital", &list).map(|m| m.official), Some(2));
    }

    #[test]
    fn lines_are_plain_text() {
        assert_eq!(plain_lines("<p>a &amp; b</p><p>c&#8211;d<br>e</p>"), vec!["a & b", "c–d", "e"]);
        assert_eq!(plain_lines("x < y & z"), vec!["x < y & z"]);
    }
}
