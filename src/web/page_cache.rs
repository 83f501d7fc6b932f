//! Rendered comment sections, reused while a post's comments are unchanged. The key
//! carries the post's `comments_version` (bumped in the transaction of every change),
//! so an instance never serves a section older than the database says, whichever
//! instance made the change; entries also expire so relative times stay right.
//!
//! The bookkeeping (time to live, a bound on the number of sections kept) is moka's.

use std::time::Duration;

use moka::policy::EvictionPolicy;
use moka::sync::Cache;

use crate::views::components::RenderedHtml;

/// moka refuses (panics on) a time to live over 1,000 years; a lifetime read from the
/// settings is held to one year, which is "forever" for a rendered section.
const LONGEST_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SectionKey {
    pub post_id: i64,
    pub page: usize,
    pub comments_version: i64,
    pub comments_open: bool,
}

pub struct SectionCache {
    /// `None` when the lifetime (or the capacity) is zero: nothing is kept.
    entries: Option<Cache<SectionKey, RenderedHtml>>,
}

impl SectionCache {
    /// Keeps at most `capacity` sections, each for `lifetime` after it was put; a zero
    /// lifetime turns the cache off (`ANSWERABLE_PAGE_CACHE_SECONDS=0`).
    pub fn new(capacity: usize, lifetime: Duration) -> Self {
        if lifetime.is_zero() || capacity == 0 {
            return Self { entries: None };
        }
        let entries = Cache::builder()
            .max_capacity(capacity as u64)
            .time_to_live(lifetime.min(LONGEST_LIFETIME))
            // Plain LRU: a post's new version must get in at once. TinyLFU, moka's default,
            // may refuse a newcomer in favour of the (now stale) sections read most so far.
            .eviction_policy(EvictionPolicy::lru())
            .build();
        Self { entries: Some(entries) }
    }

    pub fn get(&self, key: &SectionKey) -> Option<RenderedHtml> {
        self.entries.as_ref()?.get(key)
    }

    /// Keeps a section; past the capacity, the least recently used ones go.
    pub fn put(&self, key: SectionKey, html: RenderedHtml) {
        if let Some(entries) = &self.entries {
            entries.insert(key, html);
        }
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

    /// Runs moka's deferred bookkeeping (evictions) now, as it would on its own soon after.
    fn settle(cache: &SectionCache) -> u64 {
        let entries = cache.entries.as_ref().expect("cache is on");
        entries.run_pending_tasks();
        entries.entry_count()
    }

    #[test]
    fn a_new_version_misses_and_the_oldest_entry_makes_room() {
        let cache = SectionCache::new(2, Duration::from_secs(60));
        cache.put(key(1, 0), section("one"));
        assert_eq!(text(cache.get(&key(1, 0))).as_deref(), Some("one"));
        assert!(cache.get(&key(1, 1)).is_none(), "a changed post is a miss");
        cache.put(key(2, 0), section("two"));
        settle(&cache);
        cache.put(key(3, 0), section("three"));
        assert_eq!(settle(&cache), 2, "the capacity holds");
        assert!(cache.get(&key(1, 0)).is_none(), "the oldest went");
        assert_eq!(text(cache.get(&key(2, 0))).as_deref(), Some("two"));
        assert_eq!(text(cache.get(&key(3, 0))).as_deref(), Some("three"));
    }

    #[test]
    fn the_capacity_holds_under_many_puts() {
        let cache = SectionCache::new(16, Duration::from_secs(60));
        for post in 0..1_000 {
            cache.put(key(post, 0), section("section"));
        }
        assert!(settle(&cache) <= 16);
        assert_eq!(text(cache.get(&key(999, 0))).as_deref(), Some("section"), "the newest is kept");
    }

    #[test]
    fn entries_expire() {
        let cache = SectionCache::new(4, Duration::from_millis(50));
        cache.put(key(1, 0), section("one"));
        assert_eq!(text(cache.get(&key(1, 0))).as_deref(), Some("one"));
        std::thread::sleep(Duration::from_millis(120));
        assert!(cache.get(&key(1, 0)).is_none(), "past its lifetime");
    }

    #[test]
    fn a_zero_lifetime_keeps_nothing() {
        let cache = SectionCache::new(4, Duration::from_millis(0));
        cache.put(key(1, 0), section("one"));
        assert!(cache.get(&key(1, 0)).is_none());
    }

    #[test]
    fn a_lifetime_of_any_length_is_accepted() {
        let cache = SectionCache::new(4, Duration::from_secs(u64::MAX));
        cache.put(key(1, 0), section("one"));
        assert_eq!(text(cache.get(&key(1, 0))).as_deref(), Some("one"));
    }
}
