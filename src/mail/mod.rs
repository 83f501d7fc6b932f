//! Email: the words of each message (`templates`), message formatting, and the
//! worker that sends the outbox (its settings are `config::MailSettings`).
//! What is owed is decided in `services::notify`, inside the transaction of the
//! event that causes it; this module only formats and delivers.

pub mod inbound;
pub mod message;
pub mod templates;
pub mod transport;
pub mod worker;

use lettre::message::Mailbox;

pub use message::{Email, Formatted, ReplyTo};

use crate::config::Settings;
use crate::domain::notification::Unsubscribe;
use crate::domain::reply_address::{ReplyAddress, ReplyToken};

/// What formatting a message needs: links, the sender, and the key that signs
/// unsubscribe links and reply addresses. Made once from the settings.
#[derive(Debug, Clone)]
pub struct MailContext {
    pub base_url: String,
    pub from: Mailbox,
    pub host: String,
    key: Vec<u8>,
    /// How reply addresses look; `None` when reply-by-email is off.
    reply: Option<ReplyAddress>,
}

impl MailContext {
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            base_url: settings.base_url.clone(),
            from: settings.mail.from.clone(),
            host: settings.mail.host.clone(),
            key: settings.secret.clone(),
            reply: settings.inbound.address.clone(),
        }
    }

    /// An absolute link to a path on the site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn unsubscribe_url(&self, what: Unsubscribe) -> String {
        self.url(&self.unsubscribe_path(what))
    }

    /// The same link as a path on this site, for forms on its pages.
    pub fn unsubscribe_path(&self, what: Unsubscribe) -> String {
        format!("/unsubscribe/{}", what.token(&self.key))
    }

    pub fn verify_unsubscribe(&self, token: &str) -> Option<Unsubscribe> {
        Unsubscribe::verify(token, &self.key)
    }

    /// The reply address for `token`, when reply-by-email is on.
    pub fn reply_to(&self, token: ReplyToken) -> Option<ReplyTo> {
        let shape = self.reply.as_ref()?;
        let token = token.sign(&self.key);
        Some(ReplyTo { address: shape.address(&token), token })
    }

    /// The shape of reply addresses, when reply-by-email is on.
    pub fn reply_address(&self) -> Option<&ReplyAddress> {
        self.reply.as_ref()
    }

    /// Reads a reply token made with this site's key.
    pub fn verify_reply(&self, token: &str) -> Option<ReplyToken> {
        ReplyToken::verify(token, &self.key)
    }
}
