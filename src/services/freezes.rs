//! Comment freezes: close comments on one post or all posts, now or for a scheduled
//! period (a pre-election period), with a notice shown in place of the form.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::flags::Freeze;
use crate::db::posts::Post;
use crate::db::{self, AnyConnection};
use crate::domain::time;
use crate::services::audit::{self, Entry};

/// The notice of the freeze in force on a post now, if any.
pub fn notice_for(conn: &mut AnyConnection, post_id: i64) -> QueryResult<Option<String>> {
    Ok(db::flags::in_force(conn, post_id, time::now())?.map(|f| f.notice))
}

/// A published post as readers and commenters meet it: while a freeze is in force it
/// is closed to comments, with the freeze's notice.
pub fn published_post(conn: &mut AnyConnection, slug: &str) -> QueryResult<Option<(Post, Option<String>)>> {
    let Some(mut post) = db::posts::find_published_by_slug(conn, slug)? else { return Ok(None) };
    let notice = notice_for(conn, post.id)?;
    if notice.is_some() {
        post.comments_open = false;
    }
    Ok(Some((post, notice)))
}

/// A freeze as an admin asks for it.
pub struct NewFreeze {
    /// `None`: every post.
    pub post_id: Option<i64>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub notice: String,
}

fn describe(conn: &mut AnyConnection, f: &Freeze) -> QueryResult<(String, String)> {
    let scope = match f.post_id {
        Some(id) => db::posts::find_by_id(conn, id)?.map_or_else(|| format!("post {id}"), |p| p.title),
        None => "All posts".to_owned(),
    };
    let when = |t: Option<NaiveDateTime>, none: &str| t.map_or_else(|| none.to_owned(), time::absolute);
    let text =
        format!("from: {}\nuntil: {}\nnotice: {}", when(f.starts_at, "now"), when(f.ends_at, "lifted"), f.notice);
    Ok((scope, text))
}

pub fn create(conn: &mut AnyConnection, actor: Option<i64>, new: &NewFreeze) -> QueryResult<i64> {
    crate::db::transaction(conn, |conn| {
        let id = db::flags::insert_freeze(conn, new.post_id, new.starts_at, new.ends_at, &new.notice, time::now())?;
        let freeze = db::flags::find_freeze(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        let (label, after) = describe(conn, &freeze)?;
        let entry = Entry {
            action: "freeze.create",
            target_type: "freeze",
            target_id: Some(id),
            target_label: &label,
            before: None,
            after: Some(&after),
            reason: None,
        };
        audit::record(conn, actor, &entry)?;
        Ok(id)
    })
}

/// Lifts a freeze now; `false` when there is none in force or to come with that id.
pub fn end(conn: &mut AnyConnection, actor: Option<i64>, id: i64) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let now = time::now();
        let Some(freeze) = db::flags::find_freeze(conn, id)?.filter(|f| !f.window().is_over(now)) else {
            return Ok(false);
        };
        let (label, before) = describe(conn, &freeze)?;
        db::flags::end_freeze(conn, id, now)?;
        let entry = Entry {
            action: "freeze.end",
            target_type: "freeze",
            target_id: Some(id),
            target_label: &label,
            before: Some(&before),
            after: Some("lifted"),
            reason: None,
        };
        audit::record(conn, actor, &entry)?;
        Ok(true)
    })
}

/// Freezes in force or to come, with what each covers.
pub fn listing(conn: &mut AnyConnection) -> QueryResult<Vec<(Freeze, String)>> {
    let freezes = db::flags::current_and_coming(conn, time::now())?;
    let mut out = Vec::new();
    for f in freezes {
        let scope = describe(conn, &f)?.0;
        out.push((f, scope));
    }
    Ok(out)
}
