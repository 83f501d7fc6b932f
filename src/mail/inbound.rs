//! Reading an emailed reply (RFC 5322, MIME) with mail-parser: multipart bodies,
//! quoted-printable and base64, charsets, HTML-only mail as text. What is kept is
//! what the rules in `domain::inbound` and `domain::reply_text` need; attachments
//! (inline images, files) are never read.

use mail_parser::{HeaderValue, MessageParser, MimeHeaders, PartType};

use crate::domain::inbound::Signs;
use crate::domain::reply_text;

/// A received message, as far as reply-by-email needs it.
#[derive(Debug, Clone, Default)]
pub struct Inbound {
    /// Without angle brackets; `None` when the message has none.
    pub message_id: Option<String>,
    /// The From address (without a display name).
    pub from: String,
    pub subject: String,
    /// Every header name, lower case.
    pub header_names: Vec<String>,
    pub auto_submitted: Option<String>,
    pub precedence: Option<String>,
    pub return_path: Option<String>,
    pub content_type: String,
    /// Where the message says it was delivered: Delivered-To, X-Original-To, To, Cc.
    pub recipients: Vec<String>,
    /// Message-IDs it answers: In-Reply-To, then References (newest first).
    pub answers: Vec<String>,
    /// The text of its body parts (HTML read as text), before the history is cut.
    pub text: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("it is not an email message (no headers could be read)")]
    NotAMessage,
    #[error("it has no From address")]
    NoSender,
}

/// Parses one message. A leading mbox `From ` line (as some MTAs pipe it) is skipped.
pub fn parse(raw: &[u8]) -> Result<Inbound, ParseError> {
    let raw = skip_mbox_line(raw);
    let message = MessageParser::default().parse(raw).ok_or(ParseError::NotAMessage)?;
    if message.headers().is_empty() {
        return Err(ParseError::NotAMessage);
    }
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_owned)
        .filter(|a| a.contains('@'))
        .ok_or(ParseError::NoSender)?;
    let raw_header = |name: &str| message.header_raw(name).map(|v| v.trim().to_owned());
    let mut recipients: Vec<String> = ["Delivered-To", "X-Original-To"]
        .iter()
        .flat_map(|name| {
            message.headers().iter().filter(|h| h.name().eq_ignore_ascii_case(name)).filter_map(|h| {
                let value = &raw[h.offset_start() as usize..h.offset_end() as usize];
                std::str::from_utf8(value).ok().map(|v| v.trim().to_owned())
            })
        })
        .collect();
    for list in message.all_to().chain(message.all_cc()) {
        recipients.extend(list.iter().filter_map(|a| a.address()).map(str::to_owned));
    }
    let mut answers = ids(message.in_reply_to());
    let mut references = ids(message.references());
    references.reverse();
    answers.extend(references);
    let content_type = message
        .content_type()
        .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase())
        .unwrap_or_else(|| "text/plain".into());
    Ok(Inbound {
        message_id: message.message_id().map(str::to_owned).filter(|id| !id.trim().is_empty()),
        from,
        subject: message.subject().unwrap_or("").to_owned(),
        header_names: message.headers().iter().map(|h| h.name().to_ascii_lowercase()).collect(),
        auto_submitted: raw_header("Auto-Submitted"),
        precedence: raw_header("Precedence"),
        return_path: raw_header("Return-Path"),
        content_type,
        recipients,
        answers,
        text: body_text(&message),
    })
}

fn skip_mbox_line(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"From ") {
        if let Some(end) = raw.iter().position(|b| *b == b'\n') {
            return &raw[end + 1..];
        }
    }
    raw
}

