//! What readers see: the home page, a post page with its threads, one long thread,
//! and where a comment's permalink leads.

use std::sync::Arc;

use diesel::QueryResult;

use crate::config::DisplaySettings;
use crate::db::comments::CommentRow;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentStatus;
use crate::domain::markdown::SafeHtml;
use crate::domain::paging::{self, PageSpan, ThreadSize};
use crate::domain::response::ResponseState;
use crate::domain::thread::{self, Node};
use crate::read::kept::{KeptKey, KeptSections, SectionData};
use crate::read::standing::{self, Clock, CommentTotals, Replies, Standing};

pub struct PostSummary {
    pub post: Post,
    pub comments: i64,
}

pub struct HomePage {
    pub posts: Vec<PostSummary>,
    pub page: usize,
    pub pages: usize,
}

/// Published posts, newest first, with their comment counts; `None` past the last page.
pub fn home_page(conn: &mut AnyConnection, page: usize, per_page: usize) -> QueryResult<Option<HomePage>> {
    let per_page = per_page.max(1);
    let total = usize::try_from(db::posts::count_published(conn)?).unwrap_or(0);
    let pages = total.div_ceil(per_page).max(1);
    if page > pages {
        return Ok(None);
    }
    let offset = (page - 1) * per_page;
    let posts = db::posts::list_published(conn, per_page as i64, offset as i64)?;
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let counts = db::posts::published_comment_counts(conn, &ids)?;
    let posts = posts
        .into_iter()
        .map(|post| {
            let comments = counts.iter().find(|(id, _)| *id == post.id).map_or(0, |(_, n)| *n);
            PostSummary { post, comments }
        })
        .collect();
    Ok(Some(HomePage { posts, page, pages }))
}

/// The last thread on a page is longer than a page: it goes on at its thread pages.
pub struct Continuation {
    pub thread_id: i64,
    pub shown: i64,
    pub total: i64,
}

/// One page of a post's comment threads: what was read for the current version of
/// its comments (`read::kept`), and the day's ages and overdue marks.
pub struct CommentsPage {
    pub page: usize,
    pub section: Arc<SectionData>,
    pub summary: CommentTotals,
    pub standing: Standing,
}

struct Layout {
    sizes: Vec<ThreadSize>,
    pages: Vec<PageSpan>,
}

impl Layout {
    fn read(conn: &mut AnyConnection, post_id: i64, display: &DisplaySettings) -> QueryResult<Self> {
        let sizes = db::comments::thread_sizes(conn, post_id)?;
        let pages = paging::layout(&sizes, display.threads_per_page, display.comments_per_page);
        Ok(Self { sizes, pages })
    }

    fn comment_count(&self) -> i64 {
        self.sizes.iter().map(|s| s.comments).sum()
    }
}

/// The threads of one page of a post; `None` if there is no such page. Read again
/// only when the post's comments have changed since `kept` was given them.
pub fn comments_page(
    conn: &mut AnyConnection,
    post: &Post,
    page: usize,
    display: &DisplaySettings,
    kept: &KeptSections,
) -> QueryResult<Option<CommentsPage>> {
    let key = KeptKey { post_id: post.id, page };
    let section = match kept.get(key, post.comments_version) {
        Some(section) => section,
        None => {
            let Some(section) = section_data(conn, post, page, display)? else { return Ok(None) };
            let section = Arc::new(section);
            kept.put(key, post.comments_version, section.clone());
            section
        }
    };
    let clock = Clock::read(conn, crate::domain::time::now())?;
    let summary = CommentTotals { overdue: clock.overdue(&section.awaiting_routed), ..section.totals };
    let mut standing = Standing::new(clock, section.replies.clone());
    standing.row_hashes = section.row_hashes.clone();
    Ok(Some(CommentsPage { page, section, summary, standing }))
}

