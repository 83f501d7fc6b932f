//! The public accountability pages and their open data, on a small dataset whose
//! figures are known exactly; and the holidays an admin lists from the command line.

use std::process::{Command, Output};

use answerable::db::schema::comments;
use answerable::domain::account::{Registration, Role};
use answerable::domain::comment::{CommentAuthor, CommentBody, NewComment};
use answerable::domain::department::DepartmentInput;
use answerable::domain::response::Transition;
use answerable::domain::time;
use answerable::services::officials::GrantTarget;
use answerable::services::responses::{self, Actor};
use answerable::services::{accounts, comments as comment_service, departments, officials};
use chrono::{Datelike, NaiveDate, TimeDelta};
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{spawn_app, test_mail, Page, TestApp};

const DWP: &str = "Department for Work and Pensions";

fn department(app: &TestApp, name: &str, acronym: &str) -> i64 {
    let input = DepartmentInput::parse(name, acronym, "", "", "", "").unwrap();
    departments::create(&mut app.conn(), &input, None).unwrap()
}

fn user(app: &TestApp, name: &str, email: &str, role: Role) -> i64 {
    let registration = Registration::parse(name, email, "a long password").unwrap();
    accounts::create_user(&mut app.conn(), &registration, role).unwrap().id
}

fn actor(app: &TestApp, user_id: i64) -> Actor {
    responses::actor(&mut app.conn(), user_id).unwrap().unwrap()
}

/// Moves a comment's publication, and its routing, back by `days` calendar days.
fn back_date(app: &TestApp, id: i64, days: i64) {
    let at = time::now() - TimeDelta::days(days);
    diesel::update(comments::table.find(id))
        .set((comments::published_at.eq(at), comments::created_at.eq(at), comments::routed_at.eq(at)))
        .execute(&mut app.conn())
        .unwrap();
}

/// The ids of the known comments routed to DWP.
struct Dataset {
    old_awaiting: i64,
    new_awaiting: i64,
}

