//! Builds the application the same way for `serve` and for the tests.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpServer};

use crate::config::Settings;
use crate::db;
use crate::mail::worker::{self, Signal, Worker, WorkerHandle};
use crate::mail::MailContext;
use crate::read::kept::KeptSections;
use crate::services::digests;
use crate::views::fragments::FragmentCache;
use crate::web::page_cache::SectionCache;
use crate::web::{csrf, middleware, routes, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Database(String),
    #[error("cannot apply database migrations: {0}")]
    Migrations(db::MigrationError),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: String, source: std::io::Error },
    #[error("cannot start the mail worker: {0}")]
    Mail(String),
    #[error("cannot set up the metrics")]
    Metrics(#[from] prometheus::Error),
}

pub struct Application {
    port: u16,
    /// The inbound SMTP listener's port, when `serve` runs one.
    inbound_port: Option<u16>,
    server: Server,
    /// The outbox worker, when `serve` runs it (ANSWERABLE_MAIL_WORKER is not `off`).
    mail_worker: Option<WorkerHandle>,
}

impl Application {
    /// Connects to the database, applies migrations and binds the listener. The
    /// server is returned ready to run; port 0 picks a free port.
    pub fn build(settings: Settings) -> Result<Self, StartupError> {
        let pool = db::build_pool(&settings.database_url, settings.pool_size).map_err(StartupError::Database)?;
        Self::build_with_pool(settings, pool)
    }

    /// As `build`, on a pool the caller made (tests keep a handle on it).
    pub fn build_with_pool(settings: Settings, pool: db::Pool) -> Result<Self, StartupError> {
        let mut conn = pool.get().map_err(|e| StartupError::Database(e.to_string()))?;
        let applied = db::run_migrations(&mut conn).map_err(StartupError::Migrations)?;
        drop(conn);
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|source| StartupError::Bind { address: settings.bind.clone(), source })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { address: settings.bind.clone(), source })?
            .port();
        let workers = settings.workers;
        let pool_size = settings.pool_size;
        let mailer = Arc::new(Signal::default());
        let metrics = crate::metrics::Metrics::new()?;
        let mail_worker = if settings.mail.worker_in_serve {
            let own = worker::own_pool(&settings, &pool).map_err(StartupError::Database)?;
            let worker = Worker::new(own, &settings)
                .map_err(StartupError::Mail)?
                .making_digests(digests::MAKER)
                .counting(metrics.mail_sent.clone());
            tracing::info!(to = %worker.describe(), "mail worker started");
            Some(WorkerHandle::spawn(worker, mailer.clone()).map_err(|e| StartupError::Mail(e.to_string()))?)
        } else {
            None
        };
        let inbound_port = start_inbound(&settings, &pool, &mailer)?;
        let state = web::Data::new(AppState {
            pool,
            cookie_key: actix_web::cookie::Key::derive_from(&settings.secret),
            sections: SectionCache::new(16, std::time::Duration::from_secs(settings.display.section_cache_seconds)),
            fragments: FragmentCache::new(settings.display.fragment_cache_mb.saturating_mul(1 << 20)),
            kept: Arc::new(KeptSections::new(settings.display.fragment_cache_mb.saturating_mul(1 << 20))),
            mail: Arc::new(MailContext::from_settings(&settings)),
            mailer,
            metrics,
            settings: Arc::new(settings),
        });
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(from_fn(csrf::middleware))
                .wrap(from_fn(crate::web::caching::headers))
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "same-origin"))
                        .add(("X-Frame-Options", "DENY"))
                        .add((
                            "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; \
                             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                        )),
                )
                .wrap(from_fn(middleware::refuse_nul_in_address))
                .wrap(from_fn(middleware::log_request))
                .configure(routes)
        })
        .shutdown_timeout(30)
        .listen(listener)
        .map_err(|source| StartupError::Bind { address: format!("port {port}"), source })?;
        let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        // Each worker runs database work on threads of its own; more of them than the
        // pool has connections only wait for one, each holding the memory of a page.
        let blocking = (pool_size as usize).div_ceil(workers) + 1;
        server = server.workers(workers).worker_max_blocking_threads(blocking);
        Ok(Self { port, inbound_port, server: server.run(), mail_worker })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn inbound_port(&self) -> Option<u16> {
        self.inbound_port
    }

    /// Runs until SIGINT/SIGTERM, then finishes the requests in flight and lets the
    /// mail worker finish the message in hand.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Some(worker) = self.mail_worker {
            let _ = actix_web::rt::task::spawn_blocking(move || worker.stop()).await;
        }
        result
    }
}

/// Starts the inbound SMTP listener when ANSWERABLE_INBOUND_SMTP_BIND is set, with a
/// small database pool of its own; returns its port.
fn start_inbound(settings: &Settings, pool: &db::Pool, mailer: &Arc<Signal>) -> Result<Option<u16>, StartupError> {
    let Some(address) = settings.inbound.smtp_bind.clone() else { return Ok(None) };
    let own = worker::own_pool(settings, pool).map_err(StartupError::Database)?;
    let Some(inbox) = crate::inbound::Inbox::new(settings, own, Some(mailer.clone())) else { return Ok(None) };
    let bind_error = |source| StartupError::Bind { address: address.clone(), source };
    let listener = crate::inbound::smtp::Listener::bind(&address, inbox).map_err(bind_error)?;
    let port = listener.port().map_err(bind_error)?;
    listener.spawn(&settings.mail.host).map_err(bind_error)?;
    tracing::info!(%address, port, "inbound SMTP listener takes replies by email");
    Ok(Some(port))
}

/// How often the server sweeps: drops old commenter addresses, prunes rate-limit hits.
pub const HOUSEKEEPING_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Starts the periodic housekeeping on the current actix runtime (the `serve` command
/// does; once at start, then every `HOUSEKEEPING_EVERY`).
pub fn spawn_housekeeping(pool: db::Pool, abuse: crate::config::AbuseSettings) {
    actix_web::rt::spawn(async move {
        let mut ticks = actix_web::rt::time::interval(HOUSEKEEPING_EVERY);
        loop {
            ticks.tick().await;
            let pool = pool.clone();
            let swept = web::block(move || -> Result<_, String> {
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                crate::services::maintenance::run_once(&mut conn, &abuse).map_err(|e| e.to_string())
            })
            .await;
            match swept {
                Ok(Ok(swept)) => tracing::info!(
                    addresses_dropped = swept.addresses_dropped,
                    rate_hits_pruned = swept.rate_hits_pruned,
                    "housekeeping done"
                ),
                Ok(Err(error)) => tracing::warn!(%error, "housekeeping failed; will try again"),
                Err(error) => tracing::warn!(%error, "housekeeping task was cancelled"),
            }
        }
    });
}
