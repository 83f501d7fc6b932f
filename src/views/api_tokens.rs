//! The API tokens page of an account: make one (shown once), see when each was
//! last used, revoke.

use maud::{html, Markup};

use super::components::error_summary;
use super::forms::{self, Field};
use super::layout::{self, Chrome};
use crate::domain::{time, FieldError};
use crate::read::rows::ApiToken;

pub struct TokensPage<'a> {
    pub tokens: &'a [ApiToken],
    /// A token just made: shown this once.
    pub new_token: Option<&'a str>,
    pub notice: Option<&'a str>,
    /// What was typed as a new token's name, kept when it was refused.
    pub name: &'a str,
    pub errors: &'a [FieldError],
    pub csrf_token: &'a str,
}

fn table(p: &TokensPage) -> Markup {
    html! {
        div.table-scroll {
            table.tokens {
                caption.visually-hidden { "Your API tokens" }
                thead { tr {
                    th scope="col" { "Name" } th scope="col" { "Starts with" } th scope="col" { "Created" }
                    th scope="col" { "Last used" } th scope="col" { "Status" }
                } }
                tbody {
                    @for token in p.tokens {
                        tr {
                            td.token-name { (token.name) }
                            td { code { (token.hint) "…" } }
                            td { (time::absolute(token.created_at)) }
                            td.token-used { @match token.last_used_at { Some(at) => (time::absolute(at)), None => "Never" } }
                            td.token-status {
                                @match token.revoked_at {
                                    Some(at) => { "Revoked " (time::absolute(at)) }
                                    None => {
                                        form.inline-form method="post" action=(format!("/account/tokens/{}/revoke", token.id)) {
                                            (forms::csrf(p.csrf_token))
                                            button.link-button type="submit" { "Revoke" span.visually-hidden { " " (token.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn tokens_page(p: &TokensPage, chrome: &Chrome) -> Markup {
    let title = if p.errors.is_empty() { "API tokens" } else { "Error: API tokens" };
    layout::page(
        title,
        chrome,
        html! {
            (error_summary(p.errors))
            @if let Some(notice) = p.notice {
                div.success role="status" { p { (notice) } }
            }
            p.meta { a href="/account" { "Your account" } }
            h1 { "API tokens" }
            p {
                "A token lets a program use the " a href="/api/v1/openapi.json" { "JSON API" } " as you: post comments "
                "and, if you are a moderator or an official, change response states, route and assign. "
                "Send it in the header " code { "Authorization: Bearer <token>" } ". Treat it like a password."
            }
            @if let Some(secret) = p.new_token {
                div.success #new-token role="status" {
                    h2 { "Your new token" }
                    p { "Copy it now: it is not stored and will not be shown again." }
                    p { code.token { (secret) } }
                }
            }
            @if p.tokens.is_empty() {
                p #no-tokens { "You have no API tokens." }
            } @else {
                (table(p))
            }
            h2 { "Create a token" }
            form method="post" action="/account/tokens" novalidate {
                (forms::csrf(p.csrf_token))
                (forms::input(p.errors, Field::new("token_name", "Name", p.name).hint("What will use it, for example \"Triage script\"."), "text", "off"))
                button.button type="submit" { "Create token" }
            }
        },
    )
}
