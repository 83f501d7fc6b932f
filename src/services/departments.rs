use crate::db::departments::DepartmentFields;
use crate::db::{self, AnyConnection};
use crate::domain::department::DepartmentInput;
use crate::domain::{time, FieldError};

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

pub fn create(conn: &mut AnyConnection, input: &DepartmentInput) -> Result<i64, DepartmentError> {
    db::transaction(conn, |conn| {
        clash(conn, input, None)?;
        let id = db::departments::insert(conn, &fields(input), time::now())?;
        db::departments::set_names(conn, id, &input.aliases, &input.email_domains)?;
        Ok(id)
    })
}

pub fn update(conn: &mut AnyConnection, id: i64, input: &DepartmentInput) -> Result<(), DepartmentError> {
    db::transaction(conn, |conn| {
        db::departments::find(conn, id)?.ok_or(DepartmentError::NotFound)?;
        clash(conn, input, Some(id))?;
        db::departments::update(conn, id, &fields(input))?;
        db::departments::set_names(conn, id, &input.aliases, &input.email_domains)?;
        Ok(())
    })
}
