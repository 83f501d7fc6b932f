//! Small pieces shared by pages.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chrono::NaiveDateTime;
use maud::{html, Markup, Render};

use crate::domain::comment::CommentStatus;
use crate::domain::markdown::SafeHtml;
use crate::domain::response::{self, ResponseState};
use crate::domain::thread::Node;
use crate::domain::{time, FieldError};
use crate::read::rows::CommentRow;
use crate::read::standing::Standing;
use crate::views::fragments::{Fragment, FragmentCache};
use xxhash_rust::xxh3::Xxh3Default;

/// User text written into a page unescaped: only `SafeHtml`, which comes from the
/// sanitiser or from a `body_html` column it filled. The other raw markup is
/// `RenderedHtml`, our own templates' output kept for reuse; nothing else in src/
/// writes unescaped HTML (there is no `PreEscaped`).
impl Render for SafeHtml {
    fn render_to(&self, buffer: &mut String) {
        buffer.push_str(self.as_str());
    }
}

/// Markup our templates rendered (maud escaped every value in it), kept as shared
/// text so a cached comments section can be written into many pages. Made only from
/// a `Markup`.
#[derive(Debug, Clone)]
pub struct RenderedHtml(Arc<String>);

impl From<Markup> for RenderedHtml {
    fn from(markup: Markup) -> Self {
        Self(Arc::new(markup.into_string()))
    }
}

impl RenderedHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Render for RenderedHtml {
    fn render_to(&self, buffer: &mut String) {
        buffer.push_str(&self.0);
    }
}

/// "3 hours ago · 26 Nov 2026, 14:05 UTC", with the machine-readable time.
pub fn timestamp(at: NaiveDateTime, now: NaiveDateTime) -> Markup {
    html! {
        time datetime=(time::iso(at)) { (time::relative(at, now)) }
        " · " span.absolute { (time::absolute(at)) }
    }
}

/// GOV.UK error summary: a focusable box at the top listing each problem, linked to
/// its field.
pub fn error_summary(errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" #error-summary {
                h2 #error-summary-title { "There is a problem" }
                ul {
                    @for error in errors {
                        li { a href=(format!("#{}", field_id(&error.field))) { (error.message) } }
                    }
                }
            }
        }
    }
}

pub fn field_id(field: &str) -> String {
    format!("field-{field}")
}

/// The message for `field`, if any.
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}

/// Page links: previous, numbers, next. `href` makes the URL of a page.
pub fn pagination(label: &str, page: usize, pages: usize, href: impl Fn(usize) -> String) -> Markup {
    html! {
        @if pages > 1 {
            nav.pagination aria-label=(label) {
                ul {
                    @if page > 1 {
                        li { a href=(href(page - 1)) rel="prev" { "Previous" span.visually-hidden { " page" } } }
                    }
                    @for n in 1..=pages {
                        @if n == page {
                            li { span aria-current="page" { span.visually-hidden { "Page " } (n) } }
                        } @else if n == 1 || n == pages || n.abs_diff(page) <= 2 {
                            li { a href=(href(n)) { span.visually-hidden { "Page " } (n) } }
                        } @else if n.abs_diff(page) == 3 {
                            li { span aria-hidden="true" { "…" } }
                        }
                    }
                    @if page < pages {
                        li { a href=(href(page + 1)) rel="next" { "Next" span.visually-hidden { " page" } } }
                    }
                }
            }
        }
    }
}

/// Where "Reply" leads: a page with the comment and a form that answers it.
pub fn reply_href(slug: &str, comment_id: i64) -> String {
    format!("/posts/{slug}/comments/new?parent={comment_id}#comment-form")
}

/// A list of comment threads, nested as the tree says. Written straight into the
/// page's buffer: a page can hold hundreds of comments, nested five deep. With
/// `fragments`, each comment drawn before with the same inputs is taken from there.
pub struct CommentTree<'a> {
    pub slug: &'a str,
    pub nodes: &'a [Node<CommentRow>],
    pub standing: &'a Standing,
    pub replies_allowed: bool,
    pub fragments: Option<&'a FragmentCache>,
}

/// The page's comments, in drawing order: each one's key and what the cache held.
struct Drawing {
    kept: std::vec::IntoIter<(u64, Option<Fragment>)>,
    drawn: Vec<(u64, Fragment)>,
}

