//! Turns comments read in `path` order into the tree a reader sees: nested up to a
//! display depth, flat below it (those show "in reply to NAME").

use std::collections::HashMap;

/// Width of each id in a materialised path; ids up to 10^10 keep `ORDER BY path` right.
pub const PATH_ID_WIDTH: usize = 10;

/// The path of a comment whose parent has `parent_path` (or none, at the top level).
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    match parent_path {
        Some(parent) => format!("{parent}/{id:0width$}", width = PATH_ID_WIDTH),
        None => format!("{id:0width$}", width = PATH_ID_WIDTH),
    }
}

/// The deepest a comment sits (0 is the top level). A path this deep (101 ids, 1,111
/// bytes) stays well under PostgreSQL's limit for one index entry (2,704 bytes), so
/// every tree one backend holds, the other can hold too.
pub const MAX_DEPTH: i32 = 100;

/// The comment a reply to `parent` is attached to: `parent` itself, or, when `parent`
/// is already as deep as comments go, its ancestor one level up from the deepest, so
/// the reply sits at the deepest level beside the comment it answers.
pub fn attach_to(parent_id: i64, parent_path: &str, parent_depth: i32) -> i64 {
    if parent_depth < MAX_DEPTH {
        return parent_id;
    }
    parent_path.split('/').nth((MAX_DEPTH - 1) as usize).and_then(|id| id.parse().ok()).unwrap_or(parent_id)
}

/// What the tree builder needs to know about a comment.
pub trait Threaded {
    fn id(&self) -> i64;
    fn depth(&self) -> i32;
    fn path(&self) -> &str;
}

#[derive(Debug)]
pub struct Node<T> {
    pub item: T,
    /// Shown away from its parent (flattened below the display depth, or its parent is
    /// on another page): the view says "in reply to NAME".
    pub detached: bool,
    pub children: Vec<Node<T>>,
}

/// Builds the display tree. `comments` must be in `path` order; `max_depth` is how many
/// levels are nested visually (at least 1).
pub fn build<T: Threaded>(comments: Vec<T>, max_depth: usize) -> Vec<Node<T>> {
    let last_level = max_depth.max(1) - 1;
    let mut slots: Vec<Option<(T, bool)>> = Vec::with_capacity(comments.len());
    let mut children: Vec<Vec<usize>> = Vec::with_capacity(comments.len());
    let mut index_of: HashMap<i64, usize> = HashMap::with_capacity(comments.len());
    let mut roots = Vec::new();

    for comment in comments {
        let depth = usize::try_from(comment.depth()).unwrap_or(0);
        let level = depth.min(last_level);
        let display_parent = match level {
            0 => None,
            level => comment
                .path()
                .split('/')
                .nth(level - 1)
                .and_then(|segment| segment.parse::<i64>().ok())
                .and_then(|id| index_of.get(&id).copied()),
        };
        let index = slots.len();
        index_of.insert(comment.id(), index);
        let detached = depth > level || (depth > 0 && display_parent.is_none());
        slots.push(Some((comment, detached)));
        children.push(Vec::new());
        match display_parent {
            Some(parent) => children[parent].push(index),
            None => roots.push(index),
        }
    }

    fn assemble<T>(i: usize, slots: &mut [Option<(T, bool)>], children: &[Vec<usize>]) -> Option<Node<T>> {
        let (item, detached) = slots[i].take()?;
        let kids = children[i].iter().filter_map(|&c| assemble(c, slots, children)).collect();
        Some(Node { item, detached, children: kids })
    }
    roots.into_iter().filter_map(|r| assemble(r, &mut slots, &children)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reply_past_the_deepest_level_is_attached_beside_the_comment_it_answers() {
        let mut path = child_path(None, 1);
        for id in 2..=101 {
            path = child_path(Some(&path), id);
        }
        // Comment 101 sits at depth 100, the deepest: a reply to it goes under 100.
        assert_eq!(attach_to(101, &path, 100), 100);
        assert_eq!(attach_to(7, "0000000001/0000000007", 1), 7, "shallow replies stay where they are");
        assert!(path.len() < 2704 / 2, "the deepest path fits a PostgreSQL index entry");
    }

    use super::*;

    struct C {
        id: i64,
        depth: i32,
        path: String,
    }

    impl Threaded for C {
        fn id(&self) -> i64 {
            self.id
        }
        fn depth(&self) -> i32 {
            self.depth
        }
        fn path(&self) -> &str {
            &self.path
        }
    }

    /// Comments from (id, parent) pairs, given in creation order, returned in path order.
    fn comments(pairs: &[(i64, Option<i64>)]) -> Vec<C> {
        let mut out: Vec<C> = Vec::new();
        for &(id, parent) in pairs {
            let parent = parent.and_then(|p| out.iter().find(|c| c.id == p));
            let path = child_path(parent.map(|p| p.path.as_str()), id);
            let depth = parent.map_or(0, |p| p.depth + 1);
            out.push(C { id, depth, path });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    fn shape(nodes: &[Node<C>]) -> String {
        nodes
            .iter()
            .map(|n| {
                let mark = if n.detached { "~" } else { "" };
                if n.children.is_empty() {
                    format!("{mark}{}", n.item.id)
                } else {
                    format!("{mark}{}({})", n.item.id, shape(&n.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn paths_sort_as_the_tree_reads() {
        assert_eq!(child_path(None, 7), "0000000007");
        assert_eq!(child_path(Some("0000000007"), 12), "0000000007/0000000012");
        let tree = comments(&[(1, None), (2, None), (3, Some(1)), (4, Some(3)), (5, Some(1)), (6, Some(2))]);
        let ids: Vec<i64> = tree.iter().map(|c| c.id).collect();
        assert_eq!(ids, [1, 3, 4, 5, 2, 6]);
    }

    #[test]
    fn replies_nest_under_their_parents() {
        let tree = build(comments(&[(1, None), (2, None), (3, Some(1)), (4, Some(3)), (5, Some(1)), (6, Some(2))]), 5);
        assert_eq!(shape(&tree), "1(3(4) 5) 2(6)");
    }

    #[test]
    fn replies_below_the_display_depth_are_flattened_in_order() {
        // 1 > 2 > 3 > 4 > 5 > 6 > 7, and 8 replies to 5.
        let chain = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (4, Some(3)),
            (5, Some(4)),
            (6, Some(5)),
            (7, Some(6)),
            (8, Some(5)),
        ];
        let tree = build(comments(&chain), 5);
        assert_eq!(shape(&tree), "1(2(3(4(5 ~6 ~7 ~8))))");
        let flat = build(comments(&chain), 1);
        assert_eq!(shape(&flat), "1 ~2 ~3 ~4 ~5 ~6 ~7 ~8");
    }

    #[test]
    fn a_comment_whose_parent_is_not_loaded_starts_its_own_branch() {
        let mut all = comments(&[(1, None), (2, Some(1)), (3, Some(2)), (4, Some(1))]);
        all.retain(|c| c.id != 1);
        assert_eq!(shape(&build(all, 5)), "~2(3) ~4");
    }
}
