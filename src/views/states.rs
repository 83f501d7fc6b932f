//! `/response-states`: what each response state means, where every state tag links.

use maud::{html, Markup};

use super::layout::{self, Chrome};
use crate::domain::response::ResponseState;

pub fn response_states(chrome: &Chrome) -> Markup {
    layout::page(
        "What the response states mean",
        chrome,
        html! {
            h1 { "What the response states mean" }
            p.lede {
                "Every top-level comment shows where it stands. A reply is part of its thread’s conversation "
                "and shows a state of its own only once it is routed to a department, answered by an official "
                "or acted on. Official replies carry the verified badge and are responses themselves."
            }
            dl.state-definitions {
                @for state in ResponseState::ALL {
                    dt id=(state.anchor()) { strong class=(format!("tag tag--{}", tag_class(state))) { (state.label()) } }
                    dd { (state.meaning()) }
                }
            }
            p { "Working days are Monday to Friday, less the holidays this site lists. "
                a href="/departments#definitions-title" { "How each department’s figures are counted" } "." }
        },
    )
}

/// The tag's colour class, as the state lines use it.
pub fn tag_class(state: ResponseState) -> &'static str {
    match state {
        ResponseState::Awaiting => "awaiting",
        ResponseState::Acknowledged => "acknowledged",
        ResponseState::Answered => "answered",
        ResponseState::Referred => "referred",
        ResponseState::NoResponseNeeded => "none",
        ResponseState::NoResponseRecorded => "history",
    }
}
