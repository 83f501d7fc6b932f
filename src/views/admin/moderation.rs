//! The moderation settings: pre-moderation mode, the link limit and the blocklists.

use maud::{html, Markup};

use super::{page, success, title, Section};
use crate::domain::moderation::Premoderation;
use crate::domain::FieldError;
use crate::views::components::error_summary;
use crate::views::forms::{self, Field};
use crate::views::layout::Chrome;

/// The form's fields as typed (or as stored).
#[derive(Debug, Clone, Default)]
pub struct SettingsForm {
    pub premoderation: String,
    pub max_links: String,
    pub flag_threshold: String,
    pub words: String,
    pub domains: String,
    pub ips: String,
    pub emails: String,
}

pub struct SettingsPage<'a> {
    pub form: &'a SettingsForm,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    pub csrf_token: &'a str,
}

pub fn settings(p: &SettingsPage, chrome: &Chrome) -> Markup {
    let f = p.form;
    let modes: Vec<(String, String)> =
        Premoderation::ALL.iter().map(|m| (m.as_str().to_owned(), m.label().to_owned())).collect();
    let e = p.errors;
    page(
        &title("Moderation settings", e),
        chrome,
        Section::Moderation,
        html! {
            (error_summary(e))
            (success(p.notice))
            h1 { "Moderation settings" }
            p {
                "Held comments wait in the " a href="/moderation" { "moderation queue" } ". Moderators, admins, officials "
                "and accounts marked trusted are never held. A post can override the mode on its edit page."
            }
            form method="post" action="/admin/moderation" novalidate {
                (forms::csrf(p.csrf_token))
                (forms::radios(e, "premoderation", "Pre-moderation", &modes, &f.premoderation))
                (forms::input(e, Field::new("flag_threshold", "Reports that hide a comment", &f.flag_threshold).hint("A published comment reported by this many readers is hidden until a moderator looks. Every report puts it in the queue."), "number", "off"))
                h2 { "Spam rules" }
                p { "A comment that trips a rule is held as spam-suspected; its author sees the same neutral message as for any held comment." }
                (forms::input(e, Field::new("max_links", "Most links in one comment", &f.max_links).hint("A comment with more links than this is held."), "number", "off"))
                (forms::textarea(e, Field::new("words", "Blocked words", &f.words).hint("One a line. Whole words or phrases, any case."), 4))
                (forms::textarea(e, Field::new("domains", "Blocked link domains", &f.domains).hint("One a line, like spam.example. Subdomains are blocked too."), 4))
                (forms::textarea(e, Field::new("ips", "Blocked addresses", &f.ips).hint("One a line. * matches anything, like 203.0.113.*"), 4))
                (forms::textarea(e, Field::new("emails", "Blocked email patterns", &f.emails).hint("One a line. * matches anything, like *@spam.example"), 4))
                button.button type="submit" { "Save settings" }
            }
        },
    )
}
