//! What of an emailed reply is new: the text above the quoted history, without the
//! signature. Mail clients each mark the history their own way; these rules know
//! the common ones:
//!
//! | client | what starts the history |
//! |---|---|
//! | Outlook | `-----Original Message-----`, or a `From:` … `Sent:` block (after a line of underscores) |
//! | Gmail | `On Mon, 5 Feb 2024 at 10:00, Name <a@b> wrote:` (often wrapped onto two lines) |
//! | Apple Mail | `On 5 Feb 2024, at 10:00, Name <a@b> wrote:` |
//! | Thunderbird | `On 05/02/2024 10:00, Name wrote:` |
//! | any | lines quoted with `>`; a signature after `-- `; "Sent from my iPhone" and the like |
//!
//! HTML-only mail is cut at the clients' quote containers first (`gmail_quote`,
//! `divRplyFwdMsg`, `moz-cite-prefix`, `<blockquote>`), then read as text.

/// The new text of a reply's plain-text body: history, quoted lines and signature
/// removed, blank lines at either end trimmed, NUL characters dropped.
pub fn new_text(body: &str) -> String {
    let body =
        body.replace("\r\n", "\n").replace(['\r'], "\n").replace(['\u{0}', '\u{feff}'], "").replace('\u{a0}', " ");
    let lines: Vec<&str> = body.lines().collect();
    let cut = (0..lines.len()).find(|&i| starts_history(&lines, i)).unwrap_or(lines.len());
    let mut kept: Vec<&str> =
        lines[..cut].iter().copied().filter(|line| !line.trim_start().starts_with('>')).map(str::trim_end).collect();
    loop {
        match kept.last() {
            Some(line) if line.trim().is_empty() || is_mobile_signature(line) => {
                kept.pop();
            }
            _ => break,
        }
    }
    let first = kept.iter().position(|line| !line.trim().is_empty()).unwrap_or(kept.len());
    kept[first..].join("\n")
}

/// Whether line `i` is where the quoted history or the signature begins.
fn starts_history(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim_end();
    let trimmed = line.trim().trim_matches('*');
    if line == "--" || line == "-- " || lines[i] == "-- " {
        return true;
    }
    let lower = trimmed.to_lowercase();
    if lower.starts_with("-----original message-----")
        || lower.starts_with("----- original message -----")
        || lower == "begin forwarded message:"
        || lower.starts_with("-------- original message --------")
        || lower.starts_with("-------- forwarded message --------")
    {
        return true;
    }
    if trimmed.len() >= 20 && trimmed.chars().all(|c| c == '_') {
        return next_lines(lines, i + 1, 3).any(|l| header_name(l) == Some("from"));
    }
    if header_name(line) == Some("from") {
        let names: Vec<&str> = next_lines(lines, i + 1, 5).filter_map(header_name).collect();
        return names.iter().any(|n| *n == "sent" || *n == "date")
            && names.iter().any(|n| *n == "to" || *n == "subject");
    }
    attribution_ends(lines, i)
}

/// Up to `count` lines from `start`.
fn next_lines<'a>(lines: &'a [&'a str], start: usize, count: usize) -> impl Iterator<Item = &'a str> + 'a {
    lines.iter().skip(start).take(count).copied()
}

/// `From: …` → `from`; bold from HTML (`*From:* …`) too.
fn header_name(line: &str) -> Option<&'static str> {
    let line = line.trim().trim_start_matches('*').to_lowercase();
    ["from", "sent", "date", "to", "subject", "cc"]
        .into_iter()
        .find(|name| line.strip_prefix(name).is_some_and(|rest| rest.trim_start_matches('*').starts_with(':')))
}

/// "On … wrote:" starting at line `i`, on one line or wrapped onto up to three;
/// with the French and German forms.
fn attribution_ends(lines: &[&str], i: usize) -> bool {
    let first = lines[i].trim();
    let opens = ["On ", "Le ", "Am "].iter().any(|p| first.starts_with(p));
    if !opens {
        return false;
    }
    let mut joined = String::new();
    for line in next_lines(lines, i, 3) {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(line.trim());
        let lower = joined.to_lowercase();
        if joined.len() > 400 {
            return false;
        }
        if lower.ends_with("wrote:") || lower.ends_with("a écrit :") || lower.ends_with("a écrit:") {
            return true;
        }
        if first.starts_with("Am ") && lower.contains("schrieb") && lower.ends_with(':') {
            return true;
        }
    }
    false
}

