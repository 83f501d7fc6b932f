//! Posts as an admin creates them.

use super::FieldError;

pub const TITLE_MAX: usize = 200;
pub const SLUG_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostTitle(String);

impl PostTitle {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let title = raw.trim();
        if title.is_empty() {
            return Err(FieldError::new("title", "Enter a title"));
        }
        if title.chars().count() > TITLE_MAX {
            return Err(FieldError::new("title", format!("Title must be {TITLE_MAX} characters or fewer")));
        }
        Ok(Self(title.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The URL part of a post: lower-case letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let slug = raw.trim();
        let valid = !slug.is_empty()
            && slug.len() <= SLUG_MAX
            && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--");
        if !valid {
            return Err(FieldError::new(
                "slug",
                format!(
                    "Slug must be 1 to {SLUG_MAX} lower-case letters, digits and single hyphens, like fixing-it-2026"
                ),
            ));
        }
        Ok(Self(slug.to_owned()))
    }

    /// A slug made from a title ("We are fixing IT!" → "we-are-fixing-it").
    pub fn from_title(title: &PostTitle) -> Self {
        let mut slug = slug::slugify(title.as_str());
        slug.truncate(SLUG_MAX);
        let slug = slug.trim_matches('-').to_owned();
        if slug.is_empty() {
            Self("post".to_owned())
        } else {
            Self(slug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_titles() {
        let title = PostTitle::parse("  We are fixing IT: here's the plan!  ").unwrap();
        assert_eq!(Slug::from_title(&title).as_str(), "we-are-fixing-it-here-s-the-plan");
        let symbols = PostTitle::parse("!!!").unwrap();
        assert_eq!(Slug::from_title(&symbols).as_str(), "post");
    }

    #[test]
    fn typed_slugs_are_checked() {
        assert!(Slug::parse("fixing-it-2026").is_ok());
        for bad in ["", "Fixing", "a b", "-a", "a-", "a--b", "a/b"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn titles_are_required() {
        assert!(PostTitle::parse("  ").is_err());
        assert!(PostTitle::parse(&"t".repeat(TITLE_MAX + 1)).is_err());
    }
}
