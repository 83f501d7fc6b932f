use diesel::prelude::*;

use crate::db::{self, AnyConnection};
use crate::domain::markdown;
use crate::domain::moderation::Premoderation;
use crate::domain::post::{PostTitle, Slug};
use crate::domain::time;
use crate::services::audit::{self, Entry};

/// A post as the audit log shows it before and after a change.
fn described(post: &db::posts::Post) -> String {
    format!(
        "title: {}\nslug: {}\nauthor: {}\npublished: {}\ncomments: {}\nbody:\n{}",
        post.title,
        post.slug,
        post.author_name,
        if post.published { "yes" } else { "no (draft)" },
        if post.comments_open { "open" } else { "closed" },
        post.body_md
    )
}

fn audited(
    conn: &mut AnyConnection,
    actor: Option<i64>,
    action: &str,
    post: &db::posts::Post,
    before: Option<&str>,
    after: Option<&str>,
) -> QueryResult<()> {
    let entry = Entry {
        action,
        target_type: "post",
        target_id: Some(post.id),
        target_label: &post.title,
        before,
        after,
        reason: None,
    };
    audit::record(conn, actor, &entry)
}

pub struct CreatePost<'a> {
    pub title: PostTitle,
    pub slug: Option<Slug>,
    pub body_md: &'a str,
    pub author_name: &'a str,
    pub comments_open: bool,
    pub published_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreatePostError {
    #[error("a post with the slug `{0}` already exists; choose another with --slug")]
    SlugTaken(String),
    #[error("the post body is empty")]
    EmptyBody,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Creates a published post; its body is rendered to sanitised HTML now, once.
pub fn create_post(conn: &mut AnyConnection, new: CreatePost) -> Result<db::posts::Post, CreatePostError> {
    insert_post(conn, new, true)
}

/// Creates a post, published or kept as a draft.
fn insert_post(conn: &mut AnyConnection, new: CreatePost, published: bool) -> Result<db::posts::Post, CreatePostError> {
    if new.body_md.trim().is_empty() {
        return Err(CreatePostError::EmptyBody);
    }
    let slug = new.slug.unwrap_or_else(|| Slug::from_title(&new.title));
    db::transaction(conn, |conn| {
        if db::posts::slug_taken(conn, slug.as_str())? {
            return Err(CreatePostError::SlugTaken(slug.as_str().to_owned()));
        }
        let now = time::now();
        let html = markdown::render_post(new.body_md);
        let excerpt = markdown::excerpt(new.body_md, 240);
        let id = db::posts::insert(
            conn,
            &db::posts::NewPost {
                slug: slug.as_str(),
                title: new.title.as_str(),
                body_md: new.body_md,
                body_html: &html,
                excerpt: &excerpt,
                author_name: new.author_name,
                published,
                comments_open: new.comments_open,
                published_at: new.published_at.unwrap_or(now),
                created_at: now,
                updated_at: now,
            },
        )?;
        db::posts::find_by_id(conn, id)?.ok_or(CreatePostError::Database(diesel::result::Error::NotFound))
    })
}

/// A post as an admin writes it in the web form.
pub struct PostForm<'a> {
    pub title: PostTitle,
    /// Made from the title when not given.
    pub slug: Option<Slug>,
    pub body_md: &'a str,
    pub comments_open: bool,
    pub published: bool,
    /// The email address of the account the byline names; blank names whoever writes
    /// a new post, and keeps the byline of a post being changed.
    pub author_email: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("no account has the email address {0}")]
    NoSuchAuthor(String),
    #[error("another post already has the slug `{0}`")]
    SlugTaken(String),
    #[error("the post body is empty")]
    EmptyBody,
    #[error("no such post")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl From<CreatePostError> for PostError {
    fn from(e: CreatePostError) -> Self {
        match e {
            CreatePostError::SlugTaken(slug) => Self::SlugTaken(slug),
            CreatePostError::EmptyBody => Self::EmptyBody,
            CreatePostError::Database(e) => Self::Database(e),
        }
    }
}

/// The account a post's byline names, chosen by its email address; `None` when none
/// was typed.
fn chosen_author(conn: &mut AnyConnection, email: &str) -> Result<Option<db::users::User>, PostError> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(None);
    }
    match db::users::find_by_email(conn, email)? {
        Some(user) => Ok(Some(user)),
        None => Err(PostError::NoSuchAuthor(email.to_owned())),
    }
}

/// Creates a post from the admin form, published now or kept as a draft. Its byline
/// names the account chosen in the form, or else the one writing it (`actor`, whose
/// name is `author_name`).
pub fn create_from_form(
    conn: &mut AnyConnection,
    form: &PostForm,
    author_name: &str,
    actor: Option<i64>,
) -> Result<db::posts::Post, PostError> {
    crate::db::transaction(conn, |conn| {
        let (author_id, name) = match chosen_author(conn, form.author_email)? {
            Some(user) => (Some(user.id), user.name),
            None => (actor, author_name.to_owned()),
        };
        let new = CreatePost {
            title: form.title.clone(),
            slug: form.slug.clone(),
            body_md: form.body_md,
            author_name: &name,
            comments_open: form.comments_open,
            published_at: None,
        };
        let mut post = insert_post(conn, new, form.published)?;
        if let Some(author_id) = author_id {
            db::posts::set_author(conn, post.id, author_id, &name, post.updated_at)?;
            post.author_id = Some(author_id);
        }
        audited(conn, actor, "post.create", &post, None, Some(&described(&post)))?;
        Ok(post)
    })
}

