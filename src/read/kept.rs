//! What a post page's comment section is drawn from, kept between requests. The rows,
//! the thread layout, the post's totals and what its official replies answer are read
//! once for each version of the post's comments (`posts.comments_version`, bumped in
//! the transaction of every change they show, whichever instance made it) and kept
//! under it. What depends on the clock or on anything outside the post (ages, overdue
//! marks, holidays, department acronyms and targets) is read and worked out again for
//! every request. So every request draws the section as the database has it now, and
//! reading a busy post's comments is paid once after each change to them, not by
//! every reader. Memory is bounded: past the budget the least recently read go.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::Xxh3Default;

use crate::db::comments::CommentRow;
use crate::domain::thread::Node;
use crate::read::reading::Continuation;
use crate::read::standing::{CommentTotals, Replies};

/// One page of a post's comment section, as read for one version of its comments.
pub struct SectionData {
    pub comment_count: i64,
    pub pages: usize,
    pub continued: Option<Continuation>,
    pub threads: Vec<Node<CommentRow>>,
    /// The post's totals, with `overdue` left at 0: it is counted for each request
    /// from `awaiting_routed`.
    pub totals: CommentTotals,
    /// Each routed comment still awaiting a response: (department, routed at).
    pub awaiting_routed: Vec<(i64, Option<NaiveDateTime>)>,
    pub replies: Replies,
    pub row_hashes: Arc<FxHashMap<i64, u64>>,
    /// About how long its HTML is (`html_size_hint`), worked out once.
    pub html_size: usize,
}

impl SectionData {
    /// Hashes each row once, for the fragment keys of every later drawing.
    pub fn hash_rows(threads: &[Node<CommentRow>]) -> FxHashMap<i64, u64> {
        fn walk(nodes: &[Node<CommentRow>], hashes: &mut FxHashMap<i64, u64>) {
            for node in nodes {
                let mut h = Xxh3Default::new();
                node.item.hash(&mut h);
                hashes.insert(node.item.id, h.finish());
                walk(&node.children, hashes);
            }
        }
        let mut hashes = FxHashMap::default();
        walk(threads, &mut hashes);
        hashes
    }

    /// About how long the HTML of `threads` is: comments run to a kilobyte of markup
    /// around their text. Drawing reserves this much at once instead of growing the
    /// buffer.
    pub fn html_size_hint(threads: &[Node<CommentRow>]) -> usize {
        fn walk(nodes: &[Node<CommentRow>]) -> usize {
            nodes.iter().map(|n| n.item.body_html.as_str().len() + 1024 + walk(&n.children)).sum()
        }
        4096 + walk(threads)
    }

    /// Roughly what it holds in memory, for the budget.
    fn bytes(&self) -> usize {
        fn walk(nodes: &[Node<CommentRow>]) -> usize {
            nodes
                .iter()
                .map(|n| {
                    let row = &n.item;
                    let texts = [Some(&row.path), Some(&row.author_name), row.response.note.as_ref()];
                    256 + row.body_html.as_str().len()
                        + texts.iter().flatten().map(|t| t.len()).sum::<usize>()
                        + walk(&n.children)
                })
                .sum()
        }
        walk(&self.threads) + self.awaiting_routed.len() * 32
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeptKey {
    pub post_id: i64,
    pub page: usize,
}

struct Entry {
    comments_version: i64,
    last_read: u64,
    bytes: usize,
    data: Arc<SectionData>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<KeptKey, Entry>,
    bytes: usize,
    reads: u64,
}

pub struct KeptSections {
    entries: Mutex<Entries>,
    budget: usize,
}

impl KeptSections {
    /// Keeps up to `budget` bytes; 0 keeps nothing (every request reads every row).
    pub fn new(budget: usize) -> Self {
        Self { entries: Mutex::new(Entries::default()), budget }
    }

    /// What was read for this page at this version of the post's comments.
    pub fn get(&self, key: KeptKey, comments_version: i64) -> Option<Arc<SectionData>> {
        let mut entries = self.entries.lock().ok()?;
        entries.reads += 1;
        let reads = entries.reads;
        let entry = entries.map.get_mut(&key).filter(|e| e.comments_version == comments_version)?;
        entry.last_read = reads;
        Some(entry.data.clone())
    }

    /// Keeps `data` in place of an older version, dropping the least recently read
    /// pages while over the budget. A page larger than the whole budget is not kept.
    pub fn put(&self, key: KeptKey, comments_version: i64, data: Arc<SectionData>) {
        let bytes = data.bytes();
        if bytes > self.budget {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.map.get(&key).is_some_and(|e| e.comments_version > comments_version) {
            return;
        }
        if let Some(old) = entries.map.remove(&key) {
            entries.bytes -= old.bytes;
        }
        while entries.bytes + bytes > self.budget {
            let Some(oldest) = entries.map.iter().min_by_key(|(_, e)| e.last_read).map(|(k, _)| *k) else { break };
            if let Some(gone) = entries.map.remove(&oldest) {
                entries.bytes -= gone.bytes;
            }
        }
        entries.reads += 1;
        let last_read = entries.reads;
        entries.bytes += bytes;
        entries.map.insert(key, Entry { comments_version, last_read, bytes, data });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(comment_count: i64) -> Arc<SectionData> {
        Arc::new(SectionData {
            comment_count,
            pages: 1,
            continued: None,
            threads: Vec::new(),
            totals: CommentTotals::default(),
            awaiting_routed: vec![(1, None); 10],
            replies: Replies::default(),
            row_hashes: Arc::default(),
            html_size: 0,
        })
    }

    fn key(post_id: i64) -> KeptKey {
        KeptKey { post_id, page: 1 }
    }

    #[test]
    fn a_new_version_of_the_comments_is_read_again() {
        let kept = KeptSections::new(10_000);
        kept.put(key(1), 3, data(7));
        assert_eq!(kept.get(key(1), 3).map(|d| d.comment_count), Some(7));
        assert!(kept.get(key(1), 4).is_none(), "the comments changed since");
        assert!(kept.get(key(2), 3).is_none());
        kept.put(key(1), 4, data(8));
        kept.put(key(1), 3, data(7));
        assert_eq!(kept.get(key(1), 4).map(|d| d.comment_count), Some(8), "an older read never replaces a newer");
    }

    #[test]
    fn past_the_budget_the_least_recently_read_go() {
        let one = data(0).bytes();
        let kept = KeptSections::new(one * 2);
        kept.put(key(1), 0, data(1));
        kept.put(key(2), 0, data(2));
        assert!(kept.get(key(1), 0).is_some());
        kept.put(key(3), 0, data(3));
        assert!(kept.get(key(2), 0).is_none(), "post 2 was read least recently");
        assert!(kept.get(key(1), 0).is_some());
        assert!(kept.get(key(3), 0).is_some());
        assert!(KeptSections::new(0).get(key(1), 0).is_none());
        let nothing = KeptSections::new(0);
        nothing.put(key(1), 0, data(1));
        assert!(nothing.get(key(1), 0).is_none(), "a budget of 0 keeps nothing");
    }
}
