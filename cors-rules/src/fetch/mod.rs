//! Facts of the Fetch standard (<https://fetch.spec.whatwg.org/#http-cors-protocol>).
//!
//! Start with [`preflight`]: when does a browser ask before sending, and what does it
//! put in the preflight? [`redirect`] says what the browser does when the answer is a
//! redirect. The other modules hold the lists and grammars they rely on.

pub mod headers;
pub mod methods;
pub mod origin;
pub mod preflight;
pub mod redirect;
pub mod request;
pub mod tokens;

pub use headers::HeaderReason;
pub use preflight::{predict, Note, Prediction, Reason};
pub use request::{parse_header_lines, Credentials, Request};
