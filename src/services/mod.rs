//! Use cases: each combines domain rules and database calls, in one transaction
//! where it writes.

pub mod accounts;
pub mod audit;
pub mod authoring;
pub mod comment_responses;
pub mod comments;
pub mod demo;
mod demo_bulk;
mod demo_text;
pub mod departments;
pub mod figures;
pub mod flags;
pub mod freezes;
pub mod maintenance;
pub mod moderation;
pub mod officials;
pub mod posts;
pub mod rate_limit;
pub mod reading;
pub mod responses;
pub mod site_settings;
pub mod standing;
pub mod triage;