/// Reads one page of a post's comments and what they show besides themselves.
fn section_data(
    conn: &mut AnyConnection,
    post: &Post,
    page: usize,
    display: &DisplaySettings,
) -> QueryResult<Option<SectionData>> {
    let layout = Layout::read(conn, post.id, display)?;
    let mut found = SectionData {
        comment_count: layout.comment_count(),
        pages: layout.pages.len().max(1),
        continued: None,
        threads: Vec::new(),
        totals: standing::state_totals(conn, post.id)?,
        awaiting_routed: db::responses::awaiting_routed(conn, post.id)?,
        replies: Replies::default(),
        row_hashes: Arc::default(),
        html_size: 0,
    };
    let Some(span) = layout.pages.get(page - 1) else {
        return Ok((page == 1).then_some(found));
    };
    let first = layout.sizes[span.start].thread_id;
    let last = layout.sizes[span.end - 1].thread_id;
    let budget = display.comments_per_page as i64;
    let rows = db::comments::rows_for_threads(conn, post.id, first, last, budget)?;
    if span.comments > budget {
        found.continued = Some(Continuation { thread_id: last, shown: rows.len() as i64, total: span.comments });
    }
    found.replies = Replies::read(conn, &rows.iter().collect::<Vec<_>>())?;
    found.threads = thread::build(rows, display.nest_depth);
    found.row_hashes = Arc::new(SectionData::hash_rows(&found.threads));
    found.html_size = SectionData::html_size_hint(&found.threads);
    Ok(Some(found))
}

pub struct ThreadPage {
    pub post: Post,
    pub thread_id: i64,
    pub threads: Vec<Node<CommentRow>>,
    pub page: usize,
    pub pages: usize,
    pub total: i64,
    /// The post page on which this thread starts.
    pub post_page: usize,
    pub standing: Standing,
}

/// One page of a single thread, `comments_per_page` comments at a time in tree order.
pub fn thread_page(
    conn: &mut AnyConnection,
    slug: &str,
    thread_id: i64,
    page: usize,
    display: &DisplaySettings,
) -> QueryResult<Option<ThreadPage>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let layout = Layout::read(conn, post.id, display)?;
    let Some(post_page) = paging::page_of_thread(&layout.sizes, &layout.pages, thread_id) else {
        return Ok(None);
    };
    let total = layout.sizes.iter().find(|s| s.thread_id == thread_id).map_or(0, |s| s.comments);
    let per_page = display.comments_per_page.max(1);
    let pages = usize::try_from(total).unwrap_or(0).div_ceil(per_page).max(1);
    if page > pages {
        return Ok(None);
    }
    let rows = db::comments::rows_in_thread(conn, thread_id, ((page - 1) * per_page) as i64, per_page as i64)?;
    let standing = standing::standing_for(conn, &rows.iter().collect::<Vec<_>>(), crate::domain::time::now())?;
    Ok(Some(ThreadPage {
        standing,
        post,
        thread_id,
        threads: thread::build(rows, display.nest_depth),
        page,
        pages,
        total,
        post_page,
    }))
}

/// Where a comment is shown.
#[derive(Debug, PartialEq, Eq)]
pub enum Location {
    PostPage { slug: String, page: usize },
    ThreadPage { slug: String, thread_id: i64, page: usize },
}

pub fn locate_comment(conn: &mut AnyConnection, id: i64, display: &DisplaySettings) -> QueryResult<Option<Location>> {
    let Some(comment) = db::comments::find(conn, id)?.filter(|c| c.is_published()) else {
        return Ok(None);
    };
    let Some(post) = db::posts::find_by_id(conn, comment.post_id)?.filter(|p| p.published) else {
        return Ok(None);
    };
    let layout = Layout::read(conn, post.id, display)?;
    let Some(page) = paging::page_of_thread(&layout.sizes, &layout.pages, comment.thread_id) else {
        return Ok(None);
    };
    let thread_size = layout.sizes.iter().find(|s| s.thread_id == comment.thread_id).map_or(0, |s| s.comments);
    let per_page = display.comments_per_page.max(1) as i64;
    if thread_size > per_page {
        let position = db::comments::position_in_thread(conn, comment.thread_id, &comment.path)?;
        if position >= per_page {
            let thread_page = usize::try_from(position / per_page).unwrap_or(0) + 1;
            return Ok(Some(Location::ThreadPage { slug: post.slug, thread_id: comment.thread_id, page: thread_page }));
        }
    }
    Ok(Some(Location::PostPage { slug: post.slug, page }))
}

/// An official reply and the comment it answers (none for a top-level official comment).
pub struct AnsweredPair {
    pub answered: Option<CommentRow>,
    pub reply: CommentRow,
}

