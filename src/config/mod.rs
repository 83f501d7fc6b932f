//! Settings read from the environment once at start-up and passed down; no globals.
//! The bottom layer: every other module may read its settings here, and it reads none
//! of them (it only parses a few values with the domain's types).

use std::path::{Path, PathBuf};

use rand::RngCore;

mod database;
mod inbound;
mod mail;

pub use database::DatabaseUrl;
pub use inbound::{InboundSettings, MAX_MESSAGE_BYTES};
pub use mail::MailSettings;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: String,
    pub base_url: String,
    pub data_dir: PathBuf,
    /// Key material for signed cookies; at least 32 bytes.
    pub secret: Vec<u8>,
    pub pool_size: u32,
    pub workers: Option<usize>,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is off.
    pub metrics_token: Option<String>,
    /// How long a shared cache (a CDN, nginx) may keep an anonymous reader's public
    /// page (`s-maxage`); browsers always revalidate. 0 turns public caching off.
    pub public_cache_seconds: u64,
    pub display: DisplaySettings,
    pub mail: MailSettings,
    pub abuse: AbuseSettings,
    /// Reply-by-email (off unless ANSWERABLE_REPLY_DOMAIN is set).
    pub inbound: InboundSettings,
    /// Title abbreviations recognised in imported signatures (`ANSWERABLE_TITLE_ABBREVIATIONS`,
    /// added to the built-in list).
    pub titles: crate::domain::signature::Titles,
}

/// Limits against abuse, from the environment (admins edit the rest at /admin/moderation).
#[derive(Debug, Clone, Copy)]
pub struct AbuseSettings {
    /// A comment sent sooner than this after its form was drawn is held as spam-suspected.
    pub min_form_seconds: u64,
    /// Comments per minute and per day, each counted per address and per account/email.
    pub comments_per_minute: u32,
    pub comments_per_day: u32,
    /// Registrations per address per hour.
    pub registrations_per_hour: u32,
    /// Emails sent per key (an address or account) per hour.
    pub emails_per_hour: u32,
    /// Commenters' addresses are dropped after this many days.
    pub ip_retention_days: u32,
    /// How long after posting a signed-in author may edit their comment.
    pub edit_minutes: u32,
}

impl Default for AbuseSettings {
    fn default() -> Self {
        Self {
            min_form_seconds: 3,
            comments_per_minute: 5,
            comments_per_day: 50,
            registrations_per_hour: 10,
            emails_per_hour: 10,
            ip_retention_days: 90,
            edit_minutes: 15,
        }
    }
}

/// How pages are laid out.
#[derive(Debug, Clone, Copy)]
pub struct DisplaySettings {
    pub posts_per_page: usize,
    pub threads_per_page: usize,
    pub comments_per_page: usize,
    pub nest_depth: usize,
    /// How long a rendered comment section may be reused while its post's comments are
    /// unchanged; 0 turns the reuse off.
    pub section_cache_seconds: u64,
    /// How much rendered comment HTML (in MB) is kept to draw comments again without
    /// rendering them, across changes to their posts (up to twice this is held), and
    /// as much again of post pages' comment rows, each as read for the current
    /// version of its post's comments (`read::kept`). 0 turns both off.
    pub fragment_cache_mb: usize,
}

