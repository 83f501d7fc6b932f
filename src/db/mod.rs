//! The database: one connection type over SQLite and PostgreSQL, its pool, and
//! its migrations. Queries live in one file per table group.

pub mod api;
pub mod api_tokens;
pub mod audit;
pub mod backup;
pub mod comments;
pub mod departments;
pub mod digests;
pub mod feeds;
pub mod figures;
pub mod flags;
pub mod import_reviews;
pub mod imports;
pub mod inbound;
pub mod moderation;
pub mod officials;
pub mod outbox;
mod pool;
pub mod posts;
pub mod rate_limits;
pub mod responses;
pub mod schema;
pub mod search;
pub mod settings;
pub mod subscriptions;
pub mod triage;
pub mod types;
pub mod users;

pub use crate::config::DatabaseUrl;
pub use pool::{build_pool, AnyConnection, Pool, PooledConnection};

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Whether an error means the database cannot take writes at all just now (a read-only
/// file or transaction, a full disk, a lost connection) rather than that this one
/// write was wrong: the person is told to try again later, with what they typed kept.
pub fn refuses_writes(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    const SIGNS: &[&str] = &[
        "readonly database",
        "read-only transaction",
        "database or disk is full",
        "disk i/o error",
        "no space left on device",
        "could not extend file",
        "unable to open database file",
        "database is locked",
    ];
    match error {
        Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction | DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message().to_lowercase();
            SIGNS.iter().any(|sign| message.contains(sign))
        }
        _ => false,
    }
}

/// Whether the database takes writes now: a write that changes nothing, rolled back
/// (for health checks).
pub fn accepts_writes(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    use diesel::connection::Connection;
    use diesel::RunQueryDsl;
    conn.transaction(|conn| {
        diesel::sql_query("UPDATE site_settings SET name = name WHERE 1 = 0").execute(conn)?;
        Err(diesel::result::Error::RollbackTransaction)
    })
    .or_else(|e| match e {
        diesel::result::Error::RollbackTransaction => Ok(()),
        other => Err(other),
    })
}

/// Applies every pending migration for the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut AnyConnection) -> Result<usize, MigrationError> {
    let applied = match conn {
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS)?.len(),
        AnyConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS)?.len(),
    };
    Ok(applied)
}

/// Reverts every applied migration (used by the up/down/up test).
pub fn revert_all_migrations(conn: &mut AnyConnection) -> Result<usize, MigrationError> {
    let reverted = match conn {
        AnyConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS)?.len(),
        AnyConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS)?.len(),
    };
    Ok(reverted)
}

/// Reverts applied migrations, newest first, until the one whose version starts with
/// `version` (e.g. "20261202000014") is no longer applied. For tests of what a
/// migration does to the data already there.
pub fn revert_migrations_through(conn: &mut AnyConnection, version: &str) -> Result<usize, MigrationError> {
    let mut reverted = 0;
    loop {
        let applied = match conn {
            AnyConnection::Sqlite(c) => c.applied_migrations()?,
            AnyConnection::Postgresql(c) => c.applied_migrations()?,
        };
        if !applied.iter().any(|v| v.to_string().starts_with(version)) {
            return Ok(reverted);
        }
        match conn {
            AnyConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS)?,
            AnyConnection::Postgresql(c) => c.revert_last_migration(POSTGRES_MIGRATIONS)?,
        };
        reverted += 1;
    }
}

/// Runs `work` in a transaction, committed when it returns Ok and rolled back
/// otherwise. On SQLite the outermost one begins IMMEDIATE: it takes the write lock
/// first (waiting up to the busy timeout), so a transaction that reads before it
/// writes is never refused because another connection (a request, the mail worker)
/// wrote in between. Nested calls are savepoints, as with `Connection::transaction`.
pub fn transaction<T, E, F>(conn: &mut AnyConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    use diesel::Connection;
    type Manager = <AnyConnection as Connection>::TransactionManager;
    let outermost_sqlite = match conn {
        AnyConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::transaction_manager_status_mut(sqlite).transaction_depth()?.is_none()
        }
        AnyConnection::Postgresql(_) => false,
    };
    match conn {
        AnyConnection::Sqlite(sqlite) if outermost_sqlite => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
        _ => Manager::begin_transaction(conn)?,
    }
    match work(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            Manager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}
