//! Moderation rules: which comments wait for a moderator, and the spam rules that
//! need no outside service, and when a comment freeze holds. Pure functions of what
//! the caller read.

use chrono::NaiveDateTime;

/// When a comment freeze holds: from `starts_at` (at once when `None`) until
/// `ends_at` (until lifted when `None`). The one statement of the rule: the database
/// only finds a post's freezes, these decide which hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreezeWindow {
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
}

impl FreezeWindow {
    /// It has ended (it was lifted, or its period ran out).
    pub fn is_over(self, now: NaiveDateTime) -> bool {
        self.ends_at.is_some_and(|ends| ends <= now)
    }

    /// It closes comments now: started and not over.
    pub fn in_force(self, now: NaiveDateTime) -> bool {
        self.starts_at.is_none_or(|starts| starts <= now) && !self.is_over(now)
    }
}

/// Which new comments wait for a moderator before anyone else sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Premoderation {
    /// Every comment from someone who is not trusted.
    All,
    /// Comments from an email none of whose comments has been approved yet.
    FirstTime,
    None,
}

impl Premoderation {
    pub const ALL: [Premoderation; 3] = [Premoderation::All, Premoderation::FirstTime, Premoderation::None];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "all" => Some(Self::All),
            "first_time" => Some(Self::FirstTime),
            "none" => Some(Self::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::FirstTime => "first_time",
            Self::None => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "Hold every comment for a moderator",
            Self::FirstTime => "Hold comments from first-time commenters only",
            Self::None => "Publish comments straight away",
        }
    }
}

/// Why a comment waits in the queue, as moderators read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hold {
    /// Pre-moderation holds every comment.
    Everyone,
    /// The author has no approved comment yet.
    FirstTime,
    /// A spam rule matched; the text says which.
    SpamSuspected(String),
}

impl Hold {
    pub fn reason(&self) -> String {
        match self {
            Self::Everyone => "Pre-moderation: every comment is held".to_owned(),
            Self::FirstTime => "First comment from this email address".to_owned(),
            Self::SpamSuspected(rule) => format!("Spam suspected: {rule}"),
        }
    }

    pub fn is_spam(&self) -> bool {
        matches!(self, Self::SpamSuspected(_))
    }
}

/// What decides pre-moderation for one comment.
pub struct Author {
    /// A trusted account, a moderator or admin, or an official: never held.
    pub trusted: bool,
    /// Some earlier comment from the same email was approved.
    pub approved_before: bool,
}

/// `None` publishes the comment at once.
pub fn premoderation_hold(mode: Premoderation, author: &Author) -> Option<Hold> {
    if author.trusted {
        return None;
    }
    match mode {
        Premoderation::All => Some(Hold::Everyone),
        Premoderation::FirstTime if !author.approved_before => Some(Hold::FirstTime),
        Premoderation::FirstTime | Premoderation::None => None,
    }
}

/// The admin-editable lists a comment is checked against, lower-cased.
#[derive(Debug, Clone, Default)]
pub struct Blocklist {
    pub words: Vec<String>,
    pub domains: Vec<String>,
    pub ips: Vec<String>,
    /// Email patterns: `*` matches any run of characters (`*@spam.example`).
    pub emails: Vec<String>,
}

/// A comment as the spam rules see it.
pub struct Submission<'a> {
    pub body: &'a str,
    pub email: &'a str,
    pub ip: Option<&'a str>,
}

/// Links (http(s) URLs and bare www. addresses) in a text.
pub fn links(text: &str) -> Vec<&str> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut rest = 0;
    while rest < lower.len() {
        let tail = &lower[rest..];
        let start = ["https://", "http://", "www."].iter().filter_map(|p| tail.find(p)).min();
        let Some(start) = start else { break };
        let begin = rest + start;
        let end = lower[begin..]
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\'' | '<'))
            .map_or(lower.len(), |e| begin + e);
        found.push(&text[begin..end]);
        rest = end.max(begin + 1);
    }
    found
}

/// The host of a link, lower-cased, without `www.`.
fn host(link: &str) -> String {
    let without_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    let host = without_scheme.split(['/', '?', '#', ':']).next().unwrap_or("");
    host.trim_start_matches("www.").to_ascii_lowercase()
}

/// `*` matches any run of characters; everything else literally, case-insensitively.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern = pattern.to_lowercase();
    let text = text.to_lowercase();
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        if i == 0 {
            if !text.starts_with(part) {
                return false;
            }
            at = part.len();
        } else if i == parts.len() - 1 {
            return text.len() >= at + part.len() && text.ends_with(part);
        } else {
            match text[at..].find(part) {
                Some(found) => at += found + part.len(),
                None => return false,
            }
        }
    }
    true
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| w == word) || (word.contains(' ') && text.contains(word))
}

