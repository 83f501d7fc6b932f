//! What an operator watches, in the Prometheus text format (the `prometheus` crate):
//! requests by route and status with their latency, the database pool, the outbox
//! and its worker, held comments and rate-limit refusals. One registry per running
//! site (no globals); `/metrics` serves it (see `web::metrics`).

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

/// Latency buckets, in seconds: from a cached page to a request stuck behind the pool.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Figures read from the database when `/metrics` is scraped.
#[derive(Debug, Default, Clone, Copy)]
pub struct Snapshot {
    pub outbox_pending: i64,
    pub outbox_dead: i64,
    /// Age of the oldest message still owed, in seconds (0 when none).
    pub outbox_oldest_seconds: f64,
    /// How long the most overdue message has been due and not sent, in seconds.
    pub worker_lag_seconds: f64,
    pub comments_held: i64,
    /// The request pool: connections open and idle.
    pub pool_connections: u32,
    pub pool_idle: u32,
}

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    /// Requests waiting for a database connection right now.
    pub pool_waiting: IntGauge,
    rate_limited: IntCounterVec,
    /// Emails the mail worker of this process has handed to the server.
    pub mail_sent: IntCounter,
    pool: IntGaugeVec,
    outbox: IntGaugeVec,
    outbox_oldest: Gauge,
    worker_lag: Gauge,
    comments_held: IntGauge,
}

fn registered<T: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    metric: prometheus::Result<T>,
) -> prometheus::Result<T> {
    let metric = metric?;
    registry.register(Box::new(metric.clone()))?;
    Ok(metric)
}

impl Metrics {
    /// The metrics, registered. Fails only on a name or label the text format does not
    /// allow, which the fixed names here never are.
    pub fn new() -> prometheus::Result<Self> {
        let registry = Registry::new();
        let r = &registry;
        let opts = |name: &str, help: &str| Opts::new(name, help).namespace("answerable");
        let latency =
            HistogramOpts::new("http_request_duration_seconds", "Time to answer a request, by route and method")
                .namespace("answerable")
                .buckets(LATENCY_BUCKETS.to_vec());
        Ok(Self {
            requests: registered(
                r,
                IntCounterVec::new(
                    opts("http_requests_total", "HTTP requests answered, by route, method and status"),
                    &["route", "method", "status"],
                ),
            )?,
            latency: registered(r, HistogramVec::new(latency, &["route", "method"]))?,
            pool_waiting: registered(
                r,
                IntGauge::with_opts(opts("db_pool_waiting", "Requests waiting for a database connection")),
            )?,
            rate_limited: registered(
                r,
                IntCounterVec::new(
                    opts("rate_limit_refusals_total", "Actions refused for going over a rate limit"),
                    &["action"],
                ),
            )?,
            mail_sent: registered(
                r,
                IntCounter::with_opts(opts("mail_sent_total", "Emails accepted by the mail server (this process)")),
            )?,
            pool: registered(
                r,
                IntGaugeVec::new(opts("db_pool_connections", "Request pool connections, by state"), &["state"]),
            )?,
            outbox: registered(
                r,
                IntGaugeVec::new(opts("outbox_messages", "Outbox messages, by status (pending, dead)"), &["status"]),
            )?,
            outbox_oldest: registered(
                r,
                Gauge::with_opts(opts("outbox_oldest_pending_seconds", "Age of the oldest email still owed")),
            )?,
            worker_lag: registered(
                r,
                Gauge::with_opts(opts(
                    "mail_worker_lag_seconds",
                    "How long the most overdue email has been due without being sent",
                )),
            )?,
            comments_held: registered(
                r,
                IntGauge::with_opts(opts("comments_held", "Comments waiting for a moderator")),
            )?,
            registry,
        })
    }

    /// Counts one answered request.
    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests.with_label_values(&[route, method, &status.to_string()]).inc();
        self.latency.with_label_values(&[route, method]).observe(seconds);
    }

    pub fn rate_limit_refused(&self, action: &str) {
        self.rate_limited.with_label_values(&[action]).inc();
    }

    /// The text exposition, with the database figures of `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        self.pool.with_label_values(&["idle"]).set(i64::from(snapshot.pool_idle));
        self.pool.with_label_values(&["in_use"]).set(i64::from(snapshot.pool_connections - snapshot.pool_idle));
        self.outbox.with_label_values(&["pending"]).set(snapshot.outbox_pending);
        self.outbox.with_label_values(&["dead"]).set(snapshot.outbox_dead);
        self.outbox_oldest.set(snapshot.outbox_oldest_seconds);
        self.worker_lag.set(snapshot.worker_lag_seconds);
        self.comments_held.set(snapshot.comments_held);
        let mut out = Vec::new();
        // Encoding into memory fails only on a broken metric family, which we never build.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_snapshots_are_in_the_exposition() {
        let metrics = Metrics::new().unwrap();
        metrics.request("/posts/{slug}", "GET", 200, 0.004);
        let text =
            metrics.render(&Snapshot { outbox_pending: 3, pool_connections: 4, pool_idle: 1, ..Snapshot::default() });
        assert!(
            text.contains(r#"answerable_http_requests_total{method="GET",route="/posts/{slug}",status="200"} 1"#),
            "{text}"
        );
        assert!(text.contains(r#"answerable_outbox_messages{status="pending"} 3"#), "{text}");
        assert!(text.contains(r#"answerable_db_pool_connections{state="in_use"} 3"#), "{text}");
    }
}
