//! One imported comment: where it goes in its thread, its status, whether an official
//! wrote it, and what it answers.

use super::{content, ImportError, Importer, MatchReport, Placed, ProbableReport};
use crate::db::comments::NewCommentRow;
use crate::db::import_reviews::NewReview;
use crate::db::imports::{self, KIND_COMMENT};
use crate::db::{self, AnyConnection};
use crate::domain::comment::CommentStatus;
use crate::domain::response::initial_state;
use crate::domain::signature::{self, Directory, Probable, Recognition};
use crate::domain::thread;
use crate::services::responses::{self, Recorder};
use crate::tools::wordpress::wxr::WxrComment;

const AUTHOR_MAX: usize = 100;

/// WordPress comments are plain text where a line break is a line break: each is kept
/// as a markdown hard break, and leading spaces (which markdown would read as code)
/// are dropped.
fn comment_markdown(content: &str) -> String {
    let lines: Vec<&str> = content.lines().map(str::trim).collect();
    let mut out = String::with_capacity(content.len() + 16);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(if !line.is_empty() && !lines[i - 1].is_empty() { "  \n" } else { "\n" });
        }
        out.push_str(line);
    }
    out.trim().to_owned()
}

impl Importer {
    pub(super) fn comment(&mut self, conn: &mut AnyConnection, comment: WxrComment) -> Result<(), ImportError> {
        let Some(post_id) = self.post.as_ref().and_then(|p| p.local_id) else {
            self.summary.skip("comments on items that were not imported");
            return Ok(());
        };
        let protected = self.post.as_ref().is_some_and(|p| p.protected);
        let status = match comment.approved.as_str() {
            "1" | "approve" if protected => CommentStatus::Pending,
            "1" | "approve" => CommentStatus::Published,
            "0" | "hold" => CommentStatus::Pending,
            "spam" => CommentStatus::Spam,
            "trash" | "post-trashed" => return self.leave_out(conn, &comment, "comments in the trash".into()),
            other => return self.leave_out(conn, &comment, format!("comments with approval status `{other}`")),
        };
        if !matches!(comment.comment_type.as_str(), "" | "comment") {
            let reason = format!("{}s", comment.comment_type);
            return self.leave_out(conn, &comment, reason);
        }
        if comment.content.trim().is_empty() {
            return self.leave_out(conn, &comment, "empty comments".into());
        }
        if let Some(id) = imports::local_id(conn, &self.source, KIND_COMMENT, comment.wp_id)? {
            self.summary.comments_already += 1;
            if let Some(place) = imports::tree_place(conn, id)? {
                let published = db::comments::find(conn, id)?.is_some_and(|c| c.is_published());
                self.placed.insert(comment.wp_id, Placed { place, published });
            }
            return self.release_waiting(conn, comment.wp_id);
        }
        let mut parent_wp = comment.parent_wp_id;
        for _ in 0..1000 {
            match self.left_out.get(&parent_wp) {
                Some(&up) => parent_wp = up,
                None => break,
            }
        }
        let parent = match parent_wp {
            0 => None,
            id => match self.placed.get(&id) {
                Some(parent) => Some(parent.clone()),
                None => {
                    self.waiting.entry(id).or_default().push(comment);
                    return Ok(());
                }
            },
        };
        self.insert(conn, post_id, &comment, status, parent.as_ref())?;
        self.release_waiting(conn, comment.wp_id)
    }

    /// Replies that came before this comment can now be placed under it.
    fn release_waiting(&mut self, conn: &mut AnyConnection, wp_id: i64) -> Result<(), ImportError> {
        for child in self.waiting.remove(&wp_id).unwrap_or_default() {
            self.comment(conn, child)?;
        }
        Ok(())
    }

    /// Leaves a comment out; its replies attach to its parent instead.
    fn leave_out(&mut self, conn: &mut AnyConnection, comment: &WxrComment, reason: String) -> Result<(), ImportError> {
        self.summary.skip(reason);
        self.left_out.insert(comment.wp_id, comment.parent_wp_id);
        for mut child in self.waiting.remove(&comment.wp_id).unwrap_or_default() {
            child.parent_wp_id = comment.parent_wp_id;
            self.comment(conn, child)?;
        }
        Ok(())
    }

