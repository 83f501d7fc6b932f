//! A department's public figures, composed from indexed counts: the headline numbers
//! for every department, and for one the oldest comments awaiting a response and the
//! weekly trend. The same structs are the page, the JSON and the CSV.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;
use serde::Serialize;

use crate::db::departments::Department;
use crate::db::{self, AnyConnection};
use crate::domain::figures::{self, Definition, ResponseTimes, StateCounts, OLDEST_LISTED, TREND_WEEKS};
use crate::domain::markdown::excerpt;
use crate::domain::response::ResponseState;
use crate::domain::time;
use crate::domain::working_days::Calendar;
use crate::services::responses::{age_in_working_days, calendar, overdue_cutoffs};

/// The headline figures of one department: one row of the CSV. See
/// `domain::figures::definitions` for what each means.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub acronym: String,
    pub name: String,
    pub target_working_days: i32,
    pub routed: i64,
    pub answered: i64,
    pub acknowledged: i64,
    pub referred: i64,
    pub awaiting: i64,
    pub no_response_needed: i64,
    pub overdue: i64,
    pub response_rate_percent: Option<f64>,
    pub responses_timed: i64,
    pub median_working_days: Option<f64>,
    pub p90_working_days: Option<i32>,
}

impl Headline {
    /// The CSV header: the field names, in order.
    pub const COLUMNS: [&'static str; 14] = [
        "acronym",
        "name",
        "target_working_days",
        "routed",
        "answered",
        "acknowledged",
        "referred",
        "awaiting",
        "no_response_needed",
        "overdue",
        "response_rate_percent",
        "responses_timed",
        "median_working_days",
        "p90_working_days",
    ];
}

/// A comment that has awaited a response longest.
#[derive(Debug, Clone, Serialize)]
pub struct AwaitingComment {
    pub id: i64,
    pub path: String,
    pub author_name: String,
    pub excerpt: String,
    pub post_title: String,
    pub post_path: String,
    pub published_at: String,
    pub working_days_waiting: i64,
    pub overdue: bool,
}

/// One week of the trend.
#[derive(Debug, Clone, Serialize)]
pub struct WeekFigures {
    /// The Monday the week starts on.
    pub week_starting: NaiveDate,
    pub received: i64,
    pub answered: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DefinitionJson {
    pub field: &'static str,
    pub term: &'static str,
    pub meaning: String,
}

impl From<Definition> for DefinitionJson {
    fn from(d: Definition) -> Self {
        Self { field: d.field, term: d.term, meaning: d.meaning }
    }
}

/// Everything the accountability page of one department shows.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentFigures {
    #[serde(flatten)]
    pub headline: Headline,
    pub description: String,
    pub as_of: String,
    pub oldest_awaiting: Vec<AwaitingComment>,
    pub weeks: Vec<WeekFigures>,
    pub definitions: Vec<DefinitionJson>,
}

/// The index of departments with their headline figures.
#[derive(Debug, Clone, Serialize)]
pub struct AllDepartments {
    pub as_of: String,
    pub departments: Vec<Headline>,
    pub definitions: Vec<DefinitionJson>,
}

fn state_counts(conn: &mut AnyConnection, department_id: i64) -> QueryResult<StateCounts> {
    let mut count = |state| db::figures::count_in_state(conn, department_id, state);
    Ok(StateCounts {
        awaiting: count(ResponseState::Awaiting)?,
        acknowledged: count(ResponseState::Acknowledged)?,
        answered: count(ResponseState::Answered)?,
        referred: count(ResponseState::Referred)?,
        no_response_needed: count(ResponseState::NoResponseNeeded)?,
    })
}

fn headline(conn: &mut AnyConnection, department: &Department, cutoff: NaiveDateTime) -> QueryResult<Headline> {
    let counts = state_counts(conn, department.id)?;
    let overdue = counts.awaiting - db::figures::count_awaiting_not_overdue(conn, department.id, cutoff)?;
    let times = ResponseTimes::from_histogram(&db::figures::response_days_histogram(conn, department.id)?);
    Ok(Headline {
        acronym: department.acronym.clone(),
        name: department.name.clone(),
        target_working_days: department.target_days,
        routed: counts.routed(),
        answered: counts.answered,
        acknowledged: counts.acknowledged,
        referred: counts.referred,
        awaiting: counts.awaiting,
        no_response_needed: counts.no_response_needed,
        overdue,
        response_rate_percent: counts.response_rate_percent(),
        responses_timed: times.timed,
        median_working_days: times.median,
        p90_working_days: times.p90,
    })
}

