//! Batch tools the command line runs: demo data, the WordPress import, and backup
//! and restore. They are built from the use cases in `services` and the queries in
//! `db`; nothing in the web app calls them.

pub mod backup;
pub mod demo;
mod demo_bulk;
mod demo_text;
pub mod wordpress;
