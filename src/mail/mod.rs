//! Email: the words of each message (`templates`), message formatting, and the
//! worker that sends the outbox (its settings are `config::MailSettings`).
//! What is owed is decided in `services::notify`, inside the transaction of the
//! event that causes it; this module only formats and delivers.

pub mod message;
pub mod templates;
pub mod worker;

use lettre::message::Mailbox;

pub use message::{Email, Formatted};

use crate::config::Settings;
use crate::domain::notification::Unsubscribe;

/// What formatting a message needs: links, the sender, and the key that signs
/// unsubscribe links. Made once from the settings.
#[derive(Debug, Clone)]
pub struct MailContext {
    pub base_url: String,
    pub from: Mailbox,
    pub host: String,
    key: Vec<u8>,
}

impl MailContext {
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            base_url: settings.base_url.clone(),
            from: settings.mail.from.clone(),
            host: settings.mail.host.clone(),
            key: settings.secret.clone(),
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
}
