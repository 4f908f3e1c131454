//! What a browser puts in the `Origin` header, and how a configured origin can fail to be it.
//!
//! Browsers send a *serialized origin*: `scheme "://" host [":" port]`, scheme and host
//! in lower case, no path, no trailing slash, and no port when it is the scheme's
//! default. actix-cors compares origins byte for byte, so an entry such as
//! `"https://app.example.com/"` is accepted and then silently never matches. This
//! module turns each such near-miss into an error that shows the value to write.

use std::fmt;

/// A configured origin that is exactly what a browser would send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializedOrigin {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
}

impl SerializedOrigin {
    /// `localhost`, `*.localhost`, `127.0.0.0/8` or `[::1]`: reachable only from this machine.
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host.ends_with(".localhost")
            || self.host == "[::1]"
            || self.host.starts_with("127.") && parse_ipv4(&self.host).is_some()
    }

    /// Plain HTTP: anyone on the network path can inject script into such a page.
    pub fn is_insecure(&self) -> bool {
        self.scheme == "http"
    }
}

impl fmt::Display for SerializedOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

/// Why a configured string is not a serialized origin. Each message says what a
/// browser would send instead, when that can be worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginProblem {
    Null,
    Opaque { scheme: String },
    Wildcard,
    NonAscii,
    MissingScheme { suggestion: String },
    HasPath { suggestion: String },
    UserInfo,
    UpperCase { suggestion: String },
    DefaultPort { suggestion: String },
    BadPort,
    BadHost,
}

impl fmt::Display for OriginProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginProblem::Null => f.write_str(
                "\"null\" is never allowed: browsers send it from sandboxed iframes, file: pages \
                 and after cross-origin redirects, so any website can produce it",
            ),
            OriginProblem::Opaque { scheme } => write!(
                f,
                "{scheme}: pages have an opaque origin and browsers send \"null\" for them, \
                 which is never allowed"
            ),
            OriginProblem::Wildcard => f.write_str(
                "origins are matched literally, so a \"*\" inside one never matches; \
                 for subdomains use allow_origin_regex (e.g. 'https://[a-z0-9-]+\\.example\\.com') \
                 or list each origin",
            ),
            OriginProblem::NonAscii => f.write_str(
                "contains non-ASCII characters; browsers send internationalised hosts in \
                 punycode, so write the \"xn--…\" form",
            ),
            OriginProblem::MissingScheme { suggestion } => {
                write!(
                    f,
                    "the scheme is missing; browsers send e.g. \"{suggestion}\""
                )
            }
            OriginProblem::HasPath { suggestion } => write!(
                f,
                "an origin has no path, query or trailing \"/\"; browsers send \"{suggestion}\""
            ),
            OriginProblem::UserInfo => {
                f.write_str("an origin has no user name or password; remove the part before \"@\"")
            }
            OriginProblem::UpperCase { suggestion } => write!(
                f,
                "contains upper case; browsers send origins in lower case (\"{suggestion}\"), \
                 and they are compared exactly"
            ),
            OriginProblem::DefaultPort { suggestion } => write!(
                f,
                "browsers leave out the scheme's default port, so this never matches; \
                 use \"{suggestion}\""
            ),
            OriginProblem::BadPort => f.write_str("the port must be a number from 1 to 65535"),
            OriginProblem::BadHost => f.write_str(
                "the host is not a valid domain name, IPv4 address or bracketed IPv6 address",
            ),
        }
    }
}

/// Schemes whose pages have an opaque origin, serialized as `null`.
const OPAQUE_SCHEMES: [&str; 5] = ["file", "data", "blob", "about", "javascript"];

