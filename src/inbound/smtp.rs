//! The inbound SMTP listener `serve` runs when ANSWERABLE_INBOUND_SMTP_BIND is set
//! (for docker compose, where Mailpit relays replies to it). It takes mail only for
//! reply addresses: an altered or unknown one is refused at RCPT, before any text
//! is sent. Each message is taken while the client waits, so the reply it gets
//! (250, 550, 451 …) says what became of it, as `mail receive`'s exit code does.
//!
//! mailin-embedded serves each connection on a thread of its own pool; taking a
//! message uses the listener's own small database pool, never the site's.

use std::net::TcpListener;

use mailin_embedded::response::{NO_STORAGE, OK};
use mailin_embedded::{Handler, Response, Server};

use super::{Envelope, Inbox};
use crate::config::MAX_MESSAGE_BYTES;

/// Connections served at once.
const THREADS: u32 = 4;

#[derive(Clone)]
struct Session {
    inbox: Inbox,
    envelope: Envelope,
    data: Vec<u8>,
    too_big: bool,
}

impl Handler for Session {
    fn mail(&mut self, _ip: std::net::IpAddr, _domain: &str, from: &str) -> Response {
        self.envelope = Envelope { sender: Some(from.to_owned()), recipients: Vec::new() };
        OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        match self.inbox.accepts(to) {
            Ok(()) => {
                self.envelope.recipients.push(to.to_owned());
                OK
            }
            Err(why) => {
                tracing::info!(recipient = %to, %why, "inbound SMTP: recipient refused");
                Response::custom(550, format!("5.1.1 {why}"))
            }
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, _to: &[String]) -> Response {
        self.data.clear();
        self.too_big = false;
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.data.len() + buf.len() > MAX_MESSAGE_BYTES {
            self.too_big = true;
        } else {
            self.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if self.too_big {
            return NO_STORAGE;
        }
        let data = std::mem::take(&mut self.data);
        let outcome = self.inbox.take(&data, &self.envelope);
        let (code, text) = outcome.smtp();
        Response::custom(code, text)
    }
}

/// Binds the listener; `serve_forever` then runs it.
pub struct Listener {
    listener: TcpListener,
    inbox: Inbox,
}

impl Listener {
    pub fn bind(address: &str, inbox: Inbox) -> std::io::Result<Self> {
        Ok(Self { listener: TcpListener::bind(address)?, inbox })
    }

    pub fn port(&self) -> std::io::Result<u16> {
        Ok(self.listener.local_addr()?.port())
    }

    /// Serves on a thread of its own until the process ends.
    pub fn spawn(self, name: &str) -> std::io::Result<()> {
        let session = Session { inbox: self.inbox, envelope: Envelope::default(), data: Vec::new(), too_big: false };
        let mut server = Server::new(session);
        server.with_name(name).with_num_threads(THREADS).with_tcp_listener(self.listener);
        std::thread::Builder::new().name("inbound-smtp".into()).spawn(move || {
            if let Err(error) = server.serve() {
                tracing::error!(%error, "the inbound SMTP listener stopped");
            }
        })?;
        Ok(())
    }
}
