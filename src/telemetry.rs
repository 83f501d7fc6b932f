use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Structured logs to stderr: `RUST_LOG` filters (default `info`); set
/// `ANSWERABLE_LOG_FORMAT=json` for one JSON object per line.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let json = std::env::var("ANSWERABLE_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
