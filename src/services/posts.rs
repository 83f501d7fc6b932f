use diesel::prelude::*;

use crate::db::{self, AnyConnection};
use crate::domain::markdown;
use crate::domain::post::{PostTitle, Slug};
use crate::domain::time;

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
    if new.body_md.trim().is_empty() {
        return Err(CreatePostError::EmptyBody);
    }
    let slug = new.slug.unwrap_or_else(|| Slug::from_title(&new.title));
    conn.transaction(|conn| {
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
                body_html: html.as_str(),
                excerpt: &excerpt,
                author_name: new.author_name,
                published: true,
                comments_open: new.comments_open,
                published_at: new.published_at.unwrap_or(now),
                created_at: now,
                updated_at: now,
            },
        )?;
        db::posts::find_by_id(conn, id)?.ok_or(CreatePostError::Database(diesel::result::Error::NotFound))
    })
}
