//! A web origin read from a variable: `scheme://host[:port]` and nothing else.
//!
//! The URL variables (`API_BASE_URL`, `ATTACKER_URL`, `LAB_URL`) end up in the
//! attacker page's Content-Security-Policy. A `;` there would start a directive of
//! the attacker's choosing, and a space would add a source. So the parse is strict:
//! it keeps an origin, or it refuses the value and names the variable.

use std::fmt;

use cors_rules::fetch::origin::origin_of_url;

/// `http://` or `https://`, a host, maybe a port: what a browser calls an origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebOrigin(String);

impl WebOrigin {
    /// Reads `value`, the content of the variable `name`. A trailing `/` is
    /// tolerated (people copy URLs from the address bar). Scheme and host are
    /// lower-cased and a default port dropped, as browsers serialize origins.
    pub fn parse(name: &str, value: &str) -> Result<WebOrigin, String> {
        let refuse = |why: &str| {
            Err(format!(
                "{name} must be an origin, scheme://host[:port] with http or https, \
                 got `{value}`: {why}"
            ))
        };
        let Some((scheme, rest)) = value.split_once("://") else {
            return refuse("it does not start with http:// or https://");
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return refuse("only http and https are served to a browser here");
        }
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return refuse("an origin has no path, query or fragment");
        }
        if authority.contains(|c: char| c.is_whitespace() || ";,'\"".contains(c)) {
            return refuse("a space, `;`, `,` or quote would change the policy it goes into");
        }
        if authority.contains('@') {
            return refuse("an origin has no user name or password");
        }
        let host = match split_port(authority) {
            Ok((host, _)) => host,
            Err(why) => return refuse(why),
        };
        if let Err(why) = check_host(host) {
            return refuse(why);
        }
        // Written as a browser writes it, by the rule the backend checks with.
        match origin_of_url(&format!("{scheme}://{authority}")) {
            Ok(origin) => Ok(WebOrigin(origin.to_string())),
            Err(problem) => refuse(&problem.to_string()),
        }
    }

    /// `http://localhost:<port>`: the default for a listener of this machine.
    pub fn localhost(port: u16) -> WebOrigin {
        WebOrigin(format!("http://localhost:{port}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WebOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `host` and the port after it, if any. A bracketed IPv6 address keeps its colons.
fn split_port(authority: &str) -> Result<(&str, Option<u16>), &'static str> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(inside) => match inside.find(']') {
            Some(end) => {
                let after = &inside[end + 1..];
                let port = match after {
                    "" => None,
                    _ => Some(
                        after
                            .strip_prefix(':')
                            .ok_or("junk after the IPv6 address")?,
                    ),
                };
                (&authority[..end + 2], port)
            }
            None => return Err("an IPv6 address without its closing ]"),
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port = match port {
        None => None,
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(digits.parse().map_err(|_| "the port is above 65535")?)
        }
        Some(_) => return Err("the port must be digits"),
    };
    Ok((host, port))
}

/// A DNS name, an IPv4 address or a bracketed IPv6 address: letters, digits,
/// `.`, `-` (and `:` inside brackets). Everything else could change the meaning
/// of the header the origin goes into.
fn check_host(host: &str) -> Result<(), &'static str> {
    if host.is_empty() {
        return Err("the host is empty");
    }
    if let Some(inside) = host.strip_prefix('[') {
        let address = inside.strip_suffix(']').unwrap_or(inside);
        return match address.parse::<std::net::Ipv6Addr>() {
            Ok(_) => Ok(()),
            Err(_) => Err("not an IPv6 address inside the brackets"),
        };
    }
    let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
    if !host.bytes().all(name_byte) {
        return Err("the host may hold only letters, digits, `.` and `-`");
    }
    if host.split('.').any(str::is_empty) {
        return Err("the host has an empty label");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_kept_and_written_as_browsers_write_it() {
        let cases = [
            ("http://localhost:8000", "http://localhost:8000", "as given"),
            (
                "http://localhost:8000/",
                "http://localhost:8000",
                "a trailing / dropped",
            ),
            (
                "https://api.example.com",
                "https://api.example.com",
                "no port",
            ),
            (
                "HTTPS://API.Example.COM:8443",
                "https://api.example.com:8443",
                "lower case",
            ),
            (
                "http://localhost:80",
                "http://localhost",
                "the default port dropped",
            ),
            (
                "HTTP://LocalHost:8000",
                "http://localhost:8000",
                "a mixed case host",
            ),
            ("http://127.0.0.1:5173", "http://127.0.0.1:5173", "IPv4"),
            ("http://[::1]:5174", "http://[::1]:5174", "IPv6"),
        ];
        for (value, origin, why) in cases {
            let parsed = WebOrigin::parse("API_BASE_URL", value);
            assert_eq!(
                parsed.as_ref().map(WebOrigin::as_str),
                Ok(origin),
                "{why}: {value}"
            );
        }
    }

    #[test]
    fn anything_but_an_origin_is_refused_with_the_variable_named() {
        let cases = [
            ("localhost:8000", "no scheme"),
            ("ftp://localhost", "another scheme"),
            ("http://", "no host"),
            ("http://localhost:8000/api", "a path"),
            ("http://localhost:8000//", "a path of one /"),
            ("http://localhost:8000?x=1", "a query"),
            ("http://localhost:8000#top", "a fragment"),
            ("http://user:pass@localhost:8000", "userinfo"),
            (
                "http://localhost:8000 https://evil.example",
                "a space: a second CSP source",
            ),
            (
                "http://localhost:8000; script-src *",
                "a `;`: a CSP directive",
            ),
            ("http://localhost:8000'unsafe-inline'", "a quote"),
            ("http://local\thost", "a tab"),
            ("http://localhost:", "an empty port"),
            ("http://localhost:80a", "a port with a letter"),
            ("http://localhost:70000", "a port above 65535"),
            ("http://a..b", "an empty label"),
            ("http://[::1", "an unclosed IPv6 bracket"),
            ("http://[evil]", "brackets around no IPv6 address"),
            ("http://[::1]x", "junk after the IPv6 address"),
            ("http://*.example.com", "a wildcard"),
        ];
        for (value, why) in cases {
            let error = WebOrigin::parse("LAB_URL", value)
                .expect_err(&format!("{why} must be refused: {value}"));
            assert!(
                error.contains("LAB_URL") && error.contains(value),
                "{why}: the error names the variable and the value: {error}"
            );
        }
    }
}
