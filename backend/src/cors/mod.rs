//! The CORS policy: from configuration, through validation, to middleware.
//!
//! ```text
//! config/*.toml + APP__… ──► CorsSettings ──validate──► CorsPolicy ──to_actix──► actix_cors::Cors
//!   (as written)              (typed)       (refuses     (normalised,   (bridges actix-cors's
//!                                            mistakes)    trusted)       differences)
//! ```
//!
//! The semantics are those of Starlette's `CORSMiddleware` (the FastAPI guide), with
//! one deliberate difference: Starlette answers `allow_origins = ["*"]` plus
//! `allow_credentials = true` by reflecting every origin with credentials, which lets
//! any website read authenticated responses. Here that configuration does not start.
//!
//! The browser, not this code, enforces CORS: the server only *describes* who may read
//! its responses. A refused request has usually already run (for simple requests) or
//! never been sent (when the preflight failed).

//! The rules themselves (what a serialized origin is, which headers are forbidden,
//! what the policy decides) live in the shared `cors-rules` crate, which the lab
//! uses too; this module adds what only the server does: reading the configuration,
//! refusing dangerous ones, and building the middleware.

mod origin_regex;
mod policy;
mod to_actix;
mod validate;

pub use policy::CorsPolicy;
pub use to_actix::{instruments_cors, instruments_policy, public_cors};
pub use validate::{validate, Finding, Validated};
