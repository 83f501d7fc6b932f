//! Reply-by-email as an official uses it: a notification with a reply address,
//! answered from Outlook, Gmail, Apple Mail and Thunderbird (fixtures in
//! tests/fixtures/inbound), over real SMTP into the listener and piped into
//! `answerable mail receive`. The answer is posted with the badge, the comment
//! becomes answered, and its author hears of it at the SMTP sink.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use answerable::db;
use answerable::db::inbound::InboundMessage;
use answerable::domain::account::Role;
use answerable::domain::inbound::Taken;
use answerable::domain::notification::{Kind, Mode};
use answerable::domain::time;
use answerable::mail::MailContext;
use answerable::services::{responses, subscriptions};

use crate::helpers::{TestApp, SECRET};
use crate::mail_sink::{app_with_mail, MailSink, Received};

pub const DEE: &str = "dee@dwp.example";
pub const REPLY_DOMAIN: &str = "reply.test";

/// A site with one open post, DWP and its official Dee (who hears of routed comments
/// at once), a moderator who routes, and replies by email on, with the listener.
pub struct Desk {
    pub app: TestApp,
    pub sink: MailSink,
    pub slug: String,
    pub dee: i64,
    pub role: i64,
    pub moderator: i64,
    /// The app's own mail context (its key signs reply addresses).
    pub mail: MailContext,
    extra: Vec<(String, String)>,
}

impl Desk {
    pub async fn open() -> Self {
        Self::open_with(&[]).await
    }

    pub async fn open_with(extra: &[(&str, &str)]) -> Self {
        let sink = MailSink::start();
        let mut vars = vec![("ANSWERABLE_REPLY_DOMAIN", REPLY_DOMAIN), ("ANSWERABLE_INBOUND_SMTP_BIND", "127.0.0.1:0")];
        vars.extend_from_slice(extra);
        let app = app_with_mail(&sink, &vars).await;
        let slug = app.create_post("We are fixing IT", "Tell us what is slow.", true);
        app.department("Department for Work and Pensions", "DWP", "Work and Pensions");
        let dee = app.user("Dee Official", DEE, Role::Reader);
        db::users::set_email_verified(&mut app.conn(), dee, time::now()).unwrap();
        let role = app.grant(DEE, "DWP", "Chief Technology Officer");
        subscriptions::set_preferences(&mut app.conn(), dee, &[(Kind::DepartmentComments, Mode::Immediate)]).unwrap();
        let moderator = app.user("Mo Moderator", "mo@example.org", Role::Moderator);
        let mail = MailContext::from_settings(&app.settings);
        let extra = extra.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Self { app, sink, slug, dee, role, moderator, mail, extra }
    }

    /// A reader with a confirmed address comments; a moderator routes it to DWP, and
    /// Dee is emailed about it. Returns the comment and Dee's email.
    pub async fn routed_comment(&self, reader: &str, body: &str) -> (i64, Received) {
        let name = reader.split('@').next().unwrap();
        let user = self.app.user(name, reader, Role::Reader);
        db::users::set_email_verified(&mut self.app.conn(), user, time::now()).unwrap();
        let comment = self.app.seed_member_comment(&self.slug, user, body);
        let before = self.sink.to(DEE).len();
        let actor = responses::actor(&mut self.app.conn(), self.moderator).unwrap().unwrap();
        let dwp = db::departments::list(&mut self.app.conn()).unwrap()[0].id;
        responses::route(&mut self.app.conn(), &self.mail, &actor, &[comment], Some(dwp)).unwrap();
        let notification = self.sink.wait_for(DEE, before + 1).await.remove(before);
        (comment, notification)
    }

    /// A fixture filled in as an answer to `notification` from `from`.
    pub fn reply(&self, fixture: &str, notification: &Received, from: &str, message_id: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/inbound/{fixture}.eml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.replace("{{FROM}}", from)
            .replace("{{TO}}", &reply_address(notification))
            .replace("{{IN_REPLY_TO}}", &notification.message_id())
            .replace("{{MESSAGE_ID}}", &format!("<{message_id}>"))
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .into_bytes()
    }

