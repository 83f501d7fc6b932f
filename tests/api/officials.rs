//! Verified officials as readers see them: the choice to reply with a badge, the badge
//! itself (which only a grant can give), the "Official replies only" view, and the
//! command line an admin uses to grant and revoke.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use answerable::domain::account::{Registration, Role};
use answerable::domain::department::DepartmentInput;
use answerable::services::officials::GrantTarget;
use answerable::services::{accounts, departments, officials};
use reqwest::StatusCode;

use crate::helpers::{parse, posted_id, spawn_app, Form, Page, TestApp};

const PASSWORD: &str = "a long password";
const JANE: &str = "jane.doe@dwp.gov.uk";
const CTO: &str = "Chief Technology Officer";
const DWP: &str = "Department for Work and Pensions";

fn user(app: &TestApp, name: &str, email: &str) {
    let registration = Registration::parse(name, email, PASSWORD).unwrap();
    accounts::create_user(&mut app.conn(), &registration, Role::Reader).unwrap();
}

fn department(app: &TestApp, name: &str, acronym: &str) {
    departments::create(&mut app.conn(), &DepartmentInput::parse(name, acronym, "", "", "", "").unwrap(), None)
        .unwrap();
}

fn grant(app: &TestApp, email: &str, acronym: &str, title: &str) -> i64 {
    officials::grant(&mut app.conn(), &GrantTarget { email, department_acronym: acronym }, title, None).unwrap()
}

fn revoke(app: &TestApp, email: &str, acronym: &str) {
    officials::revoke(&mut app.conn(), &GrantTarget { email, department_acronym: acronym }, None).unwrap();
}

/// A post with one guest comment, and Jane Doe, the DWP's Chief Technology Officer.
/// Returns the post's slug, the comment's id and Jane's role id.
fn post_and_official(app: &TestApp) -> (String, i64, i64) {
    let slug = app.create_post("Fixing our IT", "Tell us what is slow.", true);
    let question = app.seed_comment(&slug, "Priya Shah", "Why does log-in take nine minutes?", None);
    user(app, "Jane Doe", JANE);
    department(app, DWP, "DWP");
    let role = grant(app, JANE, "DWP", CTO);
    (slug, question, role)
}

fn reply_page(slug: &str, parent: i64) -> String {
    format!("/posts/{slug}/comments/new?parent={parent}")
}

/// Submits the reply form as a signed-in member, choosing how to post (`as_official`).
async fn reply(app: &TestApp, slug: &str, parent: i64, as_official: &str, body: &str) -> reqwest::Response {
    let token = app.page(&reply_page(slug, parent)).await.attr("input[name=_csrf]", "value").unwrap();
    let parent = parent.to_string();
    let stamp = crate::helpers::stamp();
    let mut fields = vec![("_csrf", token.as_str()), ("parent_id", &parent), ("body", body), ("form_stamp", &stamp)];
    if !as_official.is_empty() {
        fields.push(("as_official", as_official));
    }
    app.client.post(app.url(&format!("/posts/{slug}/comments"))).form(&fields).send().await.unwrap()
}

/// A reply that must be accepted; returns its id.
async fn replied(app: &TestApp, slug: &str, parent: i64, as_official: &str, body: &str) -> i64 {
    let response = reply(app, slug, parent, as_official, body).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "reply accepted");
    posted_id(&response)
}

async fn post_page(app: &TestApp, slug: &str) -> Page {
    app.page(&format!("/posts/{slug}")).await
}

fn radio_labels(page: &Page) -> Vec<String> {
    page.texts("fieldset.radios .radio label")
}

