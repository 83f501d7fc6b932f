//! Reading a url-encoded form body ourselves, so that a body that is too large or
//! not UTF-8 still gives back what can be read, and the form can be shown again
//! with it instead of a bare error.

use actix_web::web;
use futures_util::StreamExt;
use percent_encoding::percent_decode;

/// Largest form body read: a 10,000-character comment, percent-encoded, fits many times.
pub const FORM_LIMIT: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormProblem {
    /// Some bytes were not UTF-8; they were replaced with U+FFFD.
    NotUtf8,
    /// The body was larger than the limit; the fields before the cut were kept.
    TooLarge,
}

#[derive(Debug, Default)]
pub struct FormData {
    fields: Vec<(String, String)>,
    pub problem: Option<FormProblem>,
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
            let value = form.decode(value);
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
pub async fn read(mut payload: web::Payload, limit: usize) -> Result<FormData, actix_web::Error> {
    let mut body = web::BytesMut::new();
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
}
