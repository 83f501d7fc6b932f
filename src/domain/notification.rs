//! Rules for email: kinds of notification and how each account wants them, the
//! retry schedule, and signed unsubscribe links.

use chrono::TimeDelta;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::response::ResponseState;

/// The kinds an account chooses a delivery for in its notification settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Someone replied to your comment.
    Replies,
    /// An official answered your comment, or in a thread or post you follow.
    OfficialResponses,
    /// For officials: comments routed to your departments (and, in the digest, overdue ones).
    DepartmentComments,
    /// For moderators: comments held for moderation and threads nobody has routed.
    Moderation,
    /// Your comment was acknowledged.
    Acknowledgements,
    /// Your comment was referred elsewhere.
    Referrals,
    /// Your comment was marked as needing no response.
    NoResponseNeeded,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Replies,
        Kind::OfficialResponses,
        Kind::Acknowledgements,
        Kind::Referrals,
        Kind::NoResponseNeeded,
        Kind::DepartmentComments,
        Kind::Moderation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Replies => "replies",
            Kind::OfficialResponses => "official_responses",
            Kind::DepartmentComments => "department_comments",
            Kind::Moderation => "moderation",
            Kind::Acknowledgements => "acknowledgements",
            Kind::Referrals => "referrals",
            Kind::NoResponseNeeded => "no_response_needed",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Replies => "Replies to your comments",
            Kind::OfficialResponses => "Official responses to your comments and to discussions you follow",
            Kind::DepartmentComments => "Comments routed to your departments, and overdue ones",
            Kind::Moderation => "Threads waiting to be routed, and comments held for moderation",
            Kind::Acknowledgements => "When your comment is acknowledged",
            Kind::Referrals => "When your comment is referred elsewhere, and where to",
            Kind::NoResponseNeeded => "When your comment is marked as needing no response, and why",
        }
    }

    /// The kind a commenter hears under when their comment moves to `state`; none for
    /// the states nobody is told of here (an answer has its own email, with the reply).
    pub fn for_state(state: ResponseState) -> Option<Kind> {
        match state {
            ResponseState::Acknowledged => Some(Kind::Acknowledgements),
            ResponseState::Referred => Some(Kind::Referrals),
            ResponseState::NoResponseNeeded => Some(Kind::NoResponseNeeded),
            ResponseState::Awaiting | ResponseState::Answered | ResponseState::NoResponseRecorded => None,
        }
    }

    /// What an account gets when it has not chosen: people hear about answers at
    /// once; officials and moderators get one email a day about their queues.
    pub fn default_mode(self) -> Mode {
        match self {
            Kind::Replies
            | Kind::OfficialResponses
            | Kind::Acknowledgements
            | Kind::Referrals
            | Kind::NoResponseNeeded => Mode::Immediate,
            Kind::DepartmentComments | Kind::Moderation => Mode::Daily,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Immediate,
    Daily,
    Off,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Immediate, Mode::Daily, Mode::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Immediate => "immediate",
            Mode::Daily => "daily",
            Mode::Off => "off",
        }
    }

    pub fn parse(raw: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Immediate => "Immediately, one email each",
            Mode::Daily => "In a daily digest",
            Mode::Off => "Off",
        }
    }
}

/// Where a comment now stands, as its author is told: who acted, where it was
/// referred, and the note or reason they gave.
#[derive(Debug, Clone, Copy)]
pub struct StateNews<'a> {
    pub state: ResponseState,
    pub by: Option<&'a str>,
    pub referred_to: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl<'a> StateNews<'a> {
    /// The news of a comment's stored standing; a referral's place only counts while
    /// it stands referred.
    pub fn new(state: ResponseState, by: Option<&'a str>, referred_to: Option<&'a str>, note: Option<&'a str>) -> Self {
        let referred_to = referred_to.filter(|_| state == ResponseState::Referred);
        Self { state, by, referred_to, note }
    }

    /// "Jane Doe, CTO, DWP referred your comment to the HR service desk." and the
    /// note; `None` for a state its author is not told of.
    pub fn sentence(&self) -> Option<String> {
        let by = self.by.filter(|b| !b.is_empty()).unwrap_or("A moderator");
        let done = match self.state {
            ResponseState::Acknowledged => format!("{by} acknowledged your comment."),
            ResponseState::Referred => format!("{by} referred your comment to {}.", self.place()),
            ResponseState::NoResponseNeeded => format!("{by} marked your comment as needing no response."),
            ResponseState::Awaiting | ResponseState::Answered | ResponseState::NoResponseRecorded => return None,
        };
        let said = match (self.state, self.note.filter(|n| !n.trim().is_empty())) {
            (_, None) => String::new(),
            (ResponseState::NoResponseNeeded, Some(reason)) => format!(" The reason given: {}", reason.trim()),
            (_, Some(note)) => format!(" Their note: {}", note.trim()),
        };
        Some(format!("{done}{said}"))
    }

    /// Where it was referred, in words.
    fn place(&self) -> &str {
        self.referred_to.filter(|t| !t.is_empty()).unwrap_or("someone else")
    }

    /// The subject line of the email about it.
    pub fn subject(&self, post_title: &str) -> String {
        match self.state {
            ResponseState::Referred => format!("Your comment on “{post_title}” was referred to {}", self.place()),
            ResponseState::NoResponseNeeded => {
                format!("Your comment on “{post_title}” was marked as needing no response")
            }
            _ => format!("Your comment on “{post_title}” was acknowledged"),
        }
    }
}