/// The first spam rule the submission trips, in words for the moderator.
pub fn spam_rule(s: &Submission, list: &Blocklist, max_links: usize) -> Option<String> {
    let found = links(s.body);
    if found.len() > max_links {
        return Some(format!("{} links (more than {max_links})", found.len()));
    }
    let body = normalised(s.body);
    if let Some(word) = list.words.iter().find(|w| has_word(&body, w)) {
        return Some(format!("blocked word \u{201c}{word}\u{201d}"));
    }
    for link in &found {
        let host = host(link);
        if let Some(domain) = list.domains.iter().find(|d| host == **d || host.ends_with(&format!(".{d}"))) {
            return Some(format!("link to blocked domain {domain}"));
        }
    }
    if let Some(ip) = s.ip {
        if let Some(blocked) = list.ips.iter().find(|b| wildcard_match(b, ip)) {
            return Some(format!("blocked address {blocked}"));
        }
    }
    if let Some(pattern) = list.emails.iter().find(|p| wildcard_match(p, s.email)) {
        return Some(format!("blocked email pattern {pattern}"));
    }
    None
}

/// The text a duplicate is recognised by: lower-cased, whitespace collapsed.
pub fn normalised(body: &str) -> String {
    body.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_freeze_holds_from_its_start_until_its_end() {
        let at = |h: u32| chrono::NaiveDate::from_ymd_opt(2027, 4, 1).and_then(|d| d.and_hms_opt(h, 0, 0)).unwrap();
        let window = FreezeWindow { starts_at: Some(at(10)), ends_at: Some(at(12)) };
        assert!(!window.in_force(at(9)) && !window.is_over(at(9)), "to come");
        assert!(window.in_force(at(10)) && window.in_force(at(11)));
        assert!(!window.in_force(at(12)) && window.is_over(at(12)), "ends at its end");
        let open_ended = FreezeWindow { starts_at: None, ends_at: None };
        assert!(open_ended.in_force(at(0)) && !open_ended.is_over(at(23)));
    }

    fn list() -> Blocklist {
        Blocklist {
            words: vec!["casino".into()],
            domains: vec!["spam.example".into()],
            ips: vec!["203.0.113.*".into()],
            emails: vec!["*@junk.example".into()],
        }
    }

    fn check(body: &str, email: &str, ip: &str) -> Option<String> {
        spam_rule(&Submission { body, email, ip: Some(ip) }, &list(), 2)
    }

    #[test]
    fn modes_hold_whom_they_should() {
        let new = Author { trusted: false, approved_before: false };
        let known = Author { trusted: false, approved_before: true };
        let trusted = Author { trusted: true, approved_before: false };
        assert_eq!(premoderation_hold(Premoderation::All, &known), Some(Hold::Everyone));
        assert_eq!(premoderation_hold(Premoderation::All, &trusted), None);
        assert_eq!(premoderation_hold(Premoderation::FirstTime, &new), Some(Hold::FirstTime));
        assert_eq!(premoderation_hold(Premoderation::FirstTime, &known), None);
        assert_eq!(premoderation_hold(Premoderation::None, &new), None);
        for mode in Premoderation::ALL {
            assert_eq!(Premoderation::parse(mode.as_str()), Some(mode));
        }
    }

    #[test]
    fn each_spam_rule_matches() {
        assert_eq!(check("A fair point about opening hours", "a@b.example", "198.51.100.1"), None);
        assert!(check("see http://a.example http://b.example http://c.example", "a@b.example", "1.1.1.1")
            .unwrap()
            .contains("3 links"));
        assert!(check("Best CASINO in town", "a@b.example", "1.1.1.1").unwrap().contains("casino"));
        assert_eq!(check("Casinos are not the word", "a@b.example", "1.1.1.1"), None, "whole words only");
        assert!(check("go to https://www.spam.example/x", "a@b.example", "1.1.1.1").unwrap().contains("domain"));
        assert!(check("go to https://shop.spam.example/x", "a@b.example", "1.1.1.1").unwrap().contains("domain"));
        assert!(check("hello", "a@b.example", "203.0.113.9").unwrap().contains("address"));
        assert!(check("hello", "Someone@JUNK.example", "1.1.1.1").unwrap().contains("email"));
    }

    #[test]
    fn wildcards_and_links() {
        assert!(wildcard_match("*@junk.example", "x@junk.example"));
        assert!(!wildcard_match("*@junk.example", "x@junk.example.org"));
        assert!(wildcard_match("10.*.1", "10.2.3.1"));
        assert!(wildcard_match("exact@x.example", "Exact@X.example"));
        assert_eq!(links("[a](https://a.example/p) and www.b.example."), vec!["https://a.example/p", "www.b.example."]);
        assert_eq!(normalised("  Hello\n  World "), "hello world");
    }
}
