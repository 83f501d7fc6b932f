//! Settings admins change at run time (pre-moderation, spam rules), read from the
//! database on each use so every app instance sees a change at once.

use diesel::prelude::*;

use crate::db::{self, AnyConnection};
use crate::domain::moderation::{Blocklist, Premoderation};
use crate::domain::time;
use crate::services::audit::{self, Entry};

pub const DEFAULT_MAX_LINKS: usize = 3;
pub const DEFAULT_FLAG_THRESHOLD: u32 = 3;

/// The moderation settings as a whole, as the admin form edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationSettings {
    pub premoderation: Premoderation,
    /// More links than this in one comment holds it as spam-suspected.
    pub max_links: usize,
    /// Open reports that hide a published comment until a moderator looks.
    pub flag_threshold: u32,
    pub blocklist_words: Vec<String>,
    pub blocklist_domains: Vec<String>,
    pub blocklist_ips: Vec<String>,
    pub blocklist_emails: Vec<String>,
}

impl ModerationSettings {
    pub fn blocklist(&self) -> Blocklist {
        Blocklist {
            words: self.blocklist_words.clone(),
            domains: self.blocklist_domains.clone(),
            ips: self.blocklist_ips.clone(),
            emails: self.blocklist_emails.clone(),
        }
    }

    /// One line per setting, for the audit log's before and after.
    pub fn summary(&self) -> String {
        format!(
            "pre-moderation: {}\nmost links: {}\nreports that hide a comment: {}\nblocked words: {}\nblocked domains: {}\nblocked addresses: {}\nblocked emails: {}",
            self.premoderation.as_str(),
            self.max_links,
            self.flag_threshold,
            self.blocklist_words.join(", "),
            self.blocklist_domains.join(", "),
            self.blocklist_ips.join(", "),
            self.blocklist_emails.join(", "),
        )
    }
}

const KINDS: [&str; 4] = ["word", "domain", "ip", "email"];

pub fn load(conn: &mut AnyConnection) -> QueryResult<ModerationSettings> {
    let values = db::settings::all(conn)?;
    let value = |name: &str| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let list = db::settings::blocklist(conn)?;
    let of = |kind: &str| list.iter().filter(|(k, _)| k == kind).map(|(_, p)| p.clone()).collect::<Vec<_>>();
    Ok(ModerationSettings {
        premoderation: value("premoderation").and_then(Premoderation::parse).unwrap_or(Premoderation::None),
        max_links: value("max_links").and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_MAX_LINKS),
        flag_threshold: value("flag_threshold").and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_FLAG_THRESHOLD),
        blocklist_words: of("word"),
        blocklist_domains: of("domain"),
        blocklist_ips: of("ip"),
        blocklist_emails: of("email"),
    })
}

/// Saves the settings and writes one audit row with what changed.
pub fn save(conn: &mut AnyConnection, actor: Option<i64>, new: &ModerationSettings) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let old = load(conn)?;
        if &old == new {
            return Ok(false);
        }
        db::settings::set(conn, "premoderation", new.premoderation.as_str())?;
        db::settings::set(conn, "max_links", &new.max_links.to_string())?;
        db::settings::set(conn, "flag_threshold", &new.flag_threshold.to_string())?;
        let now = time::now();
        let lists = [&new.blocklist_words, &new.blocklist_domains, &new.blocklist_ips, &new.blocklist_emails];
        for (kind, patterns) in KINDS.iter().zip(lists) {
            db::settings::replace_blocklist(conn, kind, patterns, now)?;
        }
        let (before, after) = (old.summary(), new.summary());
        audit::record(
            conn,
            actor,
            &Entry {
                action: "settings.moderation",
                target_type: "settings",
                target_id: None,
                target_label: "Moderation settings",
                before: Some(&before),
                after: Some(&after),
                reason: None,
            },
        )?;
        Ok(true)
    })
}

/// One pattern a line (or comma-separated), trimmed, lower-cased, without repeats.
pub fn parse_list(raw: &str) -> Vec<String> {
    let mut items: Vec<String> =
        raw.split(['\n', ',']).map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect();
    items.sort();
    items.dedup();
    items
}

/// The pre-moderation a post uses: its own override, or the site's.
pub fn mode_for(post: &db::posts::Post, site: &ModerationSettings) -> Premoderation {
    post.moderation.as_deref().and_then(Premoderation::parse).unwrap_or(site.premoderation)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_are_one_a_line_or_comma_separated() {
        assert_eq!(super::parse_list(" Casino\nloans, casino\n\n"), vec!["casino", "loans"]);
    }
}
