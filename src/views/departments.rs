//! The public accountability pages: every department's headline figures, and one
//! department's figures in full with its trend chart and definitions.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::chart::{bar_chart, BarChart, Group};
use super::layout::{self, Chrome};
use crate::domain::{thousands, time};
use crate::read::figures::{AllDepartments, DefinitionJson, DepartmentFigures, Headline, WeekFigures};

/// A figure, or a dash that reads as "no figure yet" when there is nothing to measure.
fn figure(value: Option<String>) -> Markup {
    html! {
        @match value {
            Some(value) => (value),
            None => { span aria-hidden="true" { "–" } span.visually-hidden { "no figure yet" } },
        }
    }
}

/// "66.7%", "100%", or none when no routed comment needs a response.
pub fn rate(percent: Option<f64>) -> Markup {
    figure(percent.map(|p| if p.fract() == 0.0 { format!("{p:.0}%") } else { format!("{p:.1}%") }))
}

/// "9 (23.1%)": a count and its share of the comments needing a response, when any do.
fn count_and_share(n: i64, percent: Option<f64>) -> Markup {
    html! {
        (thousands(n))
        @if percent.is_some() { " (" (rate(percent)) ")" }
    }
}

/// "2.5", "3", or none when no response has been timed.
pub fn days(value: Option<f64>) -> Markup {
    figure(value.map(|d| if d.fract() == 0.0 { format!("{d:.0}") } else { format!("{d:.1}") }))
}

fn working_days(n: i64) -> String {
    match n {
        1 => "1 working day".to_owned(),
        n => format!("{} working days", thousands(n)),
    }
}

pub fn department_href(acronym: &str) -> String {
    format!("/departments/{}", percent_encoding::utf8_percent_encode(acronym, percent_encoding::NON_ALPHANUMERIC))
}

fn as_of(now: NaiveDateTime) -> Markup {
    html! { p.meta { "Figures as of " time datetime=(time::iso(now)) { (time::absolute(now)) } "." } }
}

fn downloads(base: &str, what: &str) -> Markup {
    html! {
        section.downloads aria-labelledby="downloads-title" {
            h2 #downloads-title { "Open data" }
            p {
                "Download " (what) " as "
                a href=(format!("{base}.csv")) type="text/csv" { "CSV" }
                " / "
                a href=(format!("{base}.json")) type="application/json" { "JSON" }
                ". The JSON also holds the definitions below; anyone may reuse these figures."
            }
        }
    }
}

fn definitions(list: &[DefinitionJson]) -> Markup {
    html! {
        section.definitions aria-labelledby="definitions-title" {
            h2 #definitions-title { "Definitions" }
            dl {
                @for d in list {
                    dt id=(format!("definition-{}", d.field.replace('.', "-"))) { (d.term) }
                    dd { (d.meaning) }
                }
            }
        }
    }
}

/// `/departments`: a table of every department's headline figures.
pub fn index_page(all: &AllDepartments, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    layout::page(
        "How departments respond",
        chrome,
        html! {
            h1 { "How departments respond" }
            p.lede { "Comments routed to each department, how many have had a response, and how quickly." }
            (as_of(now))
            @if all.departments.is_empty() {
                p { "No departments have been set up yet." }
            } @else {
                div.table-scroll {
                    table #departments {
                        caption.visually-hidden { "Headline figures for each department" }
                        thead {
                            tr {
                                th scope="col" { "Department" }
                                th.numeric scope="col" { "Routed" }
                                th.numeric scope="col" { "Answered" }
                                th.numeric scope="col" { "Acknowledged, not yet answered" }
                                th.numeric scope="col" { "Awaiting" }
                                th.numeric scope="col" { "Overdue" }
                                th.numeric scope="col" { "Any official response" }
                                th.numeric scope="col" { "Median working days to first response" }
                            }
                        }
                        tbody {
                            @for h in &all.departments {
                                tr {
                                    th scope="row" {
                                        a href=(department_href(&h.acronym)) { (h.name) }
                                        " (" (h.acronym) ")"
                                    }
                                    td.numeric { (thousands(h.routed)) }
                                    td.numeric { (count_and_share(h.answered, h.answered_percent)) }
                                    td.numeric { (count_and_share(h.acknowledged, h.acknowledged_percent)) }
                                    td.numeric { (thousands(h.awaiting)) }
                                    td.numeric { (thousands(h.overdue)) }
                                    td.numeric { (rate(h.response_rate_percent)) }
                                    td.numeric { (days(h.median_working_days)) }
                                }
                            }
                        }
                    }
                }
            }
            (downloads("/departments", "these figures"))
            (definitions(&all.definitions))
        },
    )
}

