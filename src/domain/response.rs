//! Response states and who may change them. A top-level comment awaits a response
//! from the start; a reply is part of its thread's conversation and carries a state
//! of its own only once it is routed, answered by an official, or acted on; an
//! official reply is a response and never has one. Changes are events, kept for good.

use super::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseState {
    Awaiting,
    Acknowledged,
    Answered,
    Referred,
    NoResponseNeeded,
    /// Imported history nobody answered at the time, closed as such (an import's
    /// `--history-before`, or the admin's bulk action): not awaiting, not overdue, and
    /// left out of the response figures.
    NoResponseRecorded,
}

impl ResponseState {
    pub const ALL: [ResponseState; 6] = [
        Self::Awaiting,
        Self::Acknowledged,
        Self::Answered,
        Self::Referred,
        Self::NoResponseNeeded,
        Self::NoResponseRecorded,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "awaiting" => Some(Self::Awaiting),
            "acknowledged" => Some(Self::Acknowledged),
            "answered" => Some(Self::Answered),
            "referred" => Some(Self::Referred),
            "no_response_needed" => Some(Self::NoResponseNeeded),
            "no_response_recorded" => Some(Self::NoResponseRecorded),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Awaiting => "awaiting",
            Self::Acknowledged => "acknowledged",
            Self::Answered => "answered",
            Self::Referred => "referred",
            Self::NoResponseNeeded => "no_response_needed",
            Self::NoResponseRecorded => "no_response_recorded",
        }
    }

    /// The id of its definition on the response-states page: "state-no-response-needed".
    pub fn anchor(self) -> String {
        format!("state-{}", self.as_str().replace('_', "-"))
    }

    /// Where a state tag links: its definition.
    pub fn definition_href(self) -> String {
        format!("/response-states#{}", self.anchor())
    }

    /// What the state means, for readers.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Awaiting => "Nobody has responded yet. The tag says how many working days it has waited since it was published, and which department it is routed to once a moderator has routed it. It is overdue when the department's response target, counted from when it was routed there, has passed.",
            Self::Acknowledged => "An official of the department it is routed to, or a moderator, has seen it and is looking into it. The tag names who, with the official's badge (name, title, department). It is not an answer.",
            Self::Answered => "An official reply, posted with the verified badge, answers it. The tag names the official and links to the answer, and says how long the first official response took in working days.",
            Self::Referred => "It has been sent on to another department or channel (such as a service desk or a web page) that can deal with it. The tag says where.",
            Self::NoResponseNeeded => "A moderator decided it needs no response, for example thanks only or a duplicate, and gave the reason. It is left out of the response figures.",
            Self::NoResponseRecorded => "An old comment brought in with the blog's history, which nobody answered at the time. It is closed honestly rather than shown as overdue, and left out of the response figures and overdue counts.",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Awaiting => "Awaiting response",
            Self::Acknowledged => "Acknowledged",
            Self::Answered => "Answered",
            Self::Referred => "Referred",
            Self::NoResponseNeeded => "No response needed",
            Self::NoResponseRecorded => "No response recorded (imported history)",
        }
    }
}

/// The state a new comment starts in: a top-level comment awaits a response; a
/// reply (part of its thread's conversation) and an official reply have none.
pub fn initial_state(official_reply: bool, reply: bool) -> Option<ResponseState> {
    (!official_reply && !reply).then_some(ResponseState::Awaiting)
}

/// The state an official or moderator acts from: a conversation reply with no state
/// of its own is treated as awaiting; an official reply has none to act on.
pub fn acting_state(official_reply: bool, state: Option<ResponseState>) -> Option<ResponseState> {
    (!official_reply).then(|| state.unwrap_or(ResponseState::Awaiting))
}

/// Reasons a moderator gives for "no response needed".
pub const NO_RESPONSE_REASONS: [(&str, &str); 5] = [
    ("thanks", "thanks only"),
    ("duplicate", "duplicate of another comment"),
    ("not_a_question", "not a question or complaint"),
    ("off_topic", "off topic"),
    ("other", "other"),
];

