use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Which backend a `DATABASE_URL` names. Chosen from the URL scheme ourselves, because
/// the derived `establish` tries each backend in turn and hides the real error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err("DATABASE_URL `sqlite://` needs a file path after it".into());
            }
            return Ok(Self::Sqlite(path.to_owned()));
        }
        if url == ":memory:" || url.starts_with("file:") {
            return Ok(Self::Sqlite(url.to_owned()));
        }
        if url.is_empty() || url.contains("://") {
            return Err(format!(
                "DATABASE_URL `{url}` is not supported: use postgres://..., postgresql://..., sqlite://PATH or a file path"
            ));
        }
        Ok(Self::Sqlite(url.to_owned()))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }

    /// The URL with any password hidden, for logs.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{path}"),
            Self::Postgres(url) => crate::config::redact_password(url),
        }
    }
}

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
    r2d2::Pool::builder()
        .max_size(max_size.max(1))
        .connection_timeout(Duration::from_secs(5))
        .build(ConnectionManager::new(url.clone()))
        .map_err(|e| format!("cannot connect to the database at {}: {e}", url.redacted()))
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    #[test]
    fn url_scheme_chooses_the_backend() {
        assert_eq!(DatabaseUrl::parse("postgres://u@h/db"), Ok(DatabaseUrl::Postgres("postgres://u@h/db".into())));
        assert!(matches!(DatabaseUrl::parse("postgresql://h/db"), Ok(DatabaseUrl::Postgres(_))));
        assert_eq!(DatabaseUrl::parse("sqlite://./data/a.db"), Ok(DatabaseUrl::Sqlite("./data/a.db".into())));
        assert_eq!(DatabaseUrl::parse("data/a.db"), Ok(DatabaseUrl::Sqlite("data/a.db".into())));
        assert_eq!(DatabaseUrl::parse(":memory:"), Ok(DatabaseUrl::Sqlite(":memory:".into())));
    }

    #[test]
    fn unknown_schemes_are_refused_with_the_url_named() {
        let err = DatabaseUrl::parse("mysql://root@localhost/db").unwrap_err();
        assert!(err.contains("mysql://root@localhost/db"), "{err}");
        assert!(DatabaseUrl::parse("").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_are_hidden_in_logs() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/answerable").unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/answerable");
    }
}
