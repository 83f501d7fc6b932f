//! The JSON the API reads and writes. Times are UTC, written `2026-11-27T14:05:00`.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::comments::Comment;
use crate::db::departments::Department;
use crate::db::posts::Post;
use crate::domain::response::ResponseState;

#[derive(Debug, Serialize, ToSchema)]
pub struct PostJson {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub author_name: String,
    pub excerpt: String,
    /// Sanitised HTML.
    pub body_html: String,
    pub comments_open: bool,
    pub comment_count: i64,
    pub published_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The post's page on the site.
    pub url: String,
}

impl PostJson {
    pub fn new(post: Post, comment_count: i64, base_url: &str) -> Self {
        Self {
            url: format!("{base_url}/posts/{}", post.slug),
            id: post.id,
            slug: post.slug,
            title: post.title,
            author_name: post.author_name,
            excerpt: post.excerpt,
            body_html: post.body_html.into_string(),
            comments_open: post.comments_open,
            comment_count,
            published_at: post.published_at,
            updated_at: post.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostList {
    pub posts: Vec<PostJson>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The verified-official badge as it was when the reply was posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeJson {
    pub name: String,
    pub title: String,
    pub department: String,
    pub acronym: String,
}

/// Where a comment stands. Official replies have none: they are responses.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseJson {
    /// `awaiting`, `acknowledged`, `answered`, `referred` or `no_response_needed`.
    pub state: String,
    pub label: String,
    /// The acronym of the department the comment is routed to.
    pub department: Option<String>,
    /// The official reply that answers it.
    pub answered_by: Option<i64>,
    pub answer_url: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
    /// Who responded, as shown on the site.
    pub response_by: Option<String>,
    pub note: Option<String>,
    pub referred_to: Option<String>,
    pub first_response_at: Option<NaiveDateTime>,
    /// Working days from publication to the first official response.
    pub response_working_days: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentJson {
    pub id: i64,
    pub post_slug: String,
    pub parent_id: Option<i64>,
    /// The id of the top-level comment of its conversation.
    pub thread_id: i64,
    pub depth: i32,
    pub author_name: String,
    /// Sanitised HTML.
    pub body_html: String,
    pub published_at: NaiveDateTime,
    pub url: String,
    /// Set on an official reply.
    pub badge: Option<BadgeJson>,
    /// Set on every comment that is not an official reply.
    pub response: Option<ResponseJson>,
    /// For an official reply: the comments it answers.
    pub answers: Vec<i64>,
}

impl CommentJson {
    pub fn new(c: Comment, post_slug: &str, departments: &[Department], answers: Vec<i64>, base_url: &str) -> Self {
        let badge = match (&c.badge_name, &c.badge_title, &c.badge_department) {
            (Some(name), Some(title), Some(department)) => Some(BadgeJson {
                name: name.clone(),
                title: title.clone(),
                department: department.clone(),
                acronym: c.badge_acronym.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        let response = c.state().map(|state| ResponseJson {
            state: state.as_str().to_owned(),
            label: state.label().to_owned(),
            department: c
                .department_id
                .and_then(|id| departments.iter().find(|d| d.id == id))
                .map(|d| d.acronym.clone()),
            answered_by: c.answered_by.filter(|_| state == ResponseState::Answered),
            answer_url: c
                .answered_by
                .filter(|_| state == ResponseState::Answered)
                .map(|id| format!("{base_url}/comments/{id}")),
            answered_at: c.answered_at,
            response_by: c.response_by.clone(),
            note: c.response_note.clone(),
            referred_to: c.referred_to.clone(),
            first_response_at: c.first_response_at,
            response_working_days: c.response_days,
        });
        Self {
            url: format!("{base_url}/comments/{}", c.id),
            id: c.id,
            post_slug: post_slug.to_owned(),
            parent_id: c.parent_id,
            thread_id: c.thread_id,
            depth: c.depth,
            author_name: c.author_name,
            body_html: c.body_html.into_string(),
            published_at: c.published_at.unwrap_or(c.created_at),
            badge,
            response,
            answers,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub comments: Vec<CommentJson>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Paging through a list: oldest comments first, newest posts first.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
    /// How many to return: 1 to 200, 50 if not given.
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCommentRequest {
    /// Markdown, up to 10,000 characters.
    pub body: String,
    /// The comment replied to, on the same post.
    pub parent_id: Option<i64>,
    /// The id of one of your official grants, to reply with its badge.
    pub as_official: Option<i64>,
    /// With `as_official`: more comments on the post this reply answers.
    #[serde(default)]
    pub also_answers: Vec<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StateChangeRequest {
    /// `acknowledge`, `refer`, `no_response_needed` (moderators) or `reopen`.
    pub action: String,
    /// A public note (acknowledge, refer, no_response_needed).
    pub note: Option<String>,
    /// For `refer`: a department, a service, or a web address.
    pub referred_to: Option<String>,
    /// For `no_response_needed`: `thanks`, `duplicate`, `not_a_question`, `off_topic` or `other`.
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RouteRequest {
    /// A department's acronym; `null` to unroute.
    pub department: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignRequest {
    /// The user id of an official of the department the comment is routed to; `null` to unassign.
    pub assignee_id: Option<i64>,
}

/// An opaque position in a list: the last id seen.
pub mod cursor {
    use base64::Engine;

    const PREFIX: &str = "after:";

    pub fn encode(last_id: i64) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{PREFIX}{last_id}"))
    }

    pub fn decode(cursor: &str) -> Option<i64> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
        String::from_utf8(bytes).ok()?.strip_prefix(PREFIX)?.parse().ok()
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn cursors_round_trip_and_junk_is_refused() {
            assert_eq!(super::decode(&super::encode(42)), Some(42));
            assert_eq!(super::decode("not a cursor"), None);
            assert_eq!(super::decode(""), None);
        }
    }
}
