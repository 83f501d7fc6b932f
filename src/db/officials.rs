use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{departments, official_roles, users};
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = official_roles)]
pub struct OfficialRole {
    pub id: i64,
    pub user_id: i64,
    pub department_id: i64,
    pub title: String,
    pub granted_by: Option<i64>,
    pub granted_at: NaiveDateTime,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A grant with the names a page shows.
#[derive(Debug, Clone, Queryable)]
pub struct OfficialListing {
    pub role_id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub user_email: String,
    pub title: String,
    pub department_id: i64,
    pub department_name: String,
    pub department_acronym: String,
    pub granted_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

macro_rules! listings {
    () => {
        official_roles::table
            .inner_join(users::table.on(users::id.eq(official_roles::user_id)))
            .inner_join(departments::table)
            .select((
                official_roles::id,
                users::id,
                users::name,
                users::email,
                official_roles::title,
                departments::id,
                departments::name,
                departments::acronym,
                official_roles::granted_at,
                official_roles::revoked_at,
            ))
    };
}

pub fn grant(
    conn: &mut AnyConnection,
    user_id: i64,
    department_id: i64,
    title: &str,
    granted_by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(official_roles::table)
        .values((
            official_roles::user_id.eq(user_id),
            official_roles::department_id.eq(department_id),
            official_roles::title.eq(title),
            official_roles::granted_by.eq(granted_by),
            official_roles::granted_at.eq(now),
        ))
        .returning(official_roles::id)
        .get_result(conn)
}

pub fn revoke(
    conn: &mut AnyConnection,
    role_id: i64,
    revoked_by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(official_roles::table.find(role_id).filter(official_roles::revoked_at.is_null()))
        .set((official_roles::revoked_at.eq(now), official_roles::revoked_by.eq(revoked_by)))
        .execute(conn)
}

pub fn find(conn: &mut AnyConnection, role_id: i64) -> QueryResult<Option<OfficialRole>> {
    official_roles::table.find(role_id).select(OfficialRole::as_select()).first(conn).optional()
}

/// The user's grant for a department that is still in force.
pub fn active_for(conn: &mut AnyConnection, user_id: i64, department_id: i64) -> QueryResult<Option<OfficialRole>> {
    official_roles::table
        .filter(official_roles::user_id.eq(user_id))
        .filter(official_roles::department_id.eq(department_id))
        .filter(official_roles::revoked_at.is_null())
        .select(OfficialRole::as_select())
        .first(conn)
        .optional()
}

/// Grants in force for one user, by department name.
pub fn active_listings_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<OfficialListing>> {
    listings!()
        .filter(official_roles::user_id.eq(user_id))
        .filter(official_roles::revoked_at.is_null())
        .order(departments::name)
        .load(conn)
}

/// One grant, as the officials page lists it.
pub fn listing(conn: &mut AnyConnection, role_id: i64) -> QueryResult<Option<OfficialListing>> {
    listings!().filter(official_roles::id.eq(role_id)).first(conn).optional()
}

/// Every grant, current ones first, then the revoked, newest first.
pub fn all_listings(conn: &mut AnyConnection) -> QueryResult<Vec<OfficialListing>> {
    listings!().order((official_roles::revoked_at.is_not_null(), official_roles::granted_at.desc())).load(conn)
}

/// The accounts in force as officials of a department.
pub fn active_user_ids(conn: &mut AnyConnection, department_id: i64) -> QueryResult<Vec<i64>> {
    official_roles::table
        .filter(official_roles::department_id.eq(department_id))
        .filter(official_roles::revoked_at.is_null())
        .select(official_roles::user_id)
        .distinct()
        .load(conn)
}
