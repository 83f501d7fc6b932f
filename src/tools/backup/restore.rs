//! `answerable import json`: reads an export as a stream (rows are written as they are
//! read, a batch at a time, never the whole file in memory) into an empty database,
//! in one transaction.

use std::fmt;
use std::io::Read;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Counts, FORMAT, VERSION};
use crate::db::backup::{self as rows, CommentRecord, Restore};
use crate::db::AnyConnection;

/// Rows per multi-row insert: SQLite allows 32,766 values, a comment has 31.
const BATCH: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error(
        "the database already holds {0} rows (accounts, departments, posts, comments, holidays, settings, \
         the blocklist, freezes or the audit log); \
         `import json` only fills an empty database: point DATABASE_URL at a new SQLite file or an empty \
         PostgreSQL database"
    )]
    NotEmpty(i64),
    #[error("the file is not an Answerable export: {0}")]
    Json(#[from] serde_json::Error),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
}

/// What the rows being read need: the connection, and what is written afterwards.
struct State<'c> {
    conn: &'c mut AnyConnection,
    counts: Counts,
    /// (comment, the official reply that answers it), set once all comments exist.
    answers: Vec<(i64, i64)>,
    seen_format: bool,
}

/// A row type and what must wait until every row exists.
trait Row: Restore + DeserializeOwned + serde::Serialize {
    fn defer(&mut self, _answers: &mut Vec<(i64, i64)>) {}
}

impl Row for rows::DepartmentRecord {}
impl Row for rows::AliasRecord {}
impl Row for rows::DomainRecord {}
impl Row for rows::UserRecord {}
impl Row for rows::OfficialRoleRecord {}
impl Row for rows::HolidayRecord {}
impl Row for rows::PostRecord {}
impl Row for rows::CategoryRecord {}
impl Row for rows::EventRecord {}
impl Row for rows::ImportedBadgeRecord {}
impl Row for rows::ImportIdRecord {}
impl Row for rows::ImportReviewRecord {}
impl Row for rows::ModerationRecord {}
impl Row for rows::EditRecord {}
impl Row for rows::FlagRecord {}
impl Row for rows::SubscriptionRecord {}
impl Row for rows::PreferenceRecord {}
impl Row for rows::SettingRecord {}
impl Row for rows::BlockRecord {}
impl Row for rows::FreezeRecord {}
impl Row for rows::AuditRecord {}
impl Row for CommentRecord {
    fn defer(&mut self, answers: &mut Vec<(i64, i64)>) {
        if let Some(reply) = self.answered_by.take() {
            answers.push((self.id, reply));
        }
    }
}

/// One table's array, written in batches as it is read; yields how many rows.
struct Table<'s, 'c, T> {
    state: &'s mut State<'c>,
    name: &'s str,
    row: PhantomData<T>,
}

impl<'de, T: Row> DeserializeSeed<'de> for Table<'_, '_, T> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Row> Visitor<'de> for Table<'_, '_, T> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut batch: Vec<T> = Vec::with_capacity(BATCH);
        let mut n = 0;
        while let Some(mut row) = seq.next_element::<T>()? {
            // Text no backend can store is refused with its place named, and nothing
            // is imported.
            let value = serde_json::to_value(&row).map_err(de::Error::custom)?;
            if let Some(field) = crate::domain::unstorable_path(&value, "") {
                let row = n + batch.len() + 1;
                return Err(de::Error::custom(format!(
                    "{} row {row}, `{field}`: {}",
                    self.name,
                    crate::domain::UNSTORABLE_IN_FILE
                )));
            }
            row.defer(&mut self.state.answers);
            batch.push(row);
            if batch.len() == BATCH {
                n += T::restore(self.state.conn, &batch).map_err(de::Error::custom)?;
                batch.clear();
            }
        }
        n += T::restore(self.state.conn, &batch).map_err(de::Error::custom)?;
        Ok(n)
    }
}

struct DocumentVisitor<'s, 'c> {
    state: &'s mut State<'c>,
}

impl<'de> Visitor<'de> for DocumentVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object written by `answerable export --format json`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.state;
        while let Some(key) = map.next_key::<String>()? {
            if !state.seen_format && key != "format" {
                return Err(de::Error::custom(format!("expected \"format\": \"{FORMAT}\" first")));
            }
            macro_rules! table {
                ($t:ty) => {
                    map.next_value_seed(Table::<$t> { state: &mut *state, name: &key, row: PhantomData })?
                };
            }
            match key.as_str() {
                "format" => {
                    let format: String = map.next_value()?;
                    if format != FORMAT {
                        return Err(de::Error::custom(format!("\"format\" is `{format}`, not `{FORMAT}`")));
                    }
                    state.seen_format = true;
                }
                "version" => {
                    let version: u32 = map.next_value()?;
                    if !(1..=VERSION).contains(&version) {
                        return Err(de::Error::custom(format!(
                            "export version {version}; this program reads versions 1 to {VERSION}"
                        )));
                    }
                }
                "exported_at" => {
                    map.next_value::<IgnoredAny>()?;
                }
                "departments" => state.counts.departments = table!(rows::DepartmentRecord),
                "department_aliases" => _ = table!(rows::AliasRecord),
                "department_email_domains" => _ = table!(rows::DomainRecord),
                "users" => state.counts.users = table!(rows::UserRecord),
                "official_roles" => state.counts.officials = table!(rows::OfficialRoleRecord),
                "holidays" => _ = table!(rows::HolidayRecord),
                "posts" => state.counts.posts = table!(rows::PostRecord),
                "post_categories" => _ = table!(rows::CategoryRecord),
                "comments" => state.counts.comments = table!(CommentRecord),
                "response_events" => state.counts.events = table!(rows::EventRecord),
                "imported_badges" => _ = table!(rows::ImportedBadgeRecord),
                "import_ids" => _ = table!(rows::ImportIdRecord),
                "import_reviews" => _ = table!(rows::ImportReviewRecord),
                "comment_moderation" => _ = table!(rows::ModerationRecord),
                "comment_edits" => _ = table!(rows::EditRecord),
                "comment_flags" => _ = table!(rows::FlagRecord),
                "subscriptions" => _ = table!(rows::SubscriptionRecord),
                "notification_preferences" => _ = table!(rows::PreferenceRecord),
                "site_settings" => _ = table!(rows::SettingRecord),
                "blocklist" => _ = table!(rows::BlockRecord),
                "freezes" => _ = table!(rows::FreezeRecord),
                "audit_log" => _ = table!(rows::AuditRecord),
                other => return Err(de::Error::custom(format!("unknown table `{other}`"))),
            }
        }
        if !state.seen_format {
            return Err(de::Error::custom(format!("no \"format\": \"{FORMAT}\"")));
        }
        Ok(())
    }
}

/// Restores an export into an empty database: everything, or (on any error) nothing.
pub fn restore(conn: &mut AnyConnection, input: impl Read) -> Result<Counts, RestoreError> {
    crate::db::imports::allow_large_transaction(conn)?;
    crate::db::transaction(conn, |conn| {
        let present = rows::rows_present(conn)?;
        if present > 0 {
            return Err(RestoreError::NotEmpty(present));
        }
        let mut state = State { conn, counts: Counts::default(), answers: Vec::new(), seen_format: false };
        let mut deserializer = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
        de::Deserializer::deserialize_map(&mut deserializer, DocumentVisitor { state: &mut state })?;
        deserializer.end()?;
        let State { conn, counts, answers, .. } = state;
        for (comment, reply) in answers {
            rows::set_answered_by(conn, comment, reply)?;
        }
        rows::reset_sequences(conn)?;
        Ok(counts)
    })
}
