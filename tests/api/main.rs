//! One integration test binary: the real server over HTTP, one database per test.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed set-up should stop the test loudly

mod accounts;
mod admin;
mod architecture;
mod audit;
mod authoring;
mod bad_input;
mod cli;
mod commenting;
mod conversation;
mod csrf;
mod departments;
mod digests;
mod email;
mod email_delivery;
mod feeds;
mod flags;
mod health;
mod helpers;
mod json_api;
mod mail_sink;
mod migrations;
mod moderation;
mod officials;
mod pages;
mod reading;
mod reply_by_email;
mod reply_refusals;
mod responses;
mod search;
mod service;
mod spam;
mod state_news;
mod storable;
mod stored_values;
mod threads;
mod transfer;
mod triage;
mod triage_answers;
mod trust;
mod wordpress;
mod wordpress_content;
mod wordpress_officials;
