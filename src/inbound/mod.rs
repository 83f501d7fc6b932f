//! Mail coming in: replies to notifications, from `answerable mail receive` (a
//! message piped by Postfix or Exim on standard input) or from the SMTP listener in
//! `serve` (`smtp`). Both hand the raw message to `Inbox::take`, which reads it,
//! drops what a program sent, finds and checks its reply address, and has
//! `services::inbound` post or refuse it. What it answers the mail server is
//! `Outcome`, as an exit code (sysexits.h) or an SMTP reply.

pub mod smtp;

use std::sync::Arc;

use crate::config::{Settings, MAX_MESSAGE_BYTES};
use crate::db::Pool;
use crate::domain::inbound::{automatic, Dropped};
use crate::domain::reply_address::{token_in_message_id, ReplyAddress, ReplyToken};
use crate::domain::reply_text;
use crate::mail::worker::Signal;
use crate::mail::{inbound, MailContext};
use crate::services::inbound::{receive, Received, Reply, Rules};

/// What the mail server said about a message besides its text.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    /// The envelope sender (`MAIL FROM`, Postfix's `${sender}`); `Some("")` for a bounce.
    pub sender: Option<String>,
    /// The envelope recipients (`RCPT TO`, Postfix's `${recipient}`).
    pub recipients: Vec<String>,
}

/// What became of one message, as the mail server is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Posted, held for moderation, refused with an explanation, or a duplicate:
    /// the message is ours now.
    Taken(Received),
    /// An auto-reply, a bounce, or no new text: taken and dropped on purpose.
    Dropped(Dropped),
    /// No reply address, or one that was forged or altered, or its account is gone.
    NotOurs(String),
    /// Not a message that can be read.
    Unreadable(String),
    TooBig(usize),
    /// The database cannot be reached or refuses writes: try again later.
    Unavailable(String),
}

/// Exit codes from sysexits.h, which Postfix and Exim read from a pipe.
pub mod exit {
    pub const OK: u8 = 0;
    pub const DATAERR: u8 = 65;
    pub const NOUSER: u8 = 67;
    pub const TEMPFAIL: u8 = 75;
    pub const CONFIG: u8 = 78;
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Taken(_) | Self::Dropped(_) => exit::OK,
            Self::NotOurs(_) => exit::NOUSER,
            Self::Unreadable(_) | Self::TooBig(_) => exit::DATAERR,
            Self::Unavailable(_) => exit::TEMPFAIL,
        }
    }

    /// The SMTP reply: code and text.
    pub fn smtp(&self) -> (u16, String) {
        match self {
            Self::Taken(_) | Self::Dropped(_) => (250, format!("2.0.0 {}", self.describe())),
            Self::NotOurs(why) => (550, format!("5.1.1 {why}")),
            Self::Unreadable(why) => (554, format!("5.6.0 {why}")),
            Self::TooBig(_) => (552, format!("5.3.4 {}", self.describe())),
            Self::Unavailable(_) => (451, "4.3.0 the site cannot take mail just now; try again later".into()),
        }
    }

    /// One line for the log and the mail server.
    pub fn describe(&self) -> String {
        match self {
            Self::Taken(Received::Posted { reply_id, official: true }) => {
                format!("posted as official reply {reply_id}")
            }
            Self::Taken(Received::Posted { reply_id, .. }) => format!("posted as reply {reply_id}"),
            Self::Taken(Received::Held { reply_id }) => format!("posted as reply {reply_id}, held for moderation"),
            Self::Taken(Received::Refused { refusal, kept, .. }) => format!(
                "taken but not posted: {}{}",
                refusal.words(),
                if *kept { " (kept for the moderators)" } else { "" }
            ),
            Self::Taken(Received::Duplicate) => "already taken (the same Message-ID was received before)".into(),
            Self::Taken(Received::Dropped(why)) | Self::Dropped(why) => format!("dropped: {}", why.describe()),
            Self::Taken(Received::NoAccount) => "the account no longer exists".into(),
            Self::NotOurs(why) => why.clone(),
            Self::Unreadable(why) => format!("cannot read the message: {why}"),
            Self::TooBig(bytes) => format!("the message is too big ({bytes} bytes; at most {MAX_MESSAGE_BYTES})"),
            Self::Unavailable(why) => format!("try again later: {why}"),
        }
    }
}

