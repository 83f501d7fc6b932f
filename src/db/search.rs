//! Full-text search over posts and published comments: FTS5 on SQLite, a generated
//! tsvector with websearch_to_tsquery on PostgreSQL. The one place each backend gets
//! its own SQL; both return the same rows, best match first.

use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use super::AnyConnection;
use crate::domain::response::ResponseState;
use crate::domain::search::{SearchQuery, MARK_END, MARK_START};

/// What narrows a search. Comment-only filters (department, state, official) leave
/// posts out of the results.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub post_id: Option<i64>,
    pub department_id: Option<i64>,
    pub state: Option<ResponseState>,
    pub official_only: bool,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Hit {
    /// "post" or "comment".
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub post_slug: String,
    #[diesel(sql_type = Text)]
    pub post_title: String,
    #[diesel(sql_type = Text)]
    pub author_name: String,
    #[diesel(sql_type = Timestamp)]
    pub at: NaiveDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    pub response_state: Option<ResponseState>,
    #[diesel(sql_type = Nullable<Text>)]
    pub badge_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub badge_title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub badge_department: Option<String>,
    /// Text around the match, with the matched words between `MARK_START` and `MARK_END`.
    #[diesel(sql_type = Text)]
    pub excerpt: String,
    /// The sanitised HTML the excerpt comes from (the post's or the comment's body).
    #[diesel(sql_type = Text)]
    pub body_html: String,
    /// How many results there are in all.
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// The body of each result on the page, to make its plain-text excerpt from.
const BODY: &str = "CASE kind WHEN 'post' THEN (SELECT b.body_html FROM posts b WHERE b.id = page.id)
                         ELSE (SELECT b.body_html FROM comments b WHERE b.id = page.id) END AS body_html";

// Bind order in both: 1 query, 2 post, 3 department, 4 state, 5 official only (0/1),
// 6 limit, 7 offset.
const COMMENT_FILTERS_SQLITE: &str = "
    AND (?2 IS NULL OR c.post_id = ?2)
    AND (?3 IS NULL OR c.department_id = ?3
         OR c.official_role_id IN (SELECT r.id FROM official_roles r WHERE r.department_id = ?3))
    AND (?4 IS NULL OR c.response_state = ?4)
    AND (?5 = 0 OR c.official_role_id IS NOT NULL)";

/// Ranks every match, but makes excerpts only for the page shown: `snippet` reads each
/// text, which at tens of thousands of matches costs more than the ranking.
fn sqlite_sql() -> String {
    let (start, end) = (MARK_START, MARK_END);
    format!(
        "WITH hits AS (
            SELECT 'post' AS kind, p.id AS id, -bm25(posts_fts, 4.0, 1.0) AS score,
                   p.slug AS post_slug, p.title AS post_title, p.author_name AS author_name,
                   p.published_at AS at, NULL AS response_state,
                   NULL AS badge_name, NULL AS badge_title, NULL AS badge_department
            FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
            WHERE posts_fts MATCH ?1 AND p.published = 1
              AND (?2 IS NULL OR p.id = ?2) AND ?3 IS NULL AND ?4 IS NULL AND ?5 = 0
            UNION ALL
            SELECT 'comment', c.id, -bm25(comments_fts),
                   p.slug, p.title, c.author_name, COALESCE(c.published_at, c.created_at), c.response_state,
                   c.badge_name, c.badge_title, c.badge_department
            FROM comments_fts JOIN comments c ON c.id = comments_fts.rowid JOIN posts p ON p.id = c.post_id
            WHERE comments_fts MATCH ?1 AND c.status = 'published' AND p.published = 1 {COMMENT_FILTERS_SQLITE}
        ),
        page AS (SELECT *, COUNT(*) OVER () AS total FROM hits ORDER BY score DESC, id DESC LIMIT ?6 OFFSET ?7)
        SELECT kind, id, post_slug, post_title, author_name, at, response_state,
               badge_name, badge_title, badge_department, total,
               CASE kind
                   WHEN 'post' THEN (SELECT snippet(posts_fts, -1, '{start}', '{end}', '…', 30)
                                     FROM posts_fts WHERE posts_fts MATCH ?1 AND posts_fts.rowid = page.id)
                   ELSE (SELECT snippet(comments_fts, 0, '{start}', '{end}', '…', 30)
                         FROM comments_fts WHERE comments_fts MATCH ?1 AND comments_fts.rowid = page.id)
               END AS excerpt, {BODY}
        FROM page ORDER BY score DESC, id DESC"
    )
}

fn postgres_sql() -> String {
    let (start, end) = (MARK_START, MARK_END);
    let filters = COMMENT_FILTERS_SQLITE
        .replace("?2", "$2::bigint")
        .replace("?3", "$3::bigint")
        .replace("?4", "$4::text")
        .replace("?5", "$5::int");
    format!(
        "WITH q AS (SELECT websearch_to_tsquery('english', $1) AS q),
        hits AS (
            SELECT 'post' AS kind, p.id AS id, (ts_rank(p.search, q.q) * 2)::float8 AS score,
                   p.title || ' ' || p.body_md AS text,
                   p.slug AS post_slug, p.title AS post_title, p.author_name AS author_name,
                   p.published_at AS at, NULL::text AS response_state,
                   NULL::text AS badge_name, NULL::text AS badge_title, NULL::text AS badge_department
            FROM posts p, q
            WHERE p.search @@ q.q AND p.published
              AND ($2::bigint IS NULL OR p.id = $2::bigint) AND $3::bigint IS NULL AND $4::text IS NULL AND $5::int = 0
            UNION ALL
            SELECT 'comment', c.id, ts_rank(c.search, q.q)::float8, c.body_md,
                   p.slug, p.title, c.author_name, COALESCE(c.published_at, c.created_at), c.response_state,
                   c.badge_name, c.badge_title, c.badge_department
            FROM comments c JOIN posts p ON p.id = c.post_id, q
            WHERE c.search @@ q.q AND c.status = 'published' AND p.published {filters}
        ),
        page AS (SELECT *, COUNT(*) OVER () AS total FROM hits ORDER BY score DESC, id DESC LIMIT $6 OFFSET $7)
        SELECT kind, id, post_slug, post_title, author_name, at, response_state,
               badge_name, badge_title, badge_department,
               ts_headline('english', text, (SELECT q FROM q),
                   'StartSel={start}, StopSel={end}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"')
                   AS excerpt,
               {BODY}, total
        FROM page ORDER BY score DESC, id DESC"
    )
}

/// One page of results, best first.
pub fn search(
    conn: &mut AnyConnection,
    query: &SearchQuery,
    filters: &Filters,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Hit>> {
    // Only the SQL and the query's spelling differ; the binds are the same, in order.
    let (sql, text) = match conn {
        AnyConnection::Sqlite(_) => (sqlite_sql(), query.fts5()),
        AnyConnection::Postgresql(_) => (postgres_sql(), query.websearch()),
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(text)
        .bind::<Nullable<BigInt>, _>(filters.post_id)
        .bind::<Nullable<BigInt>, _>(filters.department_id)
        .bind::<Nullable<Text>, _>(filters.state)
        .bind::<Integer, _>(i32::from(filters.official_only))
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
}
