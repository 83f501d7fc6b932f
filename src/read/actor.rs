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
}

/// The actor for a signed-in user: moderators and admins moderate; officials act for
/// the departments of their grants in force.
pub fn actor(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<Actor>> {
    let Some(user) = db::users::find(conn, user_id)? else {
        return Ok(None);
    };
    let official_departments =
        db::officials::active_listings_for_user(conn, user_id)?.into_iter().map(|r| r.department_id).collect();
    let moderator = user.role.can_moderate();
    Ok(Some(Actor { user_id, name: user.name, authority: Authority { moderator, official_departments } }))
}
