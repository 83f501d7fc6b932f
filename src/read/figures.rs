//! A department's public figures, composed from indexed counts: the headline numbers
//! for every department, and for one the oldest comments awaiting a response and the
//! weekly trend. The same structs are the page, the JSON and the CSV.

use std::sync::atomic::{AtomicUsize, Ordering};

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
use crate::read::deadlines::{age_in_working_days, calendar, overdue_cutoffs};

/// The headline figures of one department: one row of the CSV. See
/// `domain::figures::definitions` for what each means.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    pub answered_percent: Option<f64>,
    pub acknowledged_percent: Option<f64>,
    pub response_rate_percent: Option<f64>,
    pub responses_timed: i64,
    pub median_working_days: Option<f64>,
    pub p90_working_days: Option<i32>,
}

impl Headline {
    /// The CSV header: the field names, in order.
    pub const COLUMNS: [&'static str; 16] = [
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
        "answered_percent",
        "acknowledged_percent",
        "response_rate_percent",
        "responses_timed",
        "median_working_days",
        "p90_working_days",
    ];
}

/// A comment that has awaited a response longest.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WeekFigures {
    /// The Monday the week starts on.
    pub week_starting: NaiveDate,
    pub received: i64,
    pub answered: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AllDepartments {
    pub as_of: String,
    pub departments: Vec<Headline>,
    pub definitions: Vec<DefinitionJson>,
}

/// What one department's figures are measured against: found first, so that the
/// counts can then run on two connections at once (see `web::departments`).
#[derive(Debug, Clone)]
pub struct Basis {
    pub department: Department,
    /// Awaiting comments published before this are overdue.
    pub cutoff: NaiveDateTime,
    pub calendar: Calendar,
    pub now: NaiveDateTime,
}

