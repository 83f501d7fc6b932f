//! What imports remember: where each imported post and comment came from, which
//! badges were recognised at import, and posts' categories.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{comments, import_ids, imported_badges, post_categories, posts};
use super::AnyConnection;
use crate::domain::markdown::SafeHtml;

pub const KIND_POST: &str = "post";
pub const KIND_COMMENT: &str = "comment";

/// Lets SQLite keep up to 128 MB of changed pages in memory during one long import
/// transaction, instead of spilling them to the write-ahead log as it goes (the default
/// cache is 2 MB; spilling took a third of the time of a 100,000-comment import).
pub fn allow_large_transaction(conn: &mut AnyConnection) -> QueryResult<()> {
    if let AnyConnection::Sqlite(_) = conn {
        diesel::sql_query("PRAGMA cache_size = -131072").execute(conn)?;
    }
    Ok(())
}

/// The indexes of `comments` an import itself reads (replies by parent, a post's
/// comments); the others only serve the site's pages and queues.
const INDEXES_AN_IMPORT_READS: [&str; 2] = ["comments_parent", "comments_post_path"];

/// Secondary indexes of `comments` dropped for the rest of a large import, to be built
/// again (each in one sorted pass) before it commits. Keeping 18 indexes up to date
/// row by row took 40 % of a 100,000-comment import; building them again takes a
/// tenth of that.
#[derive(Debug, Default)]
#[must_use = "the indexes must be built again before the import commits"]
pub struct SuspendedIndexes(Vec<String>);

/// Drops the indexes of `comments` an import does not read, inside the import's
/// transaction, and returns how to build them again. SQLite only: its import already
/// holds the only write lock, and readers go on from the last commit. On PostgreSQL
/// dropping an index would lock every reader of the site out until the commit, so
/// nothing is dropped there.
pub fn suspend_comment_indexes(conn: &mut AnyConnection) -> QueryResult<SuspendedIndexes> {
    use diesel::sql_types::Text;
    #[derive(QueryableByName)]
    struct Index {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        sql: String,
    }
    if !matches!(conn, AnyConnection::Sqlite(_)) {
        return Ok(SuspendedIndexes::default());
    }
    let indexes: Vec<Index> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comments' AND sql IS NOT NULL",
    )
    .load(conn)?;
    let mut again = Vec::new();
    for index in indexes.into_iter().filter(|i| !INDEXES_AN_IMPORT_READS.contains(&i.name.as_str())) {
        // The name comes from the schema itself, quoted as an identifier.
        diesel::sql_query(format!("DROP INDEX \"{}\"", index.name.replace('"', "\"\""))).execute(conn)?;
        again.push(index.sql);
    }
    tracing::info!(indexes = again.len(), "a large import: indexes of comments dropped until it ends");
    Ok(SuspendedIndexes(again))
}

/// Builds the suspended indexes again, exactly as the schema defined them.
pub fn restore_comment_indexes(conn: &mut AnyConnection, suspended: SuspendedIndexes) -> QueryResult<()> {
    for sql in suspended.0 {
        diesel::sql_query(sql).execute(conn)?;
    }
    Ok(())
}

/// How many comments the site has: an import suspends indexes only once it has added
/// a good share of that (below it, keeping them up to date costs less than a rebuild).
pub fn comment_count(conn: &mut AnyConnection) -> QueryResult<i64> {
    comments::table.count().get_result(conn)
}

/// Our id for something imported before from `source`, if any.
pub fn local_id(conn: &mut AnyConnection, source: &str, kind: &str, original_id: i64) -> QueryResult<Option<i64>> {
    import_ids::table.find((source, kind, original_id)).select(import_ids::local_id).first(conn).optional()
}

pub fn remember(
    conn: &mut AnyConnection,
    source: &str,
    kind: &str,
    original_id: i64,
    local_id: i64,
) -> QueryResult<usize> {
    diesel::insert_into(import_ids::table)
        .values((
            import_ids::source.eq(source),
            import_ids::kind.eq(kind),
            import_ids::original_id.eq(original_id),
            import_ids::local_id.eq(local_id),
        ))
        .execute(conn)
}

/// An imported comment's place in its tree, as the comments of its post are written.
#[derive(Debug, Clone)]
pub struct TreePlace {
    pub id: i64,
    pub post_id: i64,
    pub thread_id: i64,
    pub path: String,
    pub depth: i32,
}

