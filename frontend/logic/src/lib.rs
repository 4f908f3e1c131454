//! The decisions of the cors-lab page, as plain Rust that runs and is tested on
//! the host as well as in the browser.
//!
//! The CORS rules themselves live in the shared `cors-rules` crate (will the
//! browser preflight? what does the policy answer? what does the browser decide,
//! and what does its console print?). This crate holds what is the lab's own:
//! [`scenarios`] (the eleven requests of the tutorial), [`expectation`] (what the
//! active policy should do, in the card's words), [`runs`] (matching a click to
//! the exchanges the backend recorded for it) and [`diagnosis`] (what actually
//! happened, the console line, and which config key to change), with
//! [`exhibits`] (the "Broken on purpose" cards' words around that diagnosis) and
//! [`frame`] (the messages to the sandboxed frame that sends `Origin: null`),
//! [`engine_words`] (a diagnosis in Chromium's, Firefox's or WebKit's words) and
//! [`latest`] (which of several reads of a document is the newest).

pub mod diagnosis;
pub mod engine_words;
pub mod exhibits;
pub mod expectation;
pub mod frame;
pub mod latest;
pub mod runs;
pub mod scenarios;

pub use cors_rules::browser::Engine;
pub use cors_rules::fetch::{
    parse_header_lines, predict, Credentials, Prediction, Request as PlannedRequest,
};
pub use diagnosis::{diagnose, ConsoleAttributes, Diagnosis, PageSaw, Verdict};
pub use expectation::expect;
