//! Reply-by-email addresses: a signed token naming who may answer which comment,
//! and where it goes in an address (`reply+TOKEN@REPLY_DOMAIN`) and in the
//! notification's own Message-ID (so a reply that lost the address still names it in
//! `In-Reply-To`).
//!
//! A token is `USER.COMMENT.GRANT.ISSUED.SIGNATURE`: decimal ids (GRANT is 0 when the
//! recipient answers as themself), ISSUED in hex seconds since 1970, and 80 bits of
//! HMAC-SHA256 under the site's key in hex. Everything is lower case, so a mail
//! server that folds the case of addresses does not break it, and the whole local
//! part stays far below the 64 characters an address may have.

use chrono::{NaiveDateTime, TimeDelta};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes of the HMAC kept in a token: 80 bits, enough that guessing one is hopeless
/// over a mail server, short enough for an address.
const SIGNATURE_BYTES: usize = 10;

/// What a reply address allows: `user_id` may answer `comment_id`, speaking for the
/// official grant `grant_id` when there is one, until the token expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyToken {
    pub user_id: i64,
    pub comment_id: i64,
    /// The official grant the recipient answers with; when it is revoked, the token dies.
    pub grant_id: Option<i64>,
    /// When the token was made (seconds since 1970, UTC).
    pub issued_at: i64,
}

impl ReplyToken {
    pub fn new(user_id: i64, comment_id: i64, grant_id: Option<i64>, issued: NaiveDateTime) -> Self {
        Self { user_id, comment_id, grant_id, issued_at: issued.and_utc().timestamp() }
    }

    fn scope(&self) -> String {
        format!("{}.{}.{}.{:x}", self.user_id, self.comment_id, self.grant_id.unwrap_or(0), self.issued_at)
    }

    /// The token text, signed with `key`.
    pub fn sign(&self, key: &[u8]) -> String {
        let scope = self.scope();
        let signature = mac(key, &scope).finalize().into_bytes();
        format!("{scope}.{}", hex::encode(&signature[..SIGNATURE_BYTES]))
    }

    /// Reads a token back; `None` when it is not one, or was not made with `key`, or
    /// was altered. Case does not matter.
    pub fn verify(token: &str, key: &[u8]) -> Option<Self> {
        let token = token.trim().to_ascii_lowercase();
        let (scope, given) = token.rsplit_once('.')?;
        let given = hex::decode(given).ok()?;
        if given.len() != SIGNATURE_BYTES {
            return None;
        }
        mac(key, scope).verify_truncated_left(&given).ok()?;
        let mut fields = scope.split('.');
        let mut id = || fields.next().and_then(|f| f.parse::<i64>().ok()).filter(|n| *n >= 0);
        let (user_id, comment_id, grant) = (id()?, id()?, id()?);
        let issued_at = i64::from_str_radix(fields.next()?, 16).ok()?;
        if fields.next().is_some() {
            return None;
        }
        Some(Self { user_id, comment_id, grant_id: (grant > 0).then_some(grant), issued_at })
    }

    /// Whether the token is older than `days` at `now`.
    pub fn expired(&self, now: NaiveDateTime, days: u32) -> bool {
        let lifetime = TimeDelta::days(i64::from(days)).num_seconds();
        now.and_utc().timestamp() > self.issued_at.saturating_add(lifetime)
    }
}

/// Whether `text` has the shape of a token (so a forged one can be told from an
/// address that is not a reply address at all).
pub fn looks_like_token(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 5 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn mac(key: &[u8], scope: &str) -> Hmac<Sha256> {
    // HMAC accepts a key of any length.
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"reply:");
    mac.update(scope.as_bytes());
    mac
}

/// The shape of reply addresses: a template with `{token}` (and optionally
/// `{domain}`), such as the default `reply+{token}@{domain}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyAddress {
    /// Lower case, before and after the token, with the domain filled in.
    before: String,
    after: String,
    domain: String,
}

pub const DEFAULT_TEMPLATE: &str = "reply+{token}@{domain}";

impl ReplyAddress {
    /// Checks a template: `{token}` exactly once, in the local part, and a domain.
    pub fn parse(template: &str, domain: &str) -> Result<Self, String> {
        let domain = domain.trim().trim_start_matches('@').to_ascii_lowercase();
        if domain.is_empty() || (!domain.contains('.') && domain != "localhost") || domain.contains(['@', ' ', '/']) {
            return Err(format!("`{domain}` is not a mail domain, like reply.example.org"));
        }
        let filled = template.trim().replace("{domain}", &domain).to_ascii_lowercase();
        let Some((before, after)) = filled.split_once("{token}") else {
            return Err("the address template must contain {token}, like reply+{token}@{domain}".into());
        };
        if after.contains("{token}") {
            return Err("the address template must contain {token} once".into());
        }
        let (_, host) = after.rsplit_once('@').ok_or("the address template must end with @ and a domain")?;
        if before.contains('@') || host.is_empty() {
            return Err("{token} must be in the address's local part, before the @".into());
        }
        let sample = format!("{before}1.2.0.66a1b2c3.0123456789abcdef0123{after}");
        if !email_address::EmailAddress::is_valid(&sample) {
            return Err(format!("it does not make a valid address (for example `{sample}`)"));
        }
        Ok(Self { before: before.to_owned(), after: after.to_owned(), domain: host.to_owned() })
    }

    /// The address for a signed token.
    pub fn address(&self, token: &str) -> String {
        format!("{}{token}{}", self.before, self.after)
    }

