//! How a post's threads are split into pages: whole threads together, at most
//! `threads_per_page` threads and, where threads allow, `comments_per_page` comments.
//! A single thread larger than a page gets a page of its own and continues on
//! thread pages.

/// Page numbers as they appear in URLs: 1-based and never zero.
pub fn page_number(raw: Option<u32>) -> usize {
    raw.map_or(1, |p| (p as usize).max(1))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadSize {
    pub thread_id: i64,
    pub comments: i64,
}

/// One page of a post's threads: `threads[start..end]` of the layout input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSpan {
    pub start: usize,
    pub end: usize,
    pub comments: i64,
}

pub fn layout(sizes: &[ThreadSize], threads_per_page: usize, comments_per_page: usize) -> Vec<PageSpan> {
    let threads_per_page = threads_per_page.max(1);
    let budget = i64::try_from(comments_per_page.max(1)).unwrap_or(i64::MAX);
    let mut pages = Vec::new();
    let mut start = 0;
    let mut comments = 0;
    for (i, size) in sizes.iter().enumerate() {
        let full = i - start >= threads_per_page || (i > start && comments + size.comments > budget);
        if full {
            pages.push(PageSpan { start, end: i, comments });
            start = i;
            comments = 0;
        }
        comments += size.comments;
    }
    if start < sizes.len() {
        pages.push(PageSpan { start, end: sizes.len(), comments });
    }
    pages
}

/// The 1-based page that holds `thread_id`, if any.
pub fn page_of_thread(sizes: &[ThreadSize], pages: &[PageSpan], thread_id: i64) -> Option<usize> {
    let index = sizes.iter().position(|s| s.thread_id == thread_id)?;
    pages.iter().position(|p| (p.start..p.end).contains(&index)).map(|p| p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(counts: &[i64]) -> Vec<ThreadSize> {
        counts.iter().enumerate().map(|(i, &comments)| ThreadSize { thread_id: i as i64 + 1, comments }).collect()
    }

    fn spans(pages: &[PageSpan]) -> Vec<(usize, usize)> {
        pages.iter().map(|p| (p.start, p.end)).collect()
    }

    #[test]
    fn pages_hold_at_most_the_configured_threads() {
        let pages = layout(&sizes(&[1; 7]), 3, 500);
        assert_eq!(spans(&pages), [(0, 3), (3, 6), (6, 7)]);
    }

    #[test]
    fn whole_threads_stay_together_within_the_comment_budget() {
        let pages = layout(&sizes(&[4, 4, 3, 1]), 50, 10);
        assert_eq!(spans(&pages), [(0, 2), (2, 4)]);
        assert_eq!(pages[0].comments, 8);
    }

    #[test]
    fn a_giant_thread_gets_a_page_of_its_own() {
        let s = sizes(&[2, 10_000, 3]);
        let pages = layout(&s, 50, 500);
        assert_eq!(spans(&pages), [(0, 1), (1, 2), (2, 3)]);
        assert_eq!(page_of_thread(&s, &pages, 2), Some(2));
        assert_eq!(page_of_thread(&s, &pages, 99), None);
    }

    #[test]
    fn no_threads_means_no_pages() {
        assert!(layout(&[], 50, 500).is_empty());
        assert_eq!(page_number(None), 1);
        assert_eq!(page_number(Some(0)), 1);
        assert_eq!(page_number(Some(4)), 4);
    }
}
