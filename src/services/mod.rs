//! Use cases: each combines domain rules and database calls, in one transaction
//! where it writes. What pages only read is in `read`; the batch tools are `tools`.

pub mod account_email;
pub mod accounts;
pub mod api;
pub mod api_tokens;
pub mod audit;
pub mod authoring;
pub mod comments;
pub mod departments;
pub mod digests;
pub mod email_replies;
pub mod email_tokens;
pub mod flags;
pub mod freezes;
pub mod history;
pub mod import_reviews;
pub mod inbound;
pub mod maintenance;
pub mod moderation;
pub mod notify;
pub mod officials;
pub mod outbox;
pub mod posts;
pub mod rate_limit;
pub mod responses;
pub mod site_settings;
pub mod subscriptions;
pub mod triage;
