//! The words of every email, as a plain-text part and a simple, accessible HTML
//! part. Comment text goes in as the author wrote it (Markdown) in the text part
//! and as its stored, sanitised HTML in the HTML part.

use maud::{html, Markup, DOCTYPE};

use crate::db::comments::Comment;
use crate::db::posts::Post;
use crate::domain::notification::StateNews;
use crate::domain::response::is_web_address;
use crate::mail::Email;

mod digest;

pub use digest::{digest, DigestLine, DigestSection, Waiting};

const SITE: &str = "Answerable";

/// A comment as an email shows it, with the link to it in context.
pub struct Shown<'a> {
    pub comment: &'a Comment,
    pub post: &'a Post,
    pub link: String,
    /// How to answer it by email, when the email can be answered.
    pub answer: Option<String>,
}

impl Shown<'_> {
    fn badge(&self) -> Option<String> {
        let c = self.comment;
        Some(format!("{}, {}, {}", c.badge_name.as_deref()?, c.badge_title.as_deref()?, c.badge_department.as_deref()?))
    }

    fn text(&self) -> String {
        let who = match self.badge() {
            Some(badge) => format!("{badge} (verified official)"),
            None => self.comment.author_name.clone(),
        };
        let answer = self.answer.as_deref().map(|words| format!("\n{words}\n")).unwrap_or_default();
        format!("{who} wrote:\n\n{}\n\nRead it in context: {}\n{answer}", quote(&self.comment.body_md), self.link)
    }

    fn html(&self) -> Markup {
        html! {
            @if let Some(badge) = self.badge() {
                p style="margin:0 0 8px;padding:6px 10px;border-left:4px solid #00703c;background:#e6f4ea;color:#0b0c0c" {
                    strong { "✔ Verified official response" } br;
                    (badge)
                }
            } @else {
                p style="margin:0 0 8px" { strong { (self.comment.author_name) } " wrote:" }
            }
            div style="margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #b1b4b6" { (self.comment.body_html) }
            p { a href=(self.link) { "Read it in context on the site" } }
            @if let Some(words) = &self.answer { p { strong { (words) } } }
        }
    }
}

fn quote(text: &str) -> String {
    text.trim().lines().map(|line| format!("> {line}")).collect::<Vec<_>>().join("\n")
}

/// The HTML part: one column, system fonts, real headings and links.
fn page(title: &str, body: Markup, footer: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (title) } }
            body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;background:#ffffff" {
                div style="max-width:600px" {
                    h1 style="font-size:20px;margin:0 0 16px" { (title) }
                    (body)
                    hr style="border:0;border-top:1px solid #b1b4b6;margin:24px 0 8px";
                    div style="font-size:14px;color:#505a5f" { (footer) }
                }
            }
        }
    }
    .into_string()
}

/// Why this email came, and the one-click way to stop it.
fn notification_footer(reason: &str, unsubscribe: &str) -> (String, Markup) {
    let text = format!("\n--\n{reason}\nTo stop these emails: {unsubscribe}\n");
    let html = html! {
        p { (reason) }
        p { a href=(unsubscribe) { "Unsubscribe from these emails" } }
    };
    (text, html)
}

fn notification(to: &str, subject: String, intro: String, shown: &Shown, reason: &str, unsubscribe: &str) -> Email {
    with_link(to, (subject, intro), None, shown, reason, unsubscribe)
}

/// A notification whose intro is followed by a link of its own, `(words, url)`.
fn with_link(
    to: &str,
    (subject, intro): (String, String),
    link: Option<(&str, &str)>,
    shown: &Shown,
    reason: &str,
    unsubscribe: &str,
) -> Email {
    let (footer_text, footer_html) = notification_footer(reason, unsubscribe);
    let text = format!("{intro}\n\n{}{footer_text}", shown.text());
    let body = html! {
        p { (intro) }
        @if let Some((words, url)) = link { p { (words) " " a href=(url) { (url) } } }
        (shown.html())
    };
    let html = page(&subject, body, footer_html);
    Email {
        to: to.to_owned(),
        subject,
        text,
        html,
        references: Vec::new(),
        unsubscribe_url: Some(unsubscribe.to_owned()),
        ..Email::default()
    }
}

