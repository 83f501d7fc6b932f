//! maud views: pure functions from data to `Markup`. They never touch the database.

pub mod account_email;
pub mod accounts;
pub mod admin;
pub mod api_tokens;
pub mod assets;
pub mod chart;
pub mod comment_form;
pub mod components;
pub mod departments;
pub mod errors;
pub mod feeds;
pub mod forms;
pub mod fragments;
pub mod home;
pub mod layout;
pub mod moderation;
pub mod own;
pub mod post;
pub mod report;
pub mod responses;
pub mod search;
pub mod states;
pub mod subscriptions;
pub mod triage;