/// What someone wants to do to a comment's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Acknowledge {
        note: Option<String>,
    },
    /// `to` is a department or an outside channel: its name, or a web address.
    Refer {
        to: String,
        note: Option<String>,
    },
    NoResponseNeeded {
        reason: String,
        note: Option<String>,
    },
    Reopen,
}

impl Transition {
    pub fn target(&self) -> ResponseState {
        match self {
            Self::Acknowledge { .. } => ResponseState::Acknowledged,
            Self::Refer { .. } => ResponseState::Referred,
            Self::NoResponseNeeded { .. } => ResponseState::NoResponseNeeded,
            Self::Reopen => ResponseState::Awaiting,
        }
    }

    /// The public note shown with the new state.
    pub fn public_note(&self) -> Option<String> {
        match self {
            Self::Acknowledge { note } | Self::Refer { note, .. } => note.clone(),
            Self::NoResponseNeeded { reason, note } => Some(match note {
                Some(note) => format!("{reason}: {note}"),
                None => reason.clone(),
            }),
            Self::Reopen => None,
        }
    }
}

/// Whether a referral's place is a web address (shown, and mailed, as a link).
pub fn is_web_address(to: &str) -> bool {
    to.starts_with("https://") || to.starts_with("http://")
}

/// What the person acting may do: moderators act on any comment; officials on
/// comments routed to one of their departments.
#[derive(Debug, Clone, Default)]
pub struct Authority {
    pub moderator: bool,
    pub official_departments: Vec<i64>,
}

impl Authority {
    pub fn can_respond_to(&self, routed_to: Option<i64>) -> bool {
        self.moderator || routed_to.is_some_and(|d| self.official_departments.contains(&d))
    }

