//! A comment as typed into the form: parsed once into types that are valid by construction.

use super::{thousands, FieldError};

pub const NAME_MAX: usize = 100;
pub const BODY_MAX: usize = 10_000;
pub const EMAIL_MAX: usize = 254;

/// Where a comment stands with moderation. Only `Published` comments are public; the
/// others are held (`Pending`), hidden by readers' flags (`Hidden`) or taken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentStatus {
    Published,
    /// Held for a moderator: nobody but its author's browser and moderators see it.
    Pending,
    /// Published once, hidden by readers' flags until a moderator looks.
    Hidden,
    Spam,
    Rejected,
    Deleted,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 6] =
        [Self::Published, Self::Pending, Self::Hidden, Self::Spam, Self::Rejected, Self::Deleted];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Pending => "pending",
            Self::Hidden => "hidden",
            Self::Spam => "spam",
            Self::Rejected => "rejected",
            Self::Deleted => "deleted",
        }
    }
}

/// Display name of a comment's author: trimmed, 1..=100 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorName(String);

impl AuthorName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(FieldError::new("name", "Enter your name"));
        }
        if name.chars().count() > NAME_MAX {
            return Err(FieldError::new("name", format!("Name must be {NAME_MAX} characters or fewer")));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new("name", "Name must be on one line"));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, never shown publicly. Checked for the form people actually type:
/// a local part, an `@`, and a domain with a dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim();
        if email.is_empty() {
            return Err(FieldError::new("email", "Enter your email address"));
        }
        let wrong = || FieldError::new("email", "Enter an email address in the correct format, like name@example.com");
        if email.len() > EMAIL_MAX || !email_address::EmailAddress::is_valid(email) {
            return Err(wrong());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(wrong)?;
        let domain_ok =
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.starts_with('[');
        if local.is_empty() || local.starts_with('"') || !domain_ok {
            return Err(wrong());
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Markdown body of a comment: not blank, at most 10,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let normalised = raw.replace("\r\n", "\n");
        let body = normalised.trim();
        if body.is_empty() {
            return Err(FieldError::new("body", "Enter your comment"));
        }
        let count = body.chars().count();
        if count > BODY_MAX {
            return Err(FieldError::new(
                "body",
                format!(
                    "Comment must be {} characters or fewer (it has {}): shorten it or split it in two",
                    thousands(BODY_MAX),
                    thousands(count)
                ),
            ));
        }
        Ok(Self(body.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who is writing: a guest gives a name and email; a signed-in member's come from the
/// account, and a verified official may post as one of their official roles.
#[derive(Debug, Clone)]
pub enum CommentAuthor {
    Guest { name: AuthorName, email: Email },
    Member { user_id: i64, as_official: Option<i64> },
}

/// A comment that passed every field check.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub author: CommentAuthor,
    pub body: CommentBody,
    pub parent_id: Option<i64>,
    /// Other comments on the post an official reply also answers.
    pub also_answers: Vec<i64>,
    /// A guest asked to be emailed when someone replies (confirmed by a link first).
    pub email_me: bool,
}

impl NewComment {
    /// A guest's comment: checks every field and reports all problems at once, in form order.
    pub fn parse(name: &str, email: &str, body: &str, parent_id: Option<i64>) -> Result<Self, Vec<FieldError>> {
        let name = AuthorName::parse(name);
        let email = Email::parse(email);
        let body = CommentBody::parse(body);
        match (name, email, body) {
            (Ok(name), Ok(email), Ok(body)) => Ok(Self {
                author: CommentAuthor::Guest { name, email },
                body,
                parent_id,
                also_answers: Vec::new(),
                email_me: false,
            }),
            (name, email, body) => Err([name.err(), email.err(), body.err()].into_iter().flatten().collect()),
        }
    }
}

/// What was typed into a comment form, kept as typed so a form shown again with
/// errors loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentDraft {
    pub name: String,
    pub email: String,
    pub body: String,
    pub parent_id: Option<i64>,
    /// The official role chosen to post as ("" for a personal comment).
    pub as_official: String,
    /// Comments ticked as also answered by an official reply.
    pub also_answers: Vec<i64>,
    /// "Email me when someone replies" (guests).
    pub email_me: bool,
}

impl CommentDraft {
    /// A guest's comment.
    pub fn parse(&self) -> Result<NewComment, Vec<FieldError>> {
        let mut comment = NewComment::parse(&self.name, &self.email, &self.body, self.parent_id)?;
        comment.email_me = self.email_me;
        Ok(comment)
    }

    /// A signed-in member's comment: name and email come from the account.
    pub fn parse_for_member(&self, user_id: i64) -> Result<NewComment, Vec<FieldError>> {
        let body = CommentBody::parse(&self.body).map_err(|e| vec![e])?;
        let as_official = match self.as_official.trim() {
            "" | "personal" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                vec![FieldError::new("as_official", "Choose whether to reply as an official or as yourself")]
            })?),
        };
        let also_answers = if as_official.is_some() { self.also_answers.clone() } else { Vec::new() };
        Ok(NewComment {
            author: CommentAuthor::Member { user_id, as_official },
            body,
            parent_id: self.parent_id,
            also_answers,
            email_me: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_statuses_round_trip_through_their_text() {
        for status in CommentStatus::ALL {
            assert_eq!(CommentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(CommentStatus::parse("Published"), None);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(AuthorName::parse("  Priya  ").unwrap().as_str(), "Priya");
        assert_eq!(AuthorName::parse("   ").unwrap_err().message, "Enter your name");
        assert!(AuthorName::parse(&"a".repeat(100)).is_ok());
        assert!(AuthorName::parse(&"a".repeat(101)).is_err());
        assert!(AuthorName::parse(&"é".repeat(100)).is_ok(), "counts characters, not bytes");
        assert!(AuthorName::parse("two\nlines").is_err());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(Email::parse(" Sam@Example.ORG ").unwrap().as_str(), "Sam@example.org");
        for bad in
            ["", "sam", "sam@", "@example.org", "sam@localhost", "sam@@example.org", "sam example@x.org", "sam@.org"]
        {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn bodies_are_not_blank_and_at_most_ten_thousand_characters() {
        assert_eq!(CommentBody::parse("\r\n hi\r\nthere \n").unwrap().as_str(), "hi\nthere");
        assert_eq!(CommentBody::parse(" \n ").unwrap_err().message, "Enter your comment");
        assert!(CommentBody::parse(&"x".repeat(BODY_MAX)).is_ok());
        let err = CommentBody::parse(&"x".repeat(BODY_MAX + 1)).unwrap_err();
        assert!(err.message.contains("10,000 characters or fewer (it has 10,001)"), "{}", err.message);
    }

    #[test]
    fn every_bad_field_is_reported_in_form_order() {
        let errors = NewComment::parse("", "nope", "", None).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["name", "email", "body"]);
    }
}
