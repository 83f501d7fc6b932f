//! What a comment form needs from the database, for the reply page and for a form
//! shown again: the post, the comment replied to, and an official's short list.

use super::session::Viewer;
use super::AppState;
use crate::db::comments::CommentRow;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};
use crate::domain::answering::Context;
use crate::error::AppError;
use crate::read::comment_responses::{choices_for_official, AnswerChoices};
use crate::views::comment_form::FormAuthor;

/// What a comment form needs from the database: the post, the comment replied to
/// (published, on this post), and for an official the comments a reply may also answer.
pub(super) struct FormContext {
    pub post: Post,
    /// The notice of a freeze in force (then `post.comments_open` is false).
    pub freeze: Option<String>,
    pub parent: Option<CommentRow>,
    pub answerable: AnswerChoices,
}

/// For an official: the search typed into "Find other comments" and the comments
/// ticked already (or selected in the triage queue).
#[derive(Default)]
pub(super) struct AnswerQuery {
    pub search: String,
    pub chosen: Vec<i64>,
}

fn form_context(
    conn: &mut AnyConnection,
    slug: &str,
    parent_id: Option<i64>,
    official: Option<i64>,
    query: &AnswerQuery,
) -> diesel::QueryResult<Option<FormContext>> {
    let Some((post, freeze)) = crate::services::freezes::published_post(conn, slug)? else { return Ok(None) };
    let parent = match parent_id {
        Some(id) => db::comments::find(conn, id)?
            .filter(|c| c.post_id == post.id && c.is_published())
            .map(|c| db::comments::find_row(conn, c.id))
            .transpose()?
            .flatten(),
        None => None,
    };
    let context = Context {
        replying_to: parent.as_ref().map(|p| p.id),
        thread_id: parent.as_ref().map(|p| p.thread_id),
        search: &query.search,
        chosen: &query.chosen,
        ..Context::default()
    };
    let answerable = choices_for_official(conn, official, post.id, context)?;
    Ok(Some(FormContext { post, freeze, parent, answerable }))
}

pub(super) async fn load_context(
    state: &AppState,
    slug: String,
    parent_id: Option<i64>,
    viewer: &Viewer,
    query: AnswerQuery,
) -> Result<FormContext, AppError> {
    let official = viewer.user.as_ref().filter(|u| !u.official_roles.is_empty()).map(|u| u.id);
    state.query(move |conn| form_context(conn, &slug, parent_id, official, &query)).await?.ok_or(AppError::NotFound)
}

pub(super) fn author<'a>(viewer: &'a Viewer, context: &'a FormContext) -> FormAuthor<'a> {
    match &viewer.user {
        Some(user) => FormAuthor::Member {
            name: &user.name,
            official_roles: &user.official_roles,
            answerable: &context.answerable,
        },
        None => FormAuthor::Guest,
    }
}
