//! Rendered comments kept between requests. Each comment's article is kept under a
//! hash of everything it shows (its row, the words of its state line, its relative
//! time, the page it is drawn for), so when a comment is added to a busy discussion
//! the next reader pays for drawing that one comment, not all of them, and any change
//! to a comment changes its key. Memory is bounded by two generations: when the
//! current one is full it becomes the old one, and the old one is dropped; a hit in
//! the old generation moves back to the current one.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

pub type Fragment = Arc<str>;

#[derive(Default)]
struct Generations {
    current: FxHashMap<u64, Fragment>,
    current_bytes: usize,
    old: FxHashMap<u64, Fragment>,
}

pub struct FragmentCache {
    generations: Mutex<Generations>,
    /// The most the current generation holds, in bytes of HTML (so at most twice this
    /// is kept in all).
    generation_bytes: usize,
}

impl FragmentCache {
    pub fn new(generation_bytes: usize) -> Self {
        Self { generations: Mutex::new(Generations::default()), generation_bytes }
    }

    /// Whether it keeps anything: when it does not, drawing skips the keys altogether.
    pub fn is_on(&self) -> bool {
        self.generation_bytes > 0
    }

    /// The fragments kept under `keys`, in order (one lock for the whole page).
    pub fn get_many(&self, keys: &[u64]) -> Vec<Option<Fragment>> {
        let Ok(mut g) = self.generations.lock() else { return vec![None; keys.len()] };
        keys.iter()
            .map(|key| {
                if let Some(found) = g.current.get(key) {
                    return Some(found.clone());
                }
                let found = g.old.remove(key)?;
                g.keep(*key, found.clone(), self.generation_bytes);
                Some(found)
            })
            .collect()
    }

    /// Keeps newly drawn fragments.
    pub fn put_many(&self, fragments: Vec<(u64, Fragment)>) {
        if fragments.is_empty() || self.generation_bytes == 0 {
            return;
        }
        let Ok(mut g) = self.generations.lock() else { return };
        for (key, html) in fragments {
            g.keep(key, html, self.generation_bytes);
        }
    }
}

impl Generations {
    fn keep(&mut self, key: u64, html: Fragment, limit: usize) {
        if self.current_bytes + html.len() > limit {
            self.old = std::mem::take(&mut self.current);
            self.current_bytes = 0;
        }
        self.current_bytes += html.len();
        if let Some(replaced) = self.current.insert(key, html) {
            self.current_bytes -= replaced.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(found: &[Option<Fragment>]) -> Vec<Option<&str>> {
        found.iter().map(|f| f.as_deref()).collect()
    }

    #[test]
    fn fragments_are_found_by_key_and_the_memory_is_bounded() {
        let cache = FragmentCache::new(10);
        cache.put_many(vec![(1, "aaaa".into()), (2, "bbbb".into())]);
        assert_eq!(text(&cache.get_many(&[1, 2, 3])), [Some("aaaa"), Some("bbbb"), None]);
        // The third fills the generation: the first two become the old one.
        cache.put_many(vec![(3, "cccc".into())]);
        assert_eq!(text(&cache.get_many(&[3])), [Some("cccc")]);
        // A hit in the old generation comes back to the current one ...
        assert_eq!(text(&cache.get_many(&[1])), [Some("aaaa")]);
        // ... and whatever was not used in two generations is dropped.
        cache.put_many(vec![(4, "dddd".into()), (5, "eeee".into())]);
        assert_eq!(text(&cache.get_many(&[2])), [None]);
        let g = cache.generations.lock().unwrap();
        let kept: usize = g.current.values().chain(g.old.values()).map(|f| f.len()).sum();
        assert!(kept <= 20, "at most two generations: {kept} bytes");
    }

    #[test]
    fn a_cache_of_no_size_keeps_nothing() {
        let cache = FragmentCache::new(0);
        assert!(!cache.is_on());
        cache.put_many(vec![(1, "aaaa".into())]);
        assert_eq!(text(&cache.get_many(&[1])), [None]);
    }
}