impl CommentTree<'_> {
    fn view(&self) -> CommentView<'_> {
        CommentView { slug: self.slug, standing: self.standing, replies_allowed: self.replies_allowed }
    }

    fn keys(view: &CommentView, nodes: &[Node<CommentRow>], keys: &mut Vec<u64>) {
        for node in nodes {
            keys.push(view.fragment_key(&node.item, node.detached));
            Self::keys(view, &node.children, keys);
        }
    }

    fn draw(view: &CommentView, nodes: &[Node<CommentRow>], mut drawing: Option<&mut Drawing>, buffer: &mut String) {
        for node in nodes {
            buffer.push_str("<li>");
            match drawing.as_deref_mut().map(|d| (d.kept.next(), d)) {
                Some((Some((_, Some(kept))), _)) => buffer.push_str(&kept),
                Some((Some((key, None)), d)) => {
                    let html: Fragment = view.article(&node.item, node.detached).into_string().into();
                    buffer.push_str(&html);
                    d.drawn.push((key, html));
                }
                _ => view.article(&node.item, node.detached).render_to(buffer),
            }
            if !node.children.is_empty() {
                buffer.push_str("<ol class=\"replies\">");
                Self::draw(view, &node.children, drawing.as_deref_mut(), buffer);
                buffer.push_str("</ol>");
            }
            buffer.push_str("</li>");
        }
    }
}

impl Render for CommentTree<'_> {
    fn render_to(&self, buffer: &mut String) {
        let view = self.view();
        let Some(cache) = self.fragments.filter(|c| c.is_on()) else {
            return Self::draw(&view, self.nodes, None, buffer);
        };
        let mut keys = Vec::new();
        Self::keys(&view, self.nodes, &mut keys);
        let found = cache.get_many(&keys);
        let kept: Vec<(u64, Option<Fragment>)> = keys.into_iter().zip(found).collect();
        let mut drawing = Drawing { kept: kept.into_iter(), drawn: Vec::new() };
        Self::draw(&view, self.nodes, Some(&mut drawing), buffer);
        cache.put_many(drawing.drawn);
    }
}

/// The verified-official badge: words first, never colour or a tick alone. A badge
/// recognised when importing from another system says so.
/// `imported` is `Some(verified by)` for such a badge: `Some(None)` when the importer's
/// rules were certain, `Some(Some(admin))` when an admin confirmed it.
pub fn badge(c: &CommentRow, imported: Option<&Option<String>>) -> Markup {
    html! {
        @if let Some(badge) = c.badge() {
            p.badge {
                strong { "Verified official" } span aria-hidden="true" { " ✓" } " "
                span.badge-name { (badge.name) } ", "
                span.badge-title { (badge.title) } ", "
                span.badge-department { (badge.department) }
                @if !badge.acronym.is_empty() { " (" (badge.acronym) ")" }
                @match imported {
                    Some(Some(admin)) => { " · " span.badge-imported { "verified at import by " (admin) } }
                    Some(None) => { " · " span.badge-imported { "verified at import" } }
                    None => {}
                }
            }
        }
    }
}

/// "waiting 22 working days"; "waiting less than a working day" on the first day.
fn waiting_words(days: i64) -> String {
    match days {
        0 => "waiting less than a working day".to_owned(),
        n => format!("waiting {}", plural(n, "working day", "working days")),
    }
}

