//! Departments and the officials who speak for them.

use super::FieldError;

pub const TARGET_DAYS_DEFAULT: i32 = 5;

/// A department as an admin describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentInput {
    pub name: String,
    pub acronym: String,
    pub description: String,
    pub aliases: Vec<String>,
    pub email_domains: Vec<String>,
    pub target_days: i32,
}

/// Splits a list typed one per line or comma-separated, dropping blanks and repeats.
pub fn split_list(raw: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in raw.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        if !items.iter().any(|i| i.eq_ignore_ascii_case(item)) {
            items.push(item.to_owned());
        }
    }
    items
}

impl DepartmentInput {
    /// Checks what an admin typed; every problem is reported at once.
    pub fn parse(
        name: &str,
        acronym: &str,
        description: &str,
        aliases: &str,
        email_domains: &str,
        target_days: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Enter the department's name"));
        } else if name.chars().count() > 150 {
            errors.push(FieldError::new("name", "Name must be 150 characters or fewer"));
        }
        let acronym = acronym.trim();
        if acronym.is_empty() {
            errors.push(FieldError::new("acronym", "Enter the department's acronym, like HMRC"));
        } else if acronym.chars().count() > 20 || !acronym.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '&')
        {
            errors.push(FieldError::new("acronym", "Acronym must be up to 20 letters or digits, like HMRC"));
        }
        let description = description.trim();
        if description.chars().count() > 500 {
            errors.push(FieldError::new("description", "Description must be 500 characters or fewer"));
        }
        let aliases = split_list(aliases);
        if aliases.iter().any(|a| a.chars().count() > 100) {
            errors.push(FieldError::new("aliases", "Each other name must be 100 characters or fewer"));
        }
        let email_domains: Vec<String> =
            split_list(email_domains).into_iter().map(|d| d.to_ascii_lowercase()).collect();
        if let Some(bad) = email_domains.iter().find(|d| !valid_domain(d)) {
            errors.push(FieldError::new(
                "email_domains",
                format!("`{bad}` is not an email domain: use the part after @, like hmrc.gov.uk"),
            ));
        }
        let target_days = match target_days.trim() {
            "" => TARGET_DAYS_DEFAULT,
            raw => match raw.parse::<i32>() {
                Ok(days @ 1..=60) => days,
                _ => {
                    errors.push(FieldError::new(
                        "target_days",
                        "Response target must be a whole number of working days from 1 to 60",
                    ));
                    TARGET_DAYS_DEFAULT
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            name: name.to_owned(),
            acronym: acronym.to_owned(),
            description: description.to_owned(),
            aliases,
            email_domains,
            target_days,
        })
    }
}

fn valid_domain(domain: &str) -> bool {
    domain.len() <= 253
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// An official's title, as the badge will show it.
pub fn parse_title(raw: &str) -> Result<String, FieldError> {
    let title = raw.trim();
    if title.is_empty() {
        return Err(FieldError::new("title", "Enter the official's title, like Chief Technology Officer"));
    }
    if title.chars().count() > 100 || title.chars().any(char::is_control) {
        return Err(FieldError::new("title", "Title must be one line of 100 characters or fewer"));
    }
    Ok(title.to_owned())
}

/// Why an admin revokes an official: required, kept in the audit log.
#[derive(Debug, Clone)]
pub struct RevokeReason(String);

/// The longest reason kept, in characters.
pub const REVOKE_REASON_MAX: usize = 500;

impl RevokeReason {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let reason = raw.trim();
        if reason.is_empty() {
            return Err(FieldError::new(
                "reason",
                "Enter why you are revoking this official role: it is kept in the audit log",
            ));
        }
        if reason.chars().count() > REVOKE_REASON_MAX {
            return Err(FieldError::new(
                "reason",
                format!("Enter a reason of {REVOKE_REASON_MAX} characters or fewer"),
            ));
        }
        Ok(Self(reason.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_needs_a_reason_of_sensible_length() {
        assert_eq!(RevokeReason::parse("  Left the department  ").unwrap().as_str(), "Left the department");
        assert_eq!(RevokeReason::parse("   ").unwrap_err().field, "reason");
        assert!(RevokeReason::parse(&"x".repeat(501)).is_err());
    }

    #[test]
    fn lists_split_on_commas_and_lines_without_repeats() {
        assert_eq!(
            split_list("HMRC, Revenue and Customs\n\nhmrc\n the Revenue "),
            ["HMRC", "Revenue and Customs", "the Revenue"]
        );
    }

    #[test]
    fn a_department_needs_a_name_and_acronym_and_sane_values() {
        let ok = DepartmentInput::parse("HM Revenue and Customs", "HMRC", "", "Revenue and Customs", "HMRC.gov.uk", "")
            .unwrap();
        assert_eq!(ok.target_days, 5);
        assert_eq!(ok.email_domains, ["hmrc.gov.uk"]);
        let errors = DepartmentInput::parse("", "H M", "", "", "not a domain", "0").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["name", "acronym", "email_domains", "target_days"]);
    }

    #[test]
    fn titles_are_one_short_line() {
        assert_eq!(parse_title("  Chief Technology Officer ").unwrap(), "Chief Technology Officer");
        assert!(parse_title("").is_err());
        assert!(parse_title("a\nb").is_err());
    }
}
