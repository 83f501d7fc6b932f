//! A streaming reader of WordPress eXtended RSS (WXR) exports: it hands over the
//! site, each author, each post and each comment as soon as its element closes, so a
//! file of any size is read in a few kilobytes of buffer. Errors name the line.

use std::collections::VecDeque;
use std::io::BufRead;

use chrono::{DateTime, NaiveDateTime};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::lines::Lines;

/// A post (or page, attachment, ...) as WordPress exported it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WxrPost {
    pub line: u64,
    pub wp_id: i64,
    pub title: String,
    pub slug: String,
    pub content: String,
    pub creator: String,
    pub post_type: String,
    pub status: String,
    pub comments_open: bool,
    /// WordPress showed it only to readers who gave its password (`wp:post_password`).
    pub password_protected: bool,
    pub date: Option<NaiveDateTime>,
    pub categories: Vec<String>,
    /// For an attachment: its file's address, and the post it is attached to.
    pub attachment_url: String,
    pub parent_wp_id: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WxrComment {
    pub line: u64,
    pub post_wp_id: i64,
    pub wp_id: i64,
    pub parent_wp_id: i64,
    pub author: String,
    pub author_email: String,
    pub date: NaiveDateTime,
    pub content: String,
    /// `1`, `0`, `spam`, `trash`, `post-trashed`.
    pub approved: String,
    /// Empty or `comment` for comments; `pingback`, `trackback`, ...
    pub comment_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// The site the export came from (`wp:base_site_url`, else the channel link).
    Site(String),
    Author {
        login: String,
        display_name: String,
    },
    Post(WxrPost),
    Comment(WxrComment),
}

#[derive(Debug, thiserror::Error)]
pub enum WxrError {
    #[error("line {line}: the XML is not well formed: {message}")]
    Xml { line: u64, message: String },
    #[error("line {line}: <{element}> {problem}")]
    Field { line: u64, element: String, problem: String },
    #[error("the file ends at line {line} inside <{element}>{item}: the export is incomplete")]
    Truncated { line: u64, element: String, item: String },
    #[error("this is not a WordPress export (WXR): {0}")]
    NotWxr(String),
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
}

const HTML_ENTITIES: &[(&str, &str)] = &[
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("copy", "©"),
    ("pound", "£"),
    ("euro", "€"),
];

pub struct WxrReader<R: BufRead> {
    reader: Reader<Lines<R>>,
    buf: Vec<u8>,
    stack: Vec<String>,
    text: String,
    ready: VecDeque<Entry>,
    post: Option<WxrPost>,
    post_sent: bool,
    comment: Option<WxrComment>,
    comment_date_local: Option<NaiveDateTime>,
    post_date_local: Option<NaiveDateTime>,
    post_pub_date: Option<NaiveDateTime>,
    category_domain: Option<String>,
    author: (String, String),
    site: Option<String>,
    channel_link: Option<String>,
    site_sent: bool,
    is_wxr: bool,
    done: bool,
}

impl<R: BufRead> WxrReader<R> {
    pub fn new(input: R) -> Self {
        let mut reader = Reader::from_reader(Lines::new(input));
        reader.config_mut().expand_empty_elements = true;
        Self {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            stack: Vec::new(),
            text: String::new(),
            ready: VecDeque::new(),
            post: None,
            post_sent: false,
            comment: None,
            comment_date_local: None,
            post_date_local: None,
            post_pub_date: None,
            category_domain: None,
            author: Default::default(),
            site: None,
            channel_link: None,
            site_sent: false,
            is_wxr: false,
            done: false,
        }
    }

    /// The line the parser has reached.
    pub fn line(&self) -> u64 {
        self.reader.get_ref().newlines() + 1
    }

