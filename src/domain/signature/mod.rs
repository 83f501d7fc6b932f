//! Recognising an official's reply in an imported comment: by the author's name, or by
//! a closing signature on the comment's last lines ("Jane Doe", "Jane Doe, Chief
//! Technology Officer, DWP", "Jane Doe – Chief Technology Officer", or the name on one
//! line and the title on the next). A name mentioned anywhere else, or a signature that
//! gives the official another title, is not a match.

mod probable;
#[cfg(test)]
mod tests;
mod titles;

pub use probable::{Probable, Why};
use titles::{collapse, department_variants, is_title_and_department, words, SEPARATORS};
pub use titles::{Titles, DEFAULT_ABBREVIATIONS};

/// An official a reply may be recognised as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownOfficial {
    pub name: String,
    pub title: String,
    pub department: String,
    pub acronym: String,
    /// Other names of the department ("Revenue and Customs").
    pub aliases: Vec<String>,
}

/// A department a signature may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentName {
    pub id: i64,
    /// Its name, acronym and aliases.
    pub names: Vec<String>,
}

/// Who replies are recognised as, and how titles and departments may be written.
pub struct Directory<'a> {
    pub officials: &'a [KnownOfficial],
    pub departments: &'a [DepartmentName],
    pub titles: &'a Titles,
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

/// What a reply's author field and closing lines say about who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognition {
    /// Certain: the badge may be given without anyone looking.
    Official(OfficialMatch),
    /// Looks official but is not certain: a person decides.
    Probable(Probable),
    Nothing,
}

impl Recognition {
    pub fn official(self) -> Option<OfficialMatch> {
        match self {
            Self::Official(m) => Some(m),
            _ => None,
        }
    }
}

/// What one line says about the officials.
enum LineVerdict {
    /// The line signs as these officials (more than one: ambiguous).
    Signs(Vec<usize>),
    /// The line signs with this official's name but another title: not them.
    Contradicts(usize),
    Nothing,
}

/// True when `rest` (what follows the name) is this official's title, department, or
/// both, in any of the usual orders, the title in full or abbreviated.
fn is_titled(rest: &str, official: &KnownOfficial, titles: &Titles) -> bool {
    let rest = words(rest);
    let names = [official.department.as_str(), official.acronym.as_str()];
    let departments = department_variants(names.into_iter().chain(official.aliases.iter().map(String::as_str)));
    is_title_and_department(&rest, &titles.variants(&official.title), &departments)
}

/// A line with leading dashes, tildes and spaces dropped, lower case, no final dot.
fn signature_line(line: &str) -> String {
    let line = collapse(line.trim_start_matches(|c: char| SEPARATORS.contains(&c) || c.is_whitespace() || c == '~'));
    line.trim_end_matches('.').to_owned()
}

/// Reads one line (or the author field) as a possible signature.
fn read_line(line: &str, dir: &Directory) -> LineVerdict {
    let line = signature_line(line);
    let mut signs = Vec::new();
    let mut contradicted = None;
    for (i, official) in dir.officials.iter().enumerate() {
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
        if is_titled(rest, official, dir.titles) {
            signs.push(i);
        } else {
            contradicted = Some(i);
        }
    }
    match (signs.is_empty(), contradicted) {
        (false, _) => LineVerdict::Signs(signs),
        (true, Some(i)) => LineVerdict::Contradicts(i),
        (true, None) => LineVerdict::Nothing,
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

/// A closing under the signature that says nothing about who signed:
/// "On behalf of the Verify Project", "for and on behalf of the team".
fn is_closing(line: &str) -> bool {
    let line = collapse(line);
    ["on behalf of ", "for and on behalf of "].iter().any(|p| line.starts_with(p)) && line.split(' ').count() <= 12
}

/// The official who wrote a comment, if its author field or closing lines say so for
/// certain; else whether it looks like an official's reply a person should look at.
pub fn recognise(author: &str, body: &str, dir: &Directory) -> Recognition {
    let mut lines = plain_lines(body);
    while lines.len() > 1 && lines.last().is_some_and(|l| is_closing(l)) {
        lines.pop();
    }
    let last = lines.last().map(String::as_str).unwrap_or("");
    let mut contradicted = None;
    match read_line(last, dir) {
        LineVerdict::Signs(found) => {
            return match single(&found, dir.officials) {
                Some(official) => Recognition::Official(OfficialMatch {
                    official,
                    on: MatchedOn::Signature,
                    text: collapse_case_kept(last),
                }),
                None => Recognition::Nothing,
            }
        }
        LineVerdict::Contradicts(i) => contradicted = Some((i, collapse_case_kept(last))),
        LineVerdict::Nothing => {}
    }
    // The name alone on one line and the title (and department) on the next one or two.
    for k in [2, 3] {
        if lines.len() < k || contradicted.is_some() {
            break;
        }
        let name_line = &lines[lines.len() - k];
        let rest = lines[lines.len() - k + 1..].join(" ");
        let exact: Vec<usize> = dir
            .officials
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.name.trim().is_empty() && signature_line(name_line) == collapse(&o.name))
            .map(|(i, _)| i)
            .collect();
        let titled: Vec<usize> =
            exact.iter().copied().filter(|&i| is_titled(&rest, &dir.officials[i], dir.titles)).collect();
        if let Some(official) = single(&titled, dir.officials) {
            let text = format!("{}, {}", collapse_case_kept(name_line), collapse_case_kept(&rest));
            return Recognition::Official(OfficialMatch { official, on: MatchedOn::Signature, text });
        }
        if let (Some(&i), true) = (exact.first(), probable::reads_as_title(&rest, dir)) {
            contradicted = Some((i, format!("{}, {}", collapse_case_kept(name_line), collapse_case_kept(&rest))));
        }
    }
    if let Some((official, text)) = contradicted {
        return Recognition::Probable(probable::other_title(official, text, dir));
    }
    match read_line(author, dir) {
        LineVerdict::Signs(found) => {
            return match single(&found, dir.officials) {
                Some(official) => Recognition::Official(OfficialMatch {
                    official,
                    on: MatchedOn::Author,
                    text: collapse_case_kept(author),
                }),
                None => Recognition::Nothing,
            }
        }
        LineVerdict::Contradicts(i) => {
            return Recognition::Probable(probable::other_title(i, collapse_case_kept(author), dir))
        }
        LineVerdict::Nothing => {}
    }
    probable::unsure(author, &lines, dir).map_or(Recognition::Nothing, Recognition::Probable)
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