    fn insert(
        &mut self,
        conn: &mut AnyConnection,
        post_id: i64,
        comment: &WxrComment,
        status: CommentStatus,
        parent: Option<&Placed>,
    ) -> Result<(), ImportError> {
        let body_md = comment_markdown(&comment.content);
        // WordPress comments are HTML with WordPress's paragraph rules, not markdown.
        let body_html = content::render_comment(&comment.content);
        let author: String = comment.author.chars().take(AUTHOR_MAX).collect();
        let author = if author.trim().is_empty() { "Anonymous".to_owned() } else { author };
        let recognition = if status == CommentStatus::Published {
            let dir = Directory { officials: &self.known, departments: &self.department_names, titles: &self.titles };
            signature::recognise(&comment.author, &comment.content, &dir)
        } else {
            Recognition::Nothing
        };
        let (recognised, probable) = match recognition {
            Recognition::Official(found) => (Some(found), None),
            Recognition::Probable(p) => (None, Some(p)),
            Recognition::Nothing => (None, None),
        };
        let official = recognised.as_ref().map(|m| self.officials[m.official].clone());
        let badge = official.as_ref().map(|o| &o.known);
        let suggested = if official.is_none() { self.suggest_department(&body_md) } else { None };
        let published = status == CommentStatus::Published;
        // Past the deepest level a reply is attached one level up, as on the site.
        let attach = match parent.map(|p| &p.place) {
            Some(p) => match thread::attach_to(p.id, &p.path, p.depth) {
                at if at == p.id => Some(p.clone()),
                at => imports::tree_place(conn, at)?,
            },
            None => None,
        };
        let row = NewCommentRow {
            post_id,
            parent_id: attach.as_ref().map(|p| p.id),
            depth: attach.as_ref().map_or(0, |p| p.depth + 1),
            author_name: &author,
            author_email: &comment.author_email,
            body_md: &body_md,
            body_html: &body_html,
            status,
            created_at: comment.date,
            published_at: published.then_some(comment.date),
            user_id: official.as_ref().and_then(|o| o.user_id),
            official_role_id: official.as_ref().and_then(|o| o.role_id),
            badge_name: badge.map(|b| b.name.as_str()),
            badge_title: badge.map(|b| b.title.as_str()),
            badge_department: badge.map(|b| b.department.as_str()),
            badge_acronym: badge.map(|b| b.acronym.as_str()),
            response_state: initial_state(official.is_some(), attach.is_some()),
            suggested_department_id: suggested,
        };
        let id = self.ids.next(conn)?;
        let place = imports::insert_comment(conn, id, &row, attach.as_ref())?;
        imports::remember(conn, &self.source, KIND_COMMENT, comment.wp_id, place.id)?;
        self.added_one(conn)?;
        self.touched.insert(post_id);
        match status {
            CommentStatus::Published => self.summary.published += 1,
            CommentStatus::Pending => {
                self.summary.held += 1;
                if self.post.as_ref().is_some_and(|p| p.protected) {
                    self.summary.protected_comments += 1;
                }
            }
            _ => self.summary.spam += 1,
        }
        if let (Some(found), Some(official)) = (recognised, official) {
            imports::mark_badge_imported(conn, place.id, found.on.as_str(), &found.text, self.now, None)?;
            let mut answered = None;
            if let Some(parent) = parent.filter(|p| p.published) {
                if let Some(target) = db::comments::find(conn, parent.place.id)? {
                    let name = format!("{} (recognised at import)", official.known.name);
                    let recorder = Recorder { id: official.user_id, name: &name };
                    let label = official.label();
                    let at = comment.date;
                    if responses::mark_answered_by(
                        conn,
                        &target,
                        place.id,
                        &label,
                        official.department_id,
                        &recorder,
                        at,
                    )? {
                        self.summary.answered += 1;
                        answered = Some(target.author_name);
                    }
                }
            }
            self.summary.matches.push(MatchReport {
                wp_id: comment.wp_id,
                post_title: self.post.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
                author: author.clone(),
                date: comment.date,
                official: official.label(),
                on: found.on,
                text: found.text,
                answered,
            });
        }
        if let Some(probable) = probable {
            self.put_to_review(conn, comment, &author, place.id, &probable, parent)?;
        }
        self.placed.insert(comment.wp_id, Placed { place, published });
        Ok(())
    }

    /// A reply that looks official but is not certain goes to the review queue
    /// ("Probable official replies") and the summary; nothing is decided here.
    fn put_to_review(
        &mut self,
        conn: &mut AnyConnection,
        comment: &WxrComment,
        author: &str,
        id: i64,
        probable: &Probable,
        parent: Option<&Placed>,
    ) -> Result<(), ImportError> {
        let (name, title, department, acronym, department_id, role_id, user_id) = match probable.official {
            Some(i) => {
                let o = &self.officials[i];
                let k = &o.known;
                (
                    k.name.clone(),
                    k.title.clone(),
                    k.department.clone(),
                    k.acronym.clone(),
                    o.department_id,
                    o.role_id,
                    o.user_id,
                )
            }
            None => {
                let Some((department_id, department, acronym)) =
                    probable.department.and_then(|d| self.department_badges.get(d)).cloned()
                else {
                    return Ok(());
                };
                (probable.name.clone(), probable.title.clone(), department, acronym, department_id, None, None)
            }
        };
        db::import_reviews::insert(
            conn,
            &NewReview {
                comment_id: id,
                reason: probable.why.as_str(),
                matched_text: &probable.text,
                badge_name: &name,
                badge_title: &title,
                badge_department: &department,
                badge_acronym: &acronym,
                department_id,
                role_id,
                user_id,
                created_at: self.now,
            },
        )?;
        let would_answer = match parent.filter(|p| p.published) {
            Some(p) => db::comments::find(conn, p.place.id)?.filter(|c| c.state().is_some()).map(|c| c.author_name),
            None => None,
        };
        let shown = if acronym.is_empty() { department } else { acronym };
        self.summary.probable.push(ProbableReport {
            wp_id: comment.wp_id,
            post_title: self.post.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
            author: author.to_owned(),
            date: comment.date,
            why: probable.why,
            official: format!("{name}, {title}, {shown}"),
            text: probable.text.clone(),
            would_answer,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_breaks_are_kept_and_indents_dropped() {
        assert_eq!(super::comment_markdown("Thanks.\n\n    Jane Doe\n  CTO, DWP\n"), "Thanks.\n\nJane Doe  \nCTO, DWP");
    }
}