    /// The next site, author, post or comment; `None` at the end of a complete file.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, WxrError> {
        loop {
            if let Some(entry) = self.ready.pop_front() {
                return Ok(Some(entry));
            }
            if self.done {
                return Ok(None);
            }
            self.step()?;
        }
    }

    fn xml_error(&self, error: impl std::fmt::Display) -> WxrError {
        WxrError::Xml { line: self.line(), message: error.to_string() }
    }

    fn step(&mut self) -> Result<(), WxrError> {
        self.buf.clear();
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => event.into_owned(),
            Err(quick_xml::Error::Io(e)) => return Err(WxrError::Io(std::io::Error::new(e.kind(), e.to_string()))),
            Err(e) => return Err(self.xml_error(e)),
        };
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "category" {
                    self.category_domain = match e.try_get_attribute("domain") {
                        Ok(Some(a)) => Some(a.unescape_value().map_err(|e| self.xml_error(e))?.into_owned()),
                        Ok(None) => None,
                        Err(e) => return Err(self.xml_error(e)),
                    };
                }
                self.open(&name)?;
                self.stack.push(name);
                self.text.clear();
            }
            Event::Text(e) => {
                let text = e
                    .unescape_with(|entity| {
                        quick_xml::escape::resolve_predefined_entity(entity)
                            .or_else(|| HTML_ENTITIES.iter().find(|(n, _)| *n == entity).map(|(_, v)| *v))
                    })
                    .map_err(|e| self.xml_error(e))?;
                self.text.push_str(&text);
            }
            Event::CData(e) => {
                let text = e.decode().map_err(|e| self.xml_error(e))?;
                self.text.push_str(&text);
            }
            Event::End(_) => {
                let name = self.stack.pop().unwrap_or_default();
                let text = std::mem::take(&mut self.text);
                if !crate::domain::storable(&text) {
                    return Err(self.field_error(&name, crate::domain::UNSTORABLE_IN_FILE));
                }
                self.close(&name, text)?;
            }
            Event::Eof => {
                if let Some(open) = self.stack.last() {
                    let item = match &self.post {
                        Some(post) => format!(" (the <item> starting at line {} is cut short)", post.line),
                        None => String::new(),
                    };
                    return Err(WxrError::Truncated { line: self.line(), element: open.clone(), item });
                }
                if !self.is_wxr {
                    return Err(WxrError::NotWxr("no <wp:wxr_version> in an <rss><channel>".into()));
                }
                self.done = true;
            }
            _ => {}
        }
        Ok(())
    }

    fn context(&self) -> Vec<&str> {
        self.stack.iter().map(String::as_str).collect()
    }

    fn open(&mut self, name: &str) -> Result<(), WxrError> {
        let line = self.line();
        match (self.context().as_slice(), name) {
            ([], "rss") | (["rss"], "channel") => {}
            ([], other) => return Err(WxrError::NotWxr(format!("the file starts with <{other}>, not <rss>"))),
            (["rss", "channel"], "item") => {
                if !self.is_wxr {
                    return Err(WxrError::NotWxr("no <wp:wxr_version> before the first <item>".into()));
                }
                self.post = Some(WxrPost { line, comments_open: true, ..Default::default() });
                self.post_sent = false;
                (self.post_date_local, self.post_pub_date) = (None, None);
            }
            (["rss", "channel", "item"], "wp:comment") => {
                self.send_post()?;
                self.comment = Some(WxrComment { line, ..Default::default() });
                self.comment_date_local = None;
            }
            _ => {}
        }
        Ok(())
    }

    fn field_error(&self, element: &str, problem: impl Into<String>) -> WxrError {
        WxrError::Field { line: self.line(), element: element.to_owned(), problem: problem.into() }
    }

    fn number(&self, element: &str, text: &str) -> Result<i64, WxrError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(0);
        }
        text.parse().map_err(|_| self.field_error(element, format!("should be a number, not `{text}`")))
    }

    fn close(&mut self, name: &str, text: String) -> Result<(), WxrError> {
        match self.context().as_slice() {
            ["rss", "channel"] => match name {
                "wp:wxr_version" => self.is_wxr = true,
                "wp:base_site_url" => self.site = Some(text.trim().to_owned()),
                "link" => self.channel_link = Some(text.trim().to_owned()),
                "item" => {
                    self.send_post()?;
                    self.post = None;
                }
                "wp:author" => {
                    let (login, display_name) = std::mem::take(&mut self.author);
                    self.ready.push_back(Entry::Author { login, display_name });
                }
                _ => {}
            },
            ["rss", "channel", "wp:author"] => match name {
                "wp:author_login" => self.author.0 = text.trim().to_owned(),
                "wp:author_display_name" => self.author.1 = text.trim().to_owned(),
                _ => {}
            },
            ["rss", "channel", "item"] => self.close_post_field(name, text)?,
            ["rss", "channel", "item", "wp:comment"] => self.close_comment_field(name, text)?,
            _ => {}
        }
        Ok(())
    }

    fn close_post_field(&mut self, name: &str, text: String) -> Result<(), WxrError> {
        if name == "wp:comment" {
            return self.send_comment();
        }
        let number = if name == "wp:post_id" { self.number(name, &text)? } else { 0 };
        let date = match name {
            "wp:post_date_gmt" | "wp:post_date" => wp_date(&text),
            "pubDate" => DateTime::parse_from_rfc2822(text.trim()).ok().map(|d| d.naive_utc()),
            _ => None,
        };
        let Some(post) = self.post.as_mut() else { return Ok(()) };
        match name {
            "title" => post.title = text,
            "content:encoded" => post.content = text,
            "dc:creator" => post.creator = text.trim().to_owned(),
            "wp:post_id" => post.wp_id = number,
            "wp:post_name" => post.slug = text.trim().to_owned(),
            "wp:post_type" => post.post_type = text.trim().to_owned(),
            "wp:status" => post.status = text.trim().to_owned(),
            "wp:comment_status" => post.comments_open = text.trim() != "closed",
            "wp:post_password" => post.password_protected = !text.trim().is_empty(),
            "wp:attachment_url" => post.attachment_url = text.trim().to_owned(),
            "wp:post_parent" => post.parent_wp_id = text.trim().parse().unwrap_or(0),
            "wp:post_date_gmt" => post.date = date,
            "wp:post_date" => self.post_date_local = date,
            "pubDate" => self.post_pub_date = date,
            "category" if self.category_domain.as_deref() == Some("category") => {
                let name = text.trim().to_owned();
                if !name.is_empty() && !post.categories.contains(&name) {
                    post.categories.push(name);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn close_comment_field(&mut self, name: &str, text: String) -> Result<(), WxrError> {
        let number = match name {
            "wp:comment_id" | "wp:comment_parent" => self.number(name, &text)?,
            _ => 0,
        };
        let Some(comment) = self.comment.as_mut() else { return Ok(()) };
        match name {
            "wp:comment_id" => comment.wp_id = number,
            "wp:comment_parent" => comment.parent_wp_id = number,
            "wp:comment_author" => comment.author = text.trim().to_owned(),
            "wp:comment_author_email" => comment.author_email = text.trim().to_owned(),
            "wp:comment_content" => comment.content = text,
            "wp:comment_approved" => comment.approved = text.trim().to_owned(),
            "wp:comment_type" => comment.comment_type = text.trim().to_owned(),
            "wp:comment_date_gmt" => {
                if let Some(date) = wp_date(&text) {
                    comment.date = date;
                }
            }
            "wp:comment_date" => self.comment_date_local = wp_date(&text),
            _ => {}
        }
        Ok(())
    }

    /// Hands over the post once its own fields are read (they come before its comments).
    fn send_post(&mut self) -> Result<(), WxrError> {
        if self.post_sent {
            return Ok(());
        }
        let Some(post) = self.post.as_mut() else { return Ok(()) };
        if post.wp_id == 0 {
            let line = post.line;
            return Err(WxrError::Field {
                line,
                element: "item".into(),
                problem: "has no <wp:post_id> before its comments or its end".into(),
            });
        }
        post.date = post.date.or(self.post_date_local).or(self.post_pub_date);
        if !self.site_sent {
            let site = self.site.clone().or_else(|| self.channel_link.clone()).unwrap_or_default();
            self.ready.push_back(Entry::Site(site));
            self.site_sent = true;
        }
        self.ready.push_back(Entry::Post(post.clone()));
        self.post_sent = true;
        Ok(())
    }

    fn send_comment(&mut self) -> Result<(), WxrError> {
        let Some(mut comment) = self.comment.take() else { return Ok(()) };
        if comment.wp_id == 0 {
            let line = comment.line;
            return Err(WxrError::Field {
                line,
                element: "wp:comment".into(),
                problem: "has no <wp:comment_id>".into(),
            });
        }
        if comment.date == NaiveDateTime::default() {
            match self.comment_date_local {
                Some(date) => comment.date = date,
                None => {
                    return Err(WxrError::Field {
                        line: comment.line,
                        element: "wp:comment".into(),
                        problem: format!("{} has no valid <wp:comment_date>", comment.wp_id),
                    })
                }
            }
        }
        comment.post_wp_id = self.post.as_ref().map_or(0, |p| p.wp_id);
        self.ready.push_back(Entry::Comment(comment));
        Ok(())
    }
}

/// "2018-01-31 09:05:00"; WordPress writes zeros for "no date".
fn wp_date(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S").ok()
}

#[cfg(test)]
#[path = "wxr_tests.rs"]
mod tests;
