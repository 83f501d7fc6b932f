//! Verifying officials: an admin grants a user the right to answer for a department,
//! with a title, and may revoke it. Grants are never deleted.

use crate::db::{self, AnyConnection};
use crate::domain::department::{parse_title, RevokeReason};
use crate::domain::{time, FieldError};
use crate::services::audit::{self, Entry};

/// The audit row of a grant or revocation (in its transaction).
fn audited(
    conn: &mut AnyConnection,
    actor: Option<i64>,
    action: &str,
    role_id: i64,
    change: (Option<&str>, Option<&str>),
    reason: Option<&str>,
) -> diesel::QueryResult<()> {
    let label = match db::officials::find(conn, role_id)? {
        Some(role) => {
            let user = db::users::find(conn, role.user_id)?.map(|u| u.name).unwrap_or_default();
            let department = db::departments::find(conn, role.department_id)?.map(|d| d.acronym).unwrap_or_default();
            format!("{user}, {}, {department}", role.title)
        }
        None => format!("official role {role_id}"),
    };
    let entry = Entry {
        action,
        target_type: "official",
        target_id: Some(role_id),
        target_label: &label,
        before: change.0,
        after: change.1,
        reason,
    };
    audit::record(conn, actor, &entry)
}

#[derive(Debug, thiserror::Error)]
pub enum OfficialError {
    #[error("no account has the email {0}")]
    NoSuchUser(String),
    #[error("no department has the acronym {0}")]
    NoSuchDepartment(String),
    #[error("{name} is already an official of {department} (as {title}); revoke that first to change the title")]
    AlreadyOfficial { name: String, department: String, title: String },
    #[error("the email address {email} of {name}'s account is not confirmed")]
    EmailNotConfirmed { name: String, email: String },
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
/// (The command line's way: whoever runs it on the server is trusted to know.)
pub fn grant(
    conn: &mut AnyConnection,
    target: &GrantTarget,
    title: &str,
    granted_by: Option<i64>,
) -> Result<i64, OfficialError> {
    grant_checked(conn, target, title, granted_by, Unconfirmed::Allowed)
}

/// Whether an account whose email address is not confirmed may be made an official.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unconfirmed {
    /// Refused with `EmailNotConfirmed`, so the admin can be warned and asked again.
    Refused,
    /// The admin saw the warning and confirmed.
    Allowed,
}

/// As `grant`, refusing an account whose email is not confirmed unless `unconfirmed`
/// allows it: nothing proves such an account belongs to the person it names. The
/// audit log says when a grant was made to one.
pub fn grant_checked(
    conn: &mut AnyConnection,
    target: &GrantTarget,
    title: &str,
    granted_by: Option<i64>,
    unconfirmed: Unconfirmed,
) -> Result<i64, OfficialError> {
    let title = parse_title(title).map_err(OfficialError::Title)?;
    db::transaction(conn, |conn| {
        let (user, department) = resolve(conn, target)?;
        let confirmed = user.email_verified_at.is_some();
        if !confirmed && unconfirmed == Unconfirmed::Refused {
            return Err(OfficialError::EmailNotConfirmed { name: user.name, email: user.email });
        }
        if let Some(existing) = db::officials::active_for(conn, user.id, department.id)? {
            return Err(OfficialError::AlreadyOfficial {
                name: user.name,
                department: department.name,
                title: existing.title,
            });
        }
        let id = db::officials::grant(conn, user.id, department.id, &title, granted_by, time::now())?;
        let after =
            if confirmed { "in force" } else { "in force (granted although the email address was not confirmed)" };
        audited(conn, granted_by, "official.grant", id, (None, Some(after)), None)?;
        Ok(id)
    })
}

/// Ends a user's grant for a department. Replies already posted keep their badge.
pub fn revoke(conn: &mut AnyConnection, target: &GrantTarget, revoked_by: Option<i64>) -> Result<(), OfficialError> {
    db::transaction(conn, |conn| {
        let (user, department) = resolve(conn, target)?;
        let role = db::officials::active_for(conn, user.id, department.id)?
            .ok_or(OfficialError::NotOfficial { name: user.name, department: department.name })?;
        db::officials::revoke(conn, role.id, revoked_by, time::now())?;
        audited(conn, revoked_by, "official.revoke", role.id, (Some("in force"), Some("revoked")), None)?;
        Ok(())
    })
}

/// Ends a grant by its id (from the admin area), with the admin's reason kept in the
/// audit log; false when it had already ended.
pub fn revoke_by_id(
    conn: &mut AnyConnection,
    role_id: i64,
    revoked_by: Option<i64>,
    reason: &RevokeReason,
) -> Result<bool, OfficialError> {
    crate::db::transaction(conn, |conn| {
        if db::officials::revoke(conn, role_id, revoked_by, time::now())? == 0 {
            return Ok(false);
        }
        let change = (Some("in force"), Some("revoked"));
        audited(conn, revoked_by, "official.revoke", role_id, change, Some(reason.as_str()))?;
        Ok(true)
    })
}
