//! Reply-by-email settings: where replies go, how long a reply address works, and
//! the SMTP listener that takes them in `serve`. All off unless a reply domain is set.

use super::ConfigError;
use crate::domain::reply_address::{ReplyAddress, DEFAULT_TEMPLATE};

/// The longest message taken in (a reply with its quoted history and a photo).
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct InboundSettings {
    /// How reply addresses look (`ANSWERABLE_REPLY_DOMAIN`, `ANSWERABLE_REPLY_ADDRESS`);
    /// `None` turns reply-by-email off.
    pub address: Option<ReplyAddress>,
    /// Days a reply address works after the email that carries it.
    pub token_days: u32,
    /// Where `serve` listens for SMTP (`ANSWERABLE_INBOUND_SMTP_BIND`), if anywhere.
    pub smtp_bind: Option<String>,
}

impl InboundSettings {
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let template = var("ANSWERABLE_REPLY_ADDRESS").unwrap_or_else(|| DEFAULT_TEMPLATE.to_owned());
        let address =
            match var("ANSWERABLE_REPLY_DOMAIN") {
                None if template.contains("{domain}") => None,
                // A template with its own domain needs no ANSWERABLE_REPLY_DOMAIN.
                None => Some(ReplyAddress::parse(&template, template.rsplit('@').next().unwrap_or("")).map_err(
                    |reason| ConfigError::Invalid { name: "ANSWERABLE_REPLY_ADDRESS", value: template.clone(), reason },
                )?),
                Some(domain) => Some(ReplyAddress::parse(&template, &domain).map_err(|reason| {
                    let name = if reason.contains("template") || reason.contains("{token}") {
                        "ANSWERABLE_REPLY_ADDRESS"
                    } else {
                        "ANSWERABLE_REPLY_DOMAIN"
                    };
                    let value = if name == "ANSWERABLE_REPLY_DOMAIN" { domain.clone() } else { template.clone() };
                    ConfigError::Invalid { name, value, reason }
                })?),
            };
        let token_days = match var("ANSWERABLE_REPLY_DAYS") {
            None => 30,
            Some(value) => match value.trim().parse::<u32>() {
                Ok(days) if (1..=3650).contains(&days) => days,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "ANSWERABLE_REPLY_DAYS",
                        value,
                        reason: "it must be a whole number of days from 1 to 3650".into(),
                    })
                }
            },
        };
        let smtp_bind = var("ANSWERABLE_INBOUND_SMTP_BIND");
        if let (Some(bind), None) = (&smtp_bind, &address) {
            return Err(ConfigError::Invalid {
                name: "ANSWERABLE_INBOUND_SMTP_BIND",
                value: bind.clone(),
                reason: "the listener takes replies only: set ANSWERABLE_REPLY_DOMAIN too".into(),
            });
        }
        Ok(Self { address, token_days, smtp_bind })
    }

    pub fn enabled(&self) -> bool {
        self.address.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<InboundSettings, ConfigError> {
        InboundSettings::from_lookup(&|name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn off_by_default_and_on_with_a_domain() {
        let off = read(&[]).unwrap();
        assert!(!off.enabled() && off.smtp_bind.is_none());
        assert_eq!(off.token_days, 30);
        let on = read(&[("ANSWERABLE_REPLY_DOMAIN", "reply.example.org"), ("ANSWERABLE_REPLY_DAYS", "7")]).unwrap();
        assert_eq!(on.address.unwrap().address("t"), "reply+t@reply.example.org");
        assert_eq!(on.token_days, 7);
        let own = read(&[("ANSWERABLE_REPLY_ADDRESS", "answers-{token}@in.example.org")]).unwrap();
        assert_eq!(own.address.unwrap().address("t"), "answers-t@in.example.org");
    }

    #[test]
    fn mistakes_are_named() {
        let err = read(&[("ANSWERABLE_INBOUND_SMTP_BIND", "0.0.0.0:2525")]).unwrap_err();
        assert!(err.to_string().contains("ANSWERABLE_REPLY_DOMAIN"), "{err}");
        let err = read(&[("ANSWERABLE_REPLY_DOMAIN", "x.org"), ("ANSWERABLE_REPLY_ADDRESS", "reply@{domain}")]);
        assert!(err.unwrap_err().to_string().contains("ANSWERABLE_REPLY_ADDRESS"));
        let err = read(&[("ANSWERABLE_REPLY_DOMAIN", "not a domain")]).unwrap_err();
        assert!(err.to_string().contains("ANSWERABLE_REPLY_DOMAIN"), "{err}");
        let err = read(&[("ANSWERABLE_REPLY_DOMAIN", "x.org"), ("ANSWERABLE_REPLY_DAYS", "0")]).unwrap_err();
        assert!(err.to_string().contains("ANSWERABLE_REPLY_DAYS"), "{err}");
    }
}
