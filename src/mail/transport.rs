//! Where the outbox worker hands messages: an SMTP server (with a timeout on every
//! step) or, with no server configured, `.eml` files; and how a failure is classed.

use std::path::PathBuf;

use lettre::address::Envelope;
use lettre::{Address, SmtpTransport, Transport as _};

use crate::config::redact_password as redact;
use crate::config::{MailSettings, Settings};
use crate::db::outbox::Claimed;

/// Where messages go: an SMTP server, or .eml files when none is configured.
pub enum Transport {
    Smtp(SmtpTransport),
    Files(PathBuf),
}

/// Why one message was not sent.
#[derive(Debug)]
pub(super) enum SendError {
    /// The server could not be reached: nothing else in the batch is tried now.
    Unreachable(String),
    /// Worth trying again later (4xx, a timeout).
    Transient(String),
    /// Will never work (5xx, an address the server refuses).
    Permanent(String),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        match &settings.mail.smtp_url {
            Some(url) => {
                let transport = SmtpTransport::from_url(url)
                    .map_err(|e| format!("ANSWERABLE_SMTP_URL {}: {e}", redact(url)))?
                    .timeout(Some(settings.mail.smtp_timeout))
                    .build();
                Ok(Self::Smtp(transport))
            }
            None => Ok(Self::Files(settings.data_dir.join("mail"))),
        }
    }

    pub fn describe(&self, settings: &MailSettings) -> String {
        match self {
            Self::Smtp(_) => format!("SMTP at {}", settings.smtp_url.as_deref().map(redact).unwrap_or_default()),
            Self::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    pub(super) fn send(&self, from: &Address, message: &Claimed) -> Result<(), SendError> {
        let to: Address = message
            .recipient
            .parse()
            .map_err(|e| SendError::Permanent(format!("recipient `{}`: {e}", message.recipient)))?;
        match self {
            Self::Smtp(smtp) => {
                let envelope = Envelope::new(Some(from.clone()), vec![to])
                    .map_err(|e| SendError::Permanent(format!("envelope: {e}")))?;
                smtp.send_raw(&envelope, message.message.as_bytes()).map(|_| ()).map_err(|e| {
                    if e.is_permanent() {
                        SendError::Permanent(e.to_string())
                    } else if e.is_transient() || e.is_response() {
                        SendError::Transient(e.to_string())
                    } else {
                        SendError::Unreachable(e.to_string())
                    }
                })
            }
            Self::Files(dir) => {
                let write = || -> std::io::Result<PathBuf> {
                    std::fs::create_dir_all(dir)?;
                    let path = dir.join(format!("{:08}.eml", message.id));
                    std::fs::write(&path, message.message.as_bytes())?;
                    Ok(path)
                };
                let path = write().map_err(|e| SendError::Unreachable(format!("writing {}: {e}", dir.display())))?;
                tracing::info!(path = %path.display(), to = %message.recipient, "email written to a file (no ANSWERABLE_SMTP_URL set)");
                Ok(())
            }
        }
    }
}
