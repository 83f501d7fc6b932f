//! The daily digest: sections of items, each with what the comment says, how long it
//! has waited against its department's target, and the link that acts on it.

use maud::html;

use super::{notification_footer, page};
use crate::mail::Email;

/// One section of a daily digest: a heading and its lines.
pub struct DigestSection {
    pub heading: String,
    pub lines: Vec<DigestLine>,
}

/// One item of a digest: who wrote where, the first words of the comment, how long it
/// has waited, the link that acts on it (and what that link does), and the address
/// that answers it by email when it can be answered.
pub struct DigestLine {
    pub text: String,
    /// The comment's first words, as plain text.
    pub excerpt: String,
    pub waiting: Option<Waiting>,
    pub link: String,
    /// What following the link does: "Respond", "Route it", "Read it in context".
    pub action: &'static str,
    pub reply: Option<String>,
}

/// How long a comment has waited for a response, in working days, and the response
/// target of the department it is routed to (none when it is not routed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub days: i64,
    pub target: Option<i64>,
}

fn working_days(n: i64) -> String {
    if n == 1 {
        "1 working day".to_owned()
    } else {
        format!("{n} working days")
    }
}

impl Waiting {
    /// "Waiting 6 working days, target 5: overdue by 1 working day", in the words the
    /// pages use ("waiting less than a working day" on the first day).
    pub fn words(&self) -> String {
        let waited = match self.days {
            0 => "Waiting less than a working day".to_owned(),
            n => format!("Waiting {}", working_days(n)),
        };
        let Some(target) = self.target else { return waited };
        let standing = match self.days - target {
            late if late > 0 => format!("overdue by {}", working_days(late)),
            0 => "due today".to_owned(),
            early => format!("due in {}", working_days(-early)),
        };
        format!("{waited}, target {target}: {standing}")
    }

    pub fn overdue(&self) -> bool {
        self.target.is_some_and(|target| self.days > target)
    }
}

pub fn digest(to: &str, sections: &[DigestSection], settings_link: &str, unsubscribe: &str) -> Email {
    let total: usize = sections.iter().map(|s| s.lines.len()).sum();
    let subject = format!("Your Answerable daily digest: {total} item{}", if total == 1 { "" } else { "s" });
    let mut text = String::new();
    for section in sections {
        text.push_str(&format!("{}\n\n", section.heading));
        for line in &section.lines {
            text.push_str(&format!("- {}\n", line.text));
            if !line.excerpt.is_empty() {
                text.push_str(&format!("  “{}”\n", line.excerpt));
            }
            if let Some(waiting) = &line.waiting {
                text.push_str(&format!("  {}\n", waiting.words()));
            }
            text.push_str(&format!("  {}: {}\n", line.action, line.link));
            if let Some(reply) = &line.reply {
                text.push_str(&format!("  Answer by email: {reply}\n"));
            }
            text.push('\n');
        }
    }
    if sections.iter().flat_map(|s| &s.lines).any(|line| line.reply.is_some()) {
        text.push_str("To answer an item by email, write to its address: your email is posted as a reply to it.\n");
    }
    let reason = format!("You chose a daily digest. Change what you get: {settings_link}");
    let (footer_text, footer_html) = notification_footer(&reason, unsubscribe);
    text.push_str(&footer_text);
    let body = html! {
        @for section in sections {
            h2 style="font-size:18px;margin:16px 0 8px" { (section.heading) }
            ul style="padding-left:20px" {
                @for line in &section.lines {
                    li style="margin:0 0 16px" {
                        strong { (line.text) }
                        @if !line.excerpt.is_empty() {
                            p style="margin:4px 0;padding:0 0 0 12px;border-left:3px solid #b1b4b6" { (line.excerpt) }
                        }
                        @if let Some(waiting) = &line.waiting {
                            p style="margin:4px 0" {
                                @if waiting.overdue() { strong { (waiting.words()) } } @else { (waiting.words()) }
                            }
                        }
                        p style="margin:4px 0" {
                            a href=(line.link) { (line.action) }
                            @if let Some(reply) = &line.reply {
                                " · " a href=(format!("mailto:{reply}")) { "answer by email" }
                            }
                        }
                    }
                }
            }
        }
    };
    Email {
        to: to.to_owned(),
        subject: subject.clone(),
        text,
        html: page(&subject, body, footer_html),
        references: Vec::new(),
        unsubscribe_url: Some(unsubscribe.to_owned()),
        ..Email::default()
    }
}

#[cfg(test)]
mod tests {
    use super::Waiting;

    #[test]
    fn the_wait_reads_against_the_target() {
        let words = |days, target| Waiting { days, target }.words();
        assert_eq!(words(6, Some(5)), "Waiting 6 working days, target 5: overdue by 1 working day");
        assert_eq!(words(9, Some(5)), "Waiting 9 working days, target 5: overdue by 4 working days");
        assert_eq!(words(5, Some(5)), "Waiting 5 working days, target 5: due today");
        assert_eq!(words(1, Some(5)), "Waiting 1 working day, target 5: due in 4 working days");
        assert_eq!(words(0, Some(1)), "Waiting less than a working day, target 1: due in 1 working day");
        assert_eq!(words(3, None), "Waiting 3 working days");
    }
}
