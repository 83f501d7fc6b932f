//! One integration test binary: the real server over HTTP, one database per test.

mod bad_input;
mod cli;
mod commenting;
mod csrf;
mod health;
mod helpers;
mod migrations;
mod reading;
mod threads;