/// Someone replied to your comment.
pub fn reply_to_you(to: &str, shown: &Shown, unsubscribe: &str) -> Email {
    let subject = format!("{} replied to your comment on “{}”", shown.comment.author_name, shown.post.title);
    let intro = format!("{} replied to your comment on “{}”.", shown.comment.author_name, shown.post.title);
    notification(
        to,
        subject,
        intro,
        shown,
        "You get this email because you asked to hear about replies to your comment.",
        unsubscribe,
    )
}

/// An official answered your comment (`yours`), or in a discussion you follow.
pub fn official_response(to: &str, shown: &Shown, yours: bool, unsubscribe: &str) -> Email {
    let department =
        shown.comment.badge_acronym.as_deref().or(shown.comment.badge_department.as_deref()).unwrap_or("an official");
    let (subject, intro, reason) = if yours {
        (
            format!("Official response from {department} to your comment"),
            format!(
                "{department} has responded to your comment on “{}”. Your comment is now marked answered.",
                shown.post.title
            ),
            "You get this email because you commented and asked to hear about responses.",
        )
    } else {
        (
            format!("Official response from {department} on “{}”", shown.post.title),
            format!(
                "{department} has posted an official response in a discussion you follow on “{}”.",
                shown.post.title
            ),
            "You get this email because you follow this discussion.",
        )
    };
    notification(to, subject, intro, shown, reason, unsubscribe)
}

/// A new comment in a thread or on a post you follow.
pub fn followed(to: &str, shown: &Shown, thread: bool, unsubscribe: &str) -> Email {
    let (subject, intro, reason) = if thread {
        (
            format!("New reply in a thread you follow on “{}”", shown.post.title),
            format!("{} replied in a thread you follow.", shown.comment.author_name),
            "You get this email because you follow this thread.",
        )
    } else {
        (
            format!("New comment on “{}”", shown.post.title),
            format!("{} commented on a post you follow.", shown.comment.author_name),
            "You get this email because you follow this post.",
        )
    };
    notification(to, subject, intro, shown, reason, unsubscribe)
}

/// Your comment was acknowledged, referred (and where to) or marked as needing no
/// response (and why). Only for the states its author is told of
/// (`Kind::for_state`).
pub fn state_changed(to: &str, shown: &Shown, news: &StateNews, unsubscribe: &str) -> Email {
    let intro = news.sentence().unwrap_or_default();
    let subject = news.subject(&shown.post.title);
    // A referral to a web address is a link to follow in the HTML part.
    let url = news.referred_to.filter(|t| is_web_address(t));
    with_link(
        to,
        (subject, intro),
        url.map(|url| ("Where to go next:", url)),
        shown,
        "You get this email because you asked to hear what happens to your comment.",
        unsubscribe,
    )
}

/// A comment was routed to a department you answer for.
pub fn routed(to: &str, shown: &Shown, department: &str, unsubscribe: &str) -> Email {
    let subject = format!("New comment for {department} on “{}”", shown.post.title);
    let intro = format!("This comment was routed to {department}, and waits for a response.");
    notification(
        to,
        subject,
        intro,
        shown,
        "You get this email because you are an official of this department.",
        unsubscribe,
    )
}

/// A comment waits for a moderator.
pub fn held(to: &str, shown: &Shown, unsubscribe: &str) -> Email {
    let subject = format!("Comment held for moderation on “{}”", shown.post.title);
    let intro = "This comment waits for a moderator: approve or reject it in the moderation queue.".to_owned();
    // A held comment has no public place yet: the link goes to the queue.
    let site = shown.link.rsplit_once("/comments/").map_or("", |(site, _)| site);
    let queue = Shown { comment: shown.comment, post: shown.post, link: format!("{site}/moderation"), answer: None };
    notification(to, subject, intro, &queue, "You get this email because you moderate comments.", unsubscribe)
}

