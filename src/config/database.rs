//! `DATABASE_URL`, parsed: which backend, and the URL fit for logs.

/// Which backend a `DATABASE_URL` names. Chosen from the URL scheme ourselves, because
/// the derived `establish` tries each backend in turn and hides the real error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err("DATABASE_URL `sqlite://` needs a file path after it".into());
            }
            return Ok(Self::Sqlite(path.to_owned()));
        }
        if url == ":memory:" || url.starts_with("file:") {
            return Ok(Self::Sqlite(url.to_owned()));
        }
        if url.is_empty() {
            return Err("it is set but empty: unset it to use the SQLite file in the data folder, or give \
                        postgres://..., sqlite://PATH or a file path"
                .into());
        }
        if url.contains("://") {
            return Err(format!(
                "DATABASE_URL `{url}` is not supported: use postgres://..., postgresql://..., sqlite://PATH or a file path"
            ));
        }
        Ok(Self::Sqlite(url.to_owned()))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }

    /// The URL with any password hidden, for logs.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{path}"),
            Self::Postgres(url) => super::redact_password(url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    #[test]
    fn url_scheme_chooses_the_backend() {
        assert_eq!(DatabaseUrl::parse("postgres://u@h/db"), Ok(DatabaseUrl::Postgres("postgres://u@h/db".into())));
        assert!(matches!(DatabaseUrl::parse("postgresql://h/db"), Ok(DatabaseUrl::Postgres(_))));
        assert_eq!(DatabaseUrl::parse("sqlite://./data/a.db"), Ok(DatabaseUrl::Sqlite("./data/a.db".into())));
        assert_eq!(DatabaseUrl::parse("data/a.db"), Ok(DatabaseUrl::Sqlite("data/a.db".into())));
        assert_eq!(DatabaseUrl::parse(":memory:"), Ok(DatabaseUrl::Sqlite(":memory:".into())));
    }

    #[test]
    fn unknown_schemes_are_refused_with_the_url_named() {
        let err = DatabaseUrl::parse("mysql://root@localhost/db").unwrap_err();
        assert!(err.contains("mysql://root@localhost/db"), "{err}");
        assert!(DatabaseUrl::parse("").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_are_hidden_in_logs() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/answerable").unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/answerable");
    }
}
