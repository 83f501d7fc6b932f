//! maud views: pure functions from data to `Markup`. They never touch the database.

pub mod accounts;
pub mod admin;
pub mod assets;
pub mod chart;
pub mod comment_form;
pub mod components;
pub mod departments;
pub mod errors;
pub mod forms;
pub mod home;
pub mod layout;
pub mod moderation;
pub mod own;
pub mod post;
pub mod report;
pub mod responses;
pub mod triage;