    /// A plain reply to `notification` saying `text` above the quoted history.
    pub fn plain(&self, notification: &Received, from: &str, message_id: &str, text: &str) -> Vec<u8> {
        format!(
            "From: {from}\r\nTo: {}\r\nSubject: Re: {}\r\nMessage-ID: <{message_id}>\r\nIn-Reply-To: {}\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\r\nOn 05/02/2024 10:00, Answerable wrote:\r\n> {}\r\n",
            reply_address(notification),
            notification.subject(),
            notification.message_id(),
            notification.text().lines().next().unwrap_or(""),
        )
        .into_bytes()
    }

    /// Sends a message over SMTP into the listener; the error is the server's refusal.
    pub fn over_smtp(&self, raw: &[u8], from: &str, to: &str) -> Result<String, lettre::transport::smtp::Error> {
        use lettre::Transport as _;
        let port = self.app.inbound_port.expect("the listener runs");
        let smtp = lettre::SmtpTransport::builder_dangerous("127.0.0.1").port(port).build();
        let sender = if from.is_empty() { None } else { Some(from.parse().unwrap()) };
        let envelope = lettre::address::Envelope::new(sender, vec![to.parse().unwrap()]).unwrap();
        smtp.send_raw(&envelope, raw).map(|r| r.message().collect::<Vec<_>>().join(" "))
    }

    /// Pipes a message into `answerable mail receive`, as Postfix would.
    pub fn mail_receive(&self, raw: &[u8], args: &[&str]) -> Output {
        self.mail_receive_with(raw, args, &[])
    }

