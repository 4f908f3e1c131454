//! The `Host` check of both listeners, against DNS rebinding.
//!
//! A page on `http://rebind.attacker.example:5173` is another origin than the lab,
//! so the browser keeps it from reading the lab. But the attacker owns that name.
//! They can point it at `127.0.0.1` after the page has loaded. The browser then
//! sends the page's requests to this server, as same-origin requests. The one
//! thing that still says where they were meant to go is `Host`. So a request
//! for a name this server does not answer to gets `421 Misdirected Request`.

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

/// The variable that lists more host names.
pub const VARIABLE: &str = "LAB_ALLOWED_HOSTS";

/// The names of this machine, always answered.
const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// The host names this server answers to, on any port: the loopback names and
/// those of `LAB_ALLOWED_HOSTS`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AllowedHosts {
    /// Lower-cased, from `LAB_ALLOWED_HOSTS`.
    extra: Vec<String>,
}

impl AllowedHosts {
    /// Reads `LAB_ALLOWED_HOSTS`: host names separated by commas, without ports.
    /// Unset or empty means the loopback names only.
    pub fn from_variable(value: Option<&str>) -> Result<AllowedHosts, String> {
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            return Ok(AllowedHosts::default());
        };
        let mut extra = Vec::new();
        for name in value.split(',').map(str::trim) {
            if !is_host_name(name) {
                return Err(format!(
                    "{VARIABLE} must list host names separated by commas (like \
                     `lab.example.com,192.168.1.20`), without scheme, port or `*`: \
                     `{name}` in `{value}` is not one"
                ));
            }
            extra.push(name.to_ascii_lowercase());
        }
        Ok(AllowedHosts { extra })
    }

    /// Whether a request with this `Host` header value is meant for this server.
    pub fn allows(&self, host_header: &str) -> bool {
        let Some(name) = name_of(host_header) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        LOOPBACK.contains(&name.as_str()) || self.extra.contains(&name)
    }
}

/// A DNS name or an IPv4 address: letters, digits, `-` and `.`, no empty label.
fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !name.split('.').any(str::is_empty)
}

/// The host name of a `Host` value, without its port: `None` when it is malformed.
fn name_of(host_header: &str) -> Option<&str> {
    let (name, port) = match host_header.strip_prefix('[') {
        Some(inside) => {
            let end = inside.find(']')?;
            (&host_header[..end + 2], &inside[end + 1..])
        }
        None => match host_header.split_once(':') {
            Some((name, _)) => (name, &host_header[name.len()..]),
            None => (host_header, ""),
        },
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    port_ok.then_some(name)
}

/// Answers `421` before any route when the request's `Host` (or the authority of
/// an absolute request URL) is not one of [`AllowedHosts`]. A request without
/// `Host` is refused too: HTTP/1.1 requires it, and browsers always send it.
pub async fn only_allowed_hosts(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<
    ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    let allowed = req
        .app_data::<web::Data<AllowedHosts>>()
        .map(|data| data.get_ref().clone())
        .unwrap_or_default();
    let host = req
        .headers()
        .get(header::HOST)
        .map(|value| value.to_str().unwrap_or("(not ASCII)").to_string());
    let authority = req.uri().authority().map(|a| a.as_str().to_string());
    let refused = match (&host, &authority) {
        (None, _) => Some("the request has no Host header".to_string()),
        (Some(host), _) if !allowed.allows(host) => Some(format!("Host `{}`", shorten(host))),
        (_, Some(authority)) if !allowed.allows(authority) => {
            Some(format!("the request URL's host `{}`", shorten(authority)))
        }
        _ => None,
    };
    match refused {
        None => Ok(next.call(req).await?.map_into_left_body()),
        Some(culprit) => {
            let body = format!(
                "421 Misdirected Request: {culprit} is not a name this server answers to. \
                 It answers to localhost, 127.0.0.1 and [::1], on any port, and to the \
                 names listed in {VARIABLE}. To reach it under another name, add that \
                 name to {VARIABLE}.\n"
            );
            let response = HttpResponse::build(StatusCode::MISDIRECTED_REQUEST)
                .content_type("text/plain; charset=utf-8")
                .body(body);
            Ok(req.into_response(response).map_into_right_body())
        }
    }
}

/// At most 100 characters of a value sent by the client.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(100) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loopback_names_and_the_listed_ones_are_allowed_on_any_port() {
        let listed = AllowedHosts::from_variable(Some("lab.example.com, 192.168.1.20"))
            .expect("two valid names");
        let cases = [
            ("localhost", true, "localhost without a port"),
            ("localhost:5173", true, "localhost with the lab's port"),
            ("LocalHost:5174", true, "names are case-insensitive"),
            ("127.0.0.1:5173", true, "the IPv4 loopback"),
            ("[::1]:5173", true, "the IPv6 loopback"),
            ("[::1]", true, "the IPv6 loopback without a port"),
            ("lab.example.com:443", true, "a listed name"),
            ("192.168.1.20:5173", true, "a listed address"),
            ("rebind.attacker.example:5173", false, "a foreign name"),
            ("localhost.attacker.example", false, "localhost as a prefix"),
            ("attacker-localhost", false, "localhost as a suffix"),
            (
                "127.0.0.2:5173",
                false,
                "another loopback address, not listed",
            ),
            ("localhost:", false, "an empty port"),
            ("localhost:abc", false, "a port of letters"),
            ("localhost:5173:1", false, "two ports"),
            ("[::1", false, "an unclosed bracket"),
            ("[::1]5173", false, "no colon before the port"),
            ("", false, "an empty Host"),
        ];
        for (host, allowed, why) in cases {
            assert_eq!(listed.allows(host), allowed, "{why}: {host}");
        }
        let loopback_only = AllowedHosts::from_variable(None).unwrap();
        assert!(
            !loopback_only.allows("lab.example.com"),
            "a name is allowed only when listed"
        );
    }

    #[test]
    fn an_invalid_list_is_refused_with_the_variable_named() {
        let cases = [
            ("lab.example.com:5173", "a port"),
            ("http://lab.example.com", "a scheme"),
            ("*", "a wildcard"),
            ("*.example.com", "a wildcard label"),
            ("a.example.com,,b.example.com", "an empty entry"),
            ("lab example.com", "a space inside a name"),
            ("lab..example.com", "an empty label"),
        ];
        for (value, why) in cases {
            let error = AllowedHosts::from_variable(Some(value))
                .expect_err(&format!("{why} must be refused: {value}"));
            assert!(
                error.contains(VARIABLE),
                "{why}: the error names {VARIABLE}: {error}"
            );
        }
        assert_eq!(
            AllowedHosts::from_variable(Some("")),
            Ok(AllowedHosts::default()),
            "an empty variable lists no name"
        );
    }
}
