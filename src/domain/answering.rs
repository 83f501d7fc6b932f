//! Which comments an official reply is offered to answer as well: a short list that
//! stays usable on a post with hundreds of open comments. Comments chosen already
//! (in the triage queue, or ticked before) come first; then, when the official
//! searches, the comments whose author or text match; otherwise the rest of the
//! conversation being replied to, then comments routed to the official's departments.

/// Most comments offered at once (besides those chosen already).
pub const SHORTLIST: usize = 15;

/// A comment on the post still open to an answer (awaiting, acknowledged, referred).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenComment {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub thread_id: i64,
    pub department_id: Option<i64>,
}

/// Why a comment is on the list, as the form says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Chosen,
    Matches,
    SameConversation,
    RoutedToYou,
}

impl Why {
    pub fn label(self) -> &'static str {
        match self {
            Self::Chosen => "selected",
            Self::Matches => "matches your search",
            Self::SameConversation => "in this conversation",
            Self::RoutedToYou => "routed to your department",
        }
    }
}

/// What the list is for: the comment replied to (left out: the reply answers it
/// anyway), its conversation, the official's departments, a search, and the
/// comments chosen already.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    pub replying_to: Option<i64>,
    pub thread_id: Option<i64>,
    pub departments: &'a [i64],
    pub search: &'a str,
    pub chosen: &'a [i64],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortlist {
    /// Indexes into the open comments, in the order to show, with why each is there.
    pub items: Vec<(usize, Why)>,
    /// Comments that would qualify but are not shown (past `SHORTLIST`).
    pub more: usize,
}

fn matches(comment: &OpenComment, words: &[String]) -> bool {
    let haystack = format!("{} {}", comment.author, comment.body).to_lowercase();
    words.iter().all(|w| haystack.contains(w.as_str()))
}

/// The short list of `open` (oldest first) for `context`.
pub fn shortlist(open: &[OpenComment], context: &Context) -> Shortlist {
    let eligible = |c: &OpenComment| Some(c.id) != context.replying_to;
    let mut items: Vec<(usize, Why)> = open
        .iter()
        .enumerate()
        .filter(|(_, c)| eligible(c) && context.chosen.contains(&c.id))
        .map(|(i, _)| (i, Why::Chosen))
        .collect();
    let unchosen = || open.iter().enumerate().filter(|(_, c)| eligible(c) && !context.chosen.contains(&c.id));
    let words: Vec<String> = context.search.split_whitespace().map(str::to_lowercase).collect();
    let candidates: Vec<(usize, Why)> = if words.is_empty() {
        let same =
            unchosen().filter(|(_, c)| context.thread_id == Some(c.thread_id)).map(|(i, _)| (i, Why::SameConversation));
        let routed = unchosen()
            .filter(|(_, c)| context.thread_id != Some(c.thread_id))
            .filter(|(_, c)| c.department_id.is_some_and(|d| context.departments.contains(&d)))
            .map(|(i, _)| (i, Why::RoutedToYou));
        same.chain(routed).collect()
    } else {
        unchosen().filter(|(_, c)| matches(c, &words)).map(|(i, _)| (i, Why::Matches)).collect()
    };
    let more = candidates.len().saturating_sub(SHORTLIST);
    items.extend(candidates.into_iter().take(SHORTLIST));
    Shortlist { items, more }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(id: i64, thread_id: i64, department_id: Option<i64>, body: &str) -> OpenComment {
        OpenComment { id, author: format!("Author {id}"), body: body.to_owned(), thread_id, department_id }
    }

    fn ids(open: &[OpenComment], list: &Shortlist) -> Vec<(i64, Why)> {
        list.items.iter().map(|(i, why)| (open[*i].id, *why)).collect()
    }

    #[test]
    fn chosen_first_then_the_conversation_then_the_departments_comments() {
        let comments = vec![
            open(1, 1, None, "Log-in takes nine minutes"),
            open(2, 2, Some(7), "Printers"),
            open(3, 1, None, "Same here"),
            open(4, 4, Some(8), "Not yours"),
            open(5, 5, Some(7), "VPN"),
        ];
        let context = Context { replying_to: Some(1), thread_id: Some(1), departments: &[7], search: "", chosen: &[4] };
        let list = shortlist(&comments, &context);
        assert_eq!(
            ids(&comments, &list),
            [(4, Why::Chosen), (3, Why::SameConversation), (2, Why::RoutedToYou), (5, Why::RoutedToYou)]
        );
        assert_eq!(list.more, 0);
    }

    #[test]
    fn a_search_lists_only_matches_in_any_case_and_all_its_words() {
        let comments = vec![open(1, 1, None, "Log-in takes NINE minutes"), open(2, 2, Some(7), "nine printers")];
        let context = Context { search: " nine  log-in ", ..Context::default() };
        assert_eq!(ids(&comments, &shortlist(&comments, &context)), [(1, Why::Matches)]);
        let by_author = Context { search: "author 2", ..Context::default() };
        assert_eq!(ids(&comments, &shortlist(&comments, &by_author)), [(2, Why::Matches)]);
    }

    #[test]
    fn the_list_stays_short_and_says_how_many_more_there_are() {
        let comments: Vec<OpenComment> = (1..=40).map(|id| open(id, id, Some(7), "VPN")).collect();
        let list = shortlist(&comments, &Context { departments: &[7], ..Context::default() });
        assert_eq!(list.items.len(), SHORTLIST);
        assert_eq!(list.more, 40 - SHORTLIST);
    }
}
