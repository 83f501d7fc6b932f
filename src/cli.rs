//! The command line: `serve`, `migrate`, `demo`, `post`.

use std::io::Read;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db::{self, PooledConnection};
use crate::domain::post::{PostTitle, Slug};
use crate::services::{demo, posts};
use crate::startup::Application;

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
    /// Fill an empty database with demo departments, posts and a large threaded discussion.
    Demo {
        /// How many comments to write in total.
        #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u32).range(1..=200_000))]
        comments: u32,
    },
    /// Create and list posts.
    #[command(subcommand)]
    Post(PostCommand),
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
    #[error("configuration: {0}")]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Startup(#[from] crate::startup::StartupError),
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Post(#[from] posts::CreatePostError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let settings = Settings::from_env()?;
    match cli.command {
        Command::Serve => serve(settings),
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
            let summary = demo::fill(&mut conn, comments as usize)?;
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

fn serve(settings: Settings) -> Result<(), CliError> {
    actix_web::rt::System::new().block_on(async move {
        let database = settings.database_url.redacted();
        let app = Application::build(settings.clone())?;
        tracing::info!(address = %settings.bind, port = app.port(), %database, base_url = %settings.base_url, "Answerable is serving");
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}
