//! Email settings, read with the rest of the configuration.

use std::time::Duration;

use lettre::message::Mailbox;

use super::{redact_password as redact, ConfigError};

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port`, `smtp://user:pass@host:587?tls=required`, `smtps://...`; when
    /// unset, messages are written as .eml files under `<data dir>/mail`.
    pub smtp_url: Option<String>,
    pub from: Mailbox,
    /// The host name used in Message-IDs.
    pub host: String,
    /// Attempts before a message is marked dead.
    pub max_attempts: i32,
    /// Wait after the first failure; it doubles with each attempt, up to `retry_cap`.
    pub retry_base: Duration,
    pub retry_cap: Duration,
    /// How often the worker looks for due messages when nothing wakes it.
    pub poll: Duration,
    /// How long a claimed message is held by one worker before another may take it.
    pub lease: Duration,
    /// How long one SMTP step (connecting, each command, the message) may take before
    /// the server counts as unreachable.
    pub smtp_timeout: Duration,
    pub batch: i64,
    /// How many messages are sent at once, each over its own SMTP connection: one
    /// connection waits on the server for every message, so throughput comes from
    /// several.
    pub concurrency: usize,
    /// Whether `serve` runs the worker (turn off when `mail-worker` runs on its own).
    pub worker_in_serve: bool,
    /// The hour (UTC) after which each day's digests are made.
    pub digest_hour: u32,
}

impl MailSettings {
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>, base_url: &str) -> Result<Self, ConfigError> {
        let host = base_url.split("://").nth(1).unwrap_or("localhost").split(['/', ':']).next().unwrap_or("localhost");
        let host = if host.is_empty() { "localhost" } else { host }.to_owned();
        let from = match var("ANSWERABLE_MAIL_FROM") {
            Some(raw) => raw.parse::<Mailbox>().map_err(|e| ConfigError::Invalid {
                name: "ANSWERABLE_MAIL_FROM",
                value: raw.clone(),
                reason: format!("it must be an address like `Answerable <noreply@example.org>` ({e})"),
            })?,
            None => format!("Answerable <noreply@{host}>")
                .parse::<Mailbox>()
                .or_else(|_| "Answerable <noreply@localhost>".parse::<Mailbox>())
                .map_err(|e| ConfigError::Invalid {
                    name: "ANSWERABLE_MAIL_FROM",
                    value: String::new(),
                    reason: e.to_string(),
                })?,
        };
        let smtp_url = var("ANSWERABLE_SMTP_URL");
        if let Some(url) = &smtp_url {
            if let Err(e) = lettre::SmtpTransport::from_url(url) {
                return Err(ConfigError::Invalid {
                    name: "ANSWERABLE_SMTP_URL",
                    value: redact(url),
                    reason: format!("use smtp://host:port or smtps://user:password@host ({e})"),
                });
            }
        }
        let millis = |name: &'static str, default: u64| -> Result<Duration, ConfigError> {
            match var(name) {
                None => Ok(Duration::from_millis(default)),
                Some(value) => match value.trim().parse::<u64>() {
                    Ok(n) if n >= 1 => Ok(Duration::from_millis(n)),
                    _ => Err(ConfigError::Invalid {
                        name,
                        value,
                        reason: "it must be a whole number of milliseconds, 1 or more".into(),
                    }),
                },
            }
        };
        let digest_hour = match var("ANSWERABLE_DIGEST_HOUR") {
            None => 7,
            Some(value) => match value.trim().parse::<u32>() {
                Ok(hour) if hour < 24 => hour,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "ANSWERABLE_DIGEST_HOUR",
                        value,
                        reason: "it must be an hour from 0 to 23 (UTC)".into(),
                    })
                }
            },
        };
        let max_attempts = match var("ANSWERABLE_MAIL_MAX_ATTEMPTS") {
            None => 10,
            Some(value) => match value.trim().parse::<i32>() {
                Ok(n) if (1..=100).contains(&n) => n,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "ANSWERABLE_MAIL_MAX_ATTEMPTS",
                        value,
                        reason: "it must be a whole number from 1 to 100".into(),
                    })
                }
            },
        };
        Ok(Self {
            smtp_url,
            from,
            host,
            max_attempts,
            retry_base: millis("ANSWERABLE_MAIL_RETRY_MS", 30_000)?,
            retry_cap: millis("ANSWERABLE_MAIL_RETRY_CAP_MS", 30 * 60_000)?,
            poll: millis("ANSWERABLE_MAIL_POLL_MS", 1_000)?,
            lease: millis("ANSWERABLE_MAIL_LEASE_MS", 5 * 60_000)?,
            smtp_timeout: millis("ANSWERABLE_SMTP_TIMEOUT_MS", 15_000)?,
            batch: 20,
            concurrency: match var("ANSWERABLE_MAIL_CONCURRENCY") {
                None => 16,
                Some(value) => match value.trim().parse::<usize>() {
                    Ok(n) if (1..=64).contains(&n) => n,
                    _ => {
                        return Err(ConfigError::Invalid {
                            name: "ANSWERABLE_MAIL_CONCURRENCY",
                            value,
                            reason: "it must be a whole number from 1 to 64".into(),
                        })
                    }
                },
            },
            worker_in_serve: !matches!(var("ANSWERABLE_MAIL_WORKER").as_deref().map(str::trim), Some("off")),
            digest_hour,
        })
    }
}
