//! "Probable official replies" found at import, to confirm or dismiss, and the bulk
//! action that closes old unanswered comments as imported history.

use maud::{html, Markup};

use super::{page, success, title, Section};
use crate::domain::signature::Why;
use crate::domain::{time, FieldError};
use crate::read::import_reviews::ReviewItem;
use crate::views::components::error_summary;
use crate::views::forms::{self, Field};
use crate::views::layout::Chrome;

pub struct ReviewPage<'a> {
    pub reviews: &'a [ReviewItem],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

fn excerpt(text: &str) -> String {
    let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match words.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &words[..at]),
        None => words,
    }
}

pub fn reviews(p: &ReviewPage, chrome: &Chrome) -> Markup {
    page(
        "Probable official replies",
        chrome,
        Section::Imports,
        html! {
            (success(p.notice))
            h1 { "Probable official replies" }
            p {
                "Replies from a WordPress import that look like an official's but that the importer could not be sure of. "
                "Confirming one gives it the badge shown, marked \"verified at import by\" you, and answers the comment it "
                "replies to on the reply's original date. Dismissing leaves it an ordinary reply. Both are kept in the audit log."
            }
            @if p.reviews.is_empty() {
                p #no-reviews { "Nothing to review." }
            } @else {
                ol.review-list #reviews {
                    @for r in p.reviews {
                        @let id = r.comment_id;
                        @let badge = &r.badge;
                        li.review id=(format!("review-{id}")) {
                            h2 {
                                a href=(format!("/posts/{}#comment-{id}", r.post_slug)) { (r.author_name) " on " (r.post_title) }
                            }
                            p.meta { (time::absolute(r.created_at)) }
                            blockquote { p { (excerpt(&r.body_md)) } }
                            dl {
                                dt { "Why it is here" }
                                dd.why { (Why::parse(&r.reason).map_or(r.reason.as_str(), |w| w.label())) }
                                dt { "Words that looked official" }
                                dd.matched { "\u{201c}" (r.matched_text) "\u{201d}" }
                                dt { "Badge if confirmed" }
                                dd.candidate { (badge) }
                            }
                            form.inline-form method="post" action=(format!("/admin/imports/{id}/confirm")) {
                                (forms::csrf(p.csrf_token))
                                button.button type="submit" { "Confirm" span.visually-hidden { " " (badge) " for the reply by " (r.author_name) } }
                            }
                            " "
                            form.inline-form method="post" action=(format!("/admin/imports/{id}/dismiss")) {
                                (forms::csrf(p.csrf_token))
                                button.button.button--secondary type="submit" { "Dismiss" span.visually-hidden { " the reply by " (r.author_name) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub struct HistoryPage<'a> {
    pub before: &'a str,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

pub fn history(p: &HistoryPage, chrome: &Chrome) -> Markup {
    let e = p.errors;
    page(
        &title("Imported history", e),
        chrome,
        Section::History,
        html! {
            (error_summary(e))
            (success(p.notice))
            h1 { "Imported history" }
            p {
                "Comments brought in from an older blog that nobody answered at the time would otherwise wait for a response "
                "for ever, and count as overdue. Close those published before a date as "
                strong { "no response recorded (imported history)" }
                ": they are shown as such, and left out of response rates and overdue counts. Comments that were answered, "
                "acknowledged or referred keep their real dates and figures."
            }
            form method="post" action="/admin/history" novalidate {
                (forms::csrf(p.csrf_token))
                (forms::input(e, Field::new("before", "Close unanswered comments published before", p.before).hint("A day, as YYYY-MM-DD (UTC), for example 2020-01-01"), "date", "off"))
                button.button type="submit" { "Close unanswered history" }
            }
        },
    )
}
