//! The search page: what was asked, the filters it names, and one page of results.

use diesel::QueryResult;

use crate::db::departments::Department;
use crate::db::search::{Filters, Hit};
use crate::db::{self, AnyConnection};
use crate::domain::plain_text;
use crate::domain::response::ResponseState;
use crate::domain::search::{self, SearchQuery};

pub const RESULTS_PER_PAGE: usize = 20;
/// Posts offered in the "on post" filter, newest first.
const POSTS_OFFERED: i64 = 200;

/// What the reader asked for, as typed (to keep in the form).
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub post: String,
    pub department: String,
    pub state: String,
    pub official_only: bool,
    pub page: usize,
}

pub struct SearchPage {
    pub request: SearchRequest,
    /// `None` when no word was given to look for.
    pub results: Option<Results>,
    pub departments: Vec<Department>,
    /// (slug, title) of the posts that can be chosen.
    pub posts: Vec<(String, String)>,
}

pub struct Results {
    pub hits: Vec<Hit>,
    pub total: i64,
    pub page: usize,
    pub pages: usize,
}

pub fn search_page(conn: &mut AnyConnection, request: SearchRequest) -> QueryResult<SearchPage> {
    let departments = db::departments::list(conn)?;
    let posts = db::posts::list_published(conn, POSTS_OFFERED, 0)?.into_iter().map(|p| (p.slug, p.title)).collect();
    let results = match SearchQuery::parse(&request.q) {
        None => None,
        Some(query) => Some(run(conn, &query, &request, &departments)?),
    };
    Ok(SearchPage { request, results, departments, posts })
}

/// A filter naming something that does not exist matches nothing (id 0 is never used).
fn run(
    conn: &mut AnyConnection,
    query: &SearchQuery,
    request: &SearchRequest,
    departments: &[Department],
) -> QueryResult<Results> {
    let post_id = match request.post.trim() {
        "" => None,
        slug => Some(db::posts::find_published_by_slug(conn, slug)?.map_or(0, |p| p.id)),
    };
    let department_id = match request.department.trim() {
        "" => None,
        acronym => Some(departments.iter().find(|d| d.acronym.eq_ignore_ascii_case(acronym)).map_or(0, |d| d.id)),
    };
    let state = ResponseState::parse(request.state.trim());
    let filters = Filters { post_id, department_id, state, official_only: request.official_only };
    let page = request.page.max(1);
    let per_page = RESULTS_PER_PAGE as i64;
    let offset = (page as i64 - 1).saturating_mul(per_page);
    let mut hits = db::search::search(conn, query, &filters, per_page, offset)?;
    for hit in &mut hits {
        // The database's excerpt is cut from the markdown: show the words of the rendered text.
        hit.excerpt =
            search::plain_excerpt(&plain_text::html_text(&hit.body_html), &hit.excerpt, search::EXCERPT_WORDS);
    }
    let total = match hits.first() {
        Some(hit) => hit.total,
        // Past the last page: count from the first.
        None if page > 1 => db::search::search(conn, query, &filters, 1, 0)?.first().map_or(0, |h| h.total),
        None => 0,
    };
    let pages = usize::try_from(total).unwrap_or(0).div_ceil(RESULTS_PER_PAGE).max(1);
    Ok(Results { hits, total, page, pages })
}
