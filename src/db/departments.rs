use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{department_aliases, department_email_domains, departments};
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

/// A department with its other names and email domains.
#[derive(Debug, Clone)]
pub struct DepartmentDetail {
    pub department: Department,
    pub aliases: Vec<String>,
    pub email_domains: Vec<String>,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = departments)]
pub struct DepartmentFields<'a> {
    pub name: &'a str,
    pub acronym: &'a str,
    pub description: &'a str,
    pub target_days: i32,
}

pub fn insert(conn: &mut AnyConnection, fields: &DepartmentFields, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(departments::table)
        .values((fields, departments::created_at.eq(now)))
        .returning(departments::id)
        .get_result(conn)
}

pub fn update(conn: &mut AnyConnection, id: i64, fields: &DepartmentFields) -> QueryResult<usize> {
    diesel::update(departments::table.find(id)).set(fields).execute(conn)
}

/// Replaces a department's aliases and email domains.
pub fn set_names(conn: &mut AnyConnection, id: i64, aliases: &[String], domains: &[String]) -> QueryResult<()> {
    diesel::delete(department_aliases::table.filter(department_aliases::department_id.eq(id))).execute(conn)?;
    diesel::delete(department_email_domains::table.filter(department_email_domains::department_id.eq(id)))
        .execute(conn)?;
    for alias in aliases {
        diesel::insert_into(department_aliases::table)
            .values((department_aliases::department_id.eq(id), department_aliases::alias.eq(alias)))
            .execute(conn)?;
    }
    for domain in domains {
        diesel::insert_into(department_email_domains::table)
            .values((department_email_domains::department_id.eq(id), department_email_domains::domain.eq(domain)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Department>> {
    departments::table.find(id).select(Department::as_select()).first(conn).optional()
}

pub fn find_by_acronym(conn: &mut AnyConnection, acronym: &str) -> QueryResult<Option<Department>> {
    let all = list(conn)?;
    Ok(all.into_iter().find(|d| d.acronym.eq_ignore_ascii_case(acronym.trim())))
}

/// Another department already using this name or acronym (any case), if any.
pub fn find_clash(
    conn: &mut AnyConnection,
    name: &str,
    acronym: &str,
    except: Option<i64>,
) -> QueryResult<Option<Department>> {
    let all = list(conn)?;
    Ok(all.into_iter().find(|d| {
        Some(d.id) != except && (d.name.eq_ignore_ascii_case(name) || d.acronym.eq_ignore_ascii_case(acronym))
    }))
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<Department>> {
    departments::table.order(departments::name).select(Department::as_select()).load(conn)
}

/// Every department with its aliases and domains, by name: three queries in all.
pub fn list_detailed(conn: &mut AnyConnection) -> QueryResult<Vec<DepartmentDetail>> {
    let departments = list(conn)?;
    let aliases: Vec<(i64, String)> = department_aliases::table
        .select((department_aliases::department_id, department_aliases::alias))
        .order(department_aliases::id)
        .load(conn)?;
    let domains: Vec<(i64, String)> = department_email_domains::table
        .select((department_email_domains::department_id, department_email_domains::domain))
        .order(department_email_domains::id)
        .load(conn)?;
    Ok(departments
        .into_iter()
        .map(|department| {
            let of = |rows: &[(i64, String)]| {
                rows.iter().filter(|(id, _)| *id == department.id).map(|(_, v)| v.clone()).collect()
            };
            DepartmentDetail { aliases: of(&aliases), email_domains: of(&domains), department }
        })
        .collect())
}

pub fn detail(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<DepartmentDetail>> {
    Ok(list_detailed(conn)?.into_iter().find(|d| d.department.id == id))
}
