//! Plain types and rules: no actix, no diesel. Input is parsed here once into
//! types that cannot hold a bad value.

pub mod account;
pub mod answering;
pub mod audit;
pub mod comment;
pub mod department;
pub mod figures;
pub mod flags;
pub mod ids;
pub mod inbound;
pub mod markdown;
pub mod moderation;
pub mod notification;
pub mod paging;
pub mod plain_text;
pub mod post;
pub mod reply_address;
pub mod reply_text;
pub mod response;
pub mod routing;
pub mod search;
pub mod signature;
pub mod thread;
pub mod time;
pub mod working_days;

/// What was wrong with one field, in words a reader can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field's name (`body`, `email`, ...), where the message is shown.
    pub field: std::borrow::Cow<'static, str>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<std::borrow::Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// The one character PostgreSQL cannot keep in text, though SQLite can: U+0000.
/// Every way text comes in (forms, the API, imports) refuses it the same way, so
/// the two backends always hold the same text and a site can move between them.
pub const UNSTORABLE: char = '\0';

/// Whether text can be stored on every backend.
pub fn storable(text: &str) -> bool {
    !text.contains(UNSTORABLE)
}

/// The path (`body`, `also_answers[2]`) of the first string in `value` that cannot be stored.
pub fn unstorable_path(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::String(text) if !storable(text) => Some(path.to_owned()),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| unstorable_path(v, &format!("{path}[{i}]")))
        }
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, v)| {
            let here = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if storable(key) {
                unstorable_path(v, &here)
            } else {
                Some(here)
            }
        }),
        _ => None,
    }
}

/// What an import says of a field in its file that holds U+0000.
pub const UNSTORABLE_IN_FILE: &str =
    "holds a NUL character (U+0000), which cannot be stored (PostgreSQL refuses it); remove it and import again";

/// What a person is told about text that holds U+0000.
pub const UNSTORABLE_MESSAGE: &str =
    "This contains a NUL character (U+0000), which cannot be saved. Remove it and send it again.";

/// 10000 → "10,000": numbers as people read them.
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && c.is_ascii_digit() && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_unstorable_string_is_named_by_its_path() {
        let value = serde_json::json!({"body": "fine", "notes": ["ok", "a\u{0}b"]});
        assert_eq!(super::unstorable_path(&value, "").as_deref(), Some("notes[1]"));
        assert_eq!(super::unstorable_path(&serde_json::json!({"body": "fine"}), ""), None);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(10_000), "10,000");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
