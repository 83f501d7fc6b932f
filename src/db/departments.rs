use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{department_aliases, departments};
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = departments)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub acronym: String,
    pub description: String,
    pub target_days: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = departments)]
pub struct NewDepartment<'a> {
    pub name: &'a str,
    pub acronym: &'a str,
    pub description: &'a str,
    pub target_days: i32,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, department: &NewDepartment, aliases: &[&str]) -> QueryResult<i64> {
    let id: i64 =
        diesel::insert_into(departments::table).values(department).returning(departments::id).get_result(conn)?;
    for alias in aliases {
        diesel::insert_into(department_aliases::table)
            .values((department_aliases::department_id.eq(id), department_aliases::alias.eq(alias)))
            .execute(conn)?;
    }
    Ok(id)
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<Department>> {
    departments::table.order(departments::name).select(Department::as_select()).load(conn)
}
