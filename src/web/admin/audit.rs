//! `/admin/audit` (filterable, paged) and `/admin/audit.csv` (the same filter, all rows).

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, NaiveTime};
use maud::Markup;
use serde::Deserialize;

use crate::db;
use crate::db::audit::{AuditFilter, AuditRow};
use crate::domain::{paging, time};
use crate::error::AppError;
use crate::views::admin::audit::{self as pages, AuditPage, AuditQuery};
use crate::web::session::Admin;
use crate::web::AppState;

const PER_PAGE: usize = 50;
/// Most rows one CSV export holds.
const CSV_LIMIT: i64 = 100_000;

#[derive(Deserialize, Default)]
pub struct AuditParams {
    action: Option<String>,
    actor: Option<String>,
    target: Option<String>,
    target_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
}

fn text(value: &Option<String>) -> String {
    value.as_deref().unwrap_or("").trim().to_owned()
}

fn day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// The filter as typed, and what the database is asked (bad dates or numbers are ignored).
fn filter(params: &AuditParams) -> (AuditQuery, AuditFilter) {
    let query = AuditQuery {
        action: text(&params.action),
        actor: text(&params.actor),
        target: text(&params.target),
        target_id: text(&params.target_id),
        from: text(&params.from),
        to: text(&params.to),
    };
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let filter = AuditFilter {
        action: some(&query.action),
        actor: some(&query.actor),
        target_type: some(&query.target),
        target_id: query.target_id.parse().ok(),
        from: day(&query.from).map(|d| d.and_time(NaiveTime::MIN)),
        to: day(&query.to).and_then(|d| d.succ_opt()).map(|d| d.and_time(NaiveTime::MIN)),
    };
    (query, filter)
}

pub async fn index(
    state: web::Data<AppState>,
    admin: Admin,
    params: web::Query<AuditParams>,
) -> Result<Markup, AppError> {
    let (query, filter) = filter(&params);
    let page = paging::page_number(params.page);
    let (rows, total, actions) = state
        .query(move |conn| {
            let offset = ((page - 1) * PER_PAGE) as i64;
            Ok((
                db::audit::list(conn, &filter, PER_PAGE as i64, offset)?,
                db::audit::count(conn, &filter)?,
                db::audit::actions(conn)?,
            ))
        })
        .await?;
    let pages = usize::try_from(total).unwrap_or(0).div_ceil(PER_PAGE).max(1);
    if page > pages {
        return Err(AppError::NotFound);
    }
    let view = AuditPage { rows: &rows, query: &query, actions: &actions, total, page, pages, now: time::now() };
    Ok(pages::index(&view, &admin.viewer.chrome()))
}

/// A spreadsheet would run a cell starting with `=`, `+`, `-` or `@` as a formula; the
/// texts here include what commenters typed, so such cells get a leading `'`.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn csv_bytes(rows: &[AuditRow]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "id",
        "when_utc",
        "actor_id",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target",
        "before",
        "after",
        "reason",
    ])?;
    for r in rows {
        out.write_record([
            r.id.to_string(),
            time::iso(r.created_at),
            r.actor_id.map(|i| i.to_string()).unwrap_or_default(),
            cell(&r.actor_name),
            r.action.clone(),
            r.target_type.clone(),
            r.target_id.map(|i| i.to_string()).unwrap_or_default(),
            cell(&r.target_label),
            cell(r.before_value.as_deref().unwrap_or_default()),
            cell(r.after_value.as_deref().unwrap_or_default()),
            cell(r.reason.as_deref().unwrap_or_default()),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

pub async fn export(
    state: web::Data<AppState>,
    _admin: Admin,
    params: web::Query<AuditParams>,
) -> Result<HttpResponse, AppError> {
    let (_, filter) = filter(&params);
    let rows = state.query(move |conn| db::audit::list(conn, &filter, CSV_LIMIT, 0)).await?;
    let body = csv_bytes(&rows).map_err(|e| AppError::Unexpected(e.to_string()))?;
    let name = format!("audit-log-{}.csv", time::now().format("%Y-%m-%d"));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body))
}