fn basis_for(
    department: Department,
    cutoffs: &[(i64, NaiveDateTime)],
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Basis {
    let cutoff = cutoffs.iter().find(|(id, _)| *id == department.id).map_or(now, |(_, cutoff)| *cutoff);
    Basis { department, cutoff, calendar: calendar.clone(), now }
}

/// Every department, by name.
pub fn bases(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<Basis>> {
    let cutoffs = overdue_cutoffs(conn, now)?;
    let calendar = calendar(conn)?;
    Ok(db::departments::list(conn)?.into_iter().map(|d| basis_for(d, &cutoffs, &calendar, now)).collect())
}

/// The department with this acronym (any case), if there is one.
pub fn basis(conn: &mut AnyConnection, acronym: &str, now: NaiveDateTime) -> QueryResult<Option<Basis>> {
    let Some(department) = db::departments::find_by_acronym(conn, acronym)? else {
        return Ok(None);
    };
    let cutoffs = overdue_cutoffs(conn, now)?;
    Ok(Some(basis_for(department, &cutoffs, &calendar(conn)?, now)))
}

/// Routed comments by state, and how many of those awaiting are overdue: counted
/// together so that overdue never exceeds awaiting.
#[derive(Debug, Clone, Copy)]
pub struct States {
    pub counts: StateCounts,
    pub overdue: i64,
}

pub fn states(conn: &mut AnyConnection, basis: &Basis) -> QueryResult<States> {
    let id = basis.department.id;
    let mut count = |state| db::figures::count_in_state(conn, id, state);
    let counts = StateCounts {
        awaiting: count(ResponseState::Awaiting)?,
        acknowledged: count(ResponseState::Acknowledged)?,
        answered: count(ResponseState::Answered)?,
        referred: count(ResponseState::Referred)?,
        no_response_needed: count(ResponseState::NoResponseNeeded)?,
    };
    let overdue = counts.awaiting - db::figures::count_awaiting_not_overdue(conn, id, basis.cutoff)?;
    Ok(States { counts, overdue })
}

pub fn response_times(conn: &mut AnyConnection, basis: &Basis) -> QueryResult<ResponseTimes> {
    Ok(ResponseTimes::from_histogram(&db::figures::response_days_histogram(conn, basis.department.id)?))
}

pub fn headline(basis: &Basis, states: &States, times: &ResponseTimes) -> Headline {
    let d = &basis.department;
    let counts = &states.counts;
    Headline {
        acronym: d.acronym.clone(),
        name: d.name.clone(),
        target_working_days: d.target_days,
        routed: counts.routed(),
        answered: counts.answered,
        acknowledged: counts.acknowledged,
        referred: counts.referred,
        awaiting: counts.awaiting,
        no_response_needed: counts.no_response_needed,
        overdue: states.overdue,
        answered_percent: counts.answered_percent(),
        acknowledged_percent: counts.acknowledged_percent(),
        response_rate_percent: counts.response_rate_percent(),
        responses_timed: times.timed,
        median_working_days: times.median,
        p90_working_days: times.p90,
    }
}

/// The index's counts as a queue of jobs, two for each department, that several
/// connections take from at once: the biggest department's counts then overlap with
/// everyone else's instead of adding to them.
#[derive(Debug)]
pub struct IndexWork {
    now: NaiveDateTime,
    bases: Vec<Basis>,
    next: AtomicUsize,
}

/// One finished job: (department's position, what was counted).
#[derive(Debug)]
pub enum Done {
    States(usize, States),
    Times(usize, ResponseTimes),
}

impl IndexWork {
    pub fn new(now: NaiveDateTime, bases: Vec<Basis>) -> Self {
        Self { now, bases, next: AtomicUsize::new(0) }
    }

    /// Takes jobs until none are left; returns what this connection counted.
    pub fn run(&self, conn: &mut AnyConnection) -> QueryResult<Vec<Done>> {
        let mut done = Vec::new();
        loop {
            let job = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(basis) = self.bases.get(job / 2) else {
                return Ok(done);
            };
            done.push(match job % 2 {
                0 => Done::States(job / 2, states(conn, basis)?),
                _ => Done::Times(job / 2, response_times(conn, basis)?),
            });
        }
    }

    /// Every department's headline figures, by name, from the jobs' results.
    pub fn finish(&self, done: impl IntoIterator<Item = Done>) -> AllDepartments {
        let mut states = vec![None; self.bases.len()];
        let mut times = vec![ResponseTimes::default(); self.bases.len()];
        for job in done {
            match job {
                Done::States(i, s) => states[i] = Some(s),
                Done::Times(i, t) => times[i] = t,
            }
        }
        let empty = States { counts: StateCounts::default(), overdue: 0 };
        AllDepartments {
            as_of: time::iso(self.now),
            departments: self
                .bases
                .iter()
                .zip(states)
                .zip(&times)
                .map(|((basis, states), times)| headline(basis, &states.unwrap_or(empty), times))
                .collect(),
            definitions: figures::definitions(None).into_iter().map(Into::into).collect(),
        }
    }
}

/// The comments routed to the department that have awaited a response longest.
pub fn oldest_awaiting(conn: &mut AnyConnection, basis: &Basis) -> QueryResult<Vec<AwaitingComment>> {
    Ok(db::figures::oldest_awaiting(conn, basis.department.id, OLDEST_LISTED)?
        .into_iter()
        .map(|row| AwaitingComment {
            id: row.id,
            path: format!("/comments/{}", row.id),
            author_name: row.author_name,
            excerpt: excerpt(&row.body_md, 140),
            post_title: row.post_title,
            post_path: format!("/posts/{}", row.post_slug),
            published_at: time::iso(row.published_at),
            working_days_waiting: age_in_working_days(&basis.calendar, row.published_at, basis.now),
            overdue: row.routed_at.unwrap_or(row.published_at) < basis.cutoff,
        })
        .collect())
}

/// Received and answered in each of the last weeks, the current week last.
pub fn trend(conn: &mut AnyConnection, basis: &Basis) -> QueryResult<Vec<WeekFigures>> {
    let id = basis.department.id;
    figures::trend_weeks(basis.now.date(), TREND_WEEKS)
        .into_iter()
        .map(|week| {
            Ok(WeekFigures {
                week_starting: week.monday,
                received: db::figures::count_received(conn, id, week.start(), week.end())?,
                answered: db::figures::count_answered(conn, id, week.start(), week.end())?,
            })
        })
        .collect()
}

/// One department's figures in full, from its parts.
pub fn department(basis: &Basis, parts: DepartmentParts) -> DepartmentFigures {
    DepartmentFigures {
        headline: headline(basis, &parts.states, &parts.times),
        description: basis.department.description.clone(),
        as_of: time::iso(basis.now),
        oldest_awaiting: parts.oldest_awaiting,
        weeks: parts.weeks,
        definitions: figures::definitions(Some(basis.department.target_days)).into_iter().map(Into::into).collect(),
    }
}

/// What `department` is made from.
#[derive(Debug, Clone)]
pub struct DepartmentParts {
    pub states: States,
    pub times: ResponseTimes,
    pub oldest_awaiting: Vec<AwaitingComment>,
    pub weeks: Vec<WeekFigures>,
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
            answered_percent: None,
            acknowledged_percent: None,
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
