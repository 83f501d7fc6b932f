//! Plain types and rules: no actix, no diesel. Input is parsed here once into
//! types that cannot hold a bad value.

pub mod comment;
pub mod markdown;
pub mod paging;
pub mod post;
pub mod thread;
pub mod time;

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