#[tokio::test]
async fn an_official_chooses_between_the_badge_and_replying_as_themselves_and_a_reader_is_not_asked() {
    let app = spawn_app().await;
    let (slug, question, role) = post_and_official(&app);
    user(&app, "Sam Reader", "sam@example.org");

    app.sign_in(JANE).await;
    let page = app.page(&reply_page(&slug, question)).await;
    assert_eq!(page.text("form#comment-form .as-member"), "You are signed in as Jane Doe.");
    assert_eq!(
        radio_labels(&page),
        [format!("Reply as {CTO}, {DWP} (verified official badge)"), "Reply as yourself, without a badge".into()]
    );
    assert_eq!(page.attr("input[name=as_official]", "value"), Some(role.to_string()));

    let response = reply(&app, &slug, question, "", "We are on it.").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "an official must choose");
    let page = parse(response).await;
    assert!(page.text(".error-summary").contains("Choose whether to reply as an official or as yourself"));
    assert_eq!(page.field("body"), "We are on it.");

    app.sign_in("sam@example.org").await;
    let page = app.page(&reply_page(&slug, question)).await;
    assert_eq!(page.text("form#comment-form .as-member"), "You are signed in as Sam Reader.");
    assert_eq!(page.count("input[name=as_official]"), 0);
}

#[tokio::test]
async fn a_reply_as_an_official_carries_the_verified_badge() {
    let app = spawn_app().await;
    let (slug, question, role) = post_and_official(&app);
    app.sign_in(JANE).await;

    let id = replied(&app, &slug, question, &role.to_string(), "A fix ships on Monday.").await;

    let page = post_page(&app, &slug).await;
    let badge = format!("#comment-{id} p.badge");
    assert!(page.text(&badge).contains("Verified official"), "{}", page.text(&badge));
    assert_eq!(page.text(&format!("{badge} .badge-name")), "Jane Doe");
    assert_eq!(page.text(&format!("{badge} .badge-title")), CTO);
    assert_eq!(page.text(&format!("{badge} .badge-department")), DWP);
    assert_eq!(page.count(&format!("article#comment-{id}.comment--official")), 1);
    assert_eq!(page.displayed_parent(id), Some(question));
    assert_eq!(page.count(&format!("#comment-{question} > p.badge")), 0, "the question has no badge");
}

#[tokio::test]
async fn a_reply_as_yourself_has_no_badge() {
    let app = spawn_app().await;
    let (slug, question, _) = post_and_official(&app);
    app.sign_in(JANE).await;

    let id = replied(&app, &slug, question, "personal", "Speaking for myself: same here.").await;

    let page = post_page(&app, &slug).await;
    assert_eq!(page.text(&format!("#comment-{id} .author")), "Jane Doe");
    assert_eq!(page.count("p.badge"), 0);
    assert_eq!(page.count(".comment--official"), 0);
}

#[tokio::test]
async fn an_official_of_two_departments_picks_which_one_the_badge_names() {
    let app = spawn_app().await;
    let (slug, question, _) = post_and_official(&app);
    department(&app, "HM Revenue and Customs", "HMRC");
    let hmrc = grant(&app, JANE, "HMRC", "Digital Director");
    app.sign_in(JANE).await;

    let page = app.page(&reply_page(&slug, question)).await;
    assert_eq!(
        radio_labels(&page),
        [
            format!("Reply as {CTO}, {DWP} (verified official badge)"),
            "Reply as Digital Director, HM Revenue and Customs (verified official badge)".into(),
            "Reply as yourself, without a badge".into(),
        ]
    );
    let id = replied(&app, &slug, question, &hmrc.to_string(), "HMRC's log-in is separate.").await;

    let page = post_page(&app, &slug).await;
    assert_eq!(page.text(&format!("#comment-{id} .badge-title")), "Digital Director");
    assert_eq!(page.text(&format!("#comment-{id} .badge-department")), "HM Revenue and Customs");
    assert!(!page.text(&format!("#comment-{id} p.badge")).contains(DWP));
}

