//! A real SMTP server in the test process (mailin-embedded) that keeps every
//! message it receives, for tests to read back with their headers.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin_embedded::response::{INTERNAL_ERROR, OK};
use mailin_embedded::{Handler, Response, Server};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.data).expect("a well-formed message")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    pub fn message_id(&self) -> String {
        self.header("Message-ID").expect("every message has a Message-ID")
    }

    /// The decoded body of the part with this MIME type.
    pub fn part(&self, mimetype: &str) -> String {
        let parsed = self.parsed();
        parsed
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == mimetype)
            .unwrap_or_else(|| panic!("a {mimetype} part"))
            .get_body()
            .expect("a decodable part")
            .replace("\r\n", "\n")
    }

    pub fn text(&self) -> String {
        self.part("text/plain")
    }

    pub fn html(&self) -> String {
        self.part("text/html")
    }

    /// The first link in the text part that starts with `prefix` (e.g. "/password/reset/"),
    /// as a path on the site.
    pub fn link(&self, prefix: &str) -> String {
        let text = self.text();
        let start = text.find(prefix).unwrap_or_else(|| panic!("a link to {prefix} in:\n{text}"));
        text[start..].split_whitespace().next().expect("link").trim_end_matches(['>', '.', ')']).to_owned()
    }

    /// The path of the List-Unsubscribe link.
    pub fn unsubscribe_path(&self) -> String {
        let header = self.header("List-Unsubscribe").expect("List-Unsubscribe");
        let url = header.trim_start_matches('<').trim_end_matches('>');
        let start = url.find("/unsubscribe/").expect("an unsubscribe path");
        url[start..].to_owned()
    }
}

#[derive(Clone)]
struct Keeper {
    store: Arc<Mutex<Vec<Received>>>,
    /// How long the server takes to accept each message (a slow mail server).
    delay: Duration,
    /// While set, every message is refused with 451 (try again later).
    refusing: Arc<AtomicBool>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Keeper {
    fn rcpt(&mut self, _to: &str) -> Response {
        if self.refusing.load(Ordering::SeqCst) {
            return INTERNAL_ERROR;
        }
        OK
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        std::thread::sleep(self.delay);
        let message = Received { to: std::mem::take(&mut self.to), data: std::mem::take(&mut self.data) };
        self.store.lock().expect("sink store").push(message);
        OK
    }
}

pub struct MailSink {
    pub port: u16,
    store: Arc<Mutex<Vec<Received>>>,
    refusing: Arc<AtomicBool>,
}

impl MailSink {
    /// A sink on a free port.
    pub fn start() -> Self {
        Self::slow(Duration::ZERO)
    }

    /// A sink that takes `delay` to accept each message.
    pub fn slow(delay: Duration) -> Self {
        Self::listen(TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink"), delay)
    }

    /// A sink on a given port (a mail server coming back up where the app expects it).
    pub fn start_on(port: u16) -> Self {
        Self::listen(TcpListener::bind(("127.0.0.1", port)).expect("bind the SMTP sink on its port"), Duration::ZERO)
    }

    fn listen(listener: TcpListener, delay: Duration) -> Self {
        let port = listener.local_addr().expect("address").port();
        let store = Arc::new(Mutex::new(Vec::new()));
        let refusing = Arc::new(AtomicBool::new(false));
        let keeper =
            Keeper { store: store.clone(), delay, refusing: refusing.clone(), to: Vec::new(), data: Vec::new() };
        let mut server = Server::new(keeper);
        server.with_name("sink.test").with_num_threads(32).with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, store, refusing }
    }

    /// From now on, refuses every message with 451 (or, with `false`, takes them again).
    pub fn refuse(&self, refusing: bool) {
        self.refusing.store(refusing, Ordering::SeqCst);
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.store.lock().expect("sink store").clone()
    }

    /// Messages to one address.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.messages().into_iter().filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address))).collect()
    }

    /// Waits (up to 15 s) until `address` has received `count` messages; returns them.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.to(address);
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{address} received {} messages, expected {count}: {:?}", self.to(address).len(), self.subjects());
    }

    /// Waits until the sink holds `count` messages in all.
    pub async fn wait_for_total(&self, count: usize) -> Vec<Received> {
        for _ in 0..600 {
            let got = self.messages();
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the sink received {} messages, expected {count}", self.messages().len());
    }

    pub fn subjects(&self) -> Vec<(Vec<String>, String)> {
        self.messages().iter().map(|m| (m.to.clone(), m.subject())).collect()
    }
}

/// An app that sends its mail to `sink`, polling often and retrying fast.
pub async fn app_with_mail(sink: &MailSink, extra: &[(&str, &str)]) -> crate::helpers::TestApp {
    let url = sink.url();
    let mut vars = vec![
        ("ANSWERABLE_SMTP_URL", url.as_str()),
        ("ANSWERABLE_MAIL_POLL_MS", "50"),
        ("ANSWERABLE_MAIL_RETRY_MS", "100"),
        ("ANSWERABLE_MAIL_RETRY_CAP_MS", "400"),
    ];
    vars.extend_from_slice(extra);
    crate::helpers::spawn_app_with(&vars).await
}

/// Waits (up to 20 s) until the outbox owes nothing: every message sent or dead.
pub async fn drained(app: &crate::helpers::TestApp) {
    for _ in 0..400 {
        if answerable::db::outbox::pending_count(&mut app.conn()).expect("count") == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the outbox still owes messages");
}
