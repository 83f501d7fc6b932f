//! Plain types and rules: no actix, no diesel. Input is parsed here once into
//! types that cannot hold a bad value.

pub mod account;
pub mod comment;
pub mod department;
pub mod figures;
pub mod flags;
pub mod ids;
pub mod markdown;
pub mod moderation;
pub mod notification;
pub mod paging;
pub mod post;
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
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

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
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(10_000), "10,000");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
