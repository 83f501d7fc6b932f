//! What an import reports: counts, what was left out and why, the official replies
//! recognised and the probable ones put to an admin.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::domain::signature::{MatchedOn, Why};

/// A reply recognised as an official's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchReport {
    pub wp_id: i64,
    pub post_title: String,
    pub author: String,
    pub date: NaiveDateTime,
    /// "Jane Doe, Chief Technology Officer, DWP".
    pub official: String,
    pub on: MatchedOn,
    pub text: String,
    /// The author of the comment it answered, if it answered one.
    pub answered: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub source: String,
    pub dry_run: bool,
    pub posts: usize,
    pub drafts: usize,
    pub posts_already: usize,
    pub published: usize,
    pub held: usize,
    /// Password-protected posts (kept as drafts) and their comments (held).
    pub protected_posts: usize,
    pub protected_comments: usize,
    pub spam: usize,
    pub comments_already: usize,
    pub answered: usize,
    /// Why things were left out, and how many of each.
    pub skipped: BTreeMap<String, usize>,
    pub matches: Vec<MatchReport>,
    /// Replies put in the review queue ("Probable official replies").
    pub probable: Vec<ProbableReport>,
    /// Shortcodes WordPress would have run that mean nothing here, shown as text: how
    /// many posts use each.
    pub unknown_shortcodes: BTreeMap<String, usize>,
    /// `--history-before`, and how many comments it closed.
    pub history_before: Option<NaiveDateTime>,
    pub history_closed: usize,
}

impl ImportSummary {
    pub fn comments(&self) -> usize {
        self.published + self.held + self.spam
    }

    pub(super) fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }
}

/// A reply that looks official but is not certain: put in the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbableReport {
    pub wp_id: i64,
    pub post_title: String,
    pub author: String,
    pub date: NaiveDateTime,
    pub why: Why,
    /// The badge confirming it would give: "Jane Doe, Chief Technology Officer, DWP".
    pub official: String,
    pub text: String,
    /// The author of the comment confirming it would answer.
    pub would_answer: Option<String>,
}