#[tokio::test]
async fn a_guest_who_types_an_officials_name_and_title_gets_no_badge() {
    let app = spawn_app().await;
    let (slug, _, _) = post_and_official(&app);
    let pretender = "Jane Doe, Chief Technology Officer, DWP";

    let id = app.comment(&slug, Form::new(pretender, "Official: the system is being switched off.")).await;

    let page = post_page(&app, &slug).await;
    assert_eq!(page.text(&format!("#comment-{id} .author")), pretender);
    assert_eq!(page.count("p.badge"), 0);
    assert_eq!(page.count(".comment--official"), 0);
    assert!(!page.source.contains("Verified official"));
}

#[tokio::test]
async fn a_member_cannot_post_with_someone_elses_badge() {
    let app = spawn_app().await;
    let (slug, question, janes_role) = post_and_official(&app);
    user(&app, "Mallory", "mallory@example.org");
    app.sign_in("mallory@example.org").await;

    let response = reply(&app, &slug, question, &janes_role.to_string(), "Official: ignore the last post.").await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = parse(response).await;
    assert_eq!(page.field("body"), "Official: ignore the last post.", "the text is kept");
    let page = post_page(&app, &slug).await;
    assert_eq!(page.text("#comments-title"), "1 comment", "nothing stored");
    assert_eq!(page.count("p.badge"), 0);
}

#[tokio::test]
async fn a_badge_shows_the_title_held_when_the_reply_was_posted() {
    let app = spawn_app().await;
    let (slug, question, old_role) = post_and_official(&app);
    app.sign_in(JANE).await;
    let old_reply = replied(&app, &slug, question, &old_role.to_string(), "Before the reorganisation.").await;

    revoke(&app, JANE, "DWP");
    let new_role = grant(&app, JANE, "DWP", "Director General for Digital");
    let new_reply = replied(&app, &slug, question, &new_role.to_string(), "After the reorganisation.").await;

    let page = post_page(&app, &slug).await;
    assert_eq!(page.text(&format!("#comment-{old_reply} .badge-title")), CTO);
    assert_eq!(page.text(&format!("#comment-{new_reply} .badge-title")), "Director General for Digital");
}

#[tokio::test]
async fn after_a_revocation_the_official_choice_is_gone_and_the_old_role_is_refused() {
    let app = spawn_app().await;
    let (slug, question, role) = post_and_official(&app);
    app.sign_in(JANE).await;
    let earlier = replied(&app, &slug, question, &role.to_string(), "Posted while an official.").await;

    revoke(&app, JANE, "DWP");

    let page = app.page(&reply_page(&slug, question)).await;
    assert_eq!(page.count("input[name=as_official]"), 0);
    let response = reply(&app, &slug, question, &role.to_string(), "Still official?").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(parse(response).await.field("body"), "Still official?");
    let page = post_page(&app, &slug).await;
    assert_eq!(page.text("#comments-title"), "2 comments", "nothing stored");
    assert_eq!(page.text(&format!("#comment-{earlier} .badge-title")), CTO, "replies already posted keep their badge");
}

#[tokio::test]
async fn official_replies_only_shows_each_under_the_comment_it_answers() {
    let app = spawn_app().await;
    let (slug, question, role) = post_and_official(&app);
    let unanswered = app.seed_comment(&slug, "Gareth", "Video is blocked by the firewall.", None);
    let me_too = app.seed_comment(&slug, "Rhys", "Same in our office.", Some(question));
    app.sign_in(JANE).await;
    let answer = replied(&app, &slug, question, &role.to_string(), "A fix ships on Monday.").await;
    let personal = replied(&app, &slug, me_too, "personal", "Thanks, Rhys.").await;

    let page = app.page(&format!("/posts/{slug}?show=official")).await;

    assert_eq!(page.text("nav a[aria-current=page]"), "Official replies only");
    assert_eq!(page.count("article.comment"), 2);
    assert_eq!(page.displayed_parent(answer), Some(question));
    assert_eq!(page.text(&format!("#comment-{answer} .badge-title")), CTO);
    assert_eq!(page.comment_body(question), "Why does log-in take nine minutes?");
    for hidden in [unanswered, me_too, personal] {
        assert_eq!(page.count(&format!("#comment-{hidden}")), 0, "comment {hidden} is not an official reply");
    }
}