    /// The token in `address` when it is a reply address of this shape (case does
    /// not matter, nor angle brackets or a display name around it).
    pub fn token_in(&self, address: &str) -> Option<String> {
        let address = bare_address(address).to_ascii_lowercase();
        let token = address.strip_prefix(&self.before)?.strip_suffix(&self.after)?;
        (!token.is_empty()).then(|| token.to_owned())
    }

    /// Whether `address` is in the reply domain (a reply address whose token a
    /// forwarder stripped still comes to us).
    pub fn in_domain(&self, address: &str) -> bool {
        bare_address(address).rsplit_once('@').is_some_and(|(_, host)| host.eq_ignore_ascii_case(&self.domain))
    }
}

/// `Name <a@b>` or `<a@b>` → `a@b`.
pub fn bare_address(address: &str) -> &str {
    let address = address.trim();
    match (address.rfind('<'), address.rfind('>')) {
        (Some(open), Some(close)) if open < close => address[open + 1..close].trim(),
        _ => address,
    }
}

/// The local part of a notification's Message-ID that carries its reply token:
/// `r.TOKEN.UNIQUE`.
pub fn message_id_local(token: &str, unique: &str) -> String {
    format!("r.{token}.{unique}")
}

/// The reply token a Message-ID carries (`<r.TOKEN.UNIQUE@host>`), if it is one of ours.
pub fn token_in_message_id(message_id: &str) -> Option<String> {
    let id = message_id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, _) = id.rsplit_once('@')?;
    let parts: Vec<&str> = local.strip_prefix("r.")?.split('.').collect();
    if parts.len() < 6 {
        return None;
    }
    let token = parts[..5].join(".").to_ascii_lowercase();
    looks_like_token(&token).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a key of some length for the tests";

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(9, 0, 0).unwrap()
    }

    #[test]
    fn tokens_round_trip_and_refuse_any_change() {
        let token = ReplyToken::new(12, 345, Some(7), at(1));
        let text = token.sign(KEY);
        assert!(looks_like_token(&text), "{text}");
        assert_eq!(ReplyToken::verify(&text, KEY), Some(token));
        assert_eq!(ReplyToken::verify(&text.to_ascii_uppercase(), KEY), Some(token), "case does not matter");
        assert_eq!(ReplyToken::verify(&text, b"another key entirely, same length!"), None);
        for forged in
            [text.replacen("12.", "13.", 1), text.replacen(".345.", ".346.", 1), text.replacen(".7.", ".0.", 1)]
        {
            assert_eq!(ReplyToken::verify(&forged, KEY), None, "{forged}");
        }
        let personal = ReplyToken::new(12, 345, None, at(1));
        assert_eq!(ReplyToken::verify(&personal.sign(KEY), KEY).unwrap().grant_id, None);
        assert_eq!(ReplyToken::verify("12.345.0.1", KEY), None);
        assert_eq!(ReplyToken::verify("", KEY), None);
    }

    #[test]
    fn tokens_expire_after_their_days() {
        let token = ReplyToken::new(1, 2, None, at(1));
        assert!(!token.expired(at(30), 30));
        assert!(!token.expired(at(1) + TimeDelta::days(30), 30));
        assert!(token.expired(at(1) + TimeDelta::days(30) + TimeDelta::seconds(1), 30));
        assert!(token.expired(at(9), 7));
    }

    #[test]
    fn addresses_are_made_from_the_template_and_read_back() {
        let shape = ReplyAddress::parse(DEFAULT_TEMPLATE, "Reply.Example.org").unwrap();
        let token = ReplyToken::new(1, 2, None, at(1)).sign(KEY);
        let address = shape.address(&token);
        assert!(address.starts_with("reply+1.2.0.") && address.ends_with("@reply.example.org"), "{address}");
        assert!(address.split('@').next().unwrap().len() < 64, "a local part has at most 64 characters");
        assert_eq!(shape.token_in(&address).as_deref(), Some(token.as_str()));
        assert_eq!(
            shape.token_in(&format!("Answerable <{}>", address.to_uppercase())).as_deref(),
            Some(token.as_str())
        );
        assert_eq!(shape.token_in("reply+x@elsewhere.org"), None);
        assert_eq!(shape.token_in("reply+@reply.example.org"), None);
        assert!(shape.in_domain("reply@REPLY.example.org"));
        assert!(!shape.in_domain("someone@example.org"));

        let custom = ReplyAddress::parse("answers-{token}@in.example.org", "ignored.example.org").unwrap();
        assert_eq!(custom.token_in(&custom.address("1.2.0.3.ab")).as_deref(), Some("1.2.0.3.ab"));
        for bad in ["reply@{domain}", "{domain}+{token}", "reply+{token}+{token}@{domain}", "reply@{token}"] {
            assert!(ReplyAddress::parse(bad, "reply.example.org").is_err(), "{bad}");
        }
        assert!(ReplyAddress::parse(DEFAULT_TEMPLATE, "not a domain").is_err());
    }

    #[test]
    fn a_message_id_carries_the_token() {
        let token = ReplyToken::new(1, 2, Some(3), at(1)).sign(KEY);
        let id = format!("<{}@example.org>", message_id_local(&token, "1764579600.00ff"));
        assert_eq!(token_in_message_id(&id).as_deref(), Some(token.as_str()));
        assert_eq!(token_in_message_id("<1764579600.00ff@example.org>"), None);
        assert_eq!(token_in_message_id("<thread-9@example.org>"), None);
    }
}
