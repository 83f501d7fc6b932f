//! Suggesting a department for a comment from the names it mentions.

/// A department and the words people use for it: name, acronym, aliases.
pub struct DepartmentNames<'a> {
    pub id: i64,
    pub names: Vec<&'a str>,
}

/// True when `term` appears in `text` as whole words, ignoring case: "HMRC" matches
/// "ask HMRC." but not "HMRCX".
pub fn mentions(text: &str, term: &str) -> bool {
    let term = term.trim().to_lowercase();
    if term.is_empty() {
        return false;
    }
    let text = text.to_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(&term).any(|(start, found)| {
        let before = text[..start].chars().next_back();
        let after = text[start + found.len()..].chars().next();
        !is_word(before) && !is_word(after)
    })
}

/// The department whose name is mentioned first in `text`, if any.
pub fn suggest(text: &str, departments: &[DepartmentNames]) -> Option<i64> {
    let lower = text.to_lowercase();
    departments
        .iter()
        .filter_map(|d| {
            d.names
                .iter()
                .filter(|name| mentions(text, name))
                .filter_map(|name| lower.find(&name.to_lowercase()))
                .min()
                .map(|position| (position, d.id))
        })
        .min()
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn departments() -> Vec<DepartmentNames<'static>> {
        vec![
            DepartmentNames { id: 1, names: vec!["HM Revenue and Customs", "HMRC", "Revenue and Customs"] },
            DepartmentNames { id: 2, names: vec!["Department for Work and Pensions", "DWP"] },
        ]
    }

    #[test]
    fn whole_words_in_any_case_are_found() {
        assert!(mentions("I asked hmrc twice.", "HMRC"));
        assert!(mentions("Revenue and Customs, again", "revenue and customs"));
        assert!(!mentions("HMRCX is not a department", "HMRC"));
        assert!(!mentions("XHMRC", "HMRC"));
        assert!(!mentions("anything", "  "));
    }

    #[test]
    fn the_first_mentioned_department_is_suggested() {
        assert_eq!(suggest("My Revenue and Customs log-in takes nine minutes", &departments()), Some(1));
        assert_eq!(suggest("DWP and then HMRC", &departments()), Some(2));
        assert_eq!(suggest("HMRCX only", &departments()), None);
        assert_eq!(suggest("", &departments()), None);
    }
}