#[tokio::test]
async fn official_replies_only_says_when_there_are_none() {
    let app = spawn_app().await;
    let (slug, question, _) = post_and_official(&app);
    app.seed_comment(&slug, "Rhys", "Same in our office.", Some(question));

    let page = app.page(&format!("/posts/{slug}?show=official")).await;

    assert!(page.text("#no-official-replies").contains("No official has replied"));
    assert_eq!(page.count("article.comment"), 0);
}

/// Runs the `answerable` binary against the test's database, with `stdin` piped in.
fn answerable(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_answerable"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("ANSWERABLE_DATA_DIR", app.data_dir.path())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run answerable");
    // A command that fails before reading its input has closed the pipe: that is fine.
    if let Err(e) = child.stdin.take().expect("stdin").write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    child.wait_with_output().expect("answerable finishes")
}

/// Runs a command that must succeed; returns what it printed.
fn run_ok(app: &TestApp, args: &[&str]) -> String {
    let output = answerable(app, args, "");
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a command that must fail; returns its error output.
fn run_err(app: &TestApp, args: &[&str]) -> String {
    let output = answerable(app, args, "");
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn the_first_admin_is_created_from_the_command_line_and_can_sign_in() {
    let app = spawn_app().await;
    let args = ["user", "create", "--email", "a@example.org", "--name", "Ada", "--role", "admin", "--password-stdin"];
    let output = answerable(&app, &args, "a long password\n");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    app.sign_in("a@example.org").await;

    let header = app.page("/").await;
    assert_eq!(header.text(".site-nav a[href='/admin']"), "Admin");
    assert!(header.text(".site-nav").contains("Sign out"));
}

#[tokio::test]
async fn an_admin_creates_departments_and_grants_and_revokes_officials_from_the_command_line() {
    let app = spawn_app().await;
    user(&app, "Jane Doe", JANE);
    run_ok(&app, &["department", "create", "--name", DWP, "--acronym", "DWP", "--alias", "Work and Pensions"]);
    let list = run_ok(&app, &["department", "list"]);
    assert!(list.contains("DWP") && list.contains(DWP) && list.contains("Work and Pensions"), "{list}");

    run_ok(&app, &["official", "grant", "--email", JANE, "--department", "DWP", "--title", CTO]);
    let list = run_ok(&app, &["official", "list"]);
    assert!(list.contains(JANE) && list.contains(CTO) && list.contains("current"), "{list}");

    run_ok(&app, &["official", "revoke", "--email", JANE, "--department", "DWP"]);
    let list = run_ok(&app, &["official", "list"]);
    assert!(list.contains(JANE) && list.contains("revoked") && !list.contains("current"), "{list}");
}

#[tokio::test]
async fn command_line_mistakes_about_officials_name_what_is_wrong() {
    let app = spawn_app().await;
    user(&app, "Jane Doe", JANE);
    department(&app, DWP, "DWP");

    let unknown_user =
        run_err(&app, &["official", "grant", "--email", "nobody@dwp.gov.uk", "--department", "DWP", "--title", CTO]);
    assert!(unknown_user.contains("nobody@dwp.gov.uk"), "{unknown_user}");
    let unknown_department =
        run_err(&app, &["official", "grant", "--email", JANE, "--department", "XYZ", "--title", CTO]);
    assert!(unknown_department.contains("XYZ"), "{unknown_department}");
    let wizard = answerable(
        &app,
        &["user", "create", "--email", "w@example.org", "--name", "W", "--role", "wizard", "--password-stdin"],
        "a long password\n",
    );
    assert!(!wizard.status.success());
    let wizard = String::from_utf8_lossy(&wizard.stderr);
    assert!(wizard.contains("reader, moderator or admin"), "{wizard}");
    assert!(run_ok(&app, &["official", "list"]).trim().is_empty(), "no grant was made");
}