impl Default for DisplaySettings {
    fn default() -> Self {
        Self {
            posts_per_page: 10,
            threads_per_page: 50,
            comments_per_page: 500,
            nest_depth: 5,
            section_cache_seconds: 15,
            fragment_cache_mb: 8,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is `{value}`: {reason}")]
    Invalid { name: &'static str, value: String, reason: String },
    #[error("cannot use the secret key file {path}: {source}")]
    SecretFile { path: PathBuf, source: std::io::Error },
}

impl Settings {
    /// Reads `DATABASE_URL` and the `ANSWERABLE_*` variables.
    pub fn from_env() -> Result<Self, ConfigError> {
        // An empty variable counts as unset, except DATABASE_URL: an empty one is more
        // likely a mistake (a missing value in a compose file) than a wish for SQLite.
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| name == "DATABASE_URL" || !v.trim().is_empty()))
    }

    /// Same as `from_env` with any source of variables (tests pass a map).
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(var("ANSWERABLE_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match var("DATABASE_URL") {
            Some(url) => DatabaseUrl::parse(&url).map_err(|reason| ConfigError::Invalid {
                name: "DATABASE_URL",
                value: url,
                reason,
            })?,
            None => DatabaseUrl::Sqlite(data_dir.join("answerable.db").to_string_lossy().into_owned()),
        };
        let pool_size = number(&var, "ANSWERABLE_POOL_SIZE", default_pool_size(&database_url))?;
        let bind = var("ANSWERABLE_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let base_url =
            var("ANSWERABLE_BASE_URL").unwrap_or_else(|| format!("http://{bind}")).trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "ANSWERABLE_BASE_URL",
                value: base_url,
                reason: "it must start with http:// or https://".into(),
            });
        }
        let secret = match var("ANSWERABLE_SECRET") {
            Some(s) if s.len() >= 32 => s.into_bytes(),
            Some(s) => {
                return Err(ConfigError::Invalid {
                    name: "ANSWERABLE_SECRET",
                    value: "(hidden)".into(),
                    reason: format!("it must be at least 32 characters long (it has {})", s.len()),
                })
            }
            None => load_or_create_secret(&data_dir)?,
        };
        let defaults = DisplaySettings::default();
        let mail = MailSettings::from_lookup(&var, &base_url)?;
        let abuse = AbuseSettings::default();
        let inbound = InboundSettings::from_lookup(&var)?;
        let titles = match var("ANSWERABLE_TITLE_ABBREVIATIONS") {
            Some(value) => crate::domain::signature::Titles::with_setting(&value)
                .map_err(|reason| ConfigError::Invalid { name: "ANSWERABLE_TITLE_ABBREVIATIONS", value, reason })?,
            None => crate::domain::signature::Titles::default(),
        };
        Ok(Self {
            database_url,
            bind,
            base_url,
            data_dir,
            secret,
            pool_size,
            workers: var("ANSWERABLE_WORKERS").map(|_| number(&var, "ANSWERABLE_WORKERS", 1)).transpose()?,
            metrics_token: match var("ANSWERABLE_METRICS_TOKEN") {
                Some(token) if token.trim().len() < 16 => {
                    return Err(ConfigError::Invalid {
                        name: "ANSWERABLE_METRICS_TOKEN",
                        value: "(hidden)".into(),
                        reason: "it must be at least 16 characters long".into(),
                    })
                }
                token => token.map(|t| t.trim().to_owned()),
            },
            public_cache_seconds: match var("ANSWERABLE_PUBLIC_CACHE_SECONDS").as_deref().map(str::trim) {
                Some("0") => 0,
                _ => number(&var, "ANSWERABLE_PUBLIC_CACHE_SECONDS", 5)?,
            },
            display: DisplaySettings {
                posts_per_page: number(&var, "ANSWERABLE_POSTS_PER_PAGE", defaults.posts_per_page)?,
                threads_per_page: number(&var, "ANSWERABLE_THREADS_PER_PAGE", defaults.threads_per_page)?,
                comments_per_page: number(&var, "ANSWERABLE_COMMENTS_PER_PAGE", defaults.comments_per_page)?,
                nest_depth: number(&var, "ANSWERABLE_NEST_DEPTH", defaults.nest_depth)?,
                section_cache_seconds: match var("ANSWERABLE_PAGE_CACHE_SECONDS").as_deref().map(str::trim) {
                    Some("0") => 0,
                    _ => number(&var, "ANSWERABLE_PAGE_CACHE_SECONDS", defaults.section_cache_seconds)?,
                },
                fragment_cache_mb: match var("ANSWERABLE_FRAGMENT_CACHE_MB").as_deref().map(str::trim) {
                    Some("0") => 0,
                    _ => number(&var, "ANSWERABLE_FRAGMENT_CACHE_MB", defaults.fragment_cache_mb)?,
                },
            },
            mail,
            abuse: AbuseSettings {
                min_form_seconds: match var("ANSWERABLE_MIN_FORM_SECONDS").as_deref().map(str::trim) {
                    Some("0") => 0,
                    _ => number(&var, "ANSWERABLE_MIN_FORM_SECONDS", abuse.min_form_seconds)?,
                },
                comments_per_minute: number(&var, "ANSWERABLE_COMMENTS_PER_MINUTE", abuse.comments_per_minute)?,
                comments_per_day: number(&var, "ANSWERABLE_COMMENTS_PER_DAY", abuse.comments_per_day)?,
                registrations_per_hour: number(
                    &var,
                    "ANSWERABLE_REGISTRATIONS_PER_HOUR",
                    abuse.registrations_per_hour,
                )?,
                emails_per_hour: number(&var, "ANSWERABLE_EMAILS_PER_HOUR", abuse.emails_per_hour)?,
                ip_retention_days: number(&var, "ANSWERABLE_IP_RETENTION_DAYS", abuse.ip_retention_days)?,
                edit_minutes: number(&var, "ANSWERABLE_EDIT_MINUTES", abuse.edit_minutes)?,
            },
            inbound,
            titles,
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// Connections for requests when `ANSWERABLE_POOL_SIZE` is unset. PostgreSQL: 16, so
/// requests overlap their waits on the network. SQLite: two per CPU (at least 4): its
/// queries use the CPU, not the network, and more connections than that only hold
/// more pages of memory (measured on the 500-comment page with 2 CPUs: 354 requests/s
/// and 53 MB with 4, 300 requests/s and 74 MB with 16).
fn default_pool_size(url: &DatabaseUrl) -> u32 {
    match url {
        DatabaseUrl::Postgres(_) => 16,
        DatabaseUrl::Sqlite(_) => {
            let cpus = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
            (2 * cpus).max(4)
        }
    }
}

fn number<T: std::str::FromStr + PartialOrd + From<u8>>(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(value) => match value.trim().parse::<T>() {
            Ok(n) if n >= T::from(1) => Ok(n),
            _ => Err(ConfigError::Invalid { name, value, reason: "it must be a whole number of 1 or more".into() }),
        },
    }
}

/// The cookie key kept in `<data dir>/secret.key`, made on first start so restarts
/// keep everyone's cookies valid.
fn load_or_create_secret(data_dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let path = data_dir.join("secret.key");
    let io = |source| ConfigError::SecretFile { path: path.clone(), source };
    match std::fs::read_to_string(&path) {
        Ok(hex_key) => match hex::decode(hex_key.trim()) {
            Ok(key) if key.len() >= 32 => Ok(key),
            _ => Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "expected at least 64 hex digits; delete the file to make a new key",
            ))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(io)?;
            let mut key = vec![0u8; 64];
            rand::thread_rng().fill_bytes(&mut key);
            write_private(&path, &hex::encode(&key)).map_err(io)?;
            Ok(key)
        }
        Err(e) => Err(io(e)),
    }
}

