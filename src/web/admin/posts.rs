//! Posts: the list with quick state changes, and the form to write or change a post,
//! with a preview rendered on the server (no JavaScript needed).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::{see_other, Done};
use crate::db;
use crate::db::posts::Post;
use crate::domain::markdown::{self, SafeHtml};
use crate::domain::post::{PostTitle, Slug};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::posts::{self, PostError};
use crate::views::admin::posts::{self as pages, PostRow};
use crate::web::form::FormData;
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::{html, AppState};

pub async fn index(state: web::Data<AppState>, admin: Admin, query: web::Query<Done>) -> Result<Markup, AppError> {
    let rows = state
        .query(|conn| {
            let all = db::posts::list_all(conn)?;
            let ids: Vec<i64> = all.iter().map(|p| p.id).collect();
            let counts = db::posts::published_comment_counts(conn, &ids)?;
            Ok(all
                .into_iter()
                .map(|post| {
                    let comments = counts.iter().find(|(id, _)| *id == post.id).map_or(0, |(_, n)| *n);
                    PostRow { post, comments }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let notice = pages::notice(query.done.as_deref());
    Ok(pages::index(&rows, notice, admin.viewer.csrf.value(), &admin.viewer.chrome()))
}

/// The form's fields as typed, or as stored when a change starts.
struct Typed {
    title: String,
    slug: String,
    body: String,
    comments_open: bool,
    published: bool,
    /// The email address of the author's account.
    author: String,
}

impl Typed {
    /// A new post, written by `author` (the admin's own address) unless changed.
    fn blank(author: &str) -> Self {
        Self {
            title: String::new(),
            slug: String::new(),
            body: String::new(),
            comments_open: true,
            published: false,
            author: author.to_owned(),
        }
    }

    fn from_stored(stored: &Stored) -> Self {
        let post = &stored.post;
        Self {
            title: post.title.clone(),
            slug: post.slug.clone(),
            body: post.body_md.clone(),
            comments_open: post.comments_open,
            published: post.published,
            author: stored.author_email.clone().unwrap_or_default(),
        }
    }

    fn from_form(form: &FormData) -> Self {
        Self {
            title: form.get("title").to_owned(),
            slug: form.get("slug").trim().to_owned(),
            body: form.get("body").to_owned(),
            comments_open: !form.get("comments_open").is_empty(),
            published: !form.get("published").is_empty(),
            author: form.get("author").trim().to_owned(),
        }
    }

    /// The post as the service takes it, or every problem with what was typed.
    fn parse(&self) -> Result<posts::PostForm<'_>, Vec<FieldError>> {
        let title = PostTitle::parse(&self.title);
        let slug = if self.slug.is_empty() { Ok(None) } else { Slug::parse(&self.slug).map(Some) };
        let body = if self.body.trim().is_empty() {
            Err(FieldError::new("body", "Enter the post's body"))
        } else {
            Ok(self.body.as_str())
        };
        match (title, slug, body) {
            (Ok(title), Ok(slug), Ok(body_md)) => Ok(posts::PostForm {
                title,
                slug,
                body_md,
                comments_open: self.comments_open,
                published: self.published,
                author_email: &self.author,
            }),
            (title, slug, body) => Err([title.err(), slug.err(), body.err()].into_iter().flatten().collect()),
        }
    }
}

/// A post being changed, with the email address of the account its byline names.
struct Stored {
    post: Post,
    author_email: Option<String>,
}

/// Shows the form: `stored` is the post being changed, if any.
fn show(
    admin: &Admin,
    stored: Option<&Stored>,
    typed: &Typed,
    status: StatusCode,
    errors: &[FieldError],
    preview: Option<&SafeHtml>,
) -> HttpResponse {
    let post = stored.map(|s| &s.post);
    let view = pages::PostForm {
        id: post.map(|p| p.id),
        title: &typed.title,
        slug: &typed.slug,
        body: &typed.body,
        comments_open: typed.comments_open,
        published: typed.published,
        author: &typed.author,
        byline: post.map(|p| p.author_name.as_str()),
        live_href: post.filter(|p| p.published).map(|p| format!("/posts/{}", p.slug)),
        preview,
        errors,
        csrf_token: admin.viewer.csrf.value(),
        moderation: post.and_then(|p| p.moderation.as_deref()),
    };
    html(status, pages::form(&view, &admin.viewer.chrome()))
}

async fn find(state: &AppState, id: i64) -> Result<Stored, AppError> {
    state
        .query(move |conn| {
            let Some(post) = db::posts::find_by_id(conn, id)? else { return Ok(None) };
            let author = match post.author_id {
                Some(user) => db::users::find(conn, user)?.map(|u| u.email),
                None => None,
            };
            Ok(Some(Stored { post, author_email: author }))
        })
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new(admin: Admin) -> HttpResponse {
    show(&admin, None, &Typed::blank(&admin.user.email), StatusCode::OK, &[], None)
}

pub async fn edit(state: web::Data<AppState>, admin: Admin, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let stored = find(&state, id.into_inner()).await?;
    Ok(show(&admin, Some(&stored), &Typed::from_stored(&stored), StatusCode::OK, &[], None))
}

pub async fn create(state: web::Data<AppState>, admin: Admin, sent: FormPost) -> Result<HttpResponse, AppError> {
    save(&state, &admin, None, sent).await
}

pub async fn update(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    sent: FormPost,
) -> Result<HttpResponse, AppError> {
    let stored = find(&state, id.into_inner()).await?;
    save(&state, &admin, Some(stored), sent).await
}

/// Previews (action=preview: nothing is saved) or saves a new or changed post.
async fn save(
    state: &AppState,
    admin: &Admin,
    stored: Option<Stored>,
    sent: FormPost,
) -> Result<HttpResponse, AppError> {
    let form = sent.typed();
    let typed = Typed::from_form(form);
    let stored = stored.as_ref();
    let form = match sent.checked() {
        Ok(form) => form,
        Err(r) => {
            let (status, error) = (r.status(), r.error("body"));
            return Ok(show(admin, stored, &typed, status, &[error], None));
        }
    };
    if form.get("action") == "preview" {
        let preview = markdown::render_post(&typed.body);
        return Ok(show(admin, stored, &typed, StatusCode::OK, &[], Some(&preview)));
    }
    let post = match typed.parse() {
        Ok(post) => post,
        Err(errors) => return Ok(show(admin, stored, &typed, StatusCode::UNPROCESSABLE_ENTITY, &errors, None)),
    };
    let (id, author, actor) = (stored.map(|s| s.post.id), admin.user.name.clone(), Some(admin.user.id));
    let (title, slug, body) = (post.title, post.slug, post.body_md.to_owned());
    let (comments_open, published, author_email) = (post.comments_open, post.published, post.author_email.to_owned());
    let outcome = state
        .run(move |conn| {
            let post =
                posts::PostForm { title, slug, body_md: &body, comments_open, published, author_email: &author_email };
            match id {
                Some(id) => posts::update_post(conn, id, &post, actor),
                None => posts::create_from_form(conn, &post, &author, actor),
            }
        })
        .await?;
    let error = match outcome {
        Ok(_) => {
            return Ok(see_other(if id.is_some() { "/admin/posts?done=saved" } else { "/admin/posts?done=created" }))
        }
        Err(PostError::SlugTaken(slug)) => FieldError::new(
            "slug",
            format!("Another post already has the address /posts/{slug}. Enter a different slug."),
        ),
        Err(PostError::EmptyBody) => FieldError::new("body", "Enter the post's body"),
        Err(PostError::NoSuchAuthor(email)) => FieldError::new(
            "author",
            format!("No account has the email address {email}. Enter the address of the author's account."),
        ),
        Err(PostError::NotFound) => return Err(AppError::NotFound),
        Err(PostError::Database(e)) => return Err(e.into()),
    };
    Ok(show(admin, stored, &typed, StatusCode::UNPROCESSABLE_ENTITY, &[error], None))
}

/// The one-button changes from the list.
#[derive(Clone, Copy)]
enum Change {
    Publish,
    Unpublish,
    OpenComments,
    CloseComments,
}

async fn change(
    state: &AppState,
    admin: &Admin,
    id: i64,
    sent: FormPost,
    change: Change,
) -> Result<HttpResponse, AppError> {
    sent.checked()?;
    let actor = Some(admin.user.id);
    let found = state
        .query(move |conn| match change {
            Change::Publish => posts::set_published(conn, actor, id, true),
            Change::Unpublish => posts::set_published(conn, actor, id, false),
            Change::OpenComments => posts::set_comments_open(conn, actor, id, true),
            Change::CloseComments => posts::set_comments_open(conn, actor, id, false),
        })
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    let done = match change {
        Change::Publish => "published",
        Change::Unpublish => "unpublished",
        Change::OpenComments => "opened",
        Change::CloseComments => "closed",
    };
    Ok(see_other(&format!("/admin/posts?done={done}")))
}

pub async fn publish(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    sent: FormPost,
) -> Result<HttpResponse, AppError> {
    change(&state, &admin, id.into_inner(), sent, Change::Publish).await
}

pub async fn unpublish(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    sent: FormPost,
) -> Result<HttpResponse, AppError> {
    change(&state, &admin, id.into_inner(), sent, Change::Unpublish).await
}

pub async fn open_comments(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    sent: FormPost,
) -> Result<HttpResponse, AppError> {
    change(&state, &admin, id.into_inner(), sent, Change::OpenComments).await
}

pub async fn close_comments(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    sent: FormPost,
) -> Result<HttpResponse, AppError> {
    change(&state, &admin, id.into_inner(), sent, Change::CloseComments).await
}

/// Sets the post's own pre-moderation mode, or back to the site's.
pub async fn set_moderation(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    sent: FormPost,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = sent.checked()?;
    let chosen = form.get("moderation").trim();
    let mode = match chosen {
        "" => None,
        raw => Some(crate::domain::moderation::Premoderation::parse(raw).ok_or(AppError::NotFound)?),
    };
    let actor = Some(admin.user.id);
    if !state.query(move |conn| posts::set_moderation(conn, actor, id, mode)).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/admin/posts?done=moderation"))
}
