use super::*;

fn officials() -> Vec<KnownOfficial> {
    vec![
        KnownOfficial {
            name: "Jane Doe".into(),
            title: "Chief Technology Officer".into(),
            department: "Department for Work and Pensions".into(),
            acronym: "DWP".into(),
            aliases: vec![],
        },
        KnownOfficial {
            name: "Mark Dearnley".into(),
            title: "Chief Digital and Information Officer".into(),
            department: "HM Revenue and Customs".into(),
            acronym: "HMRC".into(),
            aliases: vec!["Revenue and Customs".into()],
        },
        KnownOfficial {
            name: "Priya Shah".into(),
            title: "Chief Technology Officer".into(),
            department: "Home Office".into(),
            acronym: "HO".into(),
            aliases: vec![],
        },
    ]
}

fn departments() -> Vec<DepartmentName> {
    vec![
        DepartmentName { id: 1, names: vec!["Department for Work and Pensions".into(), "DWP".into()] },
        DepartmentName {
            id: 2,
            names: vec!["HM Revenue and Customs".into(), "HMRC".into(), "Revenue and Customs".into()],
        },
        DepartmentName { id: 3, names: vec!["Home Office".into(), "HO".into()] },
    ]
}

fn recognition(author: &str, body: &str) -> Recognition {
    let (officials, departments, titles) = (officials(), departments(), Titles::default());
    recognise(author, body, &Directory { officials: &officials, departments: &departments, titles: &titles })
}

fn on(author: &str, body: &str) -> Option<(usize, MatchedOn)> {
    recognition(author, body).official().map(|m| (m.official, m.on))
}

fn probable(author: &str, body: &str) -> Option<(Why, Option<usize>, String)> {
    match recognition(author, body) {
        Recognition::Probable(p) => Some((p.why, p.official, p.name)),
        _ => None,
    }
}

#[test]
fn closing_signatures_in_the_usual_forms_match() {
    let sig = Some((0, MatchedOn::Signature));
    assert_eq!(on("jd", "We are on it.\n\nJane Doe"), sig);
    assert_eq!(on("jd", "We are on it.\nJane Doe, Chief Technology Officer, DWP"), sig);
    assert_eq!(on("jd", "We are on it.\n— Jane Doe – Chief Technology Officer"), sig);
    assert_eq!(
        on("jd", "We are on it.<br />\nJane Doe, Chief Technology Officer, Department for Work and Pensions."),
        sig
    );
    assert_eq!(on("jd", "<p>We are on it.</p><p>Jane Doe<br/>Chief Technology Officer, DWP</p>"), sig);
    assert_eq!(
        on("MD", "Fixed next week.\n\nMark Dearnley, HMRC Chief Digital &amp; Information Officer"),
        Some((1, MatchedOn::Signature))
    );
}

#[test]
fn abbreviated_titles_and_departments_before_or_after_match() {
    let sig = Some((0, MatchedOn::Signature));
    assert_eq!(on("jd", "We are on it.\nJane Doe, CTO, DWP"), sig);
    assert_eq!(on("jd", "We are on it.\nJane Doe, DWP CTO"), sig);
    assert_eq!(on("jd", "We are on it.\nJane Doe – CTO at the DWP".replace("the ", "").as_str()), sig);
    assert_eq!(on("jd", "We are on it.\nJane Doe\nCTO\nDepartment for Work and Pensions"), sig);
    assert_eq!(on("x", "Soon.\nMark Dearnley, CDIO, Revenue and Customs"), Some((1, MatchedOn::Signature)));
    assert_eq!(on("x", "Soon.\nMark Dearnley (HMRC CDIO)"), Some((1, MatchedOn::Signature)));
}

#[test]
fn the_role_in_brackets_in_the_author_field_matches() {
    assert_eq!(on("Jane Doe (DWP CTO)", "We are on it."), Some((0, MatchedOn::Author)));
    assert_eq!(on("Priya Shah (Home Office CTO)", "We are on it."), Some((2, MatchedOn::Author)));
    assert_eq!(on("Jane Doe [CTO, Department for Work and Pensions]", "We are on it."), Some((0, MatchedOn::Author)));
    // Jane is not the Home Office's CTO.
    assert_eq!(on("Jane Doe (Home Office CTO)", "We are on it."), None);
}

#[test]
fn a_closing_on_behalf_of_a_project_under_the_official_s_name_matches() {
    assert_eq!(on("Jane Doe", "We are on it.\n\nOn behalf of the Verify Project"), Some((0, MatchedOn::Author)));
    assert_eq!(
        on("jd", "We are on it.\nJane Doe, CTO\nOn behalf of the Verify Project"),
        Some((0, MatchedOn::Signature))
    );
    assert_eq!(on("Bob", "We are on it.\n\nOn behalf of the Verify Project"), None);
}