fn is_mobile_signature(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    ["sent from my ", "get outlook for ", "sent from outlook", "sent from mail for windows", "sent from yahoo mail"]
        .iter()
        .any(|start| lower.starts_with(start))
        && lower.len() < 60
}

/// Whether the reply asks to be posted as the person rather than as an official:
/// `#personal` on its first line. Returns the text without the marker.
pub fn personal(text: &str) -> (bool, String) {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim();
    let Some(rest) = strip_prefix_ignore_case(first, "#personal") else { return (false, text.to_owned()) };
    if rest.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_') {
        return (false, text.to_owned());
    }
    let rest = rest.trim_start_matches([':', ',', '.', ' ']).trim();
    let mut kept: Vec<&str> = Vec::new();
    if !rest.is_empty() {
        kept.push(rest);
    }
    kept.extend(lines);
    let joined = kept.join("\n");
    (true, joined.trim().to_owned())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// Joins the soft line breaks of a `format=flowed` body (RFC 3676): a line ending
/// in a space continues on the next; with `delsp`, that space is dropped. The
/// signature line `-- ` is not a soft break.
pub fn unflow(body: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(body.len());
    let mut continuing = true;
    for line in body.replace("\r\n", "\n").split('\n') {
        // Space-stuffing: a leading space was added to lines starting with a space, `>` or "From ".
        let line = line.strip_prefix(' ').unwrap_or(line);
        if !continuing {
            out.push('\n');
        }
        let soft = line.ends_with(' ') && line != "-- ";
        out.push_str(if soft && delsp { &line[..line.len() - 1] } else { line });
        continuing = soft;
    }
    out
}