pub struct OfficialReplies {
    pub post: Post,
    pub comment_count: i64,
    pub pairs: Vec<AnsweredPair>,
    pub standing: Standing,
}

/// Most official replies one filtered page shows.
pub const OFFICIAL_REPLIES_LIMIT: i64 = 500;

/// "Official replies only": each official reply with the comment it answers.
pub fn official_replies(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<OfficialReplies>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let comment_count = db::comments::thread_sizes(conn, post.id)?.iter().map(|s| s.comments).sum();
    let replies = db::comments::official_rows(conn, post.id, OFFICIAL_REPLIES_LIMIT)?;
    let parent_ids: Vec<i64> = replies.iter().filter_map(|r| r.parent_id).collect();
    let parents = db::comments::rows_by_ids(conn, &parent_ids)?;
    let pairs: Vec<AnsweredPair> = replies
        .into_iter()
        .map(|reply| {
            let answered = reply.parent_id.and_then(|id| parents.iter().find(|p| p.id == id)).cloned();
            AnsweredPair { answered, reply }
        })
        .collect();
    let shown: Vec<&CommentRow> =
        pairs.iter().flat_map(|p: &AnsweredPair| p.answered.iter().chain(std::iter::once(&p.reply))).collect();
    let standing = standing::standing_for(conn, &shown, crate::domain::time::now())?;
    Ok(Some(OfficialReplies { post, comment_count, pairs, standing }))
}

/// "Awaiting response" or "Answered": a post's comments in that state, flat, paged.
pub struct StateList {
    pub post: Post,
    pub state: ResponseState,
    pub rows: Vec<CommentRow>,
    pub page: usize,
    pub pages: usize,
    pub summary: CommentTotals,
    pub standing: Standing,
}

pub const STATE_LIST_PAGE: usize = 100;

pub fn comments_in_state(
    conn: &mut AnyConnection,
    slug: &str,
    state: ResponseState,
    page: usize,
) -> QueryResult<Option<StateList>> {
    let Some(post) = db::posts::find_published_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let clock = Clock::read(conn, crate::domain::time::now())?;
    let awaiting = db::responses::awaiting_routed(conn, post.id)?;
    let summary = CommentTotals { overdue: clock.overdue(&awaiting), ..standing::state_totals(conn, post.id)? };
    let total = match state {
        ResponseState::Awaiting => summary.awaiting,
        ResponseState::Answered => summary.answered,
        ResponseState::Acknowledged => summary.acknowledged,
        ResponseState::Referred => summary.referred,
        ResponseState::NoResponseNeeded => summary.no_response_needed,
        ResponseState::NoResponseRecorded => summary.no_response_recorded,
    };
    let pages = usize::try_from(total).unwrap_or(0).div_ceil(STATE_LIST_PAGE).max(1);
    if page > pages {
        return Ok(None);
    }
    let offset = ((page - 1) * STATE_LIST_PAGE) as i64;
    let rows = db::comments::rows_in_state(conn, post.id, state, offset, STATE_LIST_PAGE as i64)?;
    let standing = Standing::new(clock, Replies::read(conn, &rows.iter().collect::<Vec<_>>())?);
    Ok(Some(StateList { post, state, rows, page, pages, summary, standing }))
}

/// The slug of the post a held comment waits on (for its author's browser).
pub fn held_comment_post(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<String>> {
    let Some(comment) = db::comments::find(conn, id)?.filter(|c| c.status == CommentStatus::Pending) else {
        return Ok(None);
    };
    Ok(db::posts::find_by_id(conn, comment.post_id)?.filter(|p| p.published).map(|p| p.slug))
}

/// A comment only its author's browser sees until a moderator publishes it.
pub struct HeldComment {
    pub id: i64,
    pub author_name: String,
    pub body_html: SafeHtml,
    pub created_at: chrono::NaiveDateTime,
}

/// Of the comments this browser posted (`ids`), those on the post still held.
pub fn held_comments(conn: &mut AnyConnection, post_id: i64, ids: &[i64]) -> QueryResult<Vec<HeldComment>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db::moderation::held_among(conn, Some(post_id), ids)?
        .into_iter()
        .map(|r| HeldComment { id: r.id, author_name: r.author_name, body_html: r.body_html, created_at: r.created_at })
        .collect())
}