/// How long an answer took: "the same day", or "3 working days".
fn answered_within(days: i32) -> String {
    match days {
        0 => "the same day".to_owned(),
        n => plural(i64::from(n), "working day", "working days"),
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// How comments are drawn on a page.
#[derive(Clone, Copy)]
pub struct CommentView<'a> {
    pub slug: &'a str,
    pub standing: &'a Standing,
    pub replies_allowed: bool,
}

impl CommentView<'_> {
    /// A hash of everything `article` shows for `c`: its row, where it is drawn, its
    /// relative time, and what the state line and badge read from the standing.
    pub fn fragment_key(&self, c: &CommentRow, detached: bool) -> u64 {
        let mut h = Xxh3Default::new();
        match self.standing.row_hashes.get(&c.id) {
            Some(row) => row.hash(&mut h),
            None => c.hash(&mut h),
        }
        (detached, self.slug, self.replies_allowed).hash(&mut h);
        time::ago(c.shown_at(), self.standing.now).hash(&mut h);
        if c.response.state() == Some(ResponseState::Awaiting) {
            self.standing.waiting(c).hash(&mut h);
        }
        c.response.department_id.and_then(|d| self.standing.departments.get(&d)).map(|d| &d.acronym).hash(&mut h);
        self.standing.answers.get(&c.id).hash(&mut h);
        self.standing.badges_imported.get(&c.id).hash(&mut h);
        (self.standing.just_posted == Some(c.id)).hash(&mut h);
        h.finish()
    }

    /// Where a comment stands, in words (GOV.UK tag style): "Awaiting response ·
    /// 6 working days", "Answered by Jane Doe, CTO, DWP (2 days)", "Referred to ...".
    pub fn state_line(&self, c: &CommentRow) -> Markup {
        let r = &c.response;
        let history = format!("/comments/{}/responses", c.id);
        html! {
            @if let Some(state) = r.state() {
                p.response-state {
                    @match state {
                        ResponseState::Awaiting => {
                            @let (days, overdue) = self.standing.waiting(c);
                            a.tag-link href=(ResponseState::Awaiting.definition_href()) { strong.tag.tag--awaiting { "Awaiting response" } }
                            " · " (waiting_words(days))
                            @if let Some(d) = r.department_id.and_then(|d| self.standing.departments.get(&d)) {
                                " · routed to " (d.acronym)
                            }
                            @if overdue { " · " strong.tag.tag--overdue { "Overdue" } }
                        }
                        ResponseState::Answered => {
                            a.tag-link href=(ResponseState::Answered.definition_href()) { strong.tag.tag--answered { "Answered" } }
                            @if let Some(by) = &r.response_by { " by " (by) }
                            @if let Some(days) = r.response_days { " (" (answered_within(days)) ")" }
                            @if let Some(answer) = r.answered_by { " · " a href=(format!("/comments/{answer}")) { "Read the answer" } }
                        }
                        ResponseState::Acknowledged => {
                            a.tag-link href=(ResponseState::Acknowledged.definition_href()) { strong.tag.tag--acknowledged { "Acknowledged" } }
                            @if let Some(by) = &r.response_by { " by " (by) }
                            @if let Some(note) = &r.note { ": " (note) }
                        }
                        ResponseState::Referred => {
                            a.tag-link href=(ResponseState::Referred.definition_href()) { strong.tag.tag--referred { "Referred" } }
                            @if let Some(to) = &r.referred_to {
                                " to "
                                @if response::is_web_address(to) {
                                    a href=(to) rel="nofollow noopener" { (to) }
                                } @else { (to) }
                            }
                            @if let Some(note) = &r.note { ": " (note) }
                        }
                        ResponseState::NoResponseNeeded => {
                            a.tag-link href=(ResponseState::NoResponseNeeded.definition_href()) { strong.tag.tag--none { "No response needed" } }
                            @if let Some(note) = &r.note { ": " (note) }
                        }
                        ResponseState::NoResponseRecorded => {
                            a.tag-link href=(ResponseState::NoResponseRecorded.definition_href()) { strong.tag.tag--history { "No response recorded" } }
                            " (imported history)"
                        }
                    }
                    " · " a.history-link href=(history) { "History" span.visually-hidden { " of responses to this comment" } }
                }
            }
            @if let Some(answered) = self.standing.answers.get(&c.id) {
                p.answers {
                    "This reply answers: "
                    @for (i, (id, author)) in answered.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(format!("/comments/{id}")) { (author) "’s comment" }
                    }
                }
            }
        }
    }

    /// One comment: author, time and permalink, badge, "in reply to", body, state, Reply.
    pub fn article(&self, c: &CommentRow, detached: bool) -> Markup {
        let anchor = format!("comment-{}", c.id);
        let now = self.standing.now;
        if c.is_removed() {
            return html! {
                article.comment.comment--removed id=(anchor) {
                    p.removed {
                        @if c.status == CommentStatus::Hidden { "Comment hidden while a moderator reviews it" } @else { "Comment removed" }
                    }
                }
            };
        }
        html! {
            article.comment.comment--official[c.is_official()] id=(anchor) aria-labelledby=(format!("{anchor}-by")) {
                p.comment-meta {
                    span.author id=(format!("{anchor}-by")) { (c.author_name) }
                    " · "
                    a.permalink href=(format!("/comments/{}", c.id)) {
                        span.visually-hidden { "Link to this comment, posted " }
                        (timestamp(c.shown_at(), now))
                    }
                }
                (badge(c, self.standing.badges_imported.get(&c.id)))
                @if detached {
                    @if let (Some(parent), Some(name)) = (c.parent_id, &c.parent_author_name) {
                        p.in-reply-to { "in reply to " a href=(format!("/comments/{parent}")) { (name) } }
                    }
                }
                div.comment-body { (c.body_html) }
                @if self.standing.just_posted == Some(c.id) {
                    div.success.posted-notice role="status" { p { "Your comment is published. Thank you." } }
                }
                @if c.moderator_edited.is_some() {
                    p.moderator-note { "Edited by a moderator." }
                }
                (self.state_line(c))
                p.comment-actions {
                    @if self.replies_allowed {
                        a href=(reply_href(self.slug, c.id)) { "Reply" span.visually-hidden { " to " (c.author_name) } }
                        @if c.parent_id.is_none() {
                            " · "
                            a href=(format!("/posts/{}/follow?thread={}", self.slug, c.id)) {
                                "Follow thread" span.visually-hidden { " started by " (c.author_name) }
                            }
                        }
                        " · "
                    }
                    a.report href=(format!("/comments/{}/report", c.id)) { "Report" span.visually-hidden { " the comment by " (c.author_name) } }
                }
            }
        }
    }
}
