//! One email, formatted once: headers (Date, Message-ID, threading, one-click
//! unsubscribe) and a plain-text part with an HTML alternative.

use chrono::NaiveDateTime;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use rand::RngCore;

use crate::domain::reply_address;

/// What a notification says, before it is formatted.
#[derive(Debug, Clone, Default)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The discussion this message belongs to, as Message-IDs (oldest first); mail
    /// clients group messages that share them.
    pub references: Vec<String>,
    /// HTTPS address whose POST unsubscribes (RFC 8058), for notifications.
    pub unsubscribe_url: Option<String>,
    /// Where an answer to this email goes to be posted, for notifications that can be
    /// answered by email.
    pub reply_to: Option<ReplyTo>,
    /// `Auto-Submitted` (RFC 3834): set on mail that a program sends, so that
    /// out-of-office responders do not answer it.
    pub auto_submitted: Option<&'static str>,
}

/// A reply address and the signed token in it; the token goes in the Message-ID too,
/// so a reply whose client dropped the address still names it in `In-Reply-To`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTo {
    pub address: String,
    pub token: String,
}

/// The message as it will be sent, and its Message-ID.
#[derive(Debug, Clone)]
pub struct Formatted {
    pub message_id: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("`{0}` is not an email address that can be written to")]
    Recipient(String),
    #[error("the message could not be built: {0}")]
    Build(String),
}

/// The stable id of a discussion (a post or a thread), used in References.
pub fn discussion_id(what: &str, id: i64, host: &str) -> String {
    format!("<{what}-{id}@{host}>")
}

/// Formats an email sent from `from` at `at`, with a new unique Message-ID.
pub fn format(email: &Email, from: &Mailbox, host: &str, at: NaiveDateTime) -> Result<Formatted, MessageError> {
    let to: Mailbox = email.to.parse().map_err(|_| MessageError::Recipient(email.to.clone()))?;
    let mut random = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut random);
    let unique = format!("{}.{}", at.and_utc().timestamp(), hex::encode(random));
    let message_id = match &email.reply_to {
        Some(reply) => format!("<{}@{host}>", reply_address::message_id_local(&reply.token, &unique)),
        None => format!("<{unique}@{host}>"),
    };
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject.clone())
        .date(std::time::SystemTime::from(at.and_utc()))
        .message_id(Some(message_id.clone()));
    if let Some(reply) = &email.reply_to {
        let address = reply.address.parse().map_err(|_| MessageError::Recipient(reply.address.clone()))?;
        builder = builder.reply_to(Mailbox::new(from.name.clone(), address));
    }
    if let Some(value) = email.auto_submitted {
        builder = builder.header(AutoSubmitted(value.to_owned()));
    }
    if let Some(parent) = email.references.last() {
        builder = builder.in_reply_to(parent.clone()).references(email.references.join(" "));
    }
    if let Some(url) = &email.unsubscribe_url {
        builder = builder
            .header(ListUnsubscribe(format!("<{url}>")))
            .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()));
    }
    let body = MultiPart::alternative()
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.text.clone()))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(email.html.clone()));
    let message = builder.multipart(body).map_err(|e| MessageError::Build(e.to_string()))?;
    let message = String::from_utf8(message.formatted()).map_err(|e| MessageError::Build(e.to_string()))?;
    Ok(Formatted { message_id, message })
}

macro_rules! raw_header {
    ($type:ident, $name:literal) => {
        #[derive(Debug, Clone)]
        struct $type(String);

        impl Header for $type {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok(Self(s.to_owned()))
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

raw_header!(ListUnsubscribe, "List-Unsubscribe");
raw_header!(ListUnsubscribePost, "List-Unsubscribe-Post");
raw_header!(AutoSubmitted, "Auto-Submitted");

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email {
            to: "Ann Reader <ann@example.org>".into(),
            subject: "Official response from DWP to your comment — ünïcode".into(),
            text: "Plain words, and ünïcode.".into(),
            html: "<p>Plain words</p>".into(),
            references: vec![discussion_id("post", 1, "example.org"), discussion_id("thread", 9, "example.org")],
            unsubscribe_url: Some("https://example.org/unsubscribe/s1.abc".into()),
            ..Email::default()
        }
    }

    #[test]
    fn a_notification_has_both_parts_threading_and_one_click_unsubscribe() {
        let from: Mailbox = "Answerable <noreply@example.org>".parse().unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(9, 30, 0).unwrap();
        let formatted = format(&email(), &from, "example.org", at).unwrap();
        let parsed = mailparse::parse_mail(formatted.message.as_bytes()).unwrap();
        let header = |name: &str| {
            parsed.headers.iter().find(|h| h.get_key_ref().eq_ignore_ascii_case(name)).map(|h| h.get_value())
        };
        assert_eq!(header("Message-ID").as_deref(), Some(formatted.message_id.as_str()));
        assert_eq!(header("In-Reply-To").as_deref(), Some("<thread-9@example.org>"));
        assert_eq!(header("References").as_deref(), Some("<post-1@example.org> <thread-9@example.org>"));
        assert_eq!(header("List-Unsubscribe").as_deref(), Some("<https://example.org/unsubscribe/s1.abc>"));
        assert_eq!(header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
        assert_eq!(header("Subject").as_deref(), Some("Official response from DWP to your comment — ünïcode"));
        assert_eq!(header("Date").as_deref(), Some("Fri, 27 Nov 2026 09:30:00 +0000"));
        assert_eq!(parsed.subparts.len(), 2);
        assert_eq!(parsed.subparts[0].ctype.mimetype, "text/plain");
        assert_eq!(parsed.subparts[0].get_body().unwrap().trim(), "Plain words, and ünïcode.");
        assert_eq!(parsed.subparts[1].ctype.mimetype, "text/html");
    }

    #[test]
    fn an_answerable_notification_carries_its_reply_address_in_reply_to_and_the_message_id() {
        let from: Mailbox = "Answerable <noreply@example.org>".parse().unwrap();
        let token = "1.2.0.66a1b2c3.0123456789abcdef0123".to_owned();
        let answerable = Email {
            reply_to: Some(ReplyTo { address: format!("reply+{token}@reply.example.org"), token: token.clone() }),
            auto_submitted: Some("auto-generated"),
            ..email()
        };
        let formatted = format(&answerable, &from, "example.org", chrono::Utc::now().naive_utc()).unwrap();
        let parsed = mailparse::parse_mail(formatted.message.as_bytes()).unwrap();
        let header = |name: &str| {
            parsed.headers.iter().find(|h| h.get_key_ref().eq_ignore_ascii_case(name)).map(|h| h.get_value())
        };
        assert_eq!(
            header("Reply-To").as_deref(),
            Some(format!("Answerable <reply+{token}@reply.example.org>").as_str())
        );
        assert_eq!(header("Auto-Submitted").as_deref(), Some("auto-generated"));
        assert_eq!(reply_address::token_in_message_id(&formatted.message_id), Some(token));
        let plain = format(&email(), &from, "example.org", chrono::Utc::now().naive_utc()).unwrap();
        assert_eq!(reply_address::token_in_message_id(&plain.message_id), None);
        assert!(!plain.message.contains("\r\nReply-To:"));
    }

    #[test]
    fn a_bad_recipient_is_refused_before_anything_is_queued() {
        let from: Mailbox = "a@example.org".parse().unwrap();
        let mut bad = email();
        bad.to = "not an address".into();
        assert!(matches!(
            format(&bad, &from, "example.org", chrono::Utc::now().naive_utc()),
            Err(MessageError::Recipient(_))
        ));
    }
}
