//! The outbox page: totals, messages given up on (with retry), and messages waiting.

use maud::{html, Markup};

use super::{page, success, Section};
use crate::domain::{thousands, time};
use crate::read::outbox::OutboxOverview;
use crate::read::rows::Listed;
use crate::views::forms;
use crate::views::layout::Chrome;

fn table(messages: &[Listed], caption: &str, retry_token: Option<&str>) -> Markup {
    html! {
    div.table-scroll {
                table {
                    caption { (caption) }
                    thead { tr {
                        th scope="col" { "Queued" } th scope="col" { "To" } th scope="col" { "Subject" }
                        th scope="col" { "Attempts" } th scope="col" { "Last error" }
                        @if retry_token.is_some() { th scope="col" { span.visually-hidden { "Action" } } }
                        @else { th scope="col" { "Next attempt" } }
                    } }
                    tbody {
                        @for m in messages {
                            tr {
                                td { (time::absolute(m.created_at)) }
                                td { (m.recipient) }
                                td { (m.subject) }
                                td { (m.attempts) }
                                td { (m.last_error.as_deref().unwrap_or("—")) }
                                @if let Some(token) = retry_token {
                                    td {
                                        form.inline-form method="post" action="/admin/outbox/retry" {
                                            (forms::csrf(token))
                                            input type="hidden" name="id" value=(m.id);
                                            button.link-button type="submit" { "Retry" span.visually-hidden { " the email to " (m.recipient) } }
                                        }
                                    }
                                } @else {
                                    td { (time::absolute(m.next_attempt_at)) }
                                }
                            }
                        }
                    }
                }
    }
        }
}

pub fn index(o: &OutboxOverview, notice: Option<&str>, csrf_token: &str, chrome: &Chrome) -> Markup {
    page(
        "Outbox",
        chrome,
        Section::Outbox,
        html! {
            (success(notice))
            h1 { "Outbox" }
            p { "Every email the site owes is written here first, then sent by the mail worker, which tries again with growing waits when the mail server fails." }
            dl.figures {
                dt { "Waiting to be sent" } dd #outbox-pending { (thousands(o.pending)) }
                dt { "Sent" } dd #outbox-sent { (thousands(o.sent)) }
                dt { "Given up (dead)" } dd #outbox-dead { (thousands(o.dead)) }
            }
            h2 { "Given up" }
            @if o.dead_messages.is_empty() {
                p { "No email has been given up on." }
            } @else {
                form method="post" action="/admin/outbox/retry" {
                    (forms::csrf(csrf_token))
                    button.button type="submit" { "Retry all " (thousands(o.dead)) " given up" }
                }
                (table(&o.dead_messages, "Emails given up after their last attempt, newest first", Some(csrf_token)))
            }
            h2 { "Waiting" }
            @if o.waiting.is_empty() {
                p { "Nothing is waiting." }
            } @else {
                (table(&o.waiting, "Emails waiting to be sent, newest first", None))
            }
        },
    )
}
