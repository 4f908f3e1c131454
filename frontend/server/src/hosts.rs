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
use lab_types::hosts;
pub use lab_types::hosts::AllowedHosts;

/// The variable that lists more host names.
pub const VARIABLE: &str = "LAB_ALLOWED_HOSTS";

/// Reads `LAB_ALLOWED_HOSTS`: host names separated by commas, without ports.
/// Unset or empty means the loopback names only. The rule is the backend's
/// (`lab_types::hosts`).
pub fn from_variable(value: Option<&str>) -> Result<AllowedHosts, String> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(AllowedHosts::default());
    };
    let names: Vec<String> = value
        .split(',')
        .map(|name| name.trim().to_string())
        .collect();
    for name in &names {
        if let Err(problem) = hosts::check_listed(name) {
            return Err(format!(
                "{VARIABLE} must list host names separated by commas (like \
                 `lab.example.com,192.168.1.20`): `{name}` in `{value}` {problem}"
            ));
        }
    }
    Ok(AllowedHosts::new(&names))
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
        let listed = from_variable(Some("lab.example.com, 192.168.1.20")).expect("two valid names");
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
        let loopback_only = from_variable(None).unwrap();
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
            let error =
                from_variable(Some(value)).expect_err(&format!("{why} must be refused: {value}"));
            assert!(
                error.contains(VARIABLE),
                "{why}: the error names {VARIABLE}: {error}"
            );
        }
        assert_eq!(
            from_variable(Some("")),
            Ok(AllowedHosts::default()),
            "an empty variable lists no name"
        );
    }
}
