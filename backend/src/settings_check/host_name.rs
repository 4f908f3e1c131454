//! What a `server.allowed_hosts` entry must look like: a host as the `Host` header
//! carries it, without its port. The 421 layer (`middleware::check_host`) compares
//! the name alone, so a scheme, a port or a path would silently never match. Upper
//! case is refused too, so that the list reads the way browsers send `Host`.

use std::fmt;

use cors_rules::fetch::origin;

/// Why a `server.allowed_hosts` entry is not a host name as `Host` carries it.
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

/// Checks that `name` is a host as a `Host` header carries it, without its port.
pub(super) fn check(name: &str) -> Result<(), HostProblem> {
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
    // An IPv6 address may be written with or without its brackets: the 421 layer
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
            assert_eq!(check(name).err(), expected, "{name:?}");
        }
    }
}
