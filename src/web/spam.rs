//! Spam signals a form carries: a honeypot field people never see (bots fill it) and
//! a signed stamp of when the form was drawn (bots post at once, or without a form).

use actix_web::cookie::{Cookie, CookieJar, Key};
use chrono::NaiveDateTime;

/// The honeypot field: hidden from people and assistive technology.
pub const HONEYPOT: &str = "website";
/// The signed time the form was rendered.
pub const STAMP: &str = "form_stamp";

/// `when`, signed with the site key, for the form's hidden field.
pub fn stamp(key: &Key, when: NaiveDateTime) -> String {
    let mut jar = CookieJar::new();
    jar.signed_mut(key).add(Cookie::new(STAMP, when.and_utc().timestamp().to_string()));
    jar.get(STAMP).map(|c| c.value().to_owned()).unwrap_or_default()
}

/// When the form carrying `submitted` was rendered, if the stamp is ours.
fn stamped_at(key: &Key, submitted: &str) -> Option<i64> {
    let mut jar = CookieJar::new();
    jar.add_original(Cookie::new(STAMP, submitted.to_owned()));
    jar.signed(key).get(STAMP)?.value().parse().ok()
}

/// Why a submission looks automated, in words for the moderator; `None` if it does not.
pub fn signal(key: &Key, honeypot: &str, stamp: &str, now: NaiveDateTime, min_seconds: u64) -> Option<String> {
    if !honeypot.trim().is_empty() {
        return Some("the hidden field that people leave empty was filled in".into());
    }
    let Some(rendered) = stamped_at(key, stamp) else {
        return Some("sent without a form from this site".into());
    };
    let elapsed = now.and_utc().timestamp() - rendered;
    if elapsed < i64::try_from(min_seconds).unwrap_or(i64::MAX) {
        return Some(format!("sent {}s after the form was shown (less than {min_seconds}s)", elapsed.max(0)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn stamps_are_signed_and_timed() {
        let key = Key::derive_from(&[7u8; 64]);
        let then = crate::domain::time::now();
        let stamp = stamp(&key, then);
        assert_eq!(signal(&key, "", &stamp, then + TimeDelta::seconds(5), 3), None);
        assert!(signal(&key, "", &stamp, then + TimeDelta::seconds(1), 3).unwrap().contains("less than 3s"));
        assert!(signal(&key, "", "forged", then, 0).unwrap().contains("without a form"));
        assert!(signal(&key, "http://x", &stamp, then + TimeDelta::seconds(9), 3).unwrap().contains("hidden field"));
        let other = Key::derive_from(&[8u8; 64]);
        assert!(signal(&other, "", &stamp, then + TimeDelta::seconds(9), 3).is_some(), "another key's stamp");
    }
}
