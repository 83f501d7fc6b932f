//! The command line: `serve`, `migrate`, `demo`, `post` here; `user`, `department`,
//! `official` and `holiday` in `people`; `import` and `export` in `transfer`.

mod mail;
mod people;
mod transfer;

use std::io::Read;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db::{self, PooledConnection};
use crate::domain::post::{PostTitle, Slug};
use crate::services::{accounts, departments, officials, posts};
use crate::startup::Application;
use crate::tools::demo;

#[derive(Debug, Parser)]
#[command(name = "answerable", version, about = "A public comment-and-response engine.")]
#[command(
    after_help = "Settings come from the environment: DATABASE_URL, ANSWERABLE_BIND, ANSWERABLE_DATA_DIR, ... (see README.md)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web site (applies migrations first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Send the outbox (and make the daily digests) without serving the site: for
    /// deployments that run the worker apart (set ANSWERABLE_MAIL_WORKER=off on `serve`).
    MailWorker,
    /// Take replies by email: `mail receive` reads one message on standard input.
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Fill an empty database with demo departments, posts and a large threaded discussion.
    Demo {
        /// How many comments to write in total.
        #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u32).range(1..=5_000_000))]
        comments: u32,
    },
    /// Create and list posts.
    #[command(subcommand)]
    Post(PostCommand),
    /// Create accounts (the first admin, for one).
    #[command(subcommand)]
    User(UserCommand),
    /// Create and list departments.
    #[command(subcommand)]
    Department(DepartmentCommand),
    /// Verify a user as an official of a department, or revoke it.
    #[command(subcommand)]
    Official(OfficialCommand),
    /// Add, list and remove holidays: days besides weekends that are not working days.
    #[command(subcommand)]
    Holiday(HolidayCommand),
    /// Import a WordPress export (WXR), or restore a JSON export into an empty database.
    #[command(subcommand)]
    Import(transfer::ImportCommand),
    /// Write everything needed to rebuild the site (no passwords or tokens) to FILE.
    Export {
        #[arg(long, value_enum)]
        format: transfer::ExportFormat,
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum HolidayCommand {
    /// Add a holiday, or rename one: answerable holiday add 2026-12-25 --name "Christmas Day".
    Add {
        /// The day, as YYYY-MM-DD.
        #[arg(value_parser = parse_day)]
        date: chrono::NaiveDate,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List holidays, earliest first.
    List,
    /// Remove a holiday.
    Remove {
        /// The day, as YYYY-MM-DD.
        #[arg(value_parser = parse_day)]
        date: chrono::NaiveDate,
    },
}

pub(super) fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}`: use YYYY-MM-DD, like 2026-12-25"))
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; prompts for the password unless --password-stdin is given.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// reader, moderator or admin.
        #[arg(long, default_value = "reader")]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password for an account (accounts restored by `import json` have none);
    /// prompts for it unless --password-stdin is given, and signs the account out everywhere.
    Password {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DepartmentCommand {
    /// Create a department.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        acronym: String,
        /// Another name people use for it; repeat for several.
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// An email domain of its staff, like hmrc.gov.uk; repeat for several.
        #[arg(long = "email-domain")]
        email_domains: Vec<String>,
        /// Response target in working days.
        #[arg(long, default_value_t = 5)]
        target_days: i32,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List departments.
    List,
}

#[derive(Debug, Subcommand)]
pub enum OfficialCommand {
    /// Verify the user with this email as an official of a department, with a title.
    Grant {
        #[arg(long)]
        email: String,
        /// The department's acronym, like HMRC.
        #[arg(long)]
        department: String,
        /// The title shown on the badge, like "Chief Technology Officer".
        #[arg(long)]
        title: String,
    },
    /// End a user's official role for a department; past replies keep their badge.
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long)]
        department: String,
    },
    /// List officials, current and revoked.
    List,
}

#[derive(Debug, Subcommand)]
pub enum PostCommand {
    /// Create a published post from a markdown file.
    Create {
        /// The post's title.
        #[arg(long)]
        title: String,
        /// Markdown file with the post's body (`-` reads standard input).
        #[arg(long)]
        body_file: PathBuf,
        /// URL slug; made from the title when omitted.
        #[arg(long)]
        slug: Option<String>,
        /// Who the post is by.
        #[arg(long, default_value = "The blog team")]
        author: String,
        /// Create the post with comments closed.
        #[arg(long)]
        closed: bool,
    },
    /// List all posts, newest first.
    List,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("configuration")]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Startup(#[from] crate::startup::StartupError),
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Post(#[from] posts::CreatePostError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error(transparent)]
    Account(#[from] accounts::AccountError),
    #[error(transparent)]
    Department(#[from] departments::DepartmentError),
    #[error(transparent)]
    Official(#[from] officials::OfficialError),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A command whose exit code means something to its caller (`mail receive`).
    #[error("{message}")]
    Status { code: u8, message: String },
}

impl CliError {
    /// The process's exit code: 1, or the one the command chose.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Status { code, .. } => *code,
            _ => 1,
        }
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        // A mail server reads a bad setting as "not configured", and keeps the mail.
        Err(error) if matches!(cli.command, Command::Mail(_)) => {
            let message = crate::error::cause_chain(&CliError::Config(error));
            return Err(CliError::Status { code: crate::inbound::exit::CONFIG, message });
        }
        Err(error) => return Err(error.into()),
    };
    match cli.command {
        Command::Mail(command) => mail::run(&settings, command),
        Command::Serve => serve(settings),
        Command::MailWorker => mail_worker(settings),
        Command::Migrate => {
            let (_, applied) = connect(&settings)?;
            println!(
                "{applied} migration(s) applied; the database at {} is up to date.",
                settings.database_url.redacted()
            );
            Ok(())
        }
        Command::Demo { comments } => {
            let (mut conn, _) = connect(&settings)?;
            let mail = crate::mail::MailContext::from_settings(&settings);
            let summary = demo::fill(&mut conn, &mail, comments as usize)?;
            println!(
                "Demo loaded: {} departments, {} posts, {} comments (replies up to depth {}).",
                summary.departments,
                summary.posts.len(),
                summary.comments,
                summary.deepest
            );
            for (slug, title) in &summary.posts {
                println!("  {title}: /posts/{slug}");
            }
            println!("Demo accounts (password for each: {}):", summary.password);
            for (email, what) in &summary.accounts {
                println!("  {email:<32} {what}");
            }
            println!("big post: /posts/{}", summary.big_post_slug);
            Ok(())
        }
        Command::Post(PostCommand::Create { title, body_file, slug, author, closed }) => {
            let title = PostTitle::parse(&title).map_err(|e| CliError::Input(format!("--title: {}", e.message)))?;
            let slug = slug
                .map(|s| Slug::parse(&s))
                .transpose()
                .map_err(|e| CliError::Input(format!("--slug: {}", e.message)))?;
            let body = read_body(&body_file)?;
            let (mut conn, _) = connect(&settings)?;
            let post = posts::create_post(
                &mut conn,
                posts::CreatePost {
                    title,
                    slug,
                    body_md: &body,
                    author_name: author.trim(),
                    comments_open: !closed,
                    published_at: None,
                },
            )?;
            println!(
                "Created post {}: {}/posts/{}{}",
                post.id,
                settings.base_url,
                post.slug,
                if closed { " (comments closed)" } else { "" }
            );
            Ok(())
        }
        Command::User(command) => people::user(&settings, command),
        Command::Department(command) => people::department(&settings, command),
        Command::Official(command) => people::official(&settings, command),
        Command::Holiday(command) => people::holiday(&settings, command),
        Command::Import(command) => transfer::import(&settings, command),
        Command::Export { format, file } => transfer::export(&settings, format, &file),
        Command::Post(PostCommand::List) => {
            let (mut conn, _) = connect(&settings)?;
            let posts = db::posts::list_all(&mut conn)?;
            if posts.is_empty() {
                println!("No posts yet. Create one with: answerable post create --title T --body-file F");
            }
            for post in posts {
                let state = match (post.published, post.comments_open) {
                    (false, _) => "draft",
                    (true, true) => "open",
                    (true, false) => "closed",
                };
                println!(
                    "{:>5}  {}  {:<6}  {:<40}  {}",
                    post.id,
                    post.published_at.format("%Y-%m-%d"),
                    state,
                    post.slug,
                    post.title
                );
            }
            Ok(())
        }
    }
}

fn read_body(path: &PathBuf) -> Result<String, CliError> {
    let mut body = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut body)?;
    } else {
        body = std::fs::read_to_string(path)
            .map_err(|e| CliError::Input(format!("--body-file {}: {e}", path.display())))?;
    }
    if body.trim().is_empty() {
        return Err(CliError::Input(format!("--body-file {}: the file is empty", path.display())));
    }
    Ok(body)
}

/// A connection with migrations applied, and how many were applied.
fn connect(settings: &Settings) -> Result<(PooledConnection, usize), CliError> {
    use crate::startup::StartupError;
    let pool = db::build_pool(&settings.database_url, 1).map_err(StartupError::Database)?;
    let mut conn = pool.get().map_err(|e| StartupError::Database(e.to_string()))?;
    let applied = db::run_migrations(&mut conn).map_err(StartupError::Migrations)?;
    Ok((conn, applied))
}

fn mail_worker(settings: Settings) -> Result<(), CliError> {
    use crate::mail::worker::{Signal, Worker, WorkerHandle};
    use crate::services::digests;
    use crate::startup::StartupError;
    let pool = db::build_pool(&settings.database_url, 2).map_err(StartupError::Database)?;
    let mut conn = pool.get().map_err(|e| StartupError::Database(e.to_string()))?;
    db::run_migrations(&mut conn).map_err(StartupError::Migrations)?;
    drop(conn);
    let worker = Worker::new(pool, &settings).map_err(StartupError::Mail)?.making_digests(digests::MAKER);
    tracing::info!(to = %worker.describe(), database = %settings.database_url.redacted(), "mail worker running; Ctrl-C or SIGTERM stops it");
    let handle = WorkerHandle::spawn(worker, std::sync::Arc::new(Signal::default()))?;
    actix_web::rt::System::new().block_on(async {
        #[cfg(unix)]
        if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    });
    tracing::info!("stopping the mail worker after the message in hand");
    handle.stop();
    Ok(())
}

fn serve(settings: Settings) -> Result<(), CliError> {
    actix_web::rt::System::new().block_on(async move {
        let database = settings.database_url.redacted();
        let pool = db::build_pool(&settings.database_url, settings.pool_size)
            .map_err(crate::startup::StartupError::Database)?;
        let app = Application::build_with_pool(settings.clone(), pool.clone())?;
        crate::startup::spawn_housekeeping(pool, settings.abuse);
        tracing::info!(address = %settings.bind, port = app.port(), %database, base_url = %settings.base_url, "Answerable is serving");
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}
