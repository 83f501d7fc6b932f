//! HTML form posts. `FormPost` is the one way a handler gets a form body: it reads the
//! body ourselves (so that a body that is too large or not UTF-8 still gives back what
//! can be read, and the form can be shown again with it instead of a bare error) and
//! checks this browser's CSRF token. A handler gets either a `CheckedForm` or a
//! `Refusal` carrying what was typed; nothing else can make a `CheckedForm`.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use percent_encoding::percent_decode;

use super::csrf::{self, CsrfToken};
use crate::domain::{self, FieldError};
use crate::error::AppError;

/// Largest form body read: a 10,000-character comment, percent-encoded, fits many times.
pub const FORM_LIMIT: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormProblem {
    /// Some bytes were not UTF-8; they were replaced with U+FFFD.
    NotUtf8,
    /// The body was larger than the limit; the fields before the cut were kept.
    TooLarge,
    /// A field held U+0000, which cannot be stored; it is kept as U+FFFD.
    Unstorable,
}

#[derive(Debug, Default)]
pub struct FormData {
    fields: Vec<(String, String)>,
    pub problem: Option<FormProblem>,
    /// The first field with unstorable text.
    unstorable: Option<String>,
}

impl FormData {
    /// The first value of `name`, or "" if absent.
    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name` (checkboxes send one per ticked box).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of `name` that is an id.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.get_all(name).filter_map(|v| v.trim().parse().ok()).collect()
    }

    /// Parses `application/x-www-form-urlencoded` bytes.
    pub fn parse(bytes: &[u8]) -> Self {
        let mut form = FormData::default();
        for pair in bytes.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (key, value) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let key = form.decode(key);
            let mut value = form.decode(value);
            if !domain::storable(&value) {
                value = value.replace(domain::UNSTORABLE, "\u{FFFD}");
                form.problem.get_or_insert(FormProblem::Unstorable);
                form.unstorable.get_or_insert_with(|| key.clone());
            }
            form.fields.push((key, value));
        }
        form
    }

    fn decode(&mut self, raw: &[u8]) -> String {
        let plus_as_space: Vec<u8> = raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        let bytes: Vec<u8> = percent_decode(&plus_as_space).collect();
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                self.problem = Some(FormProblem::NotUtf8);
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        }
    }
}

/// Reads the request body up to `limit` bytes and parses it. Past the limit the rest
/// is not read, and the field it cut keeps what arrived.
async fn read(mut payload: Payload, limit: usize) -> Result<FormData, actix_web::error::PayloadError> {
    let mut body = actix_web::web::BytesMut::new();
    let mut too_large = false;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            let room = limit - body.len();
            body.extend_from_slice(&chunk[..room]);
            too_large = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    if too_large {
        // Keep the start of the field that was cut, minus a half-sent %-escape.
        let end = match body.iter().rposition(|&b| b == b'%') {
            Some(i) if body.len() - i < 3 => i,
            _ => body.len(),
        };
        let mut form = FormData::parse(&body[..end]);
        form.problem = Some(FormProblem::TooLarge);
        return Ok(form);
    }
    Ok(FormData::parse(&body))
}

/// A form post as it arrived: checked, or refused with what was typed.
pub struct FormPost(Result<CheckedForm, Refusal>);

impl FormPost {
    /// What was typed, checked or not: only to show the form again. Act on `checked()`.
    pub fn typed(&self) -> &FormData {
        match &self.0 {
            Ok(form) => form,
            Err(refusal) => &refusal.form,
        }
    }

    /// The form, when its body was read whole and it carried this browser's token.
    pub fn checked(self) -> Result<CheckedForm, Refusal> {
        self.0
    }
}

/// A form whose CSRF token matched and whose body was read whole. Only `FormPost`
/// makes one.
pub struct CheckedForm(FormData);

impl Deref for CheckedForm {
    type Target = FormData;

    fn deref(&self) -> &FormData {
        &self.0
    }
}

/// Why a form post cannot be used as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// Some bytes were not UTF-8.
    NotUtf8,
    /// The body was larger than the limit.
    TooLarge,
    /// No token, a token from another browser, or a browser without its cookie.
    Expired,
    /// A field held a character that cannot be stored (U+0000).
    Unstorable,
}

/// A refused form post, with what could be read of it so the form can be shown again.
pub struct Refusal {
    pub reason: RefusalReason,
    pub form: FormData,
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self.reason {
            RefusalReason::NotUtf8 => StatusCode::BAD_REQUEST,
            RefusalReason::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            RefusalReason::Expired => StatusCode::FORBIDDEN,
            RefusalReason::Unstorable => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The one wording of each reason.
    pub fn message(&self) -> &'static str {
        match self.reason {
            RefusalReason::NotUtf8 => "Some characters could not be read (your browser did not send them as UTF-8). They are shown as \u{FFFD}: check the form and send it again.",
            RefusalReason::TooLarge => "What you sent was too large. The start of it is kept below: shorten it and send it again.",
            RefusalReason::Expired => "This form could not be checked: it had expired, or your browser did not send its security cookie or say that the form came from this site. What you typed is kept: check it and send it again.",
            RefusalReason::Unstorable => "This contains a NUL character (shown as \u{FFFD}), which cannot be saved. Remove it and send it again.",
        }
    }

    /// The reason, told next to the field it is about, else next to `field`.
    pub fn error(&self, field: &'static str) -> FieldError {
        match (&self.reason, &self.form.unstorable) {
            (RefusalReason::Unstorable, Some(culprit)) => FieldError::new(culprit.clone(), self.message()),
            _ => FieldError::new(field, self.message()),
        }
    }
}

/// For one-button forms, which have nothing to show again: the plain error page.
impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        match refusal.reason {
            RefusalReason::Expired => AppError::Forbidden,
            _ => AppError::BadForm(refusal.status()),
        }
    }
}

/// `vouched`: the browser has no session and says the post comes from this site
/// (see `csrf`), which is enough without a token.
fn check(csrf: &CsrfToken, vouched: bool, form: FormData) -> FormPost {
    let genuine = vouched || csrf.matches(form.get(csrf::FIELD));
    let reason = match form.problem {
        Some(FormProblem::NotUtf8) => Some(RefusalReason::NotUtf8),
        Some(FormProblem::TooLarge) => Some(RefusalReason::TooLarge),
        // Whether it is genuine comes first: a cross-site post learns nothing more.
        _ if !genuine => Some(RefusalReason::Expired),
        Some(FormProblem::Unstorable) => Some(RefusalReason::Unstorable),
        None => None,
    };
    FormPost(match reason {
        None => Ok(CheckedForm(form)),
        Some(reason) => Err(Refusal { reason, form }),
    })
}

impl FromRequest for FormPost {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let csrf = req.extensions().get::<CsrfToken>().cloned();
        let vouched = !csrf::has_session(req)
            && req
                .app_data::<actix_web::web::Data<super::AppState>>()
                .is_some_and(|state| csrf::same_origin(req, &state.settings.base_url));
        let payload = payload.take();
        Box::pin(async move {
            let csrf = csrf.ok_or_else(|| AppError::Unexpected("CSRF middleware is not installed".into()))?;
            // A body that breaks off is as good as no body: refused, with nothing kept.
            let form = read(payload, FORM_LIMIT).await.unwrap_or_default();
            Ok(check(&csrf, vouched, form))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_decoded() {
        let form = FormData::parse(b"name=Priya+Shah&body=9%20minutes%0A%E2%9C%93&empty=&flag");
        assert_eq!(form.get("name"), "Priya Shah");
        assert_eq!(form.get("body"), "9 minutes\n✓");
        assert_eq!(form.get("empty"), "");
        assert_eq!(form.get("missing"), "");
        assert_eq!(form.problem, None);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_flagged_and_the_rest_kept() {
        let form = FormData::parse(b"name=Sam&body=caf%E9+au+lait");
        assert_eq!(form.problem, Some(FormProblem::NotUtf8));
        assert_eq!(form.get("name"), "Sam");
        assert_eq!(form.get("body"), "caf\u{FFFD} au lait");
    }

    #[test]
    fn a_nul_character_is_flagged_with_its_field_and_the_text_kept() {
        let form = FormData::parse(b"name=Sam&body=a%00b&more=c%00");
        assert_eq!(form.problem, Some(FormProblem::Unstorable));
        assert_eq!(form.unstorable.as_deref(), Some("body"));
        assert_eq!(form.get("body"), "a\u{FFFD}b");
        let refusal = Refusal { reason: RefusalReason::Unstorable, form };
        assert_eq!(refusal.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refusal.error("name").field, "body", "the message sits at the field that held it");
    }
}
