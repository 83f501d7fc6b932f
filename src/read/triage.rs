//! The triage queue: which comments awaiting a response a moderator or an official
//! sees, filtered, sorted and paged (the bulk actions on the ones they select are
//! `services::triage`).
//! Moderators see everything; officials their departments' comments and unrouted ones.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::departments::Department;
use crate::db::triage::{Branch, QueueQuery, Sort};
use crate::db::{self, AnyConnection};
use crate::domain::markdown::excerpt;
use crate::domain::response::ResponseState;
use crate::read::actor::Actor;
use crate::read::deadlines;

pub const PER_PAGE: usize = 50;
/// The deepest page offered: 100,000 comments in, for one index range...
const PAGES: usize = 2_000;
/// ...and 1,000 in when several departments' ranges are merged.
const MERGED_PAGES: usize = 20;
const EXCERPT_CHARS: usize = 200;
/// How many posts the post filter offers (the latest); a chosen older one is added.
const POSTS_OFFERED: i64 = 100;

/// Whose comments: the choice in the department filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepartmentChoice {
    Mine,
    All,
    Unrouted,
    One(i64),
}

impl DepartmentChoice {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "mine" => Some(Self::Mine),
            "all" => Some(Self::All),
            "unrouted" => Some(Self::Unrouted),
            id => id.parse().ok().map(Self::One),
        }
    }

    pub fn as_param(self) -> String {
        match self {
            Self::Mine => "mine".into(),
            Self::All => "all".into(),
            Self::Unrouted => "unrouted".into(),
            Self::One(id) => id.to_string(),
        }
    }

    /// Officials start with their departments' queue, moderators with everything.
    pub fn default_for(actor: &Actor) -> Self {
        if actor.authority.official_departments.is_empty() {
            Self::All
        } else {
            Self::Mine
        }
    }
}

/// What the queue shows: the filters and sort, and which page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    pub department: DepartmentChoice,
    pub post: Option<i64>,
    pub assigned_to_me: bool,
    pub overdue: bool,
    pub sort: Sort,
    pub page: usize,
}

