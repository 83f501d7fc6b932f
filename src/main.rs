use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    answerable::telemetry::init();
    let cli = answerable::cli::Cli::parse();
    match answerable::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("answerable: {}", answerable::error::cause_chain(&error));
            ExitCode::from(error.exit_code())
        }
    }
}
