//! cors-lab's own holes, each tried the way an attacker would, against a real server.
//! One test binary, one module per hole, in `tests/security/`.

mod common;

#[path = "security/lab_instruments.rs"]
mod lab_instruments;

#[path = "security/raw_http.rs"]
mod raw_http;

#[path = "security/dns_rebinding.rs"]
mod dns_rebinding;

#[path = "security/cross_site_requests.rs"]
mod cross_site_requests;

#[path = "security/slow_bodies.rs"]
mod slow_bodies;

#[path = "security/plain_text_errors.rs"]
mod plain_text_errors;
