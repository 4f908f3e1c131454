//! Refuses requests meant for another host name: the defence against DNS rebinding.
//!
//! The attack goes like this. A page on `http://rebind.attacker.example:8000` is
//! another origin than this API, so the browser will not let it read the API. But
//! the attacker owns that name. Once the page has loaded, they point the name at
//! `127.0.0.1`. The page's next requests then come here, and the browser treats
//! them as same-origin: no CORS check applies, and the page reads every answer.
//!
//! One thing still tells such a request apart: its `Host` header names the
//! attacker's domain. So this layer answers only the names that are really this
//! server's. These are `localhost`, `127.0.0.1` and `[::1]` on any port, and
//! the names listed in `server.allowed_hosts`, which production sets to its
//! public host names. Anything else gets `421 Misdirected Request`.
//!
//! It is the outermost layer. A refused request reaches nothing: no recorder, no
//! CORS, no route. A request without `Host`, or with a malformed one, is refused
//! too, since no browser sends one.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};
use lab_types::ErrorCode;

use crate::errors::{quoted, AppError};

/// The setting that lists more host names.
pub const ALLOWED_HOSTS_KEY: &str = "server.allowed_hosts";

/// The names of this machine, answered on every port (IPv6 without brackets).
const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The host names this server answers to: the loopback names and
/// `server.allowed_hosts`, compared without case and without port.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    /// `server.allowed_hosts`, lower-cased, IPv6 addresses without brackets.
    listed: Vec<String>,
}

impl AllowedHosts {
    pub fn new(listed: &[String]) -> Self {
        AllowedHosts {
            listed: listed
                .iter()
                .map(|name| unbracketed(name).to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether `host` (a `Host` value: a name and an optional port) is ours.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = name_of(host) else {
            return false;
        };
        let name = unbracketed(name).to_ascii_lowercase();
        LOOPBACK.contains(&name.as_str()) || self.listed.contains(&name)
    }

    /// What this server answers to, for the refusal's message.
    fn describe(&self) -> String {
        let listed = match self.listed.is_empty() {
            true => "none".to_string(),
            false => self.listed.join(", "),
        };
        format!(
            "it answers to localhost, 127.0.0.1 and [::1] on any port, and to the names \
             in {ALLOWED_HOSTS_KEY} ({listed})"
        )
    }
}

/// The name in a `Host` value, without its port, or `None` when the value is not a
/// name (or a bracketed IPv6 address) with an optional numeric port.
fn name_of(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(inside) => {
            let end = inside.find(']')? + 2;
            (&host[..end], &host[end..])
        }
        None => host.split_at(host.find(':').unwrap_or(host.len())),
    };
    let name_ok = match name.strip_prefix('[') {
        Some(address) => address
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b":.]".contains(&b)),
        None => name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)),
    };
    let port_ok = match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => is_port(digits),
    };
    (!name.is_empty() && name_ok && port_ok).then_some(name)
}

/// An IPv6 address without its brackets (`[::1]` → `::1`); any other name as is.
fn unbracketed(name: &str) -> &str {
    name.strip_prefix('[')
        .and_then(|inside| inside.strip_suffix(']'))
        .unwrap_or(name)
}

/// Digits only (`u16::from_str` would take `+80`), and at most 65535.
fn is_port(digits: &str) -> bool {
    digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u16>().is_ok()
}

/// What was wrong with the request's host, for the message.
enum Misdirected {
    NoHost,
    Host(String),
    /// An absolute request URL (`GET http://name/ HTTP/1.1`) names its own host.
    Url(String),
}

pub async fn check_host(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let allowed = req
        .app_data::<web::Data<AllowedHosts>>()
        .map(|data| data.get_ref().clone())
        .unwrap_or_default();
    let host = req
        .headers()
        .get(header::HOST)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let url_host = req.uri().authority().map(|a| a.as_str().to_string());
    let refused = match (host, url_host) {
        (None, _) => Some(Misdirected::NoHost),
        (Some(host), _) if !allowed.allows(&host) => Some(Misdirected::Host(host)),
        (_, Some(url_host)) if !allowed.allows(&url_host) => Some(Misdirected::Url(url_host)),
        _ => None,
    };
    let Some(refused) = refused else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let culprit = match refused {
        Misdirected::NoHost => "the request has no Host header".to_string(),
        Misdirected::Host(host) => format!("Host {} is not a name of this server", quoted(&host)),
        Misdirected::Url(url) => format!(
            "the request URL's host {} is not a name of this server",
            quoted(&url)
        ),
    };
    let error = AppError::new(
        StatusCode::MISDIRECTED_REQUEST,
        ErrorCode::MisdirectedRequest,
        format!(
            "{culprit}: {}. To serve another name, add it to {ALLOWED_HOSTS_KEY}",
            allowed.describe()
        ),
    );
    Ok(req.into_response(error.error_response()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_a_name_and_an_optional_numeric_port() {
        let cases = [
            ("localhost", Some("localhost")),
            ("localhost:8000", Some("localhost")),
            ("[::1]:8000", Some("[::1]")),
            ("[::1]", Some("[::1]")),
            ("api.example.com:443", Some("api.example.com")),
            ("", None),
            (":8000", None),
            ("localhost:", None),
            ("localhost:http", None),
            ("localhost:99999", None),
            ("localhost:+80", None),
            ("localhost:8000:8000", None),
            ("[::1", None),
            ("[::1]x", None),
            ("user@localhost", None),
            ("local host", None),
            ("[::1]]", None),
            ("a]b", None),
            ("backend_1:8000", Some("backend_1")),
        ];
        for (host, name) in cases {
            assert_eq!(name_of(host), name, "{host:?}");
        }
    }

    #[test]
    fn an_ipv6_address_matches_with_or_without_brackets_in_the_list() {
        let hosts = AllowedHosts::new(&["[2001:DB8::1]".into(), "fd00::2".into()]);
        for host in ["[::1]:8000", "[2001:db8::1]:443", "[FD00::2]"] {
            assert!(hosts.allows(host), "{host}");
        }
        assert!(!hosts.allows("[2001:db8::2]"), "another address");
    }
}