fn headline_figures(h: &Headline) -> Markup {
    html! {
        ul.figures {
            li #figure-answered {
                span.figure-value { (rate(h.answered_percent)) }
                span.figure-label { "answered (" (thousands(h.answered)) " of " (thousands(h.routed - h.no_response_needed)) " needing a response)" }
            }
            li #figure-acknowledged {
                span.figure-value { (rate(h.acknowledged_percent)) }
                span.figure-label { "acknowledged, not yet answered" }
            }
            li #figure-response-rate {
                span.figure-value { (rate(h.response_rate_percent)) }
                span.figure-label { "had any official response, acknowledgements included" }
            }
            li #figure-median {
                span.figure-value { (days(h.median_working_days)) }
                span.figure-label { "median working days to first official response" }
            }
            li #figure-p90 {
                span.figure-value { (days(h.p90_working_days.map(f64::from))) }
                span.figure-label { "working days for 9 in 10 first official responses" }
            }
            li #figure-overdue .figure--alert[h.overdue > 0] {
                span.figure-value { (thousands(h.overdue)) }
                span.figure-label { "overdue" }
            }
        }
        table #states {
            caption { "Routed comments by response state" }
            tbody {
                @for (field, label, value) in [
                    ("routed", "Routed", h.routed),
                    ("answered", "Answered", h.answered),
                    ("acknowledged", "Acknowledged", h.acknowledged),
                    ("referred", "Referred", h.referred),
                    ("awaiting", "Awaiting", h.awaiting),
                    ("overdue", "of which overdue", h.overdue),
                    ("no_response_needed", "No response needed", h.no_response_needed),
                    ("responses_timed", "First official response timed", h.responses_timed),
                ] {
                    tr {
                        th scope="row" { (label) }
                        td.numeric id=(format!("count-{field}")) { (thousands(value)) }
                    }
                }
            }
        }
    }
}

fn trend_chart(f: &DepartmentFigures) -> Markup {
    let received: i64 = f.weeks.iter().map(|w| w.received).sum();
    let answered: i64 = f.weeks.iter().map(|w| w.answered).sum();
    let from = f.weeks.first().map(|w| w.week_starting.format("%-d %B %Y").to_string()).unwrap_or_default();
    let description = format!(
        "Bar chart of comments routed to {} received and answered in each of the {} weeks from the week starting {from}, \
         this week last. In all, {} received and {} answered. The table that follows gives each week's numbers.",
        f.headline.acronym,
        f.weeks.len(),
        thousands(received),
        thousands(answered),
    );
    let group = |w: &WeekFigures| Group {
        short: w.week_starting.format("%-d %b").to_string(),
        long: w.week_starting.format("%a %-d %b %Y").to_string(),
        values: [w.received, w.answered],
    };
    bar_chart(&BarChart {
        id: "trend",
        title: "Comments received and answered each week",
        description,
        group_heading: "Week starting",
        series: ["Received", "Answered"],
        groups: f.weeks.iter().map(group).collect(),
    })
}

fn oldest(f: &DepartmentFigures) -> Markup {
    html! {
        section aria-labelledby="oldest-title" {
            h2 #oldest-title { "Oldest comments awaiting a response" }
            @if f.oldest_awaiting.is_empty() {
                p { "No comment routed to " (f.headline.acronym) " is awaiting a response." }
            } @else {
                ol.oldest {
                    @for c in &f.oldest_awaiting {
                        li {
                            p.oldest-link {
                                a href=(c.path) { "Comment by " (c.author_name) }
                                " on " a href=(c.post_path) { (c.post_title) }
                            }
                            p.oldest-excerpt { (c.excerpt) }
                            p.meta {
                                "Waiting " (working_days(c.working_days_waiting))
                                @if c.overdue { " · " strong.overdue { "Overdue" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/departments/{acronym}`: one department's figures in full.
pub fn department_page(f: &DepartmentFigures, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    let h = &f.headline;
    layout::page(
        &format!("How {} responds", h.acronym),
        chrome,
        html! {
            p.breadcrumb { a href="/departments" { "All departments" } }
            h1 { (h.name) " (" (h.acronym) ")" }
            p.lede {
                "How " (h.acronym) " responds to the comments routed to it. Its response target is "
                (working_days(i64::from(h.target_working_days))) "."
            }
            @if !f.description.is_empty() { p { (f.description) } }
            (as_of(now))
            section aria-labelledby="headline-title" {
                h2 #headline-title { "At a glance" }
                (headline_figures(h))
            }
            section aria-labelledby="trend-title-heading" {
                h2 #trend-title-heading { "The last " (f.weeks.len()) " weeks" }
                (trend_chart(f))
            }
            (oldest(f))
            (downloads(&department_href(&h.acronym), "these figures"))
            (definitions(&f.definitions))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(rate(Some(66.7)).into_string(), "66.7%");
        assert_eq!(rate(Some(100.0)).into_string(), "100%");
        assert_eq!(
            rate(None).into_string(),
            r#"<span aria-hidden="true">–</span><span class="visually-hidden">no figure yet</span>"#
        );
        assert_eq!(days(Some(2.5)).into_string(), "2.5");
        assert_eq!(days(Some(10.0)).into_string(), "10");
        assert_eq!(working_days(1), "1 working day");
        assert_eq!(working_days(12), "12 working days");
        assert_eq!(department_href("D&G"), "/departments/D%26G");
    }
}
