//! The page of one comment's responses: where it stands, its history, and what the
//! person looking may do about it.

use diesel::QueryResult;

use super::actor::{self, Actor};
use super::standing::{self, Standing};
use crate::db::comments::{Comment, CommentRow};
use crate::db::departments::Department;
use crate::db::officials::OfficialListing;
use crate::db::posts::Post;
use crate::db::responses::Event;
use crate::db::{self, AnyConnection};
use crate::domain::answering::{self, Context, OpenComment, Why};
use crate::domain::{markdown, time};

pub struct ResponsesPage {
    pub post: Post,
    pub comment: Comment,
    pub row: CommentRow,
    pub events: Vec<Event>,
    pub standing: Standing,
    pub departments: Vec<Department>,
    /// Officials who could be assigned: those of the department it is routed to.
    pub assignable: Vec<OfficialListing>,
    pub assigned_name: Option<String>,
    /// For an official reply: the post's comments it could also answer, shortlisted.
    pub answerable: AnswerChoices,
    pub actor: Option<Actor>,
}

impl ResponsesPage {
    pub fn department(&self, id: Option<i64>) -> Option<&Department> {
        id.and_then(|id| self.departments.iter().find(|d| d.id == id))
    }

    /// The viewer may change this comment's state (and assign it).
    pub fn can_respond(&self) -> bool {
        !self.comment.is_official_reply()
            && self.actor.as_ref().is_some_and(|a| a.authority.can_respond_to(self.comment.department_id))
    }

    pub fn can_moderate(&self) -> bool {
        self.actor.as_ref().is_some_and(|a| a.authority.moderator)
    }

    /// The viewer wrote this official reply, or moderates: may link it to more comments.
    pub fn can_link_answers(&self) -> bool {
        self.comment.official_role_id.is_some()
            && self.actor.as_ref().is_some_and(|a| a.authority.moderator || self.comment.user_id == Some(a.user_id))
    }
}

/// Most open comments of a post read to choose the short list from.
const OPEN_READ_LIMIT: i64 = 5_000;

/// A comment an official reply may also answer, as the form lists it.
#[derive(Debug, Clone)]
pub struct AnswerChoice {
    pub id: i64,
    pub author: String,
    pub excerpt: String,
    pub why: Why,
}

/// The short list of comments offered to an official reply (see `domain::answering`).
#[derive(Debug, Clone, Default)]
pub struct AnswerChoices {
    pub items: Vec<AnswerChoice>,
    /// Comments that would qualify but are not listed: search to find them.
    pub more: usize,
    /// The search typed, kept.
    pub search: String,
}

/// The comments on `post_id` an official reply may also answer, shortlisted for
/// `context`.
pub fn answer_choices(conn: &mut AnyConnection, post_id: i64, context: &Context) -> QueryResult<AnswerChoices> {
    let open: Vec<OpenComment> = db::responses::open_to_answer(conn, post_id, OPEN_READ_LIMIT)?
        .into_iter()
        .map(|(id, author, body, thread_id, department_id)| OpenComment { id, author, body, thread_id, department_id })
        .collect();
    let list = answering::shortlist(&open, context);
    let items = list
        .items
        .into_iter()
        .filter_map(|(i, why)| open.get(i).map(|c| (c, why)))
        .map(|(c, why)| AnswerChoice {
            id: c.id,
            author: c.author.clone(),
            excerpt: markdown::excerpt(&c.body, 160),
            why,
        })
        .collect();
    Ok(AnswerChoices { items, more: list.more, search: context.search.trim().to_owned() })
}

/// The departments `user_id` speaks for as an official.
fn official_departments(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<i64>> {
    Ok(actor::actor(conn, user_id)?.map(|a| a.authority.official_departments).unwrap_or_default())
}

/// The short list a comment form offers `official` (none for anyone else): `context`
/// with the departments they answer for.
pub fn choices_for_official(
    conn: &mut AnyConnection,
    official: Option<i64>,
    post_id: i64,
    context: Context,
) -> QueryResult<AnswerChoices> {
    let Some(user_id) = official else { return Ok(AnswerChoices::default()) };
    let departments = official_departments(conn, user_id)?;
    answer_choices(conn, post_id, &Context { departments: &departments, ..context })
}

pub fn responses_page(
    conn: &mut AnyConnection,
    comment_id: i64,
    viewer: Option<i64>,
) -> QueryResult<Option<ResponsesPage>> {
    let Some(comment) = db::comments::find(conn, comment_id)?.filter(Comment::is_published) else {
        return Ok(None);
    };
    let Some(post) = db::posts::find_by_id(conn, comment.post_id)?.filter(|p| p.published) else {
        return Ok(None);
    };
    let Some(row) = db::comments::find_row(conn, comment.id)? else {
        return Ok(None);
    };
    let events = db::responses::events_for(conn, comment.id)?;
    let standing = standing::standing_for(conn, &[&row], time::now())?;
    let departments = db::departments::list(conn)?;
    let assignable = match comment.department_id {
        Some(department) => db::officials::all_listings(conn)?
            .into_iter()
            .filter(|o| o.department_id == department && o.revoked_at.is_none())
            .collect(),
        None => Vec::new(),
    };
    let assigned_name = match comment.assigned_to {
        Some(id) => db::users::find(conn, id)?.map(|u| u.name),
        None => None,
    };
    let actor = match viewer {
        Some(user_id) => actor::actor(conn, user_id)?,
        None => None,
    };
    let answerable = match (comment.official_role_id, comment.user_id) {
        (Some(_), Some(author)) => {
            let departments = official_departments(conn, author)?;
            let thread_id = Some(comment.thread_id);
            let context =
                Context { replying_to: comment.parent_id, thread_id, departments: &departments, ..Context::default() };
            answer_choices(conn, post.id, &context)?
        }
        _ => AnswerChoices::default(),
    };
    Ok(Some(ResponsesPage {
        post,
        comment,
        row,
        events,
        standing,
        departments,
        assignable,
        assigned_name,
        answerable,
        actor,
    }))
}
