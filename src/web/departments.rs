//! The public accountability pages and their open data: `/departments` and
//! `/departments/{acronym}`, each also as `.json` and `.csv`.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use futures_util::future::try_join;
use maud::Markup;

use super::session::Viewer;
use super::AppState;
use crate::domain::time;
use crate::error::AppError;
use crate::read::figures::{self, AllDepartments, DepartmentFigures, DepartmentParts, Headline, IndexWork};
use crate::views;

/// What `/departments/{file}` asks for: `DWP`, `DWP.json` or `DWP.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Json,
    Csv,
}

fn split_format(file: &str) -> (&str, Format) {
    if let Some(acronym) = file.strip_suffix(".json") {
        (acronym, Format::Json)
    } else if let Some(acronym) = file.strip_suffix(".csv") {
        (acronym, Format::Csv)
    } else {
        (file, Format::Html)
    }
}

/// A file name safe in a header: letters, digits and dashes only.
fn file_name(stem: &str, extension: &str) -> String {
    let stem: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("{stem}.{extension}")
}

fn download(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("inline; filename=\"{name}\"")))
        // Open data: any site may fetch it; no cookies are involved.
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(body)
}

fn json<T: serde::Serialize>(value: &T, name: &str) -> Result<HttpResponse, AppError> {
    let body = serde_json::to_vec_pretty(value).map_err(|e| AppError::Unexpected(format!("JSON: {e}")))?;
    Ok(download("application/json", name, body))
}

fn csv(rows: &[Headline], name: &str) -> Result<HttpResponse, AppError> {
    let fail = |e: csv::Error| AppError::Unexpected(format!("CSV: {e}"));
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    writer.write_record(Headline::COLUMNS).map_err(fail)?;
    for row in rows {
        writer.serialize(row).map_err(fail)?;
    }
    let body = writer.into_inner().map_err(|e| AppError::Unexpected(format!("CSV: {e}")))?;
    Ok(download("text/csv; charset=utf-8", name, body))
}

// The counts run on two pooled connections at once: at a million comments a page then
// takes about half as long on this two-core machine (department page 24 ms rather
// than 39 ms on PostgreSQL). Each count is still an index range made afresh for each
// request; only the two halves may see the database a moment apart.

pub(crate) async fn all_departments(state: &AppState, now: NaiveDateTime) -> Result<AllDepartments, AppError> {
    let bases = state.query(move |conn| figures::bases(conn, now)).await?;
    let work = Arc::new(IndexWork::new(now, bases));
    let (a, b) = (work.clone(), work.clone());
    let (first, second) = try_join(state.query(move |conn| a.run(conn)), state.query(move |conn| b.run(conn))).await?;
    Ok(work.finish(first.into_iter().chain(second)))
}

pub(crate) async fn department_figures(
    state: &AppState,
    acronym: String,
    now: NaiveDateTime,
) -> Result<DepartmentFigures, AppError> {
    let basis = state.query(move |conn| figures::basis(conn, &acronym, now)).await?.ok_or(AppError::NotFound)?;
    let basis = Arc::new(basis);
    let (a, b) = (basis.clone(), basis.clone());
    let ((states, oldest_awaiting), (times, weeks)) = try_join(
        state.query(move |conn| Ok((figures::states(conn, &a)?, figures::oldest_awaiting(conn, &a)?))),
        state.query(move |conn| Ok((figures::response_times(conn, &b)?, figures::trend(conn, &b)?))),
    )
    .await?;
    Ok(figures::department(&basis, DepartmentParts { states, times, oldest_awaiting, weeks }))
}

pub(super) async fn index(state: web::Data<AppState>, viewer: Viewer) -> Result<Markup, AppError> {
    let now = time::now();
    let all = all_departments(&state, now).await?;
    Ok(views::departments::index_page(
        &all,
        &viewer.chrome().with_feed("Official responses (Atom feed)", "/feeds/official.atom"),
        now,
    ))
}

pub(super) async fn index_json(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    json(&all_departments(&state, time::now()).await?, "departments.json")
}

pub(super) async fn index_csv(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    csv(&all_departments(&state, time::now()).await?.departments, "departments.csv")
}

pub(super) async fn department(
    state: web::Data<AppState>,
    file: web::Path<String>,
    viewer: Viewer,
) -> Result<HttpResponse, AppError> {
    let file = file.into_inner();
    let (acronym, format) = split_format(&file);
    let now = time::now();
    let figures = department_figures(&state, acronym.to_owned(), now).await?;
    let stem = format!("department-{}", figures.headline.acronym);
    match format {
        Format::Html => {
            let acronym = &figures.headline.acronym;
            let chrome = viewer.chrome().with_feed(
                format!("Official responses from {acronym} (Atom feed)"),
                format!("/departments/{acronym}/feed.atom"),
            );
            let page = views::departments::department_page(&figures, &chrome, now);
            Ok(super::html(actix_web::http::StatusCode::OK, page))
        }
        Format::Json => json(&figures, &file_name(&stem, "json")),
        Format::Csv => csv(std::slice::from_ref(&figures.headline), &file_name(&stem, "csv")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(split_format("DWP"), ("DWP", Format::Html));
        assert_eq!(split_format("DWP.json"), ("DWP", Format::Json));
        assert_eq!(split_format("DWP.csv"), ("DWP", Format::Csv));
        assert_eq!(split_format("DWP.xml"), ("DWP.xml", Format::Html), "an unknown extension names no department");
    }

    #[test]
    fn download_names_are_safe_in_a_header() {
        assert_eq!(file_name("department-D&G", "csv"), "department-d-g.csv");
        assert_eq!(file_name("department-HMRC", "json"), "department-hmrc.json");
    }
}
