use crate::db::departments::DepartmentFields;
use crate::db::{self, AnyConnection};
use crate::domain::department::DepartmentInput;
use crate::domain::{time, FieldError};
use crate::services::audit::{self, Entry};

#[derive(Debug, thiserror::Error)]
pub enum DepartmentError {
    #[error("{}", .0.message)]
    Clash(FieldError),
    #[error("no such department")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn clash(conn: &mut AnyConnection, input: &DepartmentInput, except: Option<i64>) -> Result<(), DepartmentError> {
    if let Some(other) = db::departments::find_clash(conn, &input.name, &input.acronym, except)? {
        let (field, what) = if other.acronym.eq_ignore_ascii_case(&input.acronym) {
            ("acronym", format!("acronym {}", other.acronym))
        } else {
            ("name", format!("name {}", other.name))
        };
        return Err(DepartmentError::Clash(FieldError::new(
            field,
            format!("Another department already has the {what}"),
        )));
    }
    Ok(())
}

fn fields(input: &DepartmentInput) -> DepartmentFields<'_> {
    DepartmentFields {
        name: &input.name,
        acronym: &input.acronym,
        description: &input.description,
        target_days: input.target_days,
    }
}

/// A department as the audit log shows it before and after a change.
fn described(conn: &mut AnyConnection, id: i64) -> diesel::QueryResult<Option<(String, String)>> {
    let Some(d) = db::departments::list_detailed(conn)?.into_iter().find(|d| d.department.id == id) else {
        return Ok(None);
    };
    let label = format!("{} ({})", d.department.name, d.department.acronym);
    let text = format!(
        "name: {}\nacronym: {}\ndescription: {}\ntarget: {} working days\naliases: {}\nemail domains: {}",
        d.department.name,
        d.department.acronym,
        d.department.description,
        d.department.target_days,
        d.aliases.join(", "),
        d.email_domains.join(", "),
    );
    Ok(Some((label, text)))
}

/// Creates a department; `actor` is the admin (`None` from the command line).
pub fn create(conn: &mut AnyConnection, input: &DepartmentInput, actor: Option<i64>) -> Result<i64, DepartmentError> {
    db::transaction(conn, |conn| {
        clash(conn, input, None)?;
        let id = db::departments::insert(conn, &fields(input), time::now())?;
        db::departments::set_names(conn, id, &input.aliases, &input.email_domains)?;
        let (label, after) = described(conn, id)?.unwrap_or_default();
        let entry = Entry {
            action: "department.create",
            target_type: "department",
            target_id: Some(id),
            target_label: &label,
            before: None,
            after: Some(&after),
            reason: None,
        };
        audit::record(conn, actor, &entry)?;
        Ok(id)
    })
}

pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    input: &DepartmentInput,
    actor: Option<i64>,
) -> Result<(), DepartmentError> {
    db::transaction(conn, |conn| {
        let (_, before) = described(conn, id)?.ok_or(DepartmentError::NotFound)?;
        clash(conn, input, Some(id))?;
        db::departments::update(conn, id, &fields(input))?;
        db::departments::set_names(conn, id, &input.aliases, &input.email_domains)?;
        let (label, after) = described(conn, id)?.unwrap_or_default();
        if before != after {
            let entry = Entry {
                action: "department.update",
                target_type: "department",
                target_id: Some(id),
                target_label: &label,
                before: Some(&before),
                after: Some(&after),
                reason: None,
            };
            audit::record(conn, actor, &entry)?;
        }
        Ok(())
    })
}
