//! The triage queue: published comments in one response state, filtered and sorted
//! so that each query reads one index range in the order shown (see the
//! triage-indexes migration). A queue over several departments is one query per
//! department, merged here: never a scan of the whole table, never a sort of it.

use std::cmp::Ordering;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use super::schema::{comments, posts, users};
use super::AnyConnection;
use crate::domain::comment::CommentStatus;
use crate::domain::response::ResponseState;

type Backend = <AnyConnection as diesel::Connection>::Backend;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Oldest,
    Recent,
    Replies,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Self::Oldest, Self::Replies, Self::Recent];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oldest => "oldest",
            Self::Recent => "recent",
            Self::Replies => "replies",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Oldest => "Oldest first",
            Self::Recent => "Most recent first",
            Self::Replies => "Most replies first",
        }
    }
}

/// One part of the queue, read by one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    /// Every comment, routed or not.
    Everything,
    /// Comments routed to `id` (`None`: not routed), published before `before` if set.
    Department { id: Option<i64>, before: Option<NaiveDateTime> },
}

/// Which page of the queue to read. Branches must not overlap.
#[derive(Debug, Clone)]
pub struct QueueQuery<'a> {
    pub state: ResponseState,
    pub branches: &'a [Branch],
    pub post_id: Option<i64>,
    pub assigned_to: Option<i64>,
    pub sort: Sort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct QueueRow {
    pub id: i64,
    pub post_id: i64,
    pub author_name: String,
    pub body_md: String,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub department_id: Option<i64>,
    pub suggested_department_id: Option<i64>,
    pub assigned_to: Option<i64>,
    pub reply_count: i32,
    pub routed_at: Option<NaiveDateTime>,
}

impl QueueRow {
    pub fn published(&self) -> NaiveDateTime {
        self.published_at.unwrap_or(self.created_at)
    }

    /// When its department's target started counting: when it was routed there.
    pub fn routed(&self) -> NaiveDateTime {
        self.routed_at.unwrap_or_else(|| self.published())
    }
}

/// The order of the page, as the SQL `ORDER BY` gives it.
fn compare(sort: Sort, a: &QueueRow, b: &QueueRow) -> Ordering {
    let oldest = (a.published_at, a.id).cmp(&(b.published_at, b.id));
    match sort {
        Sort::Oldest => oldest,
        Sort::Recent => oldest.reverse(),
        Sort::Replies => b.reply_count.cmp(&a.reply_count).then(oldest),
    }
}

type Condition = Box<dyn BoxableExpression<comments::table, Backend, SqlType = Nullable<Bool>>>;

/// The test a branch puts on a comment; `None` when it takes every comment.
fn condition(branch: Branch) -> Option<Condition> {
    let Branch::Department { id, before } = branch else {
        return None;
    };
    let department: Condition = match id {
        Some(id) => Box::new(comments::department_id.eq(id)),
        None => Box::new(comments::department_id.is_null().nullable()),
    };
    let Some(before) = before else {
        return Some(department);
    };
    // Overdue counts from when the comment was routed. Written as NOT (>=) so that
    // the test is checked on the entries of the index that gives the order (the
    // department's, the post's or the assignee's) rather than choosing the
    // (state, department, routed_at) range and sorting it.
    Some(Box::new(department.and(diesel::dsl::not(comments::routed_at.ge(before)))))
}

fn read(
    conn: &mut AnyConnection,
    q: &QueueQuery,
    condition: Option<Condition>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<QueueRow>> {
    let mut query = comments::table
        .select(QueueRow::as_select())
        .filter(comments::response_state.eq(q.state))
        .filter(comments::status.eq(CommentStatus::Published))
        .into_boxed::<Backend>();
    if let Some(condition) = condition {
        query = query.filter(condition);
    }
    if let Some(post_id) = q.post_id {
        query = query.filter(comments::post_id.eq(post_id));
    }
    if let Some(user_id) = q.assigned_to {
        query = query.filter(comments::assigned_to.eq(user_id));
    }
    query = match q.sort {
        Sort::Oldest => query.order((comments::published_at.asc(), comments::id.asc())),
        Sort::Recent => query.order((comments::published_at.desc(), comments::id.desc())),
        Sort::Replies => query.order((comments::reply_count.desc(), comments::published_at.asc(), comments::id.asc())),
    };
    query.limit(limit).offset(offset).load(conn)
}

impl QueueQuery<'_> {
    /// Filtered to one post or one assignee: a few rows, read from that index.
    fn is_narrow(&self) -> bool {
        self.post_id.is_some() || self.assigned_to.is_some()
    }
}

/// One page of the queue: `limit` rows after `offset`, in the chosen order.
pub fn queue(conn: &mut AnyConnection, q: &QueueQuery) -> QueryResult<Vec<QueueRow>> {
    match q.branches {
        [] => Ok(Vec::new()),
        [one] => read(conn, q, condition(*one), q.limit, q.offset),
        many if q.is_narrow() => {
            // The post's or assignee's comments are few: one query, branches OR-ed.
            let conditions: Option<Vec<Condition>> = many.iter().map(|b| condition(*b)).collect();
            let either = conditions.and_then(|c| c.into_iter().reduce(|a, b| Box::new(a.or(b))));
            read(conn, q, either, q.limit, q.offset)
        }
        many => {
            // Each branch is one index range in order; the page is among the first
            // offset + limit rows of each. Merge them.
            let mut rows = Vec::new();
            for branch in many {
                rows.extend(read(conn, q, condition(*branch), q.offset.saturating_add(q.limit), 0)?);
            }
            rows.sort_by(|a, b| compare(q.sort, a, b));
            let skip = usize::try_from(q.offset).unwrap_or(usize::MAX);
            let take = usize::try_from(q.limit).unwrap_or(0);
            Ok(rows.into_iter().skip(skip).take(take).collect())
        }
    }
}

/// (id, slug, title) of these posts.
pub fn posts_by_ids(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    posts::table.filter(posts::id.eq_any(ids)).select((posts::id, posts::slug, posts::title)).load(conn)
}

/// (id, title) of the latest published posts, for the post filter.
pub fn recent_posts(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<(i64, String)>> {
    posts::table
        .filter(posts::published.eq(true))
        .order((posts::published_at.desc(), posts::id.desc()))
        .select((posts::id, posts::title))
        .limit(limit)
        .load(conn)
}

/// (id, name) of these users.
pub fn user_names(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table.filter(users::id.eq_any(ids)).select((users::id, users::name)).load(conn)
}