/// A URL with the password in it hidden (`scheme://user:***@host`), for messages and logs.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start => match url[start + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..start + 3], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_give_a_sqlite_file_in_the_data_dir_and_keep_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap();
        let first = settings(&[("ANSWERABLE_DATA_DIR", data)]).unwrap();
        assert_eq!(first.database_url, DatabaseUrl::Sqlite(format!("{data}/answerable.db")));
        assert_eq!(first.bind, "127.0.0.1:8080");
        assert_eq!(first.base_url, "http://127.0.0.1:8080");
        assert_eq!(first.display.threads_per_page, 50);
        let again = settings(&[("ANSWERABLE_DATA_DIR", data)]).unwrap();
        assert_eq!(first.secret, again.secret, "a restart keeps the cookie key");
    }

    #[test]
    fn bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap();
        let err = settings(&[("ANSWERABLE_DATA_DIR", data), ("ANSWERABLE_THREADS_PER_PAGE", "0")]).unwrap_err();
        assert!(err.to_string().contains("ANSWERABLE_THREADS_PER_PAGE"), "{err}");
        let err = settings(&[("ANSWERABLE_SECRET", "short")]).unwrap_err();
        assert!(err.to_string().contains("32 characters"), "{err}");
        assert!(!err.to_string().contains("short"), "the secret is never echoed");
        let err = settings(&[("DATABASE_URL", "mysql://x"), ("ANSWERABLE_SECRET", &"k".repeat(32))]).unwrap_err();
        assert!(err.to_string().contains("mysql://x"), "{err}");
        let secret = "k".repeat(32);
        let err =
            settings(&[("ANSWERABLE_SECRET", &secret), ("ANSWERABLE_SMTP_URL", "ftp://mail:hunter2@x")]).unwrap_err();
        assert!(err.to_string().contains("ANSWERABLE_SMTP_URL"), "{err}");
        assert!(!err.to_string().contains("hunter2"), "the mail password is never echoed: {err}");
        let err = settings(&[("ANSWERABLE_SECRET", &secret), ("ANSWERABLE_MAIL_FROM", "nobody")]).unwrap_err();
        assert!(err.to_string().contains("ANSWERABLE_MAIL_FROM"), "{err}");
        let err = settings(&[("ANSWERABLE_SECRET", &secret), ("ANSWERABLE_DIGEST_HOUR", "24")]).unwrap_err();
        assert!(err.to_string().contains("0 to 23"), "{err}");
    }
}
