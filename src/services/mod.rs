//! Use cases: each combines domain rules and database calls, in one transaction
//! where it writes.

pub mod account_email;
pub mod accounts;
pub mod api;
pub mod api_tokens;
pub mod audit;
pub mod authoring;
pub mod backup;
pub mod comment_responses;
pub mod comments;
pub mod demo;
mod demo_bulk;
mod demo_text;
pub mod departments;
pub mod digests;
pub mod email_tokens;
pub mod feeds;
pub mod figures;
pub mod flags;
pub mod freezes;
pub mod maintenance;
pub mod moderation;
pub mod notify;
pub mod officials;
pub mod outbox;
pub mod posts;
pub mod rate_limit;
pub mod reading;
pub mod responses;
pub mod search;
pub mod site_settings;
pub mod standing;
pub mod subscriptions;
pub mod triage;
pub mod wordpress;