    pub fn mail_receive_with(&self, raw: &[u8], args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_answerable"));
        command
            .args(["mail", "receive"])
            .args(args)
            .env("DATABASE_URL", &self.app.database_url)
            .env("ANSWERABLE_DATA_DIR", self.app.data_dir.path())
            .env("ANSWERABLE_SECRET", SECRET)
            .env("ANSWERABLE_BIND", "127.0.0.1:0")
            .env("ANSWERABLE_REPLY_DOMAIN", REPLY_DOMAIN)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in &self.extra {
            command.env(name, value);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("run answerable mail receive");
        // A process that gives up early (the database is down) may exit before reading
        // all of its input, as an MTA allows: a broken pipe here is not a failure.
        let _ = child.stdin.take().unwrap().write_all(raw);
        child.wait_with_output().unwrap()
    }

    /// What was recorded of the message with this Message-ID.
    pub fn taken(&self, message_id: &str) -> InboundMessage {
        db::inbound::by_message_id(&mut self.app.conn(), message_id).unwrap().expect("the message was recorded")
    }

    pub fn comment(&self, id: i64) -> db::comments::Comment {
        db::comments::find(&mut self.app.conn(), id).unwrap().expect("comment")
    }

    /// How many replies a comment has, published or held.
    pub fn replies_to(&self, id: i64) -> usize {
        use answerable::db::schema::comments;
        use diesel::prelude::*;
        comments::table.filter(comments::parent_id.eq(id)).count().get_result::<i64>(&mut self.app.conn()).unwrap()
            as usize
    }
}

/// The bare address in a notification's Reply-To.
pub fn reply_address(notification: &Received) -> String {
    let header = notification.header("Reply-To").expect("an answerable notification has Reply-To");
    answerable::domain::reply_address::bare_address(&header).to_owned()
}

pub fn exit_code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

pub fn out(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Each client's reply and the text that must be posted from it (nothing of the
/// quoted history, the signature after `-- `, or the attached image).
const CLIENTS: [(&str, &str); 4] = [
    (
        "outlook",
        "Thank you for raising this. We are replacing the log-in servers in March, which should bring log-in \
         under a minute – we will report back here.\n\nDee Official\nChief Technology Officer, DWP",
    ),
    ("gmail", "We have ordered new log-in servers for every Jobcentre; they arrive in March.\n\nDee"),
    ("apple_mail", "The new servers are in — log-in takes forty seconds now. Here is the screen we see:"),
    (
        "thunderbird",
        "Thanks, Gina. The slow log-in comes from the old profile servers; we are moving everyone to the new \
         ones by the end of March, and Jobcentre staff go first.",
    ),
];

/// The reply posted from `message_id` is Dee's official answer with exactly `text`,
/// the comment is answered by it, and its author was told.
async fn assert_answered(desk: &Desk, comment: i64, reader: &str, message_id: &str, text: &str) {
    let taken = desk.taken(message_id);
    assert_eq!(taken.outcome, Taken::Posted, "{}", taken.reason);
    let reply = desk.comment(taken.reply_id.expect("the reply's id"));
    assert_eq!(reply.body_md, text, "{message_id}: only the new text is posted");
    assert_eq!(reply.parent_id, Some(comment));
    assert_eq!(reply.user_id, Some(desk.dee));
    assert_eq!(reply.official_role_id, Some(desk.role), "posted as official");
    assert_eq!(reply.badge_title.as_deref(), Some("Chief Technology Officer"));
    let answered = desk.comment(comment);
    assert_eq!(answered.state().map(|s| s.as_str()), Some("answered"));
    assert_eq!(answered.answered_by, Some(reply.id));

    let told = desk.sink.wait_for(reader, 1).await.remove(0);
    assert_eq!(told.subject(), "Official response from DWP to your comment");
    let words = told.text();
    assert!(words.contains("Dee Official, Chief Technology Officer, Department for Work and Pensions"), "{words}");
    let first_line = text.lines().next().unwrap();
    assert!(words.contains(&format!("> {first_line}")), "{words}");
    assert!(!words.contains("routed to DWP"), "no quoted history reaches the author: {words}");

    let page = desk.app.page(&format!("/posts/{}", desk.slug)).await;
    assert!(page.comment_body(reply.id).starts_with(first_line.split(' ').next().unwrap()));
    assert!(page.text(&format!("#comment-{}", reply.id)).contains("Chief Technology Officer"));
}

#[tokio::test]
async fn a_notification_carries_a_signed_reply_address_and_says_how_to_answer() {
    let desk = Desk::open().await;
    let (comment, notification) = desk.routed_comment("gina@example.org", "My DWP log-in takes nine minutes.").await;
    let address = reply_address(&notification);
    assert!(address.starts_with(&format!("reply+{}.{comment}.{}.", desk.dee, desk.role)), "{address}");
    assert!(address.ends_with("@reply.test"));
    assert_eq!(notification.header("Auto-Submitted").as_deref(), Some("auto-generated"));
    assert!(notification.message_id().starts_with("<r."), "the Message-ID carries the token too");
    let references = notification.header("References").unwrap();
    assert!(references.contains("<post-") && references.contains(&format!("<thread-{comment}@")), "{references}");
    assert!(notification.text().contains("as an official response from DWP"), "{}", notification.text());
    assert!(notification.text().contains("#personal"));

    // Another comment routed to Dee: another address, for that comment.
    let (other, again) = desk.routed_comment("ben@example.org", "Mine takes eight.").await;
    assert_ne!(reply_address(&again), address);
    assert!(reply_address(&again).contains(&format!(".{other}.")));
}

#[tokio::test]
async fn an_official_answers_from_each_mail_client_over_smtp() {
    let desk = Desk::open().await;
    for (n, (client, text)) in CLIENTS.iter().enumerate() {
        let reader = format!("reader{n}@example.org");
        let (comment, notification) = desk.routed_comment(&reader, "My DWP log-in takes nine minutes.").await;
        let message_id = format!("{client}-{n}@dwp.example");
        let raw = desk.reply(client, &notification, DEE, &message_id);
        let answer = desk.over_smtp(&raw, DEE, &reply_address(&notification)).expect("the listener takes the reply");
        assert!(answer.contains("posted as official reply"), "{client}: {answer}");
        assert_answered(&desk, comment, &reader, &message_id, text).await;
    }
}

#[tokio::test]
async fn an_official_answers_from_each_mail_client_through_mail_receive() {
    let desk = Desk::open().await;
    for (n, (client, text)) in CLIENTS.iter().enumerate() {
        let reader = format!("reader{n}@example.org");
        let (comment, notification) = desk.routed_comment(&reader, "My DWP log-in takes nine minutes.").await;
        let message_id = format!("{client}-{n}@dwp.example");
        let raw = desk.reply(client, &notification, "Dee@DWP.example", &message_id);
        let recipient = format!("--recipient={}", reply_address(&notification));
        let output = desk.mail_receive(&raw, &["--sender=dee@dwp.example", &recipient]);
        assert_eq!(exit_code(&output), 0, "{client}: {}", out(&output));
        assert!(out(&output).contains("posted as official reply"), "{}", out(&output));
        assert_answered(&desk, comment, &reader, &message_id, text).await;
    }
}

#[tokio::test]
async fn readers_answer_as_themselves_personal_drops_the_badge_and_the_form_s_rules_apply() {
    let desk = Desk::open_with(&[("ANSWERABLE_COMMENTS_PER_MINUTE", "1")]).await;
    let gina = "gina@example.org";
    let (comment, notification) = desk.routed_comment(gina, "My DWP log-in takes nine minutes.").await;
    let raw = desk.reply("gmail", &notification, DEE, "answer@dwp.example");
    desk.over_smtp(&raw, DEE, &reply_address(&notification)).unwrap();
    let answer = desk.taken("answer@dwp.example").reply_id.unwrap();

    // Gina hears of the answer and replies to it by email, as herself.
    let told = desk.sink.wait_for(gina, 1).await.remove(0);
    assert!(told.text().contains("posted on the site under your name"), "{}", told.text());
    let raw = desk.plain(&told, "Gina <GINA@example.org>", "gina-1@example.org", "Thank you. Which week in March?");
    let output = desk.mail_receive(&raw, &[]);
    assert_eq!(exit_code(&output), 0, "{}", out(&output));
    let hers = desk.comment(desk.taken("gina-1@example.org").reply_id.unwrap());
    let gina_id = desk.comment(comment).user_id;
    assert_eq!((hers.parent_id, hers.user_id, hers.badge_title.as_deref()), (Some(answer), gina_id, None));
    assert_eq!(hers.body_md, "Thank you. Which week in March?");
    assert_eq!(hers.author_name, "gina");

    // Dee hears of Gina's reply, and answers with #personal: no badge, no answer recorded.
    let replied = desk.sink.wait_for(DEE, 2).await.remove(1);
    assert!(replied.text().contains("#personal"), "the thread's department is DWP: {}", replied.text());
    let raw = desk.plain(&replied, DEE, "dee-personal@dwp.example", "#personal\nI will ask the team and come back.");
    desk.over_smtp(&raw, DEE, &reply_address(&replied)).unwrap();
    let personal = desk.comment(desk.taken("dee-personal@dwp.example").reply_id.unwrap());
    assert_eq!(personal.body_md, "I will ask the team and come back.");
    assert_eq!((personal.official_role_id, personal.badge_title), (None, None));

    // A reader's second reply within the minute is over the form's rate limit.
    let raw = desk.plain(&told, gina, "gina-2@example.org", "And which Jobcentres first?");
    let output = desk.mail_receive(&raw, &[]);
    assert_eq!(exit_code(&output), 0, "{}", out(&output));
    assert!(out(&output).contains("a lot of comments in a short time"), "{}", out(&output));
    let refused = desk.taken("gina-2@example.org");
    assert_eq!((refused.outcome, refused.review, refused.body), (Taken::Refused, None, None), "a reader's is not kept");
    // Gina has the answer, Dee's personal reply to her, and the refusal.
    let mail = desk.sink.wait_for(gina, 3).await;
    let refusal = mail.iter().find(|m| m.subject() == "Your reply by email was not posted").expect("a refusal");
    assert!(refusal.text().contains("> And which Jobcentres first?"), "their text comes back: {}", refusal.text());

    // Pre-moderation holds a reply by email as it holds one from the form.
    let post = db::posts::find_published_by_slug(&mut desk.app.conn(), &desk.slug).unwrap().unwrap();
    db::posts::set_moderation(&mut desk.app.conn(), post.id, Some("all")).unwrap();
    let (_, other) = desk.routed_comment("ben@example.org", "Mine takes eight minutes.").await;
    let raw = desk.reply("thunderbird", &other, DEE, "dee-held@dwp.example");
    desk.over_smtp(&raw, DEE, &reply_address(&other)).unwrap();
    assert_eq!(desk.taken("dee-held@dwp.example").outcome, Taken::Posted, "an official is trusted");
    let ben_told = desk.sink.wait_for("ben@example.org", 1).await.remove(0);
    let raw = desk.plain(&ben_told, "ben@example.org", "ben-1@example.org", "Thanks, that helps.");
    let answer = desk.over_smtp(&raw, "ben@example.org", &reply_address(&ben_told)).unwrap();
    assert!(answer.contains("held for moderation"), "{answer}");
    let held = desk.comment(desk.taken("ben-1@example.org").reply_id.unwrap());
    assert_eq!(held.status.as_str(), "pending");
    assert_eq!(desk.comment(comment).state().map(|s| s.as_str()), Some("answered"));
}

#[tokio::test]
async fn each_item_of_a_digest_can_be_answered_by_email() {
    let desk = Desk::open().await;
    subscriptions::set_preferences(&mut desk.app.conn(), desk.dee, &[(Kind::DepartmentComments, Mode::Daily)]).unwrap();
    let reader = desk.app.user("Gina", "gina@example.org", Role::Reader);
    let comment = desk.app.seed_member_comment(&desk.slug, reader, "My DWP log-in takes nine minutes.");
    let actor = responses::actor(&mut desk.app.conn(), desk.moderator).unwrap().unwrap();
    let dwp = db::departments::list(&mut desk.app.conn()).unwrap()[0].id;
    responses::route(&mut desk.app.conn(), &desk.mail, &actor, &[comment], Some(dwp)).unwrap();
    let tomorrow = time::now() + chrono::TimeDelta::days(1);
    assert_eq!(answerable::services::digests::make_due(&mut desk.app.conn(), &desk.mail, tomorrow, 7).unwrap(), 1);
    let digest = desk.sink.wait_for(DEE, 1).await.remove(0);
    let text = digest.text();
    let line =
        text.lines().find(|l| l.trim_start().starts_with("Answer by email: ")).unwrap_or_else(|| panic!("{text}"));
    let address = line.trim().trim_start_matches("Answer by email: ");
    assert!(address.contains(&format!(".{comment}.{}.", desk.role)), "{address}");
    assert!(digest.html().contains(&format!("href=\"mailto:{address}\"")));

    let raw = format!(
        "From: {DEE}\r\nTo: {address}\r\nSubject: Re: digest\r\nMessage-ID: <from-digest@dwp.example>\r\n\r\nFixed in March.\r\n"
    );
    assert!(desk.over_smtp(raw.as_bytes(), DEE, address).unwrap().contains("posted as official reply"));
    assert_eq!(desk.comment(comment).state().map(|s| s.as_str()), Some("answered"));
}