/// HTML-only mail: the part before the clients' quote containers, with block
/// elements on lines of their own, ready for an HTML-to-text pass.
pub fn html_before_history(html: &str) -> String {
    const MARKERS: [&str; 9] = [
        "class=\"gmail_quote",
        "id=\"divrplyfwdmsg\"",
        "id=\"appendonsend\"",
        "class=\"moz-cite-prefix\"",
        "name=\"messagereplysection\"",
        "class=\"outlookmessageheader\"",
        "id=\"stopspelling\"",
        "type=\"cite\"",
        "<blockquote",
    ];
    let lower = html.to_ascii_lowercase();
    let cut = MARKERS
        .iter()
        .filter_map(|marker| lower.find(marker))
        .map(|at| if lower[at..].starts_with('<') { at } else { lower[..at].rfind('<').unwrap_or(at) })
        .min()
        .unwrap_or(html.len());
    let mut out = String::with_capacity(cut + 64);
    let kept = &html[..cut];
    let lower = &lower[..cut];
    let mut last = 0;
    for (at, _) in lower.match_indices('<') {
        let tag = &lower[at + 1..];
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if matches!(name.as_str(), "div" | "p" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "table" | "hr") {
            out.push_str(&kept[last..at]);
            out.push_str("<br>");
            last = at;
        }
    }
    out.push_str(&kept[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_lines_and_the_signature_go() {
        let body = "Thanks, we are on it.\r\n\r\n> Log-in takes nine minutes.\r\n> Every day.\r\n\r\n-- \r\nDee Official\r\nDWP\r\n";
        assert_eq!(new_text(body), "Thanks, we are on it.");
        assert_eq!(new_text("Yes.\n--\nDee"), "Yes.", "a signature line that lost its space");
        assert_eq!(new_text("Answer\n> quoted\nmore answer\n"), "Answer\nmore answer", "interleaved answers stay");
    }

    #[test]
    fn outlook_history_goes() {
        let classic = "New servers arrive in March.\n\n-----Original Message-----\nFrom: Answerable\nSent: Monday\n";
        assert_eq!(new_text(classic), "New servers arrive in March.");
        let modern = "New servers arrive in March.\n\nDee\n\n________________________________\nFrom: Answerable <noreply@example.org>\nSent: 05 February 2024 10:00\nTo: Dee Official <dee@dwp.example>\nSubject: New comment for DWP\n\nThis comment was routed";
        assert_eq!(new_text(modern), "New servers arrive in March.\n\nDee");
        let bold = "Yes.\n\n*From:* Answerable <noreply@example.org>\n*Sent:* Monday\n*To:* Dee\n*Subject:* x";
        assert_eq!(new_text(bold), "Yes.");
        let mention = "From: the team, with thanks.\nWe will fix it.";
        assert_eq!(new_text(mention), mention, "a line starting From: without a header block is text");
    }

    #[test]
    fn gmail_apple_and_thunderbird_attributions_go() {
        let gmail = "We have ordered them.\n\nOn Mon, 5 Feb 2024 at 10:00, Answerable <\nreply+1.2.0.3.ab@reply.example.org> wrote:\n\n> Dee wrote:";
        assert_eq!(new_text(gmail), "We have ordered them.");
        let one_line =
            "We have ordered them.\nOn Mon, 5 Feb 2024 at 10:00, Answerable <noreply@example.org> wrote:\n> x";
        assert_eq!(new_text(one_line), "We have ordered them.");
        let apple = "Fixed on Friday.\n\nSent from my iPhone\n\nOn 5 Feb 2024, at 10:00, Answerable <noreply@example.org> wrote:\n\n> x";
        assert_eq!(new_text(apple), "Fixed on Friday.");
        let thunderbird = "Fixed on Friday.\n\nOn 05/02/2024 10:00, Answerable wrote:\n> x\n";
        assert_eq!(new_text(thunderbird), "Fixed on Friday.");
        let french = "Merci.\n\nLe lun. 5 févr. 2024 à 10:00, Answerable <noreply@example.org> a écrit :\n> x";
        assert_eq!(new_text(french), "Merci.");
        let prose = "On Monday we start.\nOn Tuesday we finish.";
        assert_eq!(new_text(prose), prose, "lines starting On are text unless they end in wrote:");
    }

    #[test]
    fn only_history_leaves_nothing() {
        assert_eq!(new_text("\n\nOn 05/02/2024 10:00, Answerable wrote:\n> x\n"), "");
        assert_eq!(new_text("> all quoted\n> here\n"), "");
        assert_eq!(new_text("   \n\n"), "");
    }

    #[test]
    fn personal_is_read_from_the_first_line() {
        assert_eq!(personal("#personal\nI use it too."), (true, "I use it too.".into()));
        assert_eq!(personal("#Personal: I use it too."), (true, "I use it too.".into()));
        assert_eq!(personal("I use it too.\n#personal"), (false, "I use it too.\n#personal".into()));
        assert_eq!(personal("#personality test"), (false, "#personality test".into()));
    }

    #[test]
    fn flowed_lines_are_joined() {
        assert_eq!(unflow("One long \nline.\nNext.", false), "One long line.\nNext.");
        assert_eq!(unflow("One long \nline.", true), "One longline.");
        assert_eq!(unflow("Text\n-- \nSig", false), "Text\n-- \nSig", "the signature line is not a soft break");
        assert_eq!(unflow(" >not quoted\n", false), ">not quoted\n", "space-stuffing is undone");
    }

    #[test]
    fn html_is_cut_at_the_quote_containers() {
        let gmail = r#"<div dir="ltr">New text</div><br><div class="gmail_quote"><div>On Mon wrote:</div><blockquote>old</blockquote></div>"#;
        assert_eq!(html_before_history(gmail), r#"<br><div dir="ltr">New text<br></div><br>"#);
        let outlook = r#"<p>Yes.</p><div id="divRplyFwdMsg"><b>From:</b> x</div>"#;
        assert_eq!(html_before_history(outlook), "<br><p>Yes.<br></p>");
        assert_eq!(html_before_history("<p>plain</p>"), "<br><p>plain<br></p>");
    }
}