/// Takes replies into a database.
#[derive(Clone)]
pub struct Inbox {
    pool: Pool,
    mail: Arc<MailContext>,
    address: ReplyAddress,
    rules: Rules,
    /// Wakes the mail worker in this process, when there is one.
    mailer: Option<Arc<Signal>>,
}

impl Inbox {
    /// `None` when reply-by-email is off (no ANSWERABLE_REPLY_DOMAIN).
    pub fn new(settings: &Settings, pool: Pool, mailer: Option<Arc<Signal>>) -> Option<Self> {
        Some(Self {
            pool,
            mail: Arc::new(MailContext::from_settings(settings)),
            address: settings.inbound.address.clone()?,
            rules: Rules { token_days: settings.inbound.token_days, limits: settings.abuse },
            mailer,
        })
    }

    /// Whether the listener should take mail for `recipient`: a reply address whose
    /// token verifies, or another address in the reply domain (whose message may name
    /// its token in In-Reply-To). `Err` says why not.
    pub fn accepts(&self, recipient: &str) -> Result<(), String> {
        match self.address.token_in(recipient) {
            Some(token) if self.mail.verify_reply(&token).is_some() => Ok(()),
            Some(_) => Err("no such reply address (it was altered or is not this site's)".into()),
            None if self.address.in_domain(recipient) => Ok(()),
            None => Err("this server takes only replies to the site's emails".into()),
        }
    }

    /// Reads and takes one message.
    pub fn take(&self, raw: &[u8], envelope: &Envelope) -> Outcome {
        let outcome = self.outcome(raw, envelope);
        match &outcome {
            Outcome::Taken(Received::Posted { .. } | Received::Held { .. } | Received::Refused { .. }) => {
                if let Some(mailer) = &self.mailer {
                    mailer.wake();
                }
            }
            Outcome::Unavailable(why) => tracing::error!(error = %why, "could not take a reply by email"),
            Outcome::Taken(_) => {}
            other => tracing::info!(outcome = %other.describe(), "message by email not posted"),
        }
        outcome
    }

    fn outcome(&self, raw: &[u8], envelope: &Envelope) -> Outcome {
        if raw.len() > MAX_MESSAGE_BYTES {
            return Outcome::TooBig(raw.len());
        }
        let message = match inbound::parse(raw) {
            Ok(message) => message,
            Err(error) => return Outcome::Unreadable(error.to_string()),
        };
        if let Some(dropped) = automatic(&message.signs(envelope.sender.as_deref())) {
            return Outcome::Dropped(dropped);
        }
        let token = match self.token(&message, envelope) {
            Ok(token) => token,
            Err(why) => return Outcome::NotOurs(why),
        };
        let text = reply_text::new_text(&message.text);
        if text.trim().is_empty() {
            return Outcome::Dropped(Dropped::NoText);
        }
        let key = message.key(raw);
        let reply = Reply { key: &key, token, from: &message.from, text: &text };
        let mut conn = match self.pool.get() {
            Ok(conn) => conn,
            Err(error) => return Outcome::Unavailable(error.to_string()),
        };
        match receive(&mut conn, &self.mail, &self.rules, &reply) {
            Ok(Received::NoAccount) => Outcome::NotOurs("the account this reply address was made for is gone".into()),
            Ok(received) => Outcome::Taken(received),
            Err(error) => Outcome::Unavailable(crate::error::cause_chain(&error)),
        }
    }

    /// The reply token the message is for. The envelope's recipients say it when
    /// they hold one; otherwise the message's own (Delivered-To, To, Cc); and only when
    /// it was sent to no reply address at all (a client that answered the From, or
    /// a forwarder that dropped the `+token`), the Message-IDs it answers. A token
    /// that does not verify is refused, never passed over for another.
    fn token(&self, message: &inbound::Inbound, envelope: &Envelope) -> Result<ReplyToken, String> {
        let tokens = |addresses: &[String]| -> Vec<String> {
            addresses.iter().filter_map(|a| self.address.token_in(a)).collect()
        };
        let answered = || message.answers.iter().filter_map(|id| token_in_message_id(id)).collect::<Vec<_>>();
        let candidates = [tokens(&envelope.recipients), tokens(&message.recipients)]
            .into_iter()
            .find(|found| !found.is_empty())
            .unwrap_or_else(answered);
        if candidates.is_empty() {
            return Err("the message is not addressed to a reply address".into());
        }
        candidates
            .iter()
            .find_map(|t| self.mail.verify_reply(t))
            .ok_or_else(|| "no such reply address (it was altered or is not this site's)".into())
    }
}
