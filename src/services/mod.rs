//! Use cases: each combines domain rules and database calls, in one transaction
//! where it writes.

pub mod comments;
pub mod demo;
pub mod posts;
pub mod reading;
