//! `answerable mail receive`: one message on standard input, as Postfix's `pipe` or
//! Exim's `pipe` transport delivers it, taken as a reply by email. The exit code is
//! what the mail server acts on (sysexits.h): 0 taken (posted, held, refused with an
//! explanation to the account, a duplicate, or an auto-reply dropped on purpose),
//! 65 unreadable, 67 no such reply address, 75 try again later, 78 not configured.

use std::io::Read;

use clap::Subcommand;

use super::CliError;
use crate::config::{Settings, MAX_MESSAGE_BYTES};
use crate::db;
use crate::inbound::{exit, Envelope, Inbox, Outcome};

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Take one emailed reply from standard input (for an MTA's pipe transport); the
    /// exit code follows sysexits.h: 0 taken, 65 unreadable, 67 unknown reply address,
    /// 75 try again later, 78 not configured.
    Receive {
        /// The envelope sender (Postfix: --sender=${sender}); empty for a bounce.
        #[arg(long)]
        sender: Option<String>,
        /// The envelope recipient (Postfix: --recipient=${recipient}); repeat for several.
        #[arg(long = "recipient")]
        recipients: Vec<String>,
    },
}

pub fn run(settings: &Settings, command: MailCommand) -> Result<(), CliError> {
    let MailCommand::Receive { sender, recipients } = command;
    let status = |code: u8, message: String| CliError::Status { code, message };
    if !settings.inbound.enabled() {
        return Err(status(exit::CONFIG, "reply-by-email is off: set ANSWERABLE_REPLY_DOMAIN".into()));
    }
    let mut raw = Vec::new();
    std::io::stdin().take(MAX_MESSAGE_BYTES as u64 + 1).read_to_end(&mut raw)?;
    let outcome = match open(settings) {
        Ok(inbox) => inbox.take(&raw, &Envelope { sender, recipients }),
        Err(why) => Outcome::Unavailable(why),
    };
    match outcome.exit_code() {
        exit::OK => {
            println!("{}", outcome.describe());
            Ok(())
        }
        code => Err(status(code, outcome.describe())),
    }
}

/// The inbox on a pool of one, with migrations applied.
fn open(settings: &Settings) -> Result<Inbox, String> {
    let pool = db::build_pool(&settings.database_url, 1)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    db::run_migrations(&mut conn).map_err(|e| format!("cannot apply database migrations: {e}"))?;
    drop(conn);
    Inbox::new(settings, pool, None).ok_or_else(|| "reply-by-email is off".to_owned())
}
