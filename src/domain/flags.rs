//! Why a reader may report a comment.

/// Why a reader reports a comment: (key, label).
pub const REASONS: [(&str, &str); 5] = [
    ("abusive", "It is abusive, threatening or hateful"),
    ("personal", "It shares someone's personal information"),
    ("spam", "It is spam or advertising"),
    ("off_topic", "It is off topic"),
    ("other", "Something else (say what below)"),
];

pub fn reason_label(key: &str) -> &str {
    REASONS.iter().find(|(k, _)| *k == key).map_or(key, |(_, label)| label)
}
