//! What each Atom feed holds: the newest posts, a post's or a thread's newest
//! comments, the newest official responses (of all departments or of one).

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::feeds::FeedComment;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};

/// Entries in a feed: enough for a reader to catch up, small enough to poll.
pub const FEED_ENTRIES: i64 = 50;

pub enum Entries {
    Posts(Vec<Post>),
    Comments(Vec<FeedComment>),
}

/// One feed, ready to be written as Atom.
pub struct Feed {
    pub title: String,
    /// What the feed's id is made from: a date the thing existed on, and a name
    /// (`post/12/comments`), so the id stays when a slug or the host's port changes.
    pub id_date: chrono::NaiveDate,
    pub id_name: String,
    /// Site paths of the feed itself and of the page it follows.
    pub self_path: String,
    pub page_path: String,
    /// When nothing is in the feed yet, it was last updated when its subject began.
    pub since: NaiveDateTime,
    pub entries: Entries,
}

impl Feed {
    /// The newest time in the feed.
    pub fn updated(&self) -> NaiveDateTime {
        let newest = match &self.entries {
            Entries::Posts(posts) => posts.iter().map(|p| p.updated_at.max(p.published_at)).max(),
            Entries::Comments(comments) => comments.iter().map(FeedComment::shown_at).max(),
        };
        newest.unwrap_or(self.since)
    }
}

/// The day the site's own feeds are named from (the project's first day).
fn site_epoch() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default().and_time(chrono::NaiveTime::MIN)
}

pub fn posts(conn: &mut AnyConnection) -> QueryResult<Feed> {
    let posts = db::posts::list_published(conn, FEED_ENTRIES, 0)?;
    Ok(Feed {
        title: "Posts".into(),
        id_date: site_epoch().date(),
        id_name: "posts".into(),
        self_path: "/feeds/posts.atom".into(),
        page_path: "/".into(),
        since: site_epoch(),
        entries: Entries::Posts(posts),
    })
}

pub fn post_comments(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<Feed>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let comments = db::feeds::post_comments(conn, post.id, FEED_ENTRIES)?;
    Ok(Some(Feed {
        title: format!("Comments on {}", post.title),
        id_date: post.created_at.date(),
        id_name: format!("post/{}/comments", post.id),
        self_path: format!("/posts/{}/feed.atom", post.slug),
        page_path: format!("/posts/{}", post.slug),
        since: post.published_at,
        entries: Entries::Comments(comments),
    }))
}

/// One conversation: the top-level comment `thread_id` and its replies.
pub fn thread(conn: &mut AnyConnection, slug: &str, thread_id: i64) -> QueryResult<Option<Feed>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let Some(root) = db::comments::find(conn, thread_id)?
        .filter(|c| c.post_id == post.id && c.thread_id == c.id && c.is_published())
    else {
        return Ok(None);
    };
    let comments = db::feeds::thread_comments(conn, post.id, thread_id, FEED_ENTRIES)?;
    Ok(Some(Feed {
        title: format!("A conversation started by {} on {}", root.author_name, post.title),
        id_date: root.created_at.date(),
        id_name: format!("thread/{}", root.id),
        self_path: format!("/posts/{}/threads/{}/feed.atom", post.slug, root.id),
        page_path: format!("/comments/{}", root.id),
        since: root.published_at.unwrap_or(root.created_at),
        entries: Entries::Comments(comments),
    }))
}

pub fn official_responses(conn: &mut AnyConnection) -> QueryResult<Feed> {
    let comments = db::feeds::official_replies(conn, None, FEED_ENTRIES)?;
    Ok(Feed {
        title: "Official responses".into(),
        id_date: site_epoch().date(),
        id_name: "official-responses".into(),
        self_path: "/feeds/official.atom".into(),
        page_path: "/departments".into(),
        since: site_epoch(),
        entries: Entries::Comments(comments),
    })
}

pub fn department_responses(conn: &mut AnyConnection, acronym: &str) -> QueryResult<Option<Feed>> {
    let Some(department) = db::departments::find_by_acronym(conn, acronym)? else {
        return Ok(None);
    };
    let comments = db::feeds::official_replies(conn, Some(department.id), FEED_ENTRIES)?;
    Ok(Some(Feed {
        title: format!("Official responses from {}", department.name),
        id_date: department.created_at.date(),
        id_name: format!("department/{}/responses", department.id),
        self_path: format!("/departments/{}/feed.atom", department.acronym),
        page_path: format!("/departments/{}", department.acronym),
        since: department.created_at,
        entries: Entries::Comments(comments),
    }))
}
