//! `import wxr`, `import json` and `export`: moving a site's content in and out.

use std::fs::File;
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::{connect, CliError};
use crate::config::Settings;
use crate::tools::backup::{self, Counts};
use crate::tools::wordpress::{self, officials, ImportOptions, ImportSummary};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import posts and comment threads from a WordPress export (WXR) file. Replies
    /// signed by a known official become official replies, and what they answer,
    /// answered. Importing the same file again adds nothing.
    Wxr {
        /// The .xml file from WordPress: Tools → Export → All content.
        file: PathBuf,
        /// Read the whole file and show what would be imported, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// CSV of name,title,department for officials who have no account here (the
        /// department by acronym, name or alias; it must exist).
        #[arg(long, value_name = "FILE.csv")]
        officials: Option<PathBuf>,
        /// Close comments published before this day (YYYY-MM-DD, UTC) that nobody
        /// answered as "no response recorded (imported history)": not awaiting, not
        /// overdue, left out of the response figures. Answered ones keep their answers.
        #[arg(long, value_name = "DATE", value_parser = super::parse_day)]
        history_before: Option<chrono::NaiveDate>,
    },
    /// Restore a JSON export (from `answerable export --format json`) into an empty
    /// database, SQLite or PostgreSQL.
    Json { file: PathBuf },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Json,
}

fn open(path: &Path) -> Result<File, CliError> {
    File::open(path).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

/// A byte-count progress bar on a terminal; nothing when stderr is a file or a pipe.
fn progress(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{bar:40}] {bytes}/{total_bytes} · {elapsed} · eta {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

pub fn import(settings: &Settings, command: ImportCommand) -> Result<(), CliError> {
    match command {
        ImportCommand::Wxr { file, dry_run, officials: csv, history_before } => {
            let officials = match csv {
                Some(path) => officials::parse_csv(open(&path)?)
                    .map_err(|e| CliError::Input(format!("--officials {}: {e}", path.display())))?,
                None => Vec::new(),
            };
            let input = open(&file)?;
            let bar = progress(input.metadata().map(|m| m.len()).unwrap_or(0));
            let (mut conn, _) = connect(settings)?;
            let reader = BufReader::with_capacity(256 * 1024, bar.wrap_read(input));
            let options = ImportOptions {
                dry_run,
                officials,
                titles: settings.titles.clone(),
                history_before: history_before.and_then(|d| d.and_hms_opt(0, 0, 0)),
            };
            let result = wordpress::import_wxr(&mut conn, reader, &options);
            bar.finish_and_clear();
            let summary =
                result.map_err(|e| CliError::Input(format!("{}: {e}\nNothing was imported.", file.display())))?;
            print!("{}", summary_text(&summary));
            Ok(())
        }
        ImportCommand::Json { file } => {
            let input = open(&file)?;
            let bar = progress(input.metadata().map(|m| m.len()).unwrap_or(0));
            let (mut conn, _) = connect(settings)?;
            let result = backup::restore(&mut conn, bar.wrap_read(input));
            bar.finish_and_clear();
            let counts = result.map_err(|e| CliError::Input(format!("{}: {e}", file.display())))?;
            println!("Restored into {}: {}.", settings.database_url.redacted(), counts_text(&counts));
            println!("Accounts come without passwords: set one with `answerable user password --email E`.");
            Ok(())
        }
    }
}

pub fn export(settings: &Settings, format: ExportFormat, file: &Path) -> Result<(), CliError> {
    let ExportFormat::Json = format;
    let (mut conn, _) = connect(settings)?;
    let out = File::create(file).map_err(|e| CliError::Input(format!("{}: {e}", file.display())))?;
    let counts =
        backup::export_json(&mut conn, out).map_err(|e| CliError::Input(format!("{}: {e}", file.display())))?;
    println!("Exported to {}: {}.", file.display(), counts_text(&counts));
    Ok(())
}

fn counts_text(c: &Counts) -> String {
    format!(
        "{} departments, {} users, {} officials, {} posts, {} comments, {} response events",
        c.departments, c.users, c.officials, c.posts, c.comments, c.events
    )
}

/// The end-of-import report: what came in, what was left out and why, and every
/// official reply recognised.
pub fn summary_text(s: &ImportSummary) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let source = if s.source.is_empty() { "the export" } else { s.source.as_str() };
    let verb = if s.dry_run { "Would import" } else { "Imported" };
    let _ = writeln!(out, "{verb} from {source}:");
    let _ = writeln!(
        out,
        "  posts:    {} ({} published, {} kept as drafts); {} already imported",
        s.posts + s.drafts,
        s.posts,
        s.drafts,
        s.posts_already
    );
    let _ = writeln!(
        out,
        "  comments: {} ({} published, {} held for moderation, {} spam); {} already imported",
        s.comments(),
        s.published,
        s.held,
        s.spam,
        s.comments_already
    );
    if s.protected_posts > 0 {
        let _ = writeln!(
            out,
            "  password-protected: {} posts kept as drafts (not public), their {} comments held for moderation",
            s.protected_posts, s.protected_comments
        );
    }
    let _ = writeln!(out, "  official replies recognised: {}, answering {} comments", s.matches.len(), s.answered);
    if !s.probable.is_empty() {
        let _ = writeln!(
            out,
            "  probable official replies: {} (listed below), for an admin to confirm or dismiss",
            s.probable.len()
        );
    }
    if let Some(before) = s.history_before {
        let _ = writeln!(
            out,
            "  history:  {} comments published before {} with no answer closed as \"no response recorded (imported history)\"",
            s.history_closed,
            before.format("%Y-%m-%d")
        );
    }
    if s.skipped.is_empty() {
        let _ = writeln!(out, "  skipped:  nothing");
    } else {
        let _ = writeln!(out, "  skipped:");
        for (reason, n) in &s.skipped {
            let _ = writeln!(out, "    {n:>6}  {reason}");
        }
    }
    if !s.matches.is_empty() {
        let _ = writeln!(out, "Official replies:");
        for m in &s.matches {
            let answered = m.answered.as_deref().map_or(String::new(), |a| format!("; answers {a}"));
            let _ = writeln!(
                out,
                "  comment {} on \"{}\" by {} ({}) as {} — matched on {}: \"{}\"{answered}",
                m.wp_id,
                m.post_title,
                m.author,
                m.date.format("%Y-%m-%d %H:%M"),
                m.official,
                m.on.as_str(),
                m.text
            );
        }
    }
    if !s.probable.is_empty() {
        let _ = writeln!(
            out,
            "Probable official replies ({}), not badged: an admin confirms or dismisses each at /admin/imports",
            s.probable.len()
        );
        for p in &s.probable {
            let answers = p.would_answer.as_deref().map_or(String::new(), |a| format!("; would answer {a}"));
            let _ = writeln!(
                out,
                "  ? comment {} on \"{}\" by {} ({}) — {}: \"{}\"; as {}{answers}",
                p.wp_id,
                p.post_title,
                p.author,
                p.date.format("%Y-%m-%d %H:%M"),
                p.why.label(),
                p.text,
                p.official
            );
        }
    }
    if !s.unknown_shortcodes.is_empty() {
        let _ = writeln!(out, "Shortcodes with no meaning here, shown as text:");
        for (name, posts) in &s.unknown_shortcodes {
            let _ = writeln!(out, "  [{name}] in {posts} {}", if *posts == 1 { "post" } else { "posts" });
        }
    }
    if s.dry_run {
        let _ = writeln!(out, "Dry run: nothing was written.");
    }
    out
}
