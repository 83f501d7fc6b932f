//! The search page: the form (which works without JavaScript), the filters, and the
//! results with the matched words highlighted.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{pagination, timestamp};
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::response::ResponseState;
use crate::domain::search::{excerpt_parts, Excerpt};
use crate::read::rows::Hit;
use crate::read::search::{SearchPage, SearchRequest};

/// The query string of a search, for links to its other pages.
fn href(request: &SearchRequest, page: usize) -> String {
    let encode = |v: &str| percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string();
    let mut href = format!("/search?q={}", encode(&request.q));
    for (name, value) in [("post", &request.post), ("department", &request.department), ("state", &request.state)] {
        if !value.is_empty() {
            href.push_str(&format!("&{name}={}", encode(value)));
        }
    }
    if request.official_only {
        href.push_str("&official=1");
    }
    if page > 1 {
        href.push_str(&format!("&page={page}"));
    }
    href
}

/// Matched words in `<mark>`; everything else escaped as text.
fn excerpt(text: &str) -> Markup {
    html! {
        @for part in excerpt_parts(text) {
            @match part {
                Excerpt::Text(text) => (text),
                Excerpt::Match(word) => mark { (word) },
            }
        }
    }
}

fn form(p: &SearchPage) -> Markup {
    let r = &p.request;
    let mut posts = vec![(String::new(), "Any post".to_owned())];
    posts.extend(p.posts.iter().cloned());
    let mut departments = vec![(String::new(), "Any department".to_owned())];
    departments.extend(p.departments.iter().map(|d| (d.acronym.clone(), format!("{} ({})", d.name, d.acronym))));
    let mut states = vec![(String::new(), "Any state".to_owned())];
    states.extend(ResponseState::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())));
    html! {
        form.site-search-page method="get" action="/search" role="search" aria-label="Search posts and comments" {
            div.form-group {
                label for="field-q" { "Words to find" }
                span.hint #q-hint { "Put \"quote marks\" round words to find them together." }
                input #field-q type="search" name="q" value=(r.q) aria-describedby="q-hint" maxlength="500";
            }
            details.search-filters open[!r.post.is_empty() || !r.department.is_empty() || !r.state.is_empty() || r.official_only] {
                summary { "Filters" }
                div.filter-fields {
                    (forms::select(&[], Field::new("post", "On post", &r.post), &posts))
                    (forms::select(&[], Field::new("department", "Department", &r.department), &departments))
                    (forms::select(&[], Field::new("state", "Response state", &r.state), &states))
                }
                div.checkbox {
                    input #field-official type="checkbox" name="official" value="1" checked[r.official_only];
                    label for="field-official" { "Official replies only" }
                }
            }
            button.button type="submit" { "Search" }
        }
    }
}

fn hit(h: &Hit, now: NaiveDateTime) -> Markup {
    let (href, heading) = if h.kind == "post" {
        (format!("/posts/{}", h.post_slug), h.post_title.clone())
    } else {
        let kind = if h.badge_title.is_some() { "Official reply" } else { "Comment" };
        (format!("/comments/{}", h.id), format!("{kind} by {} on {}", h.author_name, h.post_title))
    };
    let state = h.response_state;
    html! {
        li {
            article {
                h2 { a href=(href) { (heading) } }
                @if let (Some(name), Some(title), Some(department)) = (&h.badge_name, &h.badge_title, &h.badge_department) {
                    p.badge { strong { "Verified official" } ": " (name) ", " (title) ", " (department) }
                }
                p.excerpt { (excerpt(&h.excerpt)) }
                p.meta {
                    @if h.kind == "post" { "Post by " } @else { "By " }
                    (h.author_name) " · " (timestamp(h.at, now))
                    @if let Some(state) = state { " · " span.state { (state.label()) } }
                }
            }
        }
    }
}

pub fn search_page(p: &SearchPage, chrome: &Chrome, now: NaiveDateTime) -> Markup {
    let title = if p.request.q.trim().is_empty() { "Search".to_owned() } else { format!("Search: {}", p.request.q) };
    layout::page(
        &title,
        chrome,
        html! {
            h1 { "Search" }
            (form(p))
            @match &p.results {
                None => {
                    @if !p.request.q.is_empty() {
                        p #no-results { "There were no words to search for. Type a word or two, for example a department or a problem." }
                    }
                }
                Some(results) => {
                    h2 #results-title aria-live="polite" {
                        @match results.total {
                            0 => { "No results" }
                            1 => { "1 result" }
                            n => { (n) " results" }
                        }
                    }
                    @if results.hits.is_empty() && results.total > 0 {
                        p { "There are no results on this page. " a href=(href(&p.request, 1)) { "Go to the first page of results" } "." }
                    }
                    @if results.total == 0 {
                        p #no-results { "Nothing matched. Try fewer words, or clear the filters." }
                    }
                    ol.search-results aria-labelledby="results-title" {
                        @for h in &results.hits { (hit(h, now)) }
                    }
                    (pagination("Pages of results", results.page, results.pages, |n| href(&p.request, n)))
                }
            }
        },
    )
}
