//! Who is acting on comments, and what they may do: read once per request, then
//! passed to the queries and use cases that check it.

use diesel::QueryResult;

use crate::db::{self, AnyConnection};
use crate::domain::response::Authority;

/// Someone acting on comments, with what they may do.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub name: String,
    pub authority: Authority,
    /// (department id, how the badge names the actor there: "Name, Title, ACRONYM").
    pub badges: Vec<(i64, String)>,
}

impl Actor {
    /// How a response by this actor to a comment routed to `department` is signed: with
    /// the badge when they are that department's official, else their name.
    pub fn signature(&self, department: Option<i64>) -> String {
        department
            .and_then(|d| self.badges.iter().find(|(id, _)| *id == d))
            .map_or_else(|| self.name.clone(), |(_, badge)| badge.clone())
    }
}

/// The actor for a signed-in user: moderators and admins moderate; officials act for
/// the departments of their grants in force.
pub fn actor(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<Actor>> {
    let Some(user) = db::users::find(conn, user_id)? else {
        return Ok(None);
    };
    let listings = db::officials::active_listings_for_user(conn, user_id)?;
    let official_departments = listings.iter().map(|r| r.department_id).collect();
    let badges = listings
        .into_iter()
        .map(|r| (r.department_id, format!("{}, {}, {}", user.name, r.title, r.department_acronym)))
        .collect();
    let moderator = user.role.can_moderate();
    Ok(Some(Actor { user_id, name: user.name, authority: Authority { moderator, official_departments }, badges }))
}