/// When to try a failed message again: the wait doubles with each attempt, from
/// `base` up to `cap`.
pub fn retry_delay(attempts: i32, base: TimeDelta, cap: TimeDelta) -> TimeDelta {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let millis = base.num_milliseconds().saturating_mul(1_i64 << doublings);
    TimeDelta::milliseconds(millis).min(cap)
}

/// What an unsubscribe link turns off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribe {
    /// One subscription (to a comment's replies, a thread or a post).
    Subscription(i64),
    /// One kind of notification for an account.
    Account { user_id: i64, kind: Kind },
    /// An account's daily digest: every kind it gets daily is turned off.
    Digest { user_id: i64 },
}

impl Unsubscribe {
    fn scope(self) -> String {
        match self {
            Unsubscribe::Subscription(id) => format!("s{id}"),
            Unsubscribe::Account { user_id, kind } => format!("u{user_id}-{}", kind.as_str()),
            Unsubscribe::Digest { user_id } => format!("d{user_id}"),
        }
    }

    fn parse_scope(scope: &str) -> Option<Unsubscribe> {
        if let Some(id) = scope.strip_prefix('s') {
            return id.parse().ok().map(Unsubscribe::Subscription);
        }
        if let Some(id) = scope.strip_prefix('d') {
            return id.parse().ok().map(|user_id| Unsubscribe::Digest { user_id });
        }
        let (user, kind) = scope.strip_prefix('u')?.split_once('-')?;
        Some(Unsubscribe::Account { user_id: user.parse().ok()?, kind: Kind::parse(kind)? })
    }

    /// The token for this link: the scope and its HMAC-SHA256 under the site's key,
    /// so a link works only for what it was made for and cannot be guessed.
    pub fn token(self, key: &[u8]) -> String {
        let scope = self.scope();
        format!("{scope}.{}", signature(key, &scope))
    }

    /// Reads a token back; `None` when it was not made with this key or was altered.
    pub fn verify(token: &str, key: &[u8]) -> Option<Unsubscribe> {
        let (scope, given) = token.rsplit_once('.')?;
        let given = hex::decode(given).ok()?;
        if given.len() < 16 {
            return None;
        }
        mac(key, scope).verify_truncated_left(&given).ok()?;
        Unsubscribe::parse_scope(scope)
    }
}

fn mac(key: &[u8], scope: &str) -> Hmac<Sha256> {
    // HMAC accepts a key of any length.
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"unsubscribe:");
    mac.update(scope.as_bytes());
    mac
}

fn signature(key: &[u8], scope: &str) -> String {
    let bytes = mac(key, scope).finalize().into_bytes();
    hex::encode(&bytes[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a key of some length for the tests";

    #[test]
    fn tokens_round_trip_and_refuse_changes() {
        for what in [
            Unsubscribe::Subscription(42),
            Unsubscribe::Account { user_id: 7, kind: Kind::Replies },
            Unsubscribe::Digest { user_id: 7 },
        ] {
            let token = what.token(KEY);
            assert_eq!(Unsubscribe::verify(&token, KEY), Some(what));
            assert_eq!(Unsubscribe::verify(&token, b"another key entirely, same length!"), None);
        }
        let token = Unsubscribe::Subscription(42).token(KEY);
        let forged = token.replacen("s42", "s43", 1);
        assert_eq!(Unsubscribe::verify(&forged, KEY), None, "a token is specific to its subscription");
        assert_eq!(Unsubscribe::verify("s42", KEY), None);
        assert_eq!(Unsubscribe::verify("s42.", KEY), None, "an empty signature is refused");
        assert_eq!(Unsubscribe::verify("s42.00", KEY), None, "a short signature is refused");
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let base = TimeDelta::seconds(30);
        let cap = TimeDelta::minutes(30);
        let delays: Vec<i64> = (1..=8).map(|n| retry_delay(n, base, cap).num_seconds()).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1800, 1800]);
        assert_eq!(retry_delay(1_000, base, cap), cap, "no overflow");
    }

    #[test]
    fn kinds_and_modes_parse_what_they_print() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(Kind::parse("everything"), None);
    }

    #[test]
    fn a_commenter_is_told_who_acted_where_to_and_why() {
        let news = |state, referred_to, note| StateNews { state, by: Some("Jane Doe, CTO, DWP"), referred_to, note };
        assert_eq!(
            news(ResponseState::Acknowledged, None, None).sentence().as_deref(),
            Some("Jane Doe, CTO, DWP acknowledged your comment.")
        );
        assert_eq!(
            news(ResponseState::Referred, Some("HR service desk"), Some("Pay is theirs")).sentence().as_deref(),
            Some("Jane Doe, CTO, DWP referred your comment to HR service desk. Their note: Pay is theirs")
        );
        assert_eq!(
            news(ResponseState::NoResponseNeeded, None, Some("thanks only")).sentence().as_deref(),
            Some("Jane Doe, CTO, DWP marked your comment as needing no response. The reason given: thanks only")
        );
        assert_eq!(news(ResponseState::Answered, None, None).sentence(), None, "answers have their own email");
        assert_eq!(
            news(ResponseState::Referred, Some("https://hr.example/pay"), None).subject("Fixing IT"),
            "Your comment on “Fixing IT” was referred to https://hr.example/pay"
        );
        for state in [ResponseState::Acknowledged, ResponseState::Referred, ResponseState::NoResponseNeeded] {
            assert!(Kind::for_state(state).is_some());
        }
        assert_eq!(Kind::for_state(ResponseState::Awaiting), None, "reopening is not news to send");
    }
}
