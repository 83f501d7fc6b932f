//! The outbox worker: claims due messages under a lease, sends them, and records
//! each outcome. A message is marked sent only after the server accepted it, so a
//! crash loses nothing; at most the messages in flight (one per sender) are sent
//! again, with the same Message-ID.
//!
//! The worker has a small pool of its own and takes a connection only to claim and
//! to record an outcome, never across SMTP I/O, so a slow or silent mail server
//! never holds a connection a request needs. Each claim is leased under its own name
//! and renewed after every message, so no other sender takes over a batch that is
//! still being sent.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::QueryResult;
use lettre::Address;

use super::transport::{SendError, Transport};
use super::MailContext;
use crate::config::{MailSettings, Settings};
use crate::db::outbox::{self, Claimed};
use crate::db::{self, AnyConnection, Pool};
use crate::domain::notification::retry_delay;
use crate::domain::time;

/// Stops and wakes a running worker.
#[derive(Default)]
pub struct Signal {
    stop: AtomicBool,
    woken: Mutex<bool>,
    bell: Condvar,
}

impl Signal {
    /// Asks the worker to look at the outbox now (something was just written to it).
    pub fn wake(&self) {
        if let Ok(mut woken) = self.woken.lock() {
            *woken = true;
            self.bell.notify_all();
        }
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.wake();
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn sleep(&self, timeout: Duration) {
        let Ok(woken) = self.woken.lock() else { return };
        if let Ok((mut woken, _)) = self.bell.wait_timeout_while(woken, timeout, |woken| !*woken && !self.stopped()) {
            *woken = false;
        }
    }
}

/// How the daily digests are made. Making them is a use case (`services::digests`,
/// which writes its emails through this module), so whoever starts the worker hands
/// it in; this module only knows when to call it.
#[derive(Clone, Copy)]
pub struct Digests {
    /// The most recent digest moment at or before a time, for the digest hour.
    pub latest_moment: fn(NaiveDateTime, u32) -> NaiveDateTime,
    /// Makes every digest due at a time; returns how many emails were queued.
    pub make_due: fn(&mut AnyConnection, &MailContext, NaiveDateTime, u32) -> QueryResult<usize>,
}

pub struct Worker {
    pool: Pool,
    transport: Transport,
    settings: MailSettings,
    context: MailContext,
    from: Address,
    /// This process's name; each claim is leased as `owner-N`.
    owner: String,
    claims: AtomicU64,
    /// Rounds in a row that found the server unreachable: they set when the next is
    /// tried, without counting an attempt against any message.
    outage: AtomicI32,
    digests: Option<Digests>,
    /// Counts each message the server accepted (for `/metrics`).
    sent: Option<prometheus::IntCounter>,
}

/// Now, to the microsecond: leases can be shorter than the whole seconds that
/// `time::now` keeps for stored times.
fn lease_clock() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Connections in the worker's own pool: claims and outcomes take a few
/// milliseconds each, so a few serve every sender.
const WORKER_POOL_SIZE: u32 = 4;

/// The worker's own pool, apart from the one requests use, so that mail never
/// takes a connection a request is waiting for. An in-memory SQLite database exists
/// once per connection, so there the worker shares the site's.
pub fn own_pool(settings: &Settings, shared: &Pool) -> Result<Pool, String> {
    match &settings.database_url {
        crate::config::DatabaseUrl::Sqlite(path) if path == ":memory:" => Ok(shared.clone()),
        url => db::build_pool(url, WORKER_POOL_SIZE.min(settings.mail.concurrency as u32)),
    }
}

impl Worker {
    pub fn new(pool: Pool, settings: &Settings) -> Result<Self, String> {
        use rand::Rng;
        let owner = format!("{}-{}-{:08x}", settings.mail.host, std::process::id(), rand::thread_rng().gen::<u32>());
        if settings.mail.smtp_url.is_some() && settings.mail.lease < settings.mail.smtp_timeout * 2 {
            tracing::warn!(
                lease_ms = settings.mail.lease.as_millis() as u64,
                smtp_timeout_ms = settings.mail.smtp_timeout.as_millis() as u64,
                "the mail lease is shorter than two SMTP timeouts: a message whose sending stalls that long may be taken over and sent twice"
            );
        }
        Ok(Self {
            pool,
            transport: Transport::from_settings(settings)?,
            settings: settings.mail.clone(),
            context: MailContext::from_settings(settings),
            from: settings.mail.from.email.clone(),
            owner,
            claims: AtomicU64::new(0),
            outage: AtomicI32::new(0),
            digests: None,
            sent: None,
        })
    }

