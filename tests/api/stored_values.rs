//! Roles, comment statuses and response states are read from TEXT columns into
//! enums: a spelling the code does not know is an error naming it, never a default.

use answerable::db::{self, schema};
use answerable::domain::account::Role;
use answerable::domain::comment::CommentStatus;
use answerable::domain::response::ResponseState;
use diesel::prelude::*;

use crate::helpers::TestDatabase;

#[test]
fn stored_enums_round_trip_and_unknown_spellings_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path());
    let pool = db::build_pool(&db::DatabaseUrl::parse(&database.url).unwrap(), 1).unwrap();
    let mut conn = pool.get().unwrap();
    db::run_migrations(&mut conn).unwrap();

    let now = answerable::domain::time::now();
    let new = db::users::NewUser {
        email: "mo@example.org",
        name: "Mo",
        password_hash: "x",
        role: Role::Moderator,
        created_at: now,
        updated_at: now,
    };
    let id = db::users::insert(&mut conn, &new).unwrap();
    assert_eq!(db::users::find(&mut conn, id).unwrap().unwrap().role, Role::Moderator);
    let stored: String = schema::users::table.find(id).select(schema::users::role).first(&mut conn).unwrap();
    assert_eq!(stored, "moderator", "stored as its text");

    diesel::update(schema::users::table.find(id)).set(schema::users::role.eq("wizard")).execute(&mut conn).unwrap();
    let error = format!("{:?}", db::users::find(&mut conn, id).unwrap_err());
    assert!(error.contains("unknown role") && error.contains("wizard"), "the error names the value: {error}");

    let statuses: Vec<CommentStatus> =
        diesel::select(CommentStatus::Hidden.into_sql::<diesel::sql_types::Text>()).load(&mut conn).unwrap();
    assert_eq!(statuses, [CommentStatus::Hidden]);
    let states: Vec<Option<ResponseState>> = diesel::select(
        Some(ResponseState::NoResponseNeeded).into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(),
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(states, [Some(ResponseState::NoResponseNeeded)]);
}
