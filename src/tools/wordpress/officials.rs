//! Who an imported reply can be recognised as: the officials verified on this site,
//! and people listed in an `--officials` CSV (name,title,department) who never had an
//! account here.

use std::io::Read;

use crate::db::{self, AnyConnection};
use crate::domain::signature::KnownOfficial;

/// One row of the officials CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOfficial {
    pub line: u64,
    pub name: String,
    pub title: String,
    pub department: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OfficialsError {
    #[error("officials CSV line {line}: {problem}")]
    Line { line: u64, problem: String },
    #[error("officials CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Reads `name,title,department` rows; a first row naming those columns is a header.
pub fn parse_csv(input: impl Read) -> Result<Vec<CsvOfficial>, OfficialsError> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(input);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        let fields: Vec<&str> = record.iter().collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if line == 1 && fields.first().is_some_and(|f| f.eq_ignore_ascii_case("name")) {
            continue;
        }
        let [name, title, department] = fields.as_slice() else {
            return Err(OfficialsError::Line {
                line,
                problem: format!("expected 3 fields (name,title,department), found {}", fields.len()),
            });
        };
        for (what, value) in [("name", name), ("title", title), ("department", department)] {
            if value.is_empty() {
                return Err(OfficialsError::Line { line, problem: format!("the {what} is empty") });
            }
        }
        out.push(CsvOfficial {
            line,
            name: (*name).to_owned(),
            title: (*title).to_owned(),
            department: (*department).to_owned(),
        });
    }
    Ok(out)
}

/// An official a reply may be recognised as, and what recognising them writes.
#[derive(Debug, Clone)]
pub struct Recognisable {
    pub known: KnownOfficial,
    pub department_id: i64,
    /// Set for officials verified on this site; `None` for CSV-only people.
    pub role_id: Option<i64>,
    pub user_id: Option<i64>,
}

impl Recognisable {
    /// "Jane Doe, Chief Technology Officer, DWP".
    pub fn label(&self) -> String {
        let department = if self.known.acronym.is_empty() { &self.known.department } else { &self.known.acronym };
        format!("{}, {}, {department}", self.known.name, self.known.title)
    }
}

/// The site's officials in force, then the CSV's people (each department must exist:
/// named by acronym, name or alias).
pub fn recognisable(conn: &mut AnyConnection, csv: &[CsvOfficial]) -> Result<Vec<Recognisable>, OfficialsError> {
    let departments = db::departments::list_detailed(conn)?;
    let aliases =
        |id: i64| departments.iter().find(|d| d.department.id == id).map(|d| d.aliases.clone()).unwrap_or_default();
    let mut out: Vec<Recognisable> = db::officials::all_listings(conn)?
        .into_iter()
        .filter(|l| l.revoked_at.is_none())
        .map(|l| Recognisable {
            known: KnownOfficial {
                name: l.user_name,
                title: l.title,
                department: l.department_name,
                acronym: l.department_acronym,
                aliases: aliases(l.department_id),
            },
            department_id: l.department_id,
            role_id: Some(l.role_id),
            user_id: Some(l.user_id),
        })
        .collect();
    for row in csv {
        let wanted = row.department.trim();
        let department = departments
            .iter()
            .find(|d| {
                d.department.acronym.eq_ignore_ascii_case(wanted)
                    || d.department.name.eq_ignore_ascii_case(wanted)
                    || d.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted))
            })
            .ok_or_else(|| OfficialsError::Line {
                line: row.line,
                problem: format!(
                    "no department called `{wanted}` on this site; create it first (answerable department create) \
                     or use an existing department's name or acronym"
                ),
            })?;
        out.push(Recognisable {
            known: KnownOfficial {
                name: row.name.clone(),
                title: row.title.clone(),
                department: department.department.name.clone(),
                acronym: department.department.acronym.clone(),
                aliases: department.aliases.clone(),
            },
            department_id: department.department.id,
            role_id: None,
            user_id: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_or_without_a_header() {
        let rows =
            parse_csv("name,title,department\nJane Doe, CTO ,DWP\n\n\"Doe, John\",Head,HMRC\n".as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].title.as_str()), (2, "CTO"));
        assert_eq!(rows[1].name, "Doe, John");
        let err = parse_csv("Jane Doe,CTO\n".as_bytes()).unwrap_err().to_string();
        assert_eq!(err, "officials CSV line 1: expected 3 fields (name,title,department), found 2");
    }
}
