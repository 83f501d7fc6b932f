//! How titles and departments are written in signatures: full titles, their
//! abbreviations (a configurable list), and a department by name, acronym or alias,
//! before or after the title.

/// Characters that separate a name from a title in a signature.
pub(super) const SEPARATORS: &[char] = &[',', '–', '—', '-', '|', ':', '/', '(', ')', ';', '[', ']'];

/// Abbreviations of titles used on government blogs, each with what it stands for.
/// One abbreviation may stand for several titles (CDO).
pub const DEFAULT_ABBREVIATIONS: &[(&str, &str)] = &[
    ("CTO", "Chief Technology Officer"),
    ("CIO", "Chief Information Officer"),
    ("CDIO", "Chief Digital and Information Officer"),
    ("CDO", "Chief Digital Officer"),
    ("CDO", "Chief Data Officer"),
    ("CISO", "Chief Information Security Officer"),
    ("CEO", "Chief Executive Officer"),
    ("CEO", "Chief Executive"),
    ("COO", "Chief Operating Officer"),
    ("CFO", "Chief Financial Officer"),
    ("DG", "Director General"),
    ("DDG", "Deputy Director General"),
    ("DD", "Deputy Director"),
    ("Perm Sec", "Permanent Secretary"),
];

pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Lower case, separators and dots as spaces, "&" as "and": how titles are compared.
pub(super) fn words(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if SEPARATORS.contains(&c) || c == '.' { ' ' } else { c }).collect();
    collapse(&spaced.replace('&', " and "))
}

/// The abbreviations a site recognises: `Titles::default()` is `DEFAULT_ABBREVIATIONS`;
/// `with_setting` adds to it or replaces some of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titles {
    /// (abbreviation, title as written), both also kept compared as `words`.
    pairs: Vec<Pair>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair {
    abbreviation: String,
    title: String,
    abbreviation_words: String,
    title_words: String,
}

impl Pair {
    fn new(abbreviation: &str, title: &str) -> Self {
        Self {
            abbreviation: abbreviation.trim().to_owned(),
            title: title.trim().to_owned(),
            abbreviation_words: words(abbreviation),
            title_words: words(title),
        }
    }
}

impl Default for Titles {
    fn default() -> Self {
        Self { pairs: DEFAULT_ABBREVIATIONS.iter().map(|(a, t)| Pair::new(a, t)).collect() }
    }
}

impl Titles {
    /// `CTO=Chief Technology Officer; CDO=Chief Digital Officer|Chief Data Officer`:
    /// each abbreviation listed replaces the default meanings of the same abbreviation;
    /// `X=` with nothing after removes one.
    pub fn with_setting(setting: &str) -> Result<Self, String> {
        let mut titles = Self::default();
        for entry in setting.split(';').map(str::trim).filter(|e| !e.is_empty()) {
            let Some((abbreviation, meanings)) = entry.split_once('=') else {
                return Err(format!("`{entry}` should be ABBREVIATION=Title (e.g. CTO=Chief Technology Officer)"));
            };
            let key = words(abbreviation);
            if key.is_empty() {
                return Err(format!("`{entry}` has no abbreviation before the ="));
            }
            titles.pairs.retain(|p| p.abbreviation_words != key);
            for meaning in meanings.split('|').map(str::trim).filter(|m| !m.is_empty()) {
                titles.pairs.push(Pair::new(abbreviation, meaning));
            }
        }
        Ok(titles)
    }

    /// The ways `title` may be written: itself and each abbreviation of it.
    pub(super) fn variants(&self, title: &str) -> Vec<String> {
        let full = words(title);
        let mut out = vec![full.clone()];
        out.extend(self.pairs.iter().filter(|p| p.title_words == full).map(|p| p.abbreviation_words.clone()));
        out
    }

    /// A title as written in full, if `text` (compared as `words`) is a title this list
    /// knows or one of `also` (the officials' own titles): "cto" → "Chief Technology Officer".
    pub(super) fn title_of<'a>(&'a self, text: &str, also: impl Iterator<Item = &'a str>) -> Option<String> {
        if text.is_empty() {
            return None;
        }
        if let Some(p) = self.pairs.iter().find(|p| p.abbreviation_words == text || p.title_words == text) {
            return Some(p.title.clone());
        }
        also.into_iter().find(|t| words(t) == text).map(str::to_owned)
    }

    /// "CTO = Chief Technology Officer", one a line, for the README and `--help`.
    pub fn describe(&self) -> Vec<String> {
        self.pairs.iter().map(|p| format!("{} = {}", p.abbreviation, p.title)).collect()
    }
}

/// The ways a department may be written: name, acronym, aliases (compared as `words`).
pub(super) fn department_variants<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    names.into_iter().map(words).filter(|w| !w.is_empty()).collect()
}

/// True when `rest` is one of the titles with or without one of the departments, in
/// the usual orders: "CTO", "DWP", "CTO DWP", "DWP CTO", "CTO at/for/of/in DWP".
pub(super) fn is_title_and_department(rest: &str, titles: &[String], departments: &[String]) -> bool {
    if titles.iter().any(|t| t == rest) || departments.iter().any(|d| d == rest) {
        return true;
    }
    splits(rest, std::slice::from_ref(&departments.to_vec())).iter().any(|(title, _)| titles.iter().any(|t| t == title))
}

/// Every way of reading `rest` as (title part, department index) with a department
/// named, as whole words, at its start or its end; the title part may be empty.
pub(super) fn splits<'a>(rest: &'a str, departments: &[Vec<String>]) -> Vec<(&'a str, usize)> {
    let mut out = Vec::new();
    for (i, variants) in departments.iter().enumerate() {
        for d in variants {
            if let Some(title) = rest.strip_suffix(d.as_str()) {
                if title.is_empty() || title.ends_with(' ') {
                    let title = title.trim_end();
                    let title = ["at", "for", "of", "in"]
                        .iter()
                        .find_map(|c| title.strip_suffix(c).filter(|t| t.is_empty() || t.ends_with(' ')))
                        .unwrap_or(title);
                    out.push((title.trim(), i));
                }
            }
            if let Some(title) = rest.strip_prefix(d.as_str()) {
                if title.is_empty() || title.starts_with(' ') {
                    let title = title.trim_start();
                    out.push((title.strip_prefix("'s ").unwrap_or(title), i));
                }
            }
        }
    }
    out
}