    pub fn is_anyone(&self) -> bool {
        self.moderator || !self.official_departments.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error(
        "only moderators, and officials of the department it is routed to, can change this comment's response state"
    )]
    NotAllowed,
    #[error("only moderators can mark a comment as needing no response")]
    ModeratorsOnly,
    #[error("this comment is already {0}")]
    Already(&'static str),
    #[error("official replies are responses themselves and have no response state")]
    OfficialReply,
}

/// Decides whether `authority` may apply `transition` to a comment in `from`, routed
/// to `routed_to`; returns the new state.
pub fn decide(
    from: Option<ResponseState>,
    routed_to: Option<i64>,
    transition: &Transition,
    authority: &Authority,
) -> Result<ResponseState, TransitionError> {
    let from = from.ok_or(TransitionError::OfficialReply)?;
    if matches!(transition, Transition::NoResponseNeeded { .. }) && !authority.moderator {
        return Err(TransitionError::ModeratorsOnly);
    }
    if !authority.can_respond_to(routed_to) {
        return Err(TransitionError::NotAllowed);
    }
    let to = transition.target();
    if from == to {
        return Err(TransitionError::Already(from.label()));
    }
    Ok(to)
}

fn optional(raw: &str) -> Option<String> {
    let text = raw.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

pub const NOTE_MAX: usize = 1000;

fn note(raw: &str) -> Result<Option<String>, FieldError> {
    let note = optional(raw);
    if note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX) {
        return Err(FieldError::new("note", format!("Note must be {NOTE_MAX} characters or fewer")));
    }
    Ok(note)
}

/// Parses the transition forms: `action` is acknowledge, refer, no_response_needed or reopen.
pub fn parse_transition(action: &str, fields: impl Fn(&str) -> String) -> Result<Transition, Vec<FieldError>> {
    match action {
        "acknowledge" => Ok(Transition::Acknowledge { note: note(&fields("note")).map_err(|e| vec![e])? }),
        "reopen" => Ok(Transition::Reopen),
        "refer" => {
            let mut errors = Vec::new();
            let to = optional(&fields("referred_to"));
            match &to {
                None => errors.push(FieldError::new(
                    "referred_to",
                    "Enter where the comment was referred: a department, a service like HR service desk, or a web address",
                )),
                Some(to) if to.contains("://") && !is_web_address(to) => {
                    errors.push(FieldError::new("referred_to", "A web address must start with https:// or http://"))
                }
                Some(to) if to.chars().count() > 300 => {
                    errors.push(FieldError::new("referred_to", "Where it was referred must be 300 characters or fewer"))
                }
                Some(_) => {}
            }
            let note = note(&fields("note")).map_err(|e| errors.push(e)).ok().flatten();
            match (to, errors.is_empty()) {
                (Some(to), true) => Ok(Transition::Refer { to, note }),
                _ => Err(errors),
            }
        }
        "no_response_needed" => {
            let reason = fields("reason");
            let reason = NO_RESPONSE_REASONS.iter().find(|(key, _)| *key == reason).map(|(_, label)| *label);
            let note = note(&fields("note"));
            match (reason, note) {
                (Some(reason), Ok(note)) => Ok(Transition::NoResponseNeeded { reason: reason.to_owned(), note }),
                (reason, note) => Err([
                    reason.is_none().then(|| FieldError::new("reason", "Choose why no response is needed")),
                    note.err(),
                ]
                .into_iter()
                .flatten()
                .collect()),
            }
        }
        _ => Err(vec![FieldError::new("action", "Choose what to do")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ResponseState::*;

    fn moderator() -> Authority {
        Authority { moderator: true, official_departments: vec![] }
    }

    fn official_of(department: i64) -> Authority {
        Authority { moderator: false, official_departments: vec![department] }
    }

    #[test]
    fn states_round_trip() {
        for state in ResponseState::ALL {
            assert_eq!(ResponseState::parse(state.as_str()), Some(state));
        }
        assert_eq!(ResponseState::parse("done"), None);
    }

    #[test]
    fn officials_act_only_on_their_departments_comments() {
        let ack = Transition::Acknowledge { note: None };
        assert_eq!(decide(Some(Awaiting), Some(7), &ack, &official_of(7)), Ok(Acknowledged));
        assert_eq!(decide(Some(Awaiting), Some(8), &ack, &official_of(7)), Err(TransitionError::NotAllowed));
        assert_eq!(decide(Some(Awaiting), None, &ack, &official_of(7)), Err(TransitionError::NotAllowed));
        assert_eq!(decide(Some(Awaiting), None, &ack, &Authority::default()), Err(TransitionError::NotAllowed));
        assert_eq!(decide(Some(Awaiting), None, &ack, &moderator()), Ok(Acknowledged));
    }

    #[test]
    fn only_moderators_mark_no_response_needed() {
        let nrn = Transition::NoResponseNeeded { reason: "thanks only".into(), note: None };
        assert_eq!(decide(Some(Awaiting), Some(7), &nrn, &official_of(7)), Err(TransitionError::ModeratorsOnly));
        assert_eq!(decide(Some(Awaiting), Some(7), &nrn, &moderator()), Ok(NoResponseNeeded));
    }

    #[test]
    fn reopening_returns_to_awaiting_and_repeats_are_refused() {
        assert_eq!(decide(Some(Answered), Some(7), &Transition::Reopen, &official_of(7)), Ok(Awaiting));
        assert_eq!(
            decide(Some(Awaiting), Some(7), &Transition::Reopen, &moderator()),
            Err(TransitionError::Already("Awaiting response"))
        );
        assert_eq!(decide(None, Some(7), &Transition::Reopen, &moderator()), Err(TransitionError::OfficialReply));
    }

    #[test]
    fn forms_parse_into_transitions() {
        let fields = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map_or(String::new(), |(_, v)| (*v).to_owned())
        };
        assert_eq!(
            parse_transition("refer", fields(&[("referred_to", "HR service desk"), ("note", " ask them ")])),
            Ok(Transition::Refer { to: "HR service desk".into(), note: Some("ask them".into()) })
        );
        assert!(parse_transition("refer", fields(&[])).is_err());
        let errors = parse_transition("refer", fields(&[("referred_to", "ftp://x")])).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field.as_ref()).collect::<Vec<_>>(), ["referred_to"]);
        let nrn =
            parse_transition("no_response_needed", fields(&[("reason", "duplicate"), ("note", "of #123")])).unwrap();
        assert_eq!(nrn.public_note().as_deref(), Some("duplicate of another comment: of #123"));
        assert!(parse_transition("no_response_needed", fields(&[])).is_err());
        assert!(parse_transition("explode", fields(&[])).is_err());
    }
}
