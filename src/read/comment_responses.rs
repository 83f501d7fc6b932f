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
use crate::domain::response::ResponseState;
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
    /// For an official reply: the post's comments it could also answer, as
    /// (id, author, first words).
    pub answerable: Vec<(i64, String, String)>,
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

/// Most comments offered as "also answers" on one page.
const ANSWERABLE_LIMIT: i64 = 300;

/// Comments on a post an official reply could also answer (still awaiting,
/// acknowledged or referred), as (id, author, first words), oldest first.
pub fn answerable_comments(conn: &mut AnyConnection, post_id: i64) -> QueryResult<Vec<(i64, String, String)>> {
    let open = [ResponseState::Awaiting, ResponseState::Acknowledged, ResponseState::Referred];
    Ok(db::responses::open_comments(conn, post_id, &open, ANSWERABLE_LIMIT)?
        .into_iter()
        .map(|(id, author, body)| (id, author, markdown::excerpt(&body, 160)))
        .collect())
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
    let answerable = if comment.official_role_id.is_some() { answerable_comments(conn, post.id)? } else { Vec::new() };
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
