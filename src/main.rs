use std::process::ExitCode;

/// mimalloc instead of the system allocator: a page of 500 comments makes thousands of
/// small allocations, which glibc's malloc spent 12% of the page's time on, and its
/// per-thread arenas held on to memory between requests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> ExitCode {
    answerable::telemetry::init();
    let cli = answerable::cli::Cli::parse();
    match answerable::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("answerable: {}", answerable::error::cause_chain(&error));
            ExitCode::FAILURE
        }
    }
}