/// Checks that `text` is exactly what a browser would send in `Origin`.
pub fn parse(text: &str) -> Result<SerializedOrigin, OriginProblem> {
    if text.eq_ignore_ascii_case("null") {
        return Err(OriginProblem::Null);
    }
    if text.contains('*') {
        return Err(OriginProblem::Wildcard);
    }
    if !text.is_ascii() {
        return Err(OriginProblem::NonAscii);
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        let scheme = text
            .split_once(':')
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        if let Some(scheme) = scheme.filter(|s| OPAQUE_SCHEMES.contains(&s.as_str())) {
            return Err(OriginProblem::Opaque { scheme });
        }
        return Err(OriginProblem::MissingScheme {
            suggestion: format!("https://{}", suggest_authority(text)),
        });
    };
    let scheme_lower = scheme.to_ascii_lowercase();
    if OPAQUE_SCHEMES.contains(&scheme_lower.as_str()) {
        return Err(OriginProblem::Opaque {
            scheme: scheme_lower,
        });
    }
    let valid_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid_scheme {
        return Err(OriginProblem::MissingScheme {
            suggestion: format!("https://{}", suggest_authority(rest)),
        });
    }

    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let suggestion = suggest(&scheme_lower, authority);
    if !tail.is_empty() {
        return Err(OriginProblem::HasPath { suggestion });
    }
    if authority.contains('@') {
        return Err(OriginProblem::UserInfo);
    }
    if text.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(OriginProblem::UpperCase { suggestion });
    }

    let (host, port) = split_host_port(authority)?;
    if !valid_host(host) {
        return Err(OriginProblem::BadHost);
    }
    if port == Some(default_port(&scheme_lower).unwrap_or(0)) {
        return Err(OriginProblem::DefaultPort { suggestion });
    }
    Ok(SerializedOrigin {
        scheme: scheme_lower,
        host: host.to_string(),
        port,
    })
}

/// The origin of a URL, as a browser serializes it: scheme and host in lower case,
/// no path, query or fragment, and no port when it is the scheme's default.
///
/// `HTTP://LocalHost:8000/api/` gives `http://localhost:8000`, and
/// `http://localhost:80` gives `http://localhost`. A URL that has no such origin
/// (no scheme, a user name, a bad host or port) gives the [`parse`] problem.
pub fn origin_of_url(url: &str) -> Result<SerializedOrigin, OriginProblem> {
    match url.split_once("://") {
        Some((scheme, rest)) => parse(&suggest(&scheme.to_ascii_lowercase(), rest)),
        None => parse(url),
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), OriginProblem> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(OriginProblem::BadHost)?;
        let (host, rest) = authority.split_at(close + 1);
        match rest.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if rest.is_empty() => (host, None),
            None => return Err(OriginProblem::BadHost),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(digits) => {
            let canonical = !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
                && !(digits.starts_with('0'));
            match digits.parse::<u16>() {
                Ok(port) if canonical && port > 0 => Some(port),
                _ => return Err(OriginProblem::BadPort),
            }
        }
    };
    Ok((host, port))
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels
        .iter()
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit()))
    {
        return parse_ipv4(host).is_some();
    }
    host.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        })
}

/// Dotted-quad IPv4 as browsers serialize it (no leading zeros, four parts).
fn parse_ipv4(host: &str) -> Option<std::net::Ipv4Addr> {
    let addr: std::net::Ipv4Addr = host.parse().ok()?;
    (addr.to_string() == host).then_some(addr)
}

/// Best effort at the origin the user meant: lower case, no path, no default port.
fn suggest(scheme: &str, authority: &str) -> String {
    format!("{scheme}://{}", suggest_authority_for(scheme, authority))
}

fn suggest_authority(text: &str) -> String {
    let end = text.find(['/', '?', '#']).unwrap_or(text.len());
    text[..end].to_ascii_lowercase()
}

fn suggest_authority_for(scheme: &str, authority: &str) -> String {
    let authority = suggest_authority(authority);
    match (default_port(scheme), authority.rsplit_once(':')) {
        (Some(default), Some((host, port))) if port == default.to_string() => host.to_string(),
        _ => authority,
    }
}

#[cfg(test)]
mod tests;
