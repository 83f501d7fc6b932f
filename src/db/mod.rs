//! The database: one connection type over SQLite and PostgreSQL, its pool, and
//! its migrations. Queries live in one file per table group.

pub mod audit;
pub mod comments;
pub mod departments;
pub mod figures;
pub mod flags;
pub mod moderation;
pub mod officials;
mod pool;
pub mod posts;
pub mod rate_limits;
pub mod responses;
pub mod schema;
pub mod settings;
pub mod triage;
pub mod users;

pub use pool::{build_pool, AnyConnection, DatabaseUrl, Pool, PooledConnection};

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

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
