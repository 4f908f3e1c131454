//! cors-probe: the checks a browser runs on CORS answers, from a terminal.
//!
//! "It works in curl but not in the browser": curl runs no CORS checks at all, and
//! online checkers cannot reach a localhost or staging API. This crate sends what
//! Chromium would send and runs Chromium's checks ([`cors_rules::browser`]) on the
//! real answers, so it can say, for any API, what the console would say and which
//! setting to change. `audit` asks the opposite question: which origins that an
//! attacker controls does the server trust?
//!
//! Exit status: 0 readable (or no finding of medium severity or higher), 1 blocked
//! (or such a finding), 2 bad arguments or no answer, with the cause.

pub mod audit;
pub mod check;
pub mod cli;
pub mod fix;
pub mod hops;
pub mod report;
pub mod terminal;
pub mod wire;

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::Parser;

use cli::{Cli, Command};
use terminal::{escape_controls, Spelling};

/// Runs the command line `args` (program name first); returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            // Help and version are answers; every other clap error is a usage error.
            return match error.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => 2,
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            complain(&format!("cannot start: {error}"));
            return 2;
        }
    };
    runtime.block_on(dispatch(cli.command))
}

async fn dispatch(command: Command) -> i32 {
    let client = wire::client();
    match command {
        Command::Check(args) => {
            let plan = match args.plan() {
                Ok(plan) => plan,
                Err(message) => return usage_error(&message),
            };
            let json = plan.json;
            let outcome = check::run(&client, plan).await;
            if json {
                emit(&format!("{}\n", report::json(&outcome)), Spelling::Json);
            } else {
                emit(&report::text(&outcome), Spelling::Text);
            }
            if let check::Verdict::NoAnswer { error, .. } = &outcome.verdict {
                complain(&format!("no answer: {}", error.describe()));
            }
            outcome.exit_code()
        }
        Command::Audit(args) => {
            let url = match cli::parse_url(&args.url) {
                Ok(url) => url,
                Err(message) => return usage_error(&message),
            };
            let mut trusted = Vec::new();
            for text in &args.trusted_origins {
                match cors_rules::fetch::origin::parse(text) {
                    Ok(origin) => trusted.push(origin),
                    Err(problem) => {
                        return usage_error(&format!("--trusted-origin `{text}`: {problem}"))
                    }
                }
            }
            let candidates = audit::origins::candidates(&trusted);
            match audit::run(&client, url, candidates).await {
                Ok(outcome) => {
                    if args.json {
                        emit(
                            &format!("{}\n", audit::report::json(&outcome)),
                            Spelling::Json,
                        );
                    } else {
                        emit(&audit::report::text(&outcome), Spelling::Text);
                    }
                    outcome.exit_code()
                }
                Err(error) => {
                    if args.json {
                        let object = serde_json::json!({
                            "verdict": "network-error",
                            "net_error": error.net_error.map(|e| e.as_str()),
                            "cause": error.cause,
                            "exit_code": 2,
                        });
                        emit(&format!("{object}\n"), Spelling::Json);
                    }
                    complain(&format!("no answer: {}", error.describe()));
                    2
                }
            }
        }
    }
}

/// Writes to stdout, every control character escaped ([`terminal`]); a closed pipe
/// (`cors-probe … | head`) is not an error worth a panic.
fn emit(text: &str, spelling: Spelling) {
    use std::io::Write as _;
    let text = escape_controls(text, spelling);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// One line on stderr, escaped like stdout: a network error may quote the server.
fn complain(message: &str) {
    eprintln!("cors-probe: {}", escape_controls(message, Spelling::Text));
}

fn usage_error(message: &str) -> i32 {
    complain(message);
    2
}
