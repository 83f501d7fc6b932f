use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

use crate::config::DatabaseUrl;

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                PgConnection::establish(url).map(AnyConnection::Postgresql).map_err(r2d2::Error::ConnectionError)
            }
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // The busy timeout first: the pool opens its connections at once, and
                // switching a new database to WAL waits for the others.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        diesel::sql_query("SELECT 1").execute(conn).map(|_| ()).map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut AnyConnection) -> bool {
        false
    }
}

/// Builds the pool, creating the SQLite file's folder when needed. An in-memory
/// SQLite database exists once per connection, so it gets a pool of one.
pub fn build_pool(url: &DatabaseUrl, max_size: u32) -> Result<Pool, String> {
    let max_size = if let DatabaseUrl::Sqlite(path) = url {
        if path == ":memory:" {
            1
        } else if path.starts_with("file:") {
            // An SQLite URI (`file:PATH?mode=ro`): its folder is not made for it.
            max_size
        } else {
            if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create database folder {}: {e}", dir.display()))?;
            }
            max_size
        }
    } else {
        max_size
    };
    let manager = ConnectionManager::new(url.clone());
    // One connection first, so that a database that cannot be reached is one clear
    // line with its real cause, not the pool's retries and a bare timeout.
    manager.connect().map_err(|e| format!("cannot connect to the database at {}: {}", url.redacted(), one_line(&e)))?;
    r2d2::Pool::builder()
        .max_size(max_size.max(1))
        .connection_timeout(Duration::from_secs(5))
        .error_handler(Box::new(QuietErrors))
        .build(manager)
        .map_err(|e| format!("cannot connect to the database at {}: {e}", url.redacted()))
}

/// The pool's own connection errors go to the debug log: the request or command that
/// needed the connection reports the failure once.
#[derive(Debug)]
struct QuietErrors;

impl r2d2::HandleError<r2d2::Error> for QuietErrors {
    fn handle_error(&self, error: r2d2::Error) {
        tracing::debug!(error = %one_line(&error), "database connection failed");
    }
}

/// An error's text on one line (libpq's messages span several).
fn one_line(error: &impl std::fmt::Display) -> String {
    error.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}
