//! `answerable import wxr`: a WordPress export comes in as posts and comment threads,
//! in one transaction (a bad file leaves nothing behind), remembering each original id
//! so a second import of the same file adds nothing. Replies signed by a known official
//! come in as official replies, and what they answer as answered, on the original dates.

mod comment;
pub mod content;
mod lines;
pub mod officials;
mod report;
pub mod wxr;

use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::imports::{self, TreePlace, KIND_POST};
use crate::db::{self, AnyConnection};
use crate::domain::post::{PostTitle, Slug, TITLE_MAX};
use crate::domain::signature::{self, DepartmentName, KnownOfficial, Titles};
use crate::domain::time;
use crate::services::history;
use officials::{CsvOfficial, OfficialsError, Recognisable};
pub use report::{ImportSummary, MatchReport, ProbableReport};
use wxr::{Entry, WxrComment, WxrError, WxrPost, WxrReader};

pub struct ImportOptions {
    pub dry_run: bool,
    /// People from `--officials FILE.csv`, recognised besides the site's officials.
    pub officials: Vec<CsvOfficial>,
    /// How titles may be abbreviated in signatures.
    pub titles: Titles,
    /// Comments published before this that nobody answered are closed as "no response
    /// recorded (imported history)".
    pub history_before: Option<NaiveDateTime>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Wxr(#[from] WxrError),
    #[error(transparent)]
    Officials(#[from] OfficialsError),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    /// Not an error: how a dry run undoes its writes.
    #[error("dry run")]
    DryRun(Box<ImportSummary>),
}

/// Imports a WXR export read from `input`. Everything or nothing is written; with
/// `dry_run`, nothing, but the summary says what would have been.
pub fn import_wxr(
    conn: &mut AnyConnection,
    input: impl BufRead,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    imports::allow_large_transaction(conn)?;
    let result = db::transaction(conn, |conn| {
        // Take the write lock now (SQLite), so no other writer can slip in halfway.
        diesel::sql_query("DELETE FROM import_ids WHERE 1 = 0").execute(conn)?;
        let mut importer = Importer::new(conn, &options.officials, options.titles.clone())?;
        let mut reader = WxrReader::new(input);
        while let Some(entry) = reader.next_entry()? {
            importer.entry(conn, entry)?;
        }
        let mut summary = importer.finish(conn, options.history_before)?;
        summary.dry_run = options.dry_run;
        if options.dry_run {
            return Err(ImportError::DryRun(Box::new(summary)));
        }
        Ok(summary)
    });
    match result {
        Err(ImportError::DryRun(summary)) => Ok(*summary),
        other => other,
    }
}

/// The post whose comments are being read.
struct CurrentPost {
    /// `None` when the post was left out (its comments are too).
    local_id: Option<i64>,
    title: String,
    /// Password-protected on WordPress: its comments are held, not published.
    protected: bool,
}

/// A comment kept in this import, as its replies need it.
#[derive(Clone)]
struct Placed {
    place: TreePlace,
    published: bool,
}

struct Importer {
    officials: Vec<Recognisable>,
    known: Vec<KnownOfficial>,
    titles: Titles,
    /// (department id, its names) for routing suggestions.
    departments: Vec<(i64, Vec<String>)>,
    /// The same departments as signatures may name them, and (id, name, acronym) for a
    /// badge, in the same order.
    department_names: Vec<DepartmentName>,
    department_badges: Vec<(i64, String, String)>,
    /// Posts whose `[gallery]` waits for the attachments later in the file:
    /// (our id, WordPress id, content).
    galleries: Vec<(i64, i64, String)>,
    /// Attachment URLs by the WordPress id of the post they are attached to.
    attachments: HashMap<i64, Vec<(i64, String)>>,
    authors: HashMap<String, String>,
    source: String,
    post: Option<CurrentPost>,
    /// The current post's comments by WordPress id; parents are always on the same post.
    placed: HashMap<i64, Placed>,
    /// Comments left out, with their parents, so their replies attach further up.
    left_out: HashMap<i64, i64>,
    /// Replies read before their parent, by the parent's WordPress id.
    waiting: HashMap<i64, Vec<WxrComment>>,
    touched: BTreeSet<i64>,
    ids: imports::CommentIds,
    /// After how many new comments the indexes the import does not read are dropped,
    /// how many it has added, and the dropped ones (built again at the end).
    suspend_after: i64,
    added: i64,
    suspended: Option<imports::SuspendedIndexes>,
    summary: ImportSummary,
    now: NaiveDateTime,
}

impl Importer {
    fn new(conn: &mut AnyConnection, csv: &[CsvOfficial], titles: Titles) -> Result<Self, ImportError> {
        let officials = officials::recognisable(conn, csv)?;
        let known = officials.iter().map(|o| o.known.clone()).collect();
        let detailed = db::departments::list_detailed(conn)?;
        let department_badges = detailed
            .iter()
            .map(|d| (d.department.id, d.department.name.clone(), d.department.acronym.clone()))
            .collect();
        let departments: Vec<(i64, Vec<String>)> = detailed
            .into_iter()
            .map(|d| {
                let names = [d.department.name.clone(), d.department.acronym.clone()].into_iter().chain(d.aliases);
                (d.department.id, names.collect())
            })
            .collect();
        let department_names =
            departments.iter().map(|(id, names)| DepartmentName { id: *id, names: names.clone() }).collect();
        Ok(Self {
            officials,
            known,
            titles,
            departments,
            department_names,
            department_badges,
            galleries: Vec::new(),
            attachments: HashMap::new(),
            authors: HashMap::new(),
            source: String::new(),
            post: None,
            placed: HashMap::new(),
            left_out: HashMap::new(),
            waiting: HashMap::new(),
            touched: BTreeSet::new(),
            ids: imports::CommentIds::default(),
            suspend_after: (imports::comment_count(conn)? / 3).max(2_000),
            added: 0,
            suspended: None,
            summary: ImportSummary::default(),
            now: time::now(),
        })
    }

    fn entry(&mut self, conn: &mut AnyConnection, entry: Entry) -> Result<(), ImportError> {
        match entry {
            Entry::Site(site) => {
                self.source = site.trim_end_matches('/').to_owned();
                self.summary.source = self.source.clone();
            }
            Entry::Author { login, display_name } => {
                if !display_name.is_empty() {
                    self.authors.insert(login, display_name);
                }
            }
            Entry::Post(post) => {
                self.end_post(conn)?;
                self.start_post(conn, &post)?;
            }
            Entry::Comment(comment) => self.comment(conn, comment)?,
        }
        Ok(())
    }

    fn finish(
        mut self,
        conn: &mut AnyConnection,
        history_before: Option<NaiveDateTime>,
    ) -> Result<ImportSummary, ImportError> {
        self.end_post(conn)?;
        self.fill_galleries(conn)?;
        if let Some(suspended) = self.suspended.take() {
            imports::restore_comment_indexes(conn, suspended)?;
        }
        if let Some(before) = history_before {
            let posts: Vec<i64> = self.touched.iter().copied().collect();
            let actor = format!("import (--history-before {})", before.format("%Y-%m-%d"));
            self.summary.history_closed = history::close(conn, before, Some(&posts), None, &actor)?;
            self.summary.history_before = Some(before);
        }
        for &post_id in &self.touched {
            imports::recount_replies(conn, post_id)?;
            db::posts::bump_comments_version(conn, post_id)?;
        }
        Ok(self.summary)
    }

    /// Counts a new comment; once the import has added a good share of what the site
    /// had, the indexes it does not read are dropped until the end.
    fn added_one(&mut self, conn: &mut AnyConnection) -> Result<(), ImportError> {
        self.added += 1;
        if self.added == self.suspend_after && self.suspended.is_none() {
            self.suspended = Some(imports::suspend_comment_indexes(conn)?);
        }
        Ok(())
    }

    /// Replies whose parent never came are kept at the top level of their post.
    fn end_post(&mut self, conn: &mut AnyConnection) -> Result<(), ImportError> {
        let mut orphans: Vec<WxrComment> = self.waiting.drain().flat_map(|(_, c)| c).collect();
        orphans.sort_by_key(|c| c.wp_id);
        for mut orphan in orphans {
            self.summary.skip("replies to a comment missing from the file (kept, at the top level)");
            orphan.parent_wp_id = 0;
            self.comment(conn, orphan)?;
        }
        self.placed.clear();
        self.left_out.clear();
        Ok(())
    }

    fn start_post(&mut self, conn: &mut AnyConnection, post: &WxrPost) -> Result<(), ImportError> {
        let title = post_title(post);
        if post.post_type == "attachment" && !post.attachment_url.is_empty() {
            self.attachments.entry(post.parent_wp_id).or_default().push((post.wp_id, post.attachment_url.clone()));
        }
        let published = match (post.post_type.as_str(), post.status.as_str()) {
            ("post", "publish") => true,
            ("post", "draft" | "pending" | "private" | "future") => false,
            ("post", status) => {
                self.summary.skip(format!("posts with status `{status}`"));
                self.post = Some(CurrentPost { local_id: None, title, protected: false });
                return Ok(());
            }
            (kind, _) => {
                self.summary.skip(format!("items of type `{kind}` (only posts are imported)"));
                self.post = Some(CurrentPost { local_id: None, title, protected: false });
                return Ok(());
            }
        };
        // What only a password opened on WordPress is never made public here: the post
        // is kept as a draft, and its comments are held for a moderator.
        let protected = post.password_protected;
        let published = published && !protected;
        if let Some(id) = imports::local_id(conn, &self.source, KIND_POST, post.wp_id)? {
            self.summary.posts_already += 1;
            let exists = db::posts::find_by_id(conn, id)?.is_some();
            self.post = Some(CurrentPost { local_id: exists.then_some(id), title, protected });
            return Ok(());
        }
        let slug = free_slug(conn, post, &title)?;
        let rendered = content::render_post(&post.content, &content::Attachments::default());
        for name in &rendered.unknown_shortcodes {
            *self.summary.unknown_shortcodes.entry(name.clone()).or_default() += 1;
        }
        let author = self.authors.get(&post.creator).cloned().unwrap_or_else(|| post.creator.clone());
        let author = if author.trim().is_empty() { "The blog team".to_owned() } else { author };
        let at = post.date.unwrap_or(self.now);
        let id = db::posts::insert(
            conn,
            &db::posts::NewPost {
                slug: &slug,
                title: &title,
                body_md: &post.content,
                body_html: &rendered.html,
                // WordPress posts are HTML: the excerpt is made from their text (up to
                // `<!--more-->` when there is one).
                excerpt: &rendered.excerpt,
                author_name: &author,
                published,
                comments_open: post.comments_open,
                published_at: at,
                created_at: at,
                updated_at: self.now,
            },
        )?;
        imports::remember(conn, &self.source, KIND_POST, post.wp_id, id)?;
        if rendered.has_gallery {
            self.galleries.push((id, post.wp_id, post.content.clone()));
        }
        for category in &post.categories {
            imports::add_category(conn, id, category)?;
        }
        if published {
            self.summary.posts += 1;
        } else {
            self.summary.drafts += 1;
        }
        if protected {
            self.summary.protected_posts += 1;
        }
        self.post = Some(CurrentPost { local_id: Some(id), title, protected });
        Ok(())
    }

    /// Galleries list their images by address once every attachment in the file is known.
    fn fill_galleries(&mut self, conn: &mut AnyConnection) -> Result<(), ImportError> {
        if self.galleries.is_empty() {
            return Ok(());
        }
        let galleries = std::mem::take(&mut self.galleries);
        let by_id: HashMap<i64, &str> =
            self.attachments.values().flatten().map(|(id, url)| (*id, url.as_str())).collect();
        for (id, wp_id, content) in galleries {
            let own = self.attachments.get(&wp_id).map(|a| a.iter().map(|(_, u)| u.as_str()).collect());
            let files = content::Attachments { by_id: by_id.clone(), own: own.unwrap_or_default() };
            imports::set_post_html(conn, id, &content::render_post(&content, &files).html)?;
        }
        Ok(())
    }

    fn suggest_department(&self, text: &str) -> Option<i64> {
        let names: Vec<crate::domain::routing::DepartmentNames> = self
            .departments
            .iter()
            .map(|(id, names)| crate::domain::routing::DepartmentNames {
                id: *id,
                names: names.iter().map(String::as_str).collect(),
            })
            .collect();
        crate::domain::routing::suggest(text, &names)
    }
}

/// The title as WordPress stored it (entities decoded), or "Untitled post N".
fn post_title(post: &WxrPost) -> String {
    let title = signature::plain_lines(&post.title).join(" ");
    let title: String = title.chars().take(TITLE_MAX).collect();
    match PostTitle::parse(&title) {
        Ok(t) => t.as_str().to_owned(),
        Err(_) => format!("Untitled post {}", post.wp_id),
    }
}

/// The post's own slug when it is a valid one, else one made from its title; with
/// "-2", "-3", ... when another post has it.
fn free_slug(conn: &mut AnyConnection, post: &WxrPost, title: &str) -> QueryResult<String> {
    let base = match Slug::parse(&post.slug) {
        Ok(slug) => slug.as_str().to_owned(),
        Err(_) => match PostTitle::parse(title) {
            Ok(t) => Slug::from_title(&t).as_str().to_owned(),
            Err(_) => format!("post-{}", post.wp_id),
        },
    };
    let mut slug = base.clone();
    let mut n = 1;
    while db::posts::slug_taken(conn, &slug)? {
        n += 1;
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}