    /// The worker that counts what it sends in `counter`.
    pub fn counting(self, counter: prometheus::IntCounter) -> Self {
        Self { sent: Some(counter), ..self }
    }

    /// The worker that also makes the daily digests (in its first sender).
    pub fn making_digests(self, digests: Digests) -> Self {
        Self { digests: Some(digests), ..self }
    }

    pub fn describe(&self) -> String {
        format!("{}, {} at a time", self.transport.describe(&self.settings), self.settings.concurrency)
    }

    /// How many senders run at once.
    pub fn concurrency(&self) -> usize {
        self.settings.concurrency
    }

    /// Claims the next batch of due messages, under a lease name of its own.
    pub fn claim(&self) -> Result<Vec<Claimed>, String> {
        let owner = format!("{}-{}", self.owner, self.claims.fetch_add(1, Ordering::Relaxed));
        let now = lease_clock();
        self.with_conn(|conn| outbox::claim(conn, &owner, now, self.lease_until(), self.settings.batch))
    }

    fn lease_until(&self) -> NaiveDateTime {
        lease_clock() + TimeDelta::from_std(self.settings.lease).unwrap_or(TimeDelta::minutes(5))
    }

    /// Runs `work` on a connection of the worker's pool, given back at once.
    fn with_conn<T>(&self, work: impl FnOnce(&mut AnyConnection) -> QueryResult<T>) -> Result<T, String> {
        let mut conn = self.pool.get().map_err(|e| e.to_string())?;
        work(&mut conn).map_err(|e| e.to_string())
    }

    /// Sends claimed messages one by one. After each, its outcome is recorded and the
    /// lease on the rest renewed, in one short use of a connection; a message whose
    /// lease was lost meanwhile (a stall longer than the lease) is left to whoever
    /// took it. Returns how many were sent.
    pub fn deliver(&self, batch: &[Claimed]) -> Result<usize, String> {
        let Some(owner) = batch.first().map(|m| m.lease_owner.as_str()) else { return Ok(0) };
        let mut held: Vec<i64> = batch.iter().map(|m| m.id).collect();
        let mut sent = 0;
        for message in batch {
            if !held.contains(&message.id) {
                continue;
            }
            let outcome = self.transport.send(&self.from, message);
            held.retain(|id| *id != message.id);
            let outcome = match outcome {
                Err(SendError::Unreachable(error)) => {
                    // The server is away: this message and the rest wait for it, and
                    // none of them has an attempt counted.
                    let rounds = self.outage.fetch_add(1, Ordering::Relaxed) + 1;
                    let retry_at = self.retry_at(rounds);
                    tracing::warn!(%error, waiting = held.len() + 1, "mail server unreachable; trying again later");
                    held.push(message.id);
                    self.with_conn(|conn| outbox::release(conn, &held, owner, &error, retry_at))?;
                    return Ok(sent);
                }
                Ok(()) => None,
                Err(SendError::Permanent(error)) => Some((error, true)),
                Err(SendError::Transient(error)) => Some((error, false)),
            };
            self.outage.store(0, Ordering::Relaxed);
            let now = time::now();
            held = self.with_conn(|conn| {
                match &outcome {
                    None => {
                        sent += 1;
                        if let Some(counter) = &self.sent {
                            counter.inc();
                        }
                        outbox::mark_sent(conn, message.id, owner, now)?;
                    }
                    Some((error, true)) => {
                        tracing::warn!(id = message.id, %error, "email refused for good; marked dead");
                        outbox::mark_failed(conn, message.id, owner, error, now, true)?;
                    }
                    Some((error, false)) => {
                        self.failed(conn, message, error)?;
                    }
                }
                outbox::renew(conn, &held, owner, self.lease_until())
            })?;
        }
        Ok(sent)
    }

