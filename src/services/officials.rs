//! Verifying officials: an admin grants a user the right to answer for a department,
//! with a title, and may revoke it. Grants are never deleted.

use crate::db::{self, AnyConnection};
use crate::domain::department::parse_title;
use crate::domain::{time, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum OfficialError {
    #[error("no account has the email {0}")]
    NoSuchUser(String),
    #[error("no department has the acronym {0}")]
    NoSuchDepartment(String),
    #[error("{name} is already an official of {department} (as {title}); revoke that first to change the title")]
    AlreadyOfficial { name: String, department: String, title: String },
    #[error("{name} is not an official of {department}")]
    NotOfficial { name: String, department: String },
    #[error("{}", .0.message)]
    Title(FieldError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Who is being verified, and for which department, named as an admin types them.
pub struct GrantTarget<'a> {
    pub email: &'a str,
    pub department_acronym: &'a str,
}

fn resolve(
    conn: &mut AnyConnection,
    target: &GrantTarget,
) -> Result<(db::users::User, db::departments::Department), OfficialError> {
    let user = db::users::find_by_email(conn, target.email.trim())?
        .ok_or_else(|| OfficialError::NoSuchUser(target.email.trim().to_owned()))?;
    let department = db::departments::find_by_acronym(conn, target.department_acronym)?
        .ok_or_else(|| OfficialError::NoSuchDepartment(target.department_acronym.trim().to_owned()))?;
    Ok((user, department))
}

/// Makes a user an official of a department with a title; returns the grant's id.
pub fn grant(
    conn: &mut AnyConnection,
    target: &GrantTarget,
    title: &str,
    granted_by: Option<i64>,
) -> Result<i64, OfficialError> {
    let title = parse_title(title).map_err(OfficialError::Title)?;
    db::transaction(conn, |conn| {
        let (user, department) = resolve(conn, target)?;
        if let Some(existing) = db::officials::active_for(conn, user.id, department.id)? {
            return Err(OfficialError::AlreadyOfficial {
                name: user.name,
                department: department.name,
                title: existing.title,
            });
        }
        Ok(db::officials::grant(conn, user.id, department.id, &title, granted_by, time::now())?)
    })
}

/// Ends a user's grant for a department. Replies already posted keep their badge.
pub fn revoke(conn: &mut AnyConnection, target: &GrantTarget, revoked_by: Option<i64>) -> Result<(), OfficialError> {
    db::transaction(conn, |conn| {
        let (user, department) = resolve(conn, target)?;
        let role = db::officials::active_for(conn, user.id, department.id)?
            .ok_or(OfficialError::NotOfficial { name: user.name, department: department.name })?;
        db::officials::revoke(conn, role.id, revoked_by, time::now())?;
        Ok(())
    })
}

/// Ends a grant by its id (from the admin area).
pub fn revoke_by_id(conn: &mut AnyConnection, role_id: i64, revoked_by: Option<i64>) -> Result<bool, OfficialError> {
    Ok(db::officials::revoke(conn, role_id, revoked_by, time::now())? > 0)
}