/// Message-IDs in In-Reply-To or References, without angle brackets.
fn ids(value: &HeaderValue) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The text parts the message is read as (mail-parser picks the plain part of an
/// alternative, and the HTML one when there is no plain part), joined. An HTML part
/// is cut at its quote containers before it is read as text.
fn body_text(message: &mail_parser::Message) -> String {
    let mut texts = Vec::new();
    for part in message.text_bodies() {
        if part.content_disposition().is_some_and(|d| d.is_attachment()) {
            continue;
        }
        match &part.body {
            PartType::Text(text) => {
                let flowed = part.content_type().and_then(|ct| ct.attribute("format"));
                if flowed.is_some_and(|f| f.eq_ignore_ascii_case("flowed")) {
                    let delsp = part.content_type().and_then(|ct| ct.attribute("delsp"));
                    texts.push(reply_text::unflow(text, delsp.is_some_and(|d| d.eq_ignore_ascii_case("yes"))));
                } else {
                    texts.push(text.to_string());
                }
            }
            PartType::Html(html) => {
                let cut = reply_text::html_before_history(html);
                texts.push(mail_parser::decoders::html::html_to_text(&cut));
            }
            _ => {}
        }
    }
    texts.join("\n")
}

impl Inbound {
    /// What the headers say, for `domain::inbound::automatic`.
    pub fn signs<'a>(&'a self, envelope_sender: Option<&'a str>) -> Signs<'a> {
        Signs {
            header_names: self.header_names.clone(),
            auto_submitted: self.auto_submitted.as_deref(),
            precedence: self.precedence.as_deref(),
            subject: &self.subject,
            return_path: self.return_path.as_deref(),
            envelope_sender,
            from: &self.from,
            content_type: &self.content_type,
        }
    }

    /// The key that tells one delivery of this message from another: its Message-ID,
    /// or a digest of the whole message when it has none.
    pub fn key(&self, raw: &[u8]) -> String {
        use sha2::Digest;
        match &self.message_id {
            Some(id) => id.trim().chars().take(900).collect(),
            None => format!("sha256:{}", hex::encode(sha2::Sha256::digest(raw))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_reply_is_read_with_its_headers() {
        let raw = "From: Dee Official <Dee@DWP.example>\r\nTo: Answerable <reply+1.2.0.3.ab@reply.example.org>\r\n\
            Subject: Re: New comment\r\nMessage-ID: <abc@dwp.example>\r\nIn-Reply-To: <r.1.2.0.3.ab.9@example.org>\r\n\
            References: <post-1@example.org> <thread-2@example.org> <r.1.2.0.3.ab.9@example.org>\r\n\
            Auto-Submitted: no\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
            --b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
            Caf=E9 opens at nine.\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Caf&eacute;</p>\r\n--b--\r\n";
        let inbound = parse(raw.as_bytes()).unwrap();
        assert_eq!(inbound.from, "Dee@DWP.example");
        assert_eq!(inbound.message_id.as_deref(), Some("abc@dwp.example"));
        assert_eq!(inbound.recipients, ["reply+1.2.0.3.ab@reply.example.org"]);
        assert_eq!(inbound.answers[0], "r.1.2.0.3.ab.9@example.org");
        assert_eq!(inbound.answers[1], "r.1.2.0.3.ab.9@example.org", "References, newest first");
        assert_eq!(inbound.auto_submitted.as_deref(), Some("no"));
        assert_eq!(inbound.content_type, "multipart/alternative");
        assert_eq!(inbound.text.trim(), "Café opens at nine.");
    }

    #[test]
    fn html_only_mail_is_read_as_text_without_its_quote() {
        let raw = "From: a@b.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <div>First line</div><div>Second &amp; last</div><div class=\"gmail_quote\">On Mon wrote:<blockquote>old</blockquote></div>";
        let text = parse(raw.as_bytes()).unwrap().text;
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["First line", "Second & last"]);
    }

    #[test]
    fn what_is_not_a_message_is_refused() {
        assert_eq!(parse(b"").unwrap_err(), ParseError::NotAMessage);
        assert_eq!(parse(b"Subject: no sender\r\n\r\nhello").unwrap_err(), ParseError::NoSender);
        let mbox = b"From dee@dwp.example Mon Feb  5 10:00:00 2024\nFrom: dee@dwp.example\n\nhi";
        assert_eq!(parse(mbox).unwrap().text.trim(), "hi");
    }
}