impl Filters {
    /// Reads the filters from query or form fields; anything unreadable is left at its default.
    pub fn parse<'a>(field: impl Fn(&str) -> Option<&'a str>, actor: &Actor) -> Self {
        let ticked = |name: &str| field(name).is_some_and(|v| !v.is_empty());
        let department = if ticked("unrouted") {
            DepartmentChoice::Unrouted
        } else {
            field("department")
                .and_then(DepartmentChoice::parse)
                .unwrap_or_else(|| DepartmentChoice::default_for(actor))
        };
        Self {
            department,
            post: field("post").and_then(|p| p.trim().parse().ok()),
            assigned_to_me: ticked("assigned"),
            overdue: ticked("overdue"),
            sort: field("sort").and_then(Sort::parse).unwrap_or_default(),
            page: field("page").and_then(|p| p.trim().parse().ok()).unwrap_or(1).max(1),
        }
    }

    /// The fields that show these filters on `page`, as a form or a query string sends them.
    pub fn fields(&self, page: usize) -> Vec<(&'static str, String)> {
        let mut fields = vec![("department", self.department.as_param())];
        if let Some(post) = self.post {
            fields.push(("post", post.to_string()));
        }
        if self.assigned_to_me {
            fields.push(("assigned", "1".into()));
        }
        if self.overdue {
            fields.push(("overdue", "1".into()));
        }
        fields.push(("sort", self.sort.as_str().into()));
        if page > 1 {
            fields.push(("page", page.to_string()));
        }
        fields
    }

    /// The queue's address with these filters, on `page`.
    pub fn href(&self, page: usize) -> String {
        let query: Vec<String> = self.fields(page).into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("/triage?{}", query.join("&"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    /// Officials cannot see another department's queue.
    #[error("not your department")]
    Forbidden,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The departments whose comments the filter shows: `None` for every comment.
fn scope(actor: &Actor, choice: DepartmentChoice) -> Result<Option<Vec<Option<i64>>>, TriageError> {
    let authority = &actor.authority;
    match choice {
        DepartmentChoice::All if authority.moderator => Ok(None),
        DepartmentChoice::Mine if !authority.official_departments.is_empty() => {
            let mut mine = authority.official_departments.clone();
            mine.sort_unstable();
            mine.dedup();
            Ok(Some(mine.into_iter().map(Some).collect()))
        }
        DepartmentChoice::Mine if authority.moderator => Ok(None),
        DepartmentChoice::Unrouted => Ok(Some(vec![None])),
        DepartmentChoice::One(id) if authority.moderator || authority.official_departments.contains(&id) => {
            Ok(Some(vec![Some(id)]))
        }
        _ => Err(TriageError::Forbidden),
    }
}

/// One query per department when they are several or overdue: each has its own cut-off.
fn branches(scope: Option<Vec<Option<i64>>>, overdue: Option<&[(i64, NaiveDateTime)]>) -> Vec<Branch> {
    match (scope, overdue) {
        (None, None) => vec![Branch::Everything],
        (Some(departments), None) => {
            departments.into_iter().map(|id| Branch::Department { id, before: None }).collect()
        }
        (scope, Some(cutoffs)) => cutoffs
            .iter()
            .filter(|(d, _)| scope.as_ref().is_none_or(|s| s.contains(&Some(*d))))
            .map(|&(d, cutoff)| Branch::Department { id: Some(d), before: Some(cutoff) })
            .collect(),
    }
}

/// One comment as the queue shows it.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub id: i64,
    pub author: String,
    pub excerpt: String,
    pub post: Option<(String, String)>,
    pub published_at: NaiveDateTime,
    pub age_days: i64,
    pub department: Option<String>,
    pub suggested: Option<String>,
    pub assignee: Option<String>,
    pub overdue: bool,
    pub replies: i32,
}

/// A page of the queue and the choices its forms offer.
#[derive(Debug, Clone)]
pub struct Queue {
    pub items: Vec<QueueItem>,
    pub has_more: bool,
    /// The last page offered, when this page is at or past it and more may match.
    pub cut_off: Option<usize>,
    /// The departments the viewer may filter by (and, for moderators, route to).
    pub departments: Vec<Department>,
    pub all_departments: Vec<Department>,
    pub posts: Vec<(i64, String)>,
    /// Officials in force of the departments shown: (user id, "Jane Doe (DWP)").
    pub assignees: Vec<(i64, String)>,
}

pub fn load(
    conn: &mut AnyConnection,
    actor: &Actor,
    filters: &Filters,
    now: NaiveDateTime,
) -> Result<Queue, TriageError> {
    let scope = scope(actor, filters.department)?;
    let cutoffs = deadlines::overdue_cutoffs(conn, now)?;
    let branches = branches(scope.clone(), filters.overdue.then_some(cutoffs.as_slice()));
    // Reading page n reads n pages from each index range, and from every range when
    // several are merged; past the last page offered, narrower filters are quicker.
    let merged = branches.len() > 1 && filters.post.is_none() && !filters.assigned_to_me;
    let last_page = if merged { MERGED_PAGES } else { PAGES };
    let branches = if filters.page > last_page { Vec::new() } else { branches };
    let offset = (filters.page - 1).saturating_mul(PER_PAGE);
    let query = QueueQuery {
        state: ResponseState::Awaiting,
        branches: &branches,
        post_id: filters.post,
        assigned_to: filters.assigned_to_me.then_some(actor.user_id),
        sort: filters.sort,
        offset: i64::try_from(offset).unwrap_or(i64::MAX),
        limit: PER_PAGE as i64 + 1,
    };
    let mut rows = db::triage::queue(conn, &query)?;
    let cut = filters.page > last_page || (filters.page == last_page && rows.len() > PER_PAGE);
    let has_more = rows.len() > PER_PAGE && !cut;
    let cut_off = cut.then_some(last_page);
    rows.truncate(PER_PAGE);

    let all_departments = db::departments::list(conn)?;
    let acronym: HashMap<i64, &str> = all_departments.iter().map(|d| (d.id, d.acronym.as_str())).collect();
    let post_ids: Vec<i64> = rows.iter().map(|r| r.post_id).chain(filters.post).collect();
    let posts: HashMap<i64, (String, String)> =
        db::triage::posts_by_ids(conn, &post_ids)?.into_iter().map(|(id, slug, title)| (id, (slug, title))).collect();
    let assignee_ids: Vec<i64> = rows.iter().filter_map(|r| r.assigned_to).collect();
    let names: HashMap<i64, String> = db::triage::user_names(conn, &assignee_ids)?.into_iter().collect();
    let cutoff: HashMap<i64, NaiveDateTime> = cutoffs.into_iter().collect();
    let calendar = deadlines::calendar(conn)?;
    let items = rows
        .into_iter()
        .map(|r| QueueItem {
            id: r.id,
            excerpt: excerpt(&r.body_md, EXCERPT_CHARS),
            post: posts.get(&r.post_id).cloned(),
            published_at: r.published(),
            age_days: deadlines::age_in_working_days(&calendar, r.published(), now),
            department: r.department_id.and_then(|d| acronym.get(&d)).map(|a| (*a).to_owned()),
            suggested: r.suggested_department_id.and_then(|d| acronym.get(&d)).map(|a| (*a).to_owned()),
            assignee: r.assigned_to.and_then(|u| names.get(&u)).cloned(),
            overdue: r.department_id.and_then(|d| cutoff.get(&d)).is_some_and(|c| r.routed() < *c),
            replies: r.reply_count,
            author: r.author_name,
        })
        .collect();

    let mut offered = db::triage::recent_posts(conn, POSTS_OFFERED)?;
    if let Some(chosen) = filters.post.filter(|p| !offered.iter().any(|(id, _)| id == p)) {
        if let Some((_, title)) = posts.get(&chosen) {
            offered.push((chosen, title.clone()));
        }
    }
    let departments = all_departments
        .iter()
        .filter(|d| actor.authority.moderator || actor.authority.official_departments.contains(&d.id))
        .cloned()
        .collect();
    Ok(Queue {
        items,
        has_more,
        cut_off,
        departments,
        assignees: assignees(conn, scope.as_deref())?,
        all_departments,
        posts: offered,
    })
}

/// Officials in force of the departments in scope, one entry a person.
fn assignees(conn: &mut AnyConnection, scope: Option<&[Option<i64>]>) -> QueryResult<Vec<(i64, String)>> {
    let mut people: Vec<(i64, String, Vec<String>)> = Vec::new();
    let listings = db::officials::all_listings(conn)?;
    let in_scope = listings
        .iter()
        .filter(|l| l.revoked_at.is_none())
        .filter(|l| scope.is_none_or(|s| s.contains(&Some(l.department_id))));
    for l in in_scope {
        match people.iter_mut().find(|(id, _, _)| *id == l.user_id) {
            Some((_, _, acronyms)) => acronyms.push(l.department_acronym.clone()),
            None => people.push((l.user_id, l.user_name.clone(), vec![l.department_acronym.clone()])),
        }
    }
    people.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(people.into_iter().map(|(id, name, acronyms)| (id, format!("{name} ({})", acronyms.join(", ")))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::response::Authority;

    fn actor(moderator: bool, official_departments: Vec<i64>) -> Actor {
        Actor {
            user_id: 1,
            name: "A".into(),
            authority: Authority { moderator, official_departments },
            badges: Vec::new(),
        }
    }

    #[test]
    fn officials_see_their_departments_and_unrouted_moderators_everything() {
        let official = actor(false, vec![7, 9]);
        assert_eq!(scope(&official, DepartmentChoice::Mine).ok(), Some(Some(vec![Some(7), Some(9)])));
        assert_eq!(scope(&official, DepartmentChoice::One(9)).ok(), Some(Some(vec![Some(9)])));
        assert_eq!(scope(&official, DepartmentChoice::Unrouted).ok(), Some(Some(vec![None])));
        assert!(scope(&official, DepartmentChoice::One(8)).is_err(), "another department");
        assert!(scope(&official, DepartmentChoice::All).is_err());
        let moderator = actor(true, vec![]);
        assert_eq!(scope(&moderator, DepartmentChoice::All).ok(), Some(None));
        assert_eq!(scope(&moderator, DepartmentChoice::Mine).ok(), Some(None));
        assert_eq!(scope(&moderator, DepartmentChoice::One(8)).ok(), Some(Some(vec![Some(8)])));
        assert_eq!(DepartmentChoice::default_for(&official), DepartmentChoice::Mine);
        assert_eq!(DepartmentChoice::default_for(&moderator), DepartmentChoice::All);
    }

    #[test]
    fn overdue_keeps_routed_departments_each_with_its_cutoff() {
        let at = chrono::NaiveDateTime::default();
        let cutoffs = [(7, at), (8, at)];
        let branches = branches(Some(vec![Some(7), None]), Some(&cutoffs));
        assert_eq!(branches, [Branch::Department { id: Some(7), before: Some(at) }]);
        assert_eq!(super::branches(None, Some(&cutoffs)).len(), 2);
        assert_eq!(super::branches(None, None), [Branch::Everything]);
    }

    #[test]
    fn filters_survive_a_round_trip_through_their_fields() {
        let official = actor(false, vec![7]);
        let filters = Filters::parse(|_| None, &official);
        assert_eq!((filters.department, filters.sort, filters.page), (DepartmentChoice::Mine, Sort::Oldest, 1));
        let sent = Filters { post: Some(3), assigned_to_me: true, overdue: true, page: 4, ..filters };
        let fields = sent.fields(sent.page);
        let read = Filters::parse(|name| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str()), &official);
        assert_eq!(read, sent);
        assert_eq!(
            Filters::parse(|n| (n == "unrouted").then_some("1"), &official).department,
            DepartmentChoice::Unrouted
        );
    }
}
