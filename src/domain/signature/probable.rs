//! Replies that look official but are not certain, for a person to confirm or dismiss:
//! a known official's name with another title, a title without a known name, a first
//! name alone in a sign-off. Nothing here gives a badge.

use super::titles::{collapse, department_variants, splits, words, SEPARATORS};
use super::{collapse_case_kept, is_titled, single, Directory};

/// Why a reply was put to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// A known official's name, signed with another title or department.
    OtherTitle,
    /// An official's title (and department) without a known official's name.
    TitleWithoutKnownName,
    /// A known official's first name alone in a sign-off.
    SignOffOnly,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OtherTitle => "other_title",
            Self::TitleWithoutKnownName => "title_without_known_name",
            Self::SignOffOnly => "sign_off_only",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::OtherTitle, Self::TitleWithoutKnownName, Self::SignOffOnly].into_iter().find(|w| w.as_str() == raw)
    }

    /// Words for the summary and the review page.
    pub fn label(self) -> &'static str {
        match self {
            Self::OtherTitle => "a known official's name with another title",
            Self::TitleWithoutKnownName => "an official's title without a known official's name",
            Self::SignOffOnly => "a known official's first name in a sign-off only",
        }
    }
}

/// Who a probable official reply may be from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probable {
    pub why: Why,
    /// A known official (an index into the directory's list), when the reply points at one.
    pub official: Option<usize>,
    /// Otherwise the person as written, with the title in full and the department
    /// (an index into the directory's departments).
    pub name: String,
    pub title: String,
    pub department: Option<usize>,
    /// The words that made it look official.
    pub text: String,
}

pub(super) fn other_title(official: usize, text: String, dir: &Directory) -> Probable {
    for_official(Why::OtherTitle, official, text, dir)
}

fn for_official(why: Why, official: usize, text: String, dir: &Directory) -> Probable {
    let o = &dir.officials[official];
    Probable { why, official: Some(official), name: o.name.clone(), title: o.title.clone(), department: None, text }
}

/// A title this site knows, with or without a department: ("Chief Technology Officer",
/// Some(department index)).
fn parse_title(rest: &str, dir: &Directory) -> Option<(String, Option<usize>)> {
    let rest = words(rest);
    let own = || dir.officials.iter().map(|o| o.title.as_str());
    if let Some(title) = dir.titles.title_of(&rest, own()) {
        return Some((title, None));
    }
    let departments: Vec<Vec<String>> =
        dir.departments.iter().map(|d| department_variants(d.names.iter().map(String::as_str))).collect();
    splits(&rest, &departments)
        .into_iter()
        .find_map(|(title, d)| dir.titles.title_of(title, own()).map(|t| (t, Some(d))))
}

pub(super) fn reads_as_title(rest: &str, dir: &Directory) -> bool {
    parse_title(rest, dir).is_some()
}

/// "Jane Doe", "J. Doe": a few capitalised words, no digits.
fn looks_like_a_name(text: &str) -> bool {
    let n = text.split_whitespace().count();
    (1..=4).contains(&n)
        && text.chars().count() <= 40
        && text.split_whitespace().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !text.chars().any(|c| c.is_ascii_digit())
}

fn surname(name: &str) -> String {
    collapse(name).rsplit(' ').next().unwrap_or_default().trim_matches('.').to_owned()
}

/// A name and a title: "John Smith (DWP CTO)", "John Smith, CTO, DWP", or the name on one
/// line and the title on the next.
fn titled_stranger(name: &str, rest: &str, dir: &Directory) -> Option<Probable> {
    let name = name.trim().trim_end_matches(SEPARATORS).trim();
    if !name.is_empty() && !looks_like_a_name(name) {
        return None;
    }
    let (title, department) = parse_title(rest, dir)?;
    let text = if name.is_empty() { collapse_case_kept(rest) } else { format!("{name}, {}", collapse_case_kept(rest)) };
    // Someone holds that post here: the reply may be theirs, written another way.
    let holders: Vec<usize> =
        (0..dir.officials.len()).filter(|&i| is_titled(rest, &dir.officials[i], dir.titles)).collect();
    if let Some(i) = single(&holders, dir.officials) {
        if name.is_empty() || surname(name) == surname(&dir.officials[i].name) {
            return Some(for_official(Why::TitleWithoutKnownName, i, text, dir));
        }
    }
    let department = department?;
    if name.is_empty() {
        return None;
    }
    Some(Probable {
        why: Why::TitleWithoutKnownName,
        official: None,
        name: name.to_owned(),
        title,
        department: Some(department),
        text,
    })
}

/// Splits "John Smith (DWP CTO)" or "John Smith, CTO" at its first separator.
fn name_and_rest(line: &str) -> Option<(&str, &str)> {
    let at = line.find(SEPARATORS)?;
    let rest = &line[at..];
    (!words(rest).is_empty()).then(|| (&line[..at], rest))
}

const SIGN_OFFS: &[&str] =
    &["many thanks", "thank you", "thanks", "cheers", "best wishes", "kind regards", "regards", "best", "all the best"];

/// "Thanks, Jane" or "Jane" alone on the last line, under some text.
fn first_name_sign_off(lines: &[String], dir: &Directory) -> Option<Probable> {
    if lines.len() < 2 {
        return None;
    }
    let last = lines.last()?;
    let mut line = words(last);
    for s in SIGN_OFFS {
        if let Some(rest) = line.strip_prefix(s) {
            line = rest.trim().to_owned();
            break;
        }
    }
    if line.is_empty() || line.contains(' ') {
        return None;
    }
    let found: Vec<usize> = (0..dir.officials.len())
        .filter(|&i| collapse(&dir.officials[i].name).split(' ').next() == Some(line.as_str()))
        .filter(|&i| dir.officials[i].name.split_whitespace().count() > 1)
        .collect();
    // Two people of that first name: nobody can say which.
    let first = *found.first()?;
    found.iter().all(|&i| collapse(&dir.officials[i].name) == collapse(&dir.officials[first].name)).then_some(())?;
    single(&found, dir.officials).map(|i| for_official(Why::SignOffOnly, i, collapse_case_kept(last), dir))
}

/// A reply no rule is certain of that still looks like an official's.
pub(super) fn unsure(author: &str, lines: &[String], dir: &Directory) -> Option<Probable> {
    if let Some(found) = name_and_rest(author).and_then(|(name, rest)| titled_stranger(name, rest, dir)) {
        return Some(found);
    }
    if let Some(last) = lines.last().filter(|_| lines.len() >= 2) {
        if let Some(found) = name_and_rest(last).and_then(|(name, rest)| titled_stranger(name, rest, dir)) {
            return Some(found);
        }
        let name_line = &lines[lines.len() - 2];
        if looks_like_a_name(name_line) {
            if let Some(found) = titled_stranger(name_line, last, dir) {
                return Some(found);
            }
        }
    }
    first_name_sign_off(lines, dir)
}