/// A single-use link, with what it does and when it stops working.
fn link_email(to: &str, subject: &str, lines: &[&str], action: &str, link: &str, after: &str) -> Email {
    let text = format!("{}\n\n{action}: {link}\n\n{after}\n\n-- \n{SITE}\n", lines.join("\n\n"));
    let body = html! {
        @for line in lines { p { (line) } }
        p { a href=(link) style="display:inline-block;padding:8px 12px;background:#00703c;color:#ffffff;text-decoration:none;font-weight:bold" { (action) } }
        p style="font-size:14px" { "Or copy this address into your browser: " br; span style="word-break:break-all" { (link) } }
        p { (after) }
    };
    Email {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text,
        html: page(subject, body, html! { p { (SITE) } }),
        references: Vec::new(),
        unsubscribe_url: None,
        ..Email::default()
    }
}

/// Double opt-in: nothing else is sent to a guest's address until they click.
pub fn confirm_subscription(to: &str, what: &str, link: &str) -> Email {
    link_email(
        to,
        &format!("Confirm your email to {what}"),
        &[
            &format!("Someone (we hope you) asked to {what}, at this address."),
            "We will not email you about it until you confirm.",
        ],
        "Confirm my email address",
        link,
        "The link works once, for 7 days. If this was not you, ignore this email and you will hear nothing more.",
    )
}

pub fn verify_email(to: &str, name: &str, link: &str) -> Email {
    link_email(
        to,
        "Confirm your email address for Answerable",
        &[
            &format!("Hello {name},"),
            "Please confirm that this is your email address. We send notifications only to confirmed addresses.",
        ],
        "Confirm my email address",
        link,
        "The link works once, for 2 days. If you did not create an account or change your address, ignore this email.",
    )
}

pub fn password_reset(to: &str, link: &str) -> Email {
    link_email(
        to,
        "Reset your Answerable password",
        &["Someone (we hope you) asked to reset the password of the account with this email address."],
        "Choose a new password",
        link,
        "The link works once, for 1 hour. If you did not ask, ignore this email: your password stays as it is.",
    )
}

/// What a refused emailed reply is told.
pub struct Refused<'a> {
    /// Why, as the end of "… was not posted because …".
    pub reason: &'a str,
    pub post_title: &'a str,
    pub answered_author: &'a str,
    /// The site's form for answering the comment.
    pub form_link: &'a str,
    /// What they wrote, so nothing is lost.
    pub text: &'a str,
    /// An official's reply, kept for the moderators.
    pub kept: bool,
}

/// One short email about a reply by email that was not posted. It is marked as an
/// automatic answer and has no reply address, so no mail loop can start from it.
pub fn reply_refused(to: &str, r: &Refused) -> Email {
    let subject = "Your reply by email was not posted".to_owned();
    let intro = format!(
        "Your reply to {}'s comment on “{}” was not posted because {}.",
        r.answered_author, r.post_title, r.reason
    );
    let kept = "As it is an official reply, it is kept for the moderators, who can still post it.";
    let mut text = format!("{intro}\n\nYou can answer on the site instead: {}\n", r.form_link);
    if r.kept {
        text.push_str(&format!("\n{kept}\n"));
    }
    if !r.text.trim().is_empty() {
        text.push_str(&format!("\nWhat you wrote:\n\n{}\n", quote(r.text)));
    }
    text.push_str(&format!("\n-- \n{SITE}\n"));
    let body = html! {
        p { (intro) }
        p { a href=(r.form_link) { "Answer on the site instead" } }
        @if r.kept { p { (kept) } }
        @if !r.text.trim().is_empty() {
            p { "What you wrote:" }
            pre style="white-space:pre-wrap;font-family:inherit;margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #b1b4b6" { (r.text.trim()) }
        }
    };
    Email {
        to: to.to_owned(),
        subject: subject.clone(),
        text,
        html: page(&subject, body, html! { p { (SITE) } }),
        auto_submitted: Some("auto-replied"),
        ..Email::default()
    }
}