#[test]
fn configured_abbreviations_replace_the_defaults() {
    let titles = Titles::with_setting("CTO=Chief Tea Officer; HoD=Head of Digital").unwrap();
    let (officials, departments) = (officials(), departments());
    let dir = Directory { officials: &officials, departments: &departments, titles: &titles };
    assert_eq!(recognise("x", "Soon.\nJane Doe, CTO, DWP", &dir).official(), None);
    assert!(Titles::with_setting("CTO Chief").is_err());
    assert!(Titles::default().describe().contains(&"CDIO = Chief Digital and Information Officer".to_owned()));
}

#[test]
fn the_author_name_matches_when_no_signature_says_otherwise() {
    assert_eq!(on("Jane Doe", "We are on it."), Some((0, MatchedOn::Author)));
    assert_eq!(on("  jane  doe ", "We are on it."), Some((0, MatchedOn::Author)));
    assert_eq!(on("Jane Doe", "We are on it.\nJane Doe, Head of Communications"), None);
}

#[test]
fn mentions_and_other_titles_do_not_match() {
    assert_eq!(on("Bob", "I asked Jane Doe about this and heard nothing."), None);
    assert_eq!(on("Bob", "Still waiting.\nJane Doe said it would be fixed"), None);
    assert_eq!(on("Bob", "Jane Doe\nwhy has nobody answered?"), None);
    assert_eq!(on("Jane Doe-Smith", "Hello"), None);
    assert_eq!(on("Bob", "Signed,\nJane Doe, Head of Communications, DWP"), None);
    assert_eq!(on("Bob", "Mark Dearnley – Chief Technology Officer"), None);
    assert_eq!(on("Bob", "Ask the DWP CTO, Jane Doe"), None);
    assert_eq!(on("John Smith (DWP CTO)", "We are on it."), None);
}

#[test]
fn near_misses_are_put_to_a_person() {
    // A known name with another title.
    assert_eq!(
        probable("Bob", "On it.\nJane Doe, Head of Communications, DWP"),
        Some((Why::OtherTitle, Some(0), "Jane Doe".into()))
    );
    assert_eq!(probable("Jane Doe (Head of Comms)", "On it."), Some((Why::OtherTitle, Some(0), "Jane Doe".into())));
    // A title without a known name: the post's holder when the surname fits, else the person as written.
    assert_eq!(probable("J. Doe (DWP CTO)", "On it."), Some((Why::TitleWithoutKnownName, Some(0), "Jane Doe".into())));
    assert_eq!(
        probable("John Smith (DWP CTO)", "On it."),
        Some((Why::TitleWithoutKnownName, None, "John Smith".into()))
    );
    assert_eq!(
        probable("js", "On it.\nJohn Smith, Director General, HMRC"),
        Some((Why::TitleWithoutKnownName, None, "John Smith".into()))
    );
    assert_eq!(
        probable("js", "On it.\nJohn Smith\nCIO, Home Office"),
        Some((Why::TitleWithoutKnownName, None, "John Smith".into()))
    );
    // A first name in a sign-off.
    assert_eq!(probable("jd", "On it.\nThanks, Jane"), Some((Why::SignOffOnly, Some(0), "Jane Doe".into())));
    // What a reader writes is not put to anyone.
    for (author, body) in [
        ("Bob", "I asked the CTO at DWP and heard nothing."),
        ("Bob", "Same here.\nThanks, Bob"),
        ("Sam Smith", "Log-in takes 9 minutes, every day"),
        ("Sam, DWP", "Log-in takes 9 minutes"),
    ] {
        assert_eq!(recognition(author, body), Recognition::Nothing, "{author}: {body}");
    }
}

#[test]
fn namesakes_in_different_posts_are_not_guessed_between() {
    let mut list = officials();
    list.push(KnownOfficial { title: "Head of Digital".into(), ..list[0].clone() });
    let (departments, titles) = (departments(), Titles::default());
    let dir = Directory { officials: &list, departments: &departments, titles: &titles };
    assert_eq!(recognise("Jane Doe", "Thanks", &dir).official(), None);
    assert_eq!(recognise("x", "Thanks\nJane Doe, Head of Digital", &dir).official().map(|m| m.official), Some(3));
}

#[test]
fn lines_are_plain_text() {
    assert_eq!(plain_lines("<p>a &amp; b</p><p>c&#8211;d<br>e</p>"), vec!["a & b", "c–d", "e"]);
    assert_eq!(plain_lines("x < y & z"), vec!["x < y & z"]);
}
