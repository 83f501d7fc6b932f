//! Every migration's down.sql undoes its up.sql, on the backend under test, and the
//! hand-written schema.rs matches what the migrations create.

use answerable::db::{self, schema};
use diesel::prelude::*;

use crate::helpers::TestDatabase;

fn pool(database: &TestDatabase) -> db::Pool {
    db::build_pool(&db::DatabaseUrl::parse(&database.url).unwrap(), 1).unwrap()
}

#[test]
fn migrations_run_up_down_and_up_again() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path());
    let pool = pool(&database);
    let mut conn = pool.get().unwrap();
    let applied = db::run_migrations(&mut conn).unwrap();
    assert!(applied >= 1);
    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted, applied, "every migration can be reverted");
    assert!(schema::posts::table.count().get_result::<i64>(&mut conn).is_err(), "the tables are gone");
    assert_eq!(db::run_migrations(&mut conn).unwrap(), applied, "and applied again");
    assert_eq!(db::run_migrations(&mut conn).unwrap(), 0, "nothing left to apply");
}

#[test]
fn schema_rs_matches_the_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path());
    let pool = pool(&database);
    let mut conn = pool.get().unwrap();
    db::run_migrations(&mut conn).unwrap();
    // Selecting every column declared in schema.rs fails if any is missing or misnamed.
    schema::departments::table
        .select(schema::departments::all_columns)
        .load::<db::departments::Department>(&mut conn)
        .unwrap();
    schema::department_aliases::table
        .select(schema::department_aliases::all_columns)
        .load::<(i64, i64, String)>(&mut conn)
        .unwrap();
    schema::posts::table.select(schema::posts::all_columns).load::<db::posts::Post>(&mut conn).unwrap();
    schema::comments::table.select(schema::comments::all_columns).load::<db::comments::Comment>(&mut conn).unwrap();
    schema::api_tokens::table
        .select(schema::api_tokens::all_columns)
        .load::<db::api_tokens::ApiToken>(&mut conn)
        .unwrap();
    schema::import_ids::table
        .select(schema::import_ids::all_columns)
        .load::<db::backup::ImportIdRecord>(&mut conn)
        .unwrap();
    schema::imported_badges::table
        .select(schema::imported_badges::all_columns)
        .load::<db::backup::ImportedBadgeRecord>(&mut conn)
        .unwrap();
    schema::post_categories::table
        .select(schema::post_categories::all_columns)
        .load::<db::backup::CategoryRecord>(&mut conn)
        .unwrap();
    schema::site_settings::table
        .select(schema::site_settings::all_columns)
        .load::<(String, String)>(&mut conn)
        .unwrap();
    schema::comment_moderation::table
        .select(schema::comment_moderation::all_columns)
        .load::<db::moderation::Moderation>(&mut conn)
        .unwrap();
    schema::audit_log::table.select(schema::audit_log::all_columns).load::<db::audit::AuditRow>(&mut conn).unwrap();
    schema::rate_limit_hits::table
        .select(schema::rate_limit_hits::all_columns)
        .load::<(i64, String, String, chrono::NaiveDateTime)>(&mut conn)
        .unwrap();
    schema::blocklist::table
        .select(schema::blocklist::all_columns)
        .load::<(i64, String, String, chrono::NaiveDateTime)>(&mut conn)
        .unwrap();
    schema::comment_flags::table
        .select(schema::comment_flags::all_columns)
        .load::<(i64, i64, String, String, String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)>(&mut conn)
        .unwrap();
    schema::freezes::table.select(schema::freezes::all_columns).load::<db::flags::Freeze>(&mut conn).unwrap();
    schema::comment_edits::table
        .select(schema::comment_edits::all_columns)
        .load::<(i64, i64, String, String, bool, chrono::NaiveDateTime)>(&mut conn)
        .unwrap();
    schema::inbound_messages::table
        .select(schema::inbound_messages::all_columns)
        .load::<db::inbound::InboundMessage>(&mut conn)
        .unwrap();
    schema::users::table.select(schema::users::all_columns).load::<db::users::User>(&mut conn).unwrap();
}
