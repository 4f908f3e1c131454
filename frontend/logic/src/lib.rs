//! The decisions of the cors-lab page, as plain Rust that runs and is tested on
//! the host as well as in the browser.
//!
//! Start with [`fetch_rules`] (will the browser send a preflight, and why?),
//! then [`scenarios`] (the ten requests of the tutorial), [`policy`] (what the
//! active policy should do with a request) and [`diagnosis`] (what actually
//! happened, and which config key to change). [`runs`] matches a click to the
//! exchanges the backend recorded for it.

pub mod diagnosis;
pub mod fetch_rules;
pub mod policy;
pub mod request;
pub mod runs;
pub mod scenarios;

pub use diagnosis::{diagnose, Diagnosis, PageSaw, Verdict};
pub use fetch_rules::{predict, Prediction};
pub use policy::{expect, Expectation};
pub use request::{parse_header_lines, Credentials, PlannedRequest};
pub use runs::ServerSide;