    fn retry_at(&self, attempts: i32) -> chrono::NaiveDateTime {
        let base = TimeDelta::from_std(self.settings.retry_base).unwrap_or(TimeDelta::seconds(30));
        let cap = TimeDelta::from_std(self.settings.retry_cap).unwrap_or(TimeDelta::minutes(30));
        time::now() + retry_delay(attempts, base, cap)
    }

    fn failed(&self, conn: &mut AnyConnection, message: &Claimed, error: &str) -> Result<usize, diesel::result::Error> {
        let attempts = message.attempts + 1;
        let dead = attempts >= self.settings.max_attempts;
        if dead {
            tracing::warn!(id = message.id, attempts, %error, "email not sent after the last attempt; marked dead");
        } else {
            tracing::warn!(id = message.id, attempts, %error, "email not sent; will try again");
        }
        outbox::mark_failed(conn, message.id, &message.lease_owner, error, self.retry_at(attempts), dead)
    }

    /// One claim-and-send round; returns how many messages were claimed.
    pub fn run_once(&self) -> Result<usize, String> {
        let batch = self.claim()?;
        self.deliver(&batch)?;
        Ok(batch.len())
    }

    /// Sends until `signal` stops it: at once when woken, else every poll interval.
    /// The sender that `makes_digests` also makes the daily digests when they are due.
    pub fn run(&self, signal: &Signal, makes_digests: bool) {
        // The day's digests are looked for once per digest moment (and again a minute
        // after a failure), not on every round.
        let mut digests_done: Option<NaiveDateTime> = None;
        let mut next_digest_try = Instant::now();
        // Rounds in a row that could not use the outbox (a read-only or unreachable
        // database): logged once, then tried again less and less often, up to a minute.
        let mut failing: u32 = 0;
        while !signal.stopped() {
            let full = match self.run_once() {
                Ok(claimed) => {
                    if failing > 0 {
                        tracing::info!(rounds = failing, "the mail worker can use the outbox again");
                    }
                    failing = 0;
                    claimed as i64 >= self.settings.batch
                }
                Err(error) => {
                    if failing == 0 {
                        tracing::error!(%error, "the mail worker cannot use the outbox; it keeps trying");
                    }
                    failing = failing.saturating_add(1);
                    signal.sleep((self.settings.poll * failing.min(60)).min(Duration::from_secs(60)));
                    false
                }
            };
            if let Some(digests) = self.digests.filter(|_| makes_digests) {
                let moment = (digests.latest_moment)(time::now(), self.settings.digest_hour);
                if digests_done != Some(moment) && Instant::now() >= next_digest_try {
                    if self.make_digests(digests) {
                        digests_done = Some(moment);
                    } else {
                        next_digest_try = Instant::now() + Duration::from_secs(60);
                    }
                }
            }
            if !full {
                signal.sleep(self.settings.poll);
            }
        }
    }

    /// Makes the digests due now; false when that failed (it is tried again later).
    fn make_digests(&self, digests: Digests) -> bool {
        let result =
            self.with_conn(|conn| (digests.make_due)(conn, &self.context, time::now(), self.settings.digest_hour));
        match result {
            Ok(made) => {
                if made > 0 {
                    tracing::info!(made, "daily digests queued");
                }
                true
            }
            Err(error) => {
                tracing::error!(%error, "daily digests could not be made");
                false
            }
        }
    }
}

/// A worker running as `concurrency` sender threads, each claiming its own batches
/// (claims never overlap), so several messages are in flight at once; dropping the
/// handle stops them.
pub struct WorkerHandle {
    signal: Arc<Signal>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl WorkerHandle {
    pub fn spawn(worker: Worker, signal: Arc<Signal>) -> std::io::Result<Self> {
        let worker = Arc::new(worker);
        let threads = (0..worker.settings.concurrency)
            .map(|n| {
                let (worker, running) = (worker.clone(), signal.clone());
                std::thread::Builder::new().name(format!("mail-sender-{n}")).spawn(move || worker.run(&running, n == 0))
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Self { signal, threads })
    }

    /// Stops the senders after the messages in hand, and waits for them.
    pub fn stop(mut self) {
        self.signal.stop();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.signal.stop();
    }
}