pub fn tree_place(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<TreePlace>> {
    comments::table
        .find(id)
        .select((comments::id, comments::post_id, comments::thread_id, comments::path, comments::depth))
        .first::<(i64, i64, i64, String, i32)>(conn)
        .optional()
        .map(|row| row.map(|(id, post_id, thread_id, path, depth)| TreePlace { id, post_id, thread_id, path, depth }))
}

/// Hands out comment ids ahead of the insert, so a comment is written with its path
/// in one statement. SQLite: counts on from the highest id ever used (the import holds
/// the write lock); PostgreSQL: the id sequence.
#[derive(Debug, Default)]
pub struct CommentIds {
    next: Option<i64>,
}

impl CommentIds {
    pub fn next(&mut self, conn: &mut AnyConnection) -> QueryResult<i64> {
        use diesel::sql_types::BigInt;
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = BigInt)]
            id: i64,
        }
        if let AnyConnection::Postgresql(_) = conn {
            let row: Id =
                diesel::sql_query("SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id").get_result(conn)?;
            return Ok(row.id);
        }
        let id = match self.next {
            Some(id) => id,
            None => {
                let row: Id = diesel::sql_query(
                    "SELECT COALESCE(MAX(n), 0) + 1 AS id FROM (SELECT MAX(id) AS n FROM comments \
                     UNION ALL SELECT seq AS n FROM sqlite_sequence WHERE name = 'comments')",
                )
                .get_result(conn)?;
                row.id
            }
        };
        self.next = Some(id + 1);
        Ok(id)
    }
}

/// Inserts an imported comment with its id, thread and path; reply counts are
/// recounted once per post at the end of the import (`recount_replies`).
pub fn insert_comment(
    conn: &mut AnyConnection,
    id: i64,
    row: &super::comments::NewCommentRow,
    parent: Option<&TreePlace>,
) -> QueryResult<TreePlace> {
    let path = crate::domain::thread::child_path(parent.map(|p| p.path.as_str()), id);
    let thread_id = parent.map_or(id, |p| p.thread_id);
    diesel::insert_into(comments::table)
        .values((row, comments::id.eq(id), comments::path.eq(&path), comments::thread_id.eq(thread_id)))
        .execute(conn)?;
    Ok(TreePlace { id, post_id: row.post_id, thread_id, path, depth: row.depth })
}

pub fn recount_replies(conn: &mut AnyConnection, post_id: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE comments SET reply_count = (SELECT COUNT(*) FROM comments AS c WHERE c.parent_id = comments.id) \
         WHERE post_id = $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(post_id)
    .execute(conn)
}

/// Marks an official reply's badge as recognised at import, with what matched.
pub fn mark_badge_imported(
    conn: &mut AnyConnection,
    comment_id: i64,
    matched_on: &str,
    matched_text: &str,
    at: NaiveDateTime,
    verified_by: Option<&str>,
) -> QueryResult<usize> {
    diesel::insert_into(imported_badges::table)
        .values((
            imported_badges::comment_id.eq(comment_id),
            imported_badges::matched_on.eq(matched_on),
            imported_badges::matched_text.eq(matched_text),
            imported_badges::imported_at.eq(at),
            imported_badges::verified_by.eq(verified_by),
        ))
        .execute(conn)
}

/// Which of these comments carry a badge recognised at import, and who confirmed it
/// (an admin, from the review queue), if anyone.
pub fn badges_imported(conn: &mut AnyConnection, comment_ids: &[i64]) -> QueryResult<Vec<(i64, Option<String>)>> {
    if comment_ids.is_empty() {
        return Ok(Vec::new());
    }
    imported_badges::table
        .filter(imported_badges::comment_id.eq_any(comment_ids))
        .select((imported_badges::comment_id, imported_badges::verified_by))
        .load(conn)
}

/// A post's body drawn again (an import's galleries, once the file's images are known).
pub fn set_post_html(conn: &mut AnyConnection, post_id: i64, html: &SafeHtml) -> QueryResult<usize> {
    diesel::update(posts::table.find(post_id)).set(posts::body_html.eq(html)).execute(conn)
}

pub fn add_category(conn: &mut AnyConnection, post_id: i64, name: &str) -> QueryResult<usize> {
    diesel::insert_into(post_categories::table)
        .values((post_categories::post_id.eq(post_id), post_categories::name.eq(name)))
        .execute(conn)
}

pub fn categories(conn: &mut AnyConnection, post_id: i64) -> QueryResult<Vec<String>> {
    post_categories::table
        .filter(post_categories::post_id.eq(post_id))
        .order(post_categories::name)
        .select(post_categories::name)
        .load(conn)
}
