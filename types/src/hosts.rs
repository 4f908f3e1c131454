//! Which host names a cors-lab server answers to: the defence against DNS rebinding.
//!
//! The attack goes like this. A page on `http://rebind.attacker.example:8000` is
//! another origin than the API, so the browser will not let it read the API. But
//! the attacker owns that name. Once the page has loaded, they point the name at
//! `127.0.0.1`. The page's next requests then reach a server on this machine, and
//! the browser treats them as same-origin: no CORS check applies.
//!
//! Chromium-based browsers now ask the user first when a public page reaches a
//! loopback or local address (Local Network Access: Chrome 142, Edge 143). That
//! helps there, but a user may say yes, and not every browser asks.
//!
//! One thing still tells such a request apart: its `Host` header names the
//! attacker's domain. So both servers (the backend and the lab's) answer only the
//! names that are really theirs. These are `localhost`, `127.0.0.1` and `[::1]` on
//! any port, and the names a setting lists. Anything else gets
//! `421 Misdirected Request`. The rule lives here, once, for both.

use std::fmt;

use cors_rules::fetch::origin;

/// The names of this machine, answered on every port (IPv6 without brackets).
const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The host names this server answers to: the loopback names and
/// the listed ones, compared without case and without port.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedHosts {
    /// The listed names, lower-cased, IPv6 addresses without brackets.
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

    /// What this server answers to, for a refusal's message; `setting` names where
    /// more names are listed.
    pub fn describe(&self, setting: &str) -> String {
        let listed = match self.listed.is_empty() {
            true => "none".to_string(),
            false => self.listed.join(", "),
        };
        format!(
            "it answers to localhost, 127.0.0.1 and [::1] on any port, and to the names \
             in {setting} ({listed})"
        )
    }
}

/// The name in a `Host` value, without its port, or `None` when the value is not a
/// name (or a bracketed IPv6 address) with an optional numeric port.
pub fn name_of(host: &str) -> Option<&str> {
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

/// Why a listed name is not a host as the `Host` header carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostProblem {
    Empty,
    Scheme,
    Wildcard,
    Path,
    Port,
    UpperCase { suggestion: String },
    BadHost,
}

impl fmt::Display for HostProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostProblem::Empty => {
                f.write_str("is empty; write a host name such as api.example.com")
            }
            HostProblem::Scheme => {
                f.write_str("is a host name, not a URL; leave out the scheme and \"://\"")
            }
            HostProblem::Wildcard => f.write_str(
                "names are compared exactly, so a \"*\" never matches; list each host name",
            ),
            HostProblem::Path => f.write_str("is a host name; leave out any path, query or \"/\""),
            HostProblem::Port => f.write_str(
                "is compared without its port, so leave the port out: every port is answered",
            ),
            HostProblem::UpperCase { suggestion } => {
                write!(f, "must be written in lower case (\"{suggestion}\")")
            }
            HostProblem::BadHost => {
                f.write_str("is not a valid host name, IPv4 address or bracketed IPv6 address")
            }
        }
    }
}

/// Checks that a listed `name` is a host as a `Host` header carries it, without its
/// port. A scheme, a port or a path would silently never match, so each is refused.
/// Upper case is refused too, so that a list reads the way browsers send `Host`.
pub fn check_listed(name: &str) -> Result<(), HostProblem> {
    if name.is_empty() {
        return Err(HostProblem::Empty);
    }
    if name.contains("://") {
        return Err(HostProblem::Scheme);
    }
    if name.contains('*') {
        return Err(HostProblem::Wildcard);
    }
    if name.contains(['/', '?', '#']) {
        return Err(HostProblem::Path);
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        let suggestion = name.to_ascii_lowercase();
        return Err(HostProblem::UpperCase { suggestion });
    }
    // An IPv6 address may be written with or without its brackets: the check
    // compares it either way. Its colons are not a port.
    if name.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok(());
    }
    let port = match name.strip_prefix('[') {
        Some(_) => name.rsplit_once("]:").is_some(),
        None => name.contains(':'),
    };
    if port {
        return Err(HostProblem::Port);
    }
    // The host grammar of an origin is the host grammar of `Host`.
    match origin::parse(&format!("http://{name}")) {
        Ok(origin) if origin.host == name => Ok(()),
        _ => Err(HostProblem::BadHost),
    }
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

    #[test]
    fn an_allowed_host_is_a_lower_case_name_or_address_without_port() {
        // (entry, the problem, or None when it is fine)
        let cases = [
            ("api.example.com", None),
            ("localhost", None),
            ("10.0.0.7", None),
            ("[2001:db8::1]", None),
            ("", Some(HostProblem::Empty)),
            ("https://api.example.com", Some(HostProblem::Scheme)),
            ("*.example.com", Some(HostProblem::Wildcard)),
            ("api.example.com/", Some(HostProblem::Path)),
            ("api.example.com:443", Some(HostProblem::Port)),
            ("[2001:db8::1]:443", Some(HostProblem::Port)),
            ("2001:db8::1", None),
            (
                "[2001:DB8::1]",
                Some(HostProblem::UpperCase {
                    suggestion: "[2001:db8::1]".into(),
                }),
            ),
            (
                "API.example.com",
                Some(HostProblem::UpperCase {
                    suggestion: "api.example.com".into(),
                }),
            ),
            ("api..example.com", Some(HostProblem::BadHost)),
            ("api example.com", Some(HostProblem::BadHost)),
            ("user@api.example.com", Some(HostProblem::BadHost)),
            ("[not-an-address]", Some(HostProblem::BadHost)),
        ];
        for (name, expected) in cases {
            assert_eq!(check_listed(name).err(), expected, "{name:?}");
        }
    }
}