/// Changes a post's title, slug and body (rendered again, once, here) and its states.
pub fn update_post(
    conn: &mut AnyConnection,
    id: i64,
    form: &PostForm,
    actor: Option<i64>,
) -> Result<db::posts::Post, PostError> {
    if form.body_md.trim().is_empty() {
        return Err(PostError::EmptyBody);
    }
    let slug = form.slug.clone().unwrap_or_else(|| Slug::from_title(&form.title));
    db::transaction(conn, |conn| {
        let post = db::posts::find_by_id(conn, id)?.ok_or(PostError::NotFound)?;
        if db::posts::slug_taken_by_other(conn, slug.as_str(), id)? {
            return Err(PostError::SlugTaken(slug.as_str().to_owned()));
        }
        let now = time::now();
        let html = markdown::render_post(form.body_md);
        let excerpt = markdown::excerpt(form.body_md, 240);
        db::posts::update_content(
            conn,
            id,
            &db::posts::PostContent {
                slug: slug.as_str(),
                title: form.title.as_str(),
                body_md: form.body_md,
                body_html: &html,
                excerpt: &excerpt,
                updated_at: now,
            },
        )?;
        if post.slug != slug.as_str() {
            // Cached comment sections link to the post by its slug.
            db::posts::bump_comments_version(conn, id)?;
        }
        if let Some(author) = chosen_author(conn, form.author_email)? {
            if post.author_id != Some(author.id) || post.author_name != author.name {
                db::posts::set_author(conn, id, author.id, &author.name, now)?;
            }
        }
        change_published(conn, &post, form.published, now)?;
        change_comments_open(conn, &post, form.comments_open, now)?;
        let updated = db::posts::find_by_id(conn, id)?.ok_or(PostError::NotFound)?;
        let (before, after) = (described(&post), described(&updated));
        if before != after {
            audited(conn, actor, "post.edit", &updated, Some(&before), Some(&after))?;
        }
        Ok(updated)
    })
}

/// A draft made public shows the time it went public. A post with comments has been
/// public before (comments need a published post), so it keeps its date; hiding a
/// post never changes it.
fn change_published(
    conn: &mut AnyConnection,
    post: &db::posts::Post,
    published: bool,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    if post.published == published {
        return Ok(());
    }
    db::posts::set_published(conn, post.id, published, now)?;
    if published && db::posts::published_comment_counts(conn, &[post.id])?.is_empty() {
        db::posts::set_published_at(conn, post.id, now)?;
    }
    Ok(())
}

fn change_comments_open(
    conn: &mut AnyConnection,
    post: &db::posts::Post,
    open: bool,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    if post.comments_open == open {
        return Ok(());
    }
    db::posts::set_comments_open(conn, post.id, open, now)?;
    db::posts::bump_comments_version(conn, post.id)?;
    Ok(())
}

/// Publishes or unpublishes a post; `false` when there is no such post.
pub fn set_published(conn: &mut AnyConnection, actor: Option<i64>, id: i64, published: bool) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let Some(post) = db::posts::find_by_id(conn, id)? else {
            return Ok(false);
        };
        if post.published != published {
            change_published(conn, &post, published, time::now())?;
            let (action, before, after) = if published {
                ("post.publish", "draft", "published")
            } else {
                ("post.unpublish", "published", "draft")
            };
            audited(conn, actor, action, &post, Some(before), Some(after))?;
        }
        Ok(true)
    })
}

/// Opens or closes a post to new comments; `false` when there is no such post.
pub fn set_comments_open(conn: &mut AnyConnection, actor: Option<i64>, id: i64, open: bool) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let Some(post) = db::posts::find_by_id(conn, id)? else {
            return Ok(false);
        };
        if post.comments_open != open {
            change_comments_open(conn, &post, open, time::now())?;
            let (action, before, after) =
                if open { ("post.open_comments", "closed", "open") } else { ("post.close_comments", "open", "closed") };
            audited(conn, actor, action, &post, Some(before), Some(after))?;
        }
        Ok(true)
    })
}

/// Sets a post's own pre-moderation mode (`None`: follow the site setting).
pub fn set_moderation(
    conn: &mut AnyConnection,
    actor: Option<i64>,
    id: i64,
    mode: Option<Premoderation>,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let Some(post) = db::posts::find_by_id(conn, id)? else {
            return Ok(false);
        };
        let new = mode.map(Premoderation::as_str);
        if post.moderation.as_deref() != new {
            db::posts::set_moderation(conn, id, new)?;
            let before = post.moderation.as_deref().unwrap_or("site setting");
            audited(conn, actor, "post.moderation", &post, Some(before), Some(new.unwrap_or("site setting")))?;
        }
        Ok(true)
    })
}
