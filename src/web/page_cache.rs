//! Rendered comment sections, reused while a post's comments are unchanged. The key
//! carries the post's `comments_version` (bumped in the transaction of every change),
//! so an instance never serves a section older than the database says, whichever
//! instance made the change; entries also expire so relative times stay right.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::views::components::RenderedHtml;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SectionKey {
    pub post_id: i64,
    pub page: usize,
    pub comments_version: i64,
    pub comments_open: bool,
}

pub struct SectionCache {
    entries: Mutex<HashMap<SectionKey, (Instant, RenderedHtml)>>,
    capacity: usize,
    lifetime: Duration,
}

impl SectionCache {
    pub fn new(capacity: usize, lifetime: Duration) -> Self {
        Self { entries: Mutex::new(HashMap::with_capacity(capacity)), capacity, lifetime }
    }

    pub fn get(&self, key: &SectionKey) -> Option<RenderedHtml> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(made, _)| made.elapsed() < self.lifetime).map(|(_, html)| html.clone())
    }

    /// Keeps a section; when full, drops expired entries, then the oldest.
    pub fn put(&self, key: SectionKey, html: RenderedHtml) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let lifetime = self.lifetime;
            entries.retain(|_, (made, _)| made.elapsed() < lifetime);
            if entries.len() >= self.capacity {
                if let Some(oldest) = entries.iter().min_by_key(|(_, (made, _))| *made).map(|(k, _)| *k) {
                    entries.remove(&oldest);
                }
            }
        }
        entries.insert(key, (Instant::now(), html));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> RenderedHtml {
        RenderedHtml::from(maud::html! { (text) })
    }

    fn text(html: Option<RenderedHtml>) -> Option<String> {
        html.map(|h| h.as_str().to_owned())
    }

    fn key(post_id: i64, version: i64) -> SectionKey {
        SectionKey { post_id, page: 1, comments_version: version, comments_open: true }
    }

    #[test]
    fn a_new_version_misses_and_the_oldest_entry_makes_room() {
        let cache = SectionCache::new(2, Duration::from_secs(60));
        cache.put(key(1, 0), section("one"));
        assert_eq!(text(cache.get(&key(1, 0))).as_deref(), Some("one"));
        assert!(cache.get(&key(1, 1)).is_none(), "a changed post is a miss");
        cache.put(key(2, 0), section("two"));
        cache.put(key(3, 0), section("three"));
        assert!(cache.get(&key(1, 0)).is_none(), "the oldest went");
        assert_eq!(text(cache.get(&key(3, 0))).as_deref(), Some("three"));
    }

    #[test]
    fn entries_expire() {
        let cache = SectionCache::new(4, Duration::from_millis(0));
        cache.put(key(1, 0), section("one"));
        assert!(cache.get(&key(1, 0)).is_none());
    }
}
