//! Read models: what each page shows, gathered from the database in a few queries
//! and shaped for the views. Nothing here writes. Views take their data from this
//! module and `domain` only; use cases in `services` may read through it too.

pub mod actor;
pub mod comment_responses;
pub mod deadlines;
pub mod feeds;
pub mod figures;
pub mod import_reviews;
pub mod kept;
pub mod moderation;
pub mod operations;
pub mod outbox;
pub mod reading;
pub mod rows;
pub mod search;
pub mod standing;
pub mod triage;