fn cutoff_for(cutoffs: &[(i64, NaiveDateTime)], department_id: i64, now: NaiveDateTime) -> NaiveDateTime {
    cutoffs.iter().find(|(id, _)| *id == department_id).map_or(now, |(_, cutoff)| *cutoff)
}

/// Every department's headline figures, by name.
pub fn all_departments(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<AllDepartments> {
    let cutoffs = overdue_cutoffs(conn, now)?;
    let departments = db::departments::list(conn)?
        .iter()
        .map(|d| headline(conn, d, cutoff_for(&cutoffs, d.id, now)))
        .collect::<QueryResult<_>>()?;
    Ok(AllDepartments {
        as_of: time::iso(now),
        departments,
        definitions: figures::definitions(None).into_iter().map(Into::into).collect(),
    })
}

fn oldest_awaiting(
    conn: &mut AnyConnection,
    department_id: i64,
    calendar: &Calendar,
    cutoff: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Vec<AwaitingComment>> {
    Ok(db::figures::oldest_awaiting(conn, department_id, OLDEST_LISTED)?
        .into_iter()
        .map(|row| AwaitingComment {
            id: row.id,
            path: format!("/comments/{}", row.id),
            author_name: row.author_name,
            excerpt: excerpt(&row.body_md, 140),
            post_title: row.post_title,
            post_path: format!("/posts/{}", row.post_slug),
            published_at: time::iso(row.published_at),
            working_days_waiting: age_in_working_days(calendar, row.published_at, now),
            overdue: row.published_at < cutoff,
        })
        .collect())
}

fn trend(conn: &mut AnyConnection, department_id: i64, now: NaiveDateTime) -> QueryResult<Vec<WeekFigures>> {
    figures::trend_weeks(now.date(), TREND_WEEKS)
        .into_iter()
        .map(|week| {
            Ok(WeekFigures {
                week_starting: week.monday,
                received: db::figures::count_received(conn, department_id, week.start(), week.end())?,
                answered: db::figures::count_answered(conn, department_id, week.start(), week.end())?,
            })
        })
        .collect()
}

/// The full figures of the department with this acronym (any case), if there is one.
pub fn department(
    conn: &mut AnyConnection,
    acronym: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<DepartmentFigures>> {
    let Some(department) = db::departments::find_by_acronym(conn, acronym)? else {
        return Ok(None);
    };
    let cutoff = cutoff_for(&overdue_cutoffs(conn, now)?, department.id, now);
    let calendar = calendar(conn)?;
    Ok(Some(DepartmentFigures {
        headline: headline(conn, &department, cutoff)?,
        description: department.description.clone(),
        as_of: time::iso(now),
        oldest_awaiting: oldest_awaiting(conn, department.id, &calendar, cutoff, now)?,
        weeks: trend(conn, department.id, now)?,
        definitions: figures::definitions(Some(department.target_days)).into_iter().map(Into::into).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_columns_are_the_json_fields_in_order() {
        let headline = Headline {
            acronym: "DWP".into(),
            name: "Department for Work and Pensions".into(),
            target_working_days: 5,
            routed: 0,
            answered: 0,
            acknowledged: 0,
            referred: 0,
            awaiting: 0,
            no_response_needed: 0,
            overdue: 0,
            response_rate_percent: None,
            responses_timed: 0,
            median_working_days: None,
            p90_working_days: None,
        };
        let json = serde_json::to_string(&headline).unwrap();
        let mut at = 0;
        for column in Headline::COLUMNS {
            let found = json[at..].find(&format!("\"{column}\":")).map(|i| i + at);
            assert!(found.is_some(), "{column} follows the previous field in {json}");
            at = found.unwrap_or(at);
        }
        assert_eq!(json.matches("\":").count(), Headline::COLUMNS.len());
    }
}