/// Seven comments routed to DWP: two answered (after 5 and 10 working days: seven and
/// fourteen calendar days always hold 5 and 10 of them), one acknowledged and one
/// referred by the official on the day (0), one needing no response, two awaiting of
/// which one is 14 days old and so past the 5-day target. One comment routed to HMRC;
/// the Cabinet Office has none.
fn dataset(app: &TestApp) -> Dataset {
    let dwp = department(app, DWP, "DWP");
    let hmrc = department(app, "HM Revenue & Customs", "HMRC");
    department(app, "Cabinet Office, \"the centre\"", "CO");
    let jane = user(app, "Jane Doe", "jane@dwp.gov.uk", Role::Reader);
    let role = officials::grant(
        &mut app.conn(),
        &GrantTarget { email: "jane@dwp.gov.uk", department_acronym: "DWP" },
        "Chief Technology Officer",
        None,
    )
    .unwrap();
    let moderator = actor(app, user(app, "Mo Derator", "mo@example.org", Role::Moderator));
    let jane_actor = actor(app, jane);

    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    let seed = |name: &str, body: &str| app.seed_comment(&slug, name, body, None);
    let answered_late = seed("Priya Shah", "Log-in takes nine minutes.");
    let answered_later = seed("Tom Okafor", "The browser is too old for the intranet.");
    let acknowledged = seed("Ann Lee", "Case-work needs a mouse.");
    let referred = seed("Bo Chen", "My payslip is wrong.");
    let thanks = seed("Cy Diaz", "Thanks for listening!");
    let old_awaiting = seed("Di Evans", "The video is blocked by the firewall.");
    let new_awaiting = seed("Ed Fox", "Printers & scanners never work.");
    let for_hmrc = seed("Flo Gray", "HMRC laptops are slow.");
    let routed = [answered_late, answered_later, acknowledged, referred, thanks, old_awaiting, new_awaiting];
    let mut conn = app.conn();
    responses::route(&mut conn, &test_mail(), &moderator, &routed, Some(dwp)).unwrap();
    responses::route(&mut conn, &test_mail(), &moderator, &[for_hmrc], Some(hmrc)).unwrap();
    drop(conn);

    back_date(app, answered_late, 7);
    back_date(app, answered_later, 14);
    back_date(app, old_awaiting, 14);
    let post_id: i64 = comments::table.find(answered_late).select(comments::post_id).first(&mut app.conn()).unwrap();
    for parent in [answered_late, answered_later] {
        let reply = NewComment {
            author: CommentAuthor::Member { user_id: jane, as_official: Some(role) },
            body: CommentBody::parse("We have fixed this.").unwrap(),
            parent_id: Some(parent),
            also_answers: vec![],
            email_me: false,
        };
        comment_service::post_comment(&mut app.conn(), &test_mail(), post_id, &reply).unwrap();
    }
    let mut conn = app.conn();
    responses::change_state(
        &mut conn,
        &test_mail(),
        &jane_actor,
        acknowledged,
        &Transition::Acknowledge { note: None },
    )
    .unwrap();
    let refer = Transition::Refer { to: "HR service desk".into(), note: Some("Pay is theirs".into()) };
    responses::change_state(&mut conn, &test_mail(), &jane_actor, referred, &refer).unwrap();
    let no_response = Transition::NoResponseNeeded { reason: "thanks only".into(), note: None };
    responses::change_state(&mut conn, &test_mail(), &moderator, thanks, &no_response).unwrap();
    Dataset { old_awaiting, new_awaiting }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_department_page_shows_its_figures_chart_oldest_comments_and_definitions() {
    let app = spawn_app().await;
    let known = dataset(&app);
    let page = app.page("/departments/DWP").await;

    assert_eq!(page.text("h1"), format!("{DWP} (DWP)"));
    for (field, value) in [
        ("routed", "7"),
        ("answered", "2"),
        ("acknowledged", "1"),
        ("referred", "1"),
        ("awaiting", "2"),
        ("overdue", "1"),
        ("no_response_needed", "1"),
        ("responses_timed", "4"),
    ] {
        assert_eq!(page.text(&format!("#count-{field}")), value, "{field}");
    }
    assert_eq!(page.text("#figure-answered .figure-value"), "33.3%", "2 answered of 6 needing a response");
    assert_eq!(page.text("#figure-answered .figure-label"), "answered (2 of 6 needing a response)");
    assert_eq!(page.text("#figure-acknowledged .figure-value"), "16.7%", "acknowledged is shown apart");
    assert_eq!(page.text("#figure-response-rate .figure-value"), "66.7%", "4 responded of 6 needing a response");
    let first_figure = page.attr("ul.figures li", "id");
    assert_eq!(first_figure.as_deref(), Some("figure-answered"), "the answered share is the headline");
    assert_eq!(page.text("#figure-median .figure-value"), "2.5", "days 0, 0, 5, 10: between 0 and 5");
    assert_eq!(page.text("#figure-p90 .figure-value"), "10", "nearest rank 4 of 4");
    assert_eq!(page.text("#figure-overdue .figure-value"), "1");

    let links: Vec<String> = page
        .html
        .select(&scraper::Selector::parse(".oldest .oldest-link a:first-child").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(links, [format!("/comments/{}", known.old_awaiting), format!("/comments/{}", known.new_awaiting)]);
    let waits = page.texts(".oldest .meta");
    assert_eq!(waits, ["Waiting 10 working days · Overdue", "Waiting 0 working days"]);
    assert!(page.source.contains("Printers &amp; scanners never work."), "excerpts are escaped");

    assert_eq!(page.count("svg[role=img]"), 1);
    assert_eq!(page.attr("svg[role=img]", "aria-labelledby").as_deref(), Some("trend-title trend-desc"));
    assert_eq!(page.text("svg title"), "Comments received and answered each week");
    assert_eq!(page.count("table.chart-data tbody tr"), 12);
    assert_eq!(page.texts("table.chart-data tbody tr:last-child td"), ["4", "2"], "received and answered this week");
    assert_eq!(page.count("script"), 0);

    let terms = page.texts(".definitions dt");
    for term in [
        "Routed",
        "Overdue",
        "Answered share",
        "Acknowledged share",
        "Any official response",
        "Median working days to first official response",
    ] {
        assert!(terms.iter().any(|t| t == term), "{term} is defined: {terms:?}");
    }
    assert!(page.text("#definition-overdue + dd").contains("more than 5 working days"));
    assert!(page.text("#definition-overdue + dd").contains("from when each was routed to the department"));
    assert!(page
        .text("#definition-answered_percent + dd")
        .contains("Acknowledged and referred comments are not counted as answered"));
    assert_eq!(page.attr("a[href='/departments/DWP.csv']", "type").as_deref(), Some("text/csv"));
    assert_eq!(page.count("a[href='/departments/DWP.json']"), 1);
    assert_eq!(app.page("/departments/dwp").await.text("h1"), format!("{DWP} (DWP)"), "any case");
}

#[tokio::test]
async fn the_same_figures_are_open_data_in_json_and_csv() {
    let app = spawn_app().await;
    let known = dataset(&app);

    let response = app.get("/departments/DWP.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/json");
    assert_eq!(header(&response, "content-disposition"), "inline; filename=\"department-dwp.json\"");
    let json: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    for (field, value) in [
        ("routed", 7),
        ("answered", 2),
        ("acknowledged", 1),
        ("referred", 1),
        ("awaiting", 2),
        ("overdue", 1),
        ("no_response_needed", 1),
        ("responses_timed", 4),
        ("target_working_days", 5),
        ("p90_working_days", 10),
    ] {
        assert_eq!(json[field], value, "{field}");
    }
    assert_eq!(json["acronym"], "DWP");
    assert_eq!(json["answered_percent"], 33.3);
    assert_eq!(json["acknowledged_percent"], 16.7);
    assert_eq!(json["response_rate_percent"], 66.7);
    assert_eq!(json["median_working_days"], 2.5);
    let oldest = json["oldest_awaiting"].as_array().unwrap();
    assert_eq!(oldest.len(), 2);
    assert_eq!(oldest[0]["id"], known.old_awaiting);
    assert_eq!(oldest[0]["path"], format!("/comments/{}", known.old_awaiting));
    assert_eq!(oldest[0]["working_days_waiting"], 10);
    assert_eq!(oldest[0]["overdue"], true);
    assert_eq!(oldest[1]["overdue"], false);
    let weeks = json["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    let today = time::now().date();
    let monday = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
    assert_eq!(weeks[11]["week_starting"], monday.to_string());
    let received: Vec<i64> = weeks.iter().map(|w| w["received"].as_i64().unwrap()).collect();
    let answered: Vec<i64> = weeks.iter().map(|w| w["answered"].as_i64().unwrap()).collect();
    assert_eq!(received, [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 4], "14 days ago, 7 days ago, this week");
    assert_eq!(answered, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    assert!(json["definitions"].as_array().unwrap().iter().any(|d| d["field"] == "response_rate_percent"));

    let response = app.get("/departments/DWP.csv").await;
    assert_eq!(header(&response, "content-type"), "text/csv; charset=utf-8");
    assert_eq!(header(&response, "content-disposition"), "inline; filename=\"department-dwp.csv\"");
    let csv = response.text().await.unwrap();
    let header_line = "acronym,name,target_working_days,routed,answered,acknowledged,referred,awaiting,\
no_response_needed,overdue,answered_percent,acknowledged_percent,response_rate_percent,responses_timed,\
median_working_days,p90_working_days";
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [header_line, "DWP,Department for Work and Pensions,5,7,2,1,1,2,1,1,33.3,16.7,66.7,4,2.5,10"]
    );

    let all: Value = serde_json::from_str(&app.get("/departments.json").await.text().await.unwrap()).unwrap();
    let acronyms: Vec<&str> =
        all["departments"].as_array().unwrap().iter().map(|d| d["acronym"].as_str().unwrap()).collect();
    assert_eq!(acronyms, ["CO", "DWP", "HMRC"], "by name");
    assert_eq!(all["departments"][1]["median_working_days"], 2.5);
    assert_eq!(all["departments"][0]["response_rate_percent"], Value::Null, "no comments, no rate");

    let response = app.get("/departments.csv").await;
    assert_eq!(header(&response, "content-type"), "text/csv; charset=utf-8");
    assert_eq!(header(&response, "content-disposition"), "inline; filename=\"departments.csv\"");
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], header_line);
    assert_eq!(lines[1], r#"CO,"Cabinet Office, ""the centre""",5,0,0,0,0,0,0,0,,,,0,,"#, "quoted as CSV quotes");
    assert_eq!(lines[2], "DWP,Department for Work and Pensions,5,7,2,1,1,2,1,1,33.3,16.7,66.7,4,2.5,10");
    assert_eq!(lines[3], "HMRC,HM Revenue & Customs,5,1,0,0,0,1,0,0,0.0,0.0,0.0,0,,");
}

#[tokio::test]
async fn the_index_lists_every_department_and_unknown_ones_are_not_found() {
    let app = spawn_app().await;
    dataset(&app);
    let page = app.page("/departments").await;
    let cells = page.texts("#departments tbody th, #departments tbody td");
    let rows: Vec<String> = cells.chunks(8).map(|row| row.join(" | ")).collect();
    assert_eq!(
        rows,
        [
            "Cabinet Office, \"the centre\" (CO) | 0 | 0 | 0 | 0 | 0 | –no figure yet | –no figure yet",
            "Department for Work and Pensions (DWP) | 7 | 2 (33.3%) | 1 (16.7%) | 2 | 1 | 66.7% | 2.5",
            "HM Revenue & Customs (HMRC) | 1 | 0 (0%) | 0 (0%) | 1 | 0 | 0% | –no figure yet",
        ]
    );
    assert_eq!(page.attr("#departments tbody tr:nth-child(3) a", "href").as_deref(), Some("/departments/HMRC"));
    assert_eq!(page.count("a[href='/departments.csv']"), 1);
    assert_eq!(page.count("a[href='/departments.json']"), 1);
    assert!(page.count(".definitions dt") >= 10);

    for path in ["/departments/NOPE", "/departments/NOPE.json", "/departments/NOPE.csv", "/departments/DWP.xml"] {
        assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

fn answerable(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_answerable"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("ANSWERABLE_DATA_DIR", app.data_dir.path())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run answerable")
}

fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[tokio::test]
async fn an_admin_lists_holidays_on_the_command_line_and_they_stop_counting_as_working_days() {
    let app = spawn_app().await;
    let known = dataset(&app);
    let help = answerable(&app, &["holiday", "--help"]);
    assert!(help.status.success());
    for command in ["add", "list", "remove"] {
        assert!(out(&help).contains(command), "{}", out(&help));
    }

    let added = answerable(&app, &["holiday", "add", "2026-12-25", "--name", "Christmas Day"]);
    assert!(added.status.success(), "{}", out(&added));
    let listed = answerable(&app, &["holiday", "list"]);
    assert!(out(&listed).contains("2026-12-25  Fri  Christmas Day"), "{}", out(&listed));
    let removed = answerable(&app, &["holiday", "remove", "2026-12-25"]);
    assert!(removed.status.success(), "{}", out(&removed));
    assert!(out(&answerable(&app, &["holiday", "list"])).contains("No holidays yet"));
    let again = answerable(&app, &["holiday", "remove", "2026-12-25"]);
    assert!(!again.status.success() && out(&again).contains("2026-12-25 is not a holiday"), "{}", out(&again));
    let bad = answerable(&app, &["holiday", "add", "25/12/2026"]);
    assert!(!bad.status.success() && out(&bad).contains("YYYY-MM-DD"), "{}", out(&bad));

    // Five of the ten working days the oldest comment has waited become holidays: it
    // has now waited 5, which is not past the 5-day target.
    let today = time::now().date();
    let weekdays: Vec<NaiveDate> = (0..14)
        .map(|back| today - TimeDelta::days(back))
        .filter(|d| d.weekday().num_days_from_monday() < 5)
        .take(5)
        .collect();
    for day in &weekdays {
        let added = answerable(&app, &["holiday", "add", &day.to_string()]);
        assert!(added.status.success(), "{}", out(&added));
    }
    let page: Page = app.page("/departments/DWP").await;
    assert_eq!(page.text("#count-overdue"), "0");
    assert_eq!(page.texts(".oldest .meta")[0], "Waiting 5 working days");
    assert_eq!(page.attr(".oldest .oldest-link a", "href"), Some(format!("/comments/{}", known.old_awaiting)));
}
