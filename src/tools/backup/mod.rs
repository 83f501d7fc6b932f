//! `answerable export --format json`: the whole site as one JSON document, written a
//! page of rows at a time, and `answerable import json` (in `restore`) to bring it back
//! into an empty database on either backend.

mod restore;

use std::io::Write;

use diesel::prelude::*;
use serde::Serialize;

use crate::db::backup as rows;
use crate::db::AnyConnection;
use crate::domain::time;

pub use restore::{restore, RestoreError};

pub const FORMAT: &str = "answerable-export";
/// Version 2 added the moderation, audit, subscription and settings tables and the
/// accounts' `trusted` and posts' `moderation` columns; version 1 files still read.
pub const VERSION: u32 = 2;

/// Rows read per query for the large tables.
const PAGE: i64 = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the export: {0}")]
    Json(#[from] serde_json::Error),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
}

/// How many rows of the main tables a document holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub departments: usize,
    pub users: usize,
    pub officials: usize,
    pub posts: usize,
    pub comments: usize,
    pub events: usize,
}

/// Writes `"name": [rows]`, one row a line.
struct Document<W: Write> {
    out: W,
    first_key: bool,
}

impl<W: Write> Document<W> {
    fn key(&mut self, name: &str) -> std::io::Result<()> {
        let comma = if self.first_key { "" } else { "," };
        self.first_key = false;
        write!(self.out, "{comma}\n\"{name}\": ")
    }

    fn value(&mut self, name: &str, value: &impl Serialize) -> Result<(), ExportError> {
        self.key(name)?;
        serde_json::to_writer(&mut self.out, value)?;
        Ok(())
    }

    fn rows<T: Serialize>(&mut self, written: usize, rows: &[T]) -> Result<(), ExportError> {
        for (i, row) in rows.iter().enumerate() {
            self.out.write_all(if written + i == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut self.out, row)?;
        }
        Ok(())
    }

    fn table<T: Serialize>(&mut self, name: &str, rows: &[T]) -> Result<usize, ExportError> {
        self.key(name)?;
        self.out.write_all(b"[")?;
        self.rows(0, rows)?;
        self.out.write_all(b"]")?;
        Ok(rows.len())
    }

    /// A large table, read `PAGE` rows at a time after the last id written.
    fn paged<T: Serialize>(
        &mut self,
        name: &str,
        mut page_after: impl FnMut(i64) -> QueryResult<Vec<T>>,
        id: impl Fn(&T) -> i64,
    ) -> Result<usize, ExportError> {
        self.key(name)?;
        self.out.write_all(b"[")?;
        let (mut written, mut after) = (0, 0);
        loop {
            let page = page_after(after)?;
            let Some(last) = page.last() else { break };
            after = id(last);
            self.rows(written, &page)?;
            written += page.len();
        }
        self.out.write_all(b"]")?;
        Ok(written)
    }
}

/// Writes the whole site to `out`, read in one transaction so it is consistent.
pub fn export_json(conn: &mut AnyConnection, out: impl Write) -> Result<Counts, ExportError> {
    conn.transaction(|conn| {
        if let AnyConnection::Postgresql(_) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(conn)?;
        }
        let mut doc = Document { out: std::io::BufWriter::new(out), first_key: true };
        doc.out.write_all(b"{")?;
        doc.value("format", &FORMAT)?;
        doc.value("version", &VERSION)?;
        doc.value("exported_at", &time::now())?;
        let mut counts =
            Counts { departments: doc.table("departments", &rows::departments(conn)?)?, ..Counts::default() };
        doc.table("department_aliases", &rows::aliases(conn)?)?;
        doc.table("department_email_domains", &rows::domains(conn)?)?;
        counts.users = doc.table("users", &rows::users(conn)?)?;
        counts.officials = doc.table("official_roles", &rows::official_roles(conn)?)?;
        doc.table("holidays", &rows::holidays(conn)?)?;
        counts.posts = doc.paged("posts", |after| rows::posts_after(conn, after, PAGE), |p| p.id)?;
        doc.table("post_categories", &rows::categories(conn)?)?;
        counts.comments = doc.paged("comments", |after| rows::comments_after(conn, after, PAGE), |c| c.id)?;
        counts.events = doc.paged("response_events", |after| rows::events_after(conn, after, PAGE), |e| e.id)?;
        doc.table("imported_badges", &rows::imported_badges(conn)?)?;
        doc.table("import_ids", &rows::import_ids(conn)?)?;
        doc.table("import_reviews", &rows::import_reviews(conn)?)?;
        doc.paged("comment_moderation", |after| rows::moderation_after(conn, after, PAGE), |m| m.comment_id)?;
        doc.paged("comment_edits", |after| rows::edits_after(conn, after, PAGE), |e| e.id)?;
        doc.paged("comment_flags", |after| rows::flags_after(conn, after, PAGE), |f| f.id)?;
        doc.paged("subscriptions", |after| rows::subscriptions_after(conn, after, PAGE), |s| s.id)?;
        doc.table("notification_preferences", &rows::preferences(conn)?)?;
        doc.table("site_settings", &rows::settings(conn)?)?;
        doc.table("blocklist", &rows::blocklist(conn)?)?;
        doc.table("freezes", &rows::freezes(conn)?)?;
        doc.paged("audit_log", |after| rows::audit_after(conn, after, PAGE), |a| a.id)?;
        doc.out.write_all(b"\n}\n")?;
        doc.out.flush()?;
        Ok(counts)
    })
}
