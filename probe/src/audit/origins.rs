//! The origins an attacker can send, built from the origins the API means to trust.
//!
//! Each lookalike targets one classic way of checking an origin by hand:
//!
//! | kind | for `https://app.example.com` | catches |
//! |---|---|---|
//! | prefix | `https://app.example.com.cors-probe.example` | `origin.startswith(trusted)` |
//! | suffix | `https://evilapp.example.com` | `origin.endswith("app.example.com")` |
//! | unescaped dot | `https://appxexample.com` | the regex `app.example.com` (`.` is any byte) |
//! | another TLD | `https://app.example.net` | a regex ending in `\..*` or a TLD list |
//! | sibling subdomain | `https://cors-probe.example.com` | `endswith(".example.com")` |
//! | http twin | `http://app.example.com` | a check that ignores the scheme |
//!
//! Attackers can register every one of these (or, for the http twin, inject into
//! plain-HTTP traffic), which is why accepting one is a finding.

use cors_rules::fetch::origin::SerializedOrigin;

/// What an origin stands for in the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An origin the user said the API trusts.
    Trusted,
    /// A site that has nothing to do with the API.
    Arbitrary,
    /// `null`: sandboxed iframes, `file:` pages, cross-origin redirects.
    Null,
    Prefix,
    Suffix,
    UnescapedDot,
    OtherTld,
    SiblingSubdomain,
    HttpTwin,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Trusted => "trusted",
            Kind::Arbitrary => "arbitrary-origin",
            Kind::Null => "null-origin",
            Kind::Prefix => "lookalike-prefix",
            Kind::Suffix => "lookalike-suffix",
            Kind::UnescapedDot => "lookalike-unescaped-dot",
            Kind::OtherTld => "lookalike-other-tld",
            Kind::SiblingSubdomain => "sibling-subdomain",
            Kind::HttpTwin => "http-twin",
        }
    }
}

/// One origin to send, and which trusted origin it imitates (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: Kind,
    pub origin: String,
    pub imitates: Option<String>,
}

/// A site nobody trusts: `.example` is reserved, so it is nobody's real site.
pub const ARBITRARY_ORIGIN: &str = "https://cors-probe-attacker.example";

/// Every origin to send: the trusted ones (to learn what the API answers them), an
/// arbitrary site, `null`, and the lookalikes of each trusted origin.
pub fn candidates(trusted: &[SerializedOrigin]) -> Vec<Candidate> {
    let mut all = Vec::new();
    let mut push = |kind, origin: String, imitates: Option<&SerializedOrigin>| {
        let known = all.iter().any(|c: &Candidate| c.origin == origin);
        let is_trusted = trusted.iter().any(|t| t.to_string() == origin);
        if !known && (kind == Kind::Trusted || !is_trusted) {
            all.push(Candidate {
                kind,
                origin,
                imitates: imitates.map(ToString::to_string),
            });
        }
    };
    for origin in trusted {
        push(Kind::Trusted, origin.to_string(), None);
    }
    push(Kind::Arbitrary, ARBITRARY_ORIGIN.to_string(), None);
    push(Kind::Null, "null".to_string(), None);
    for origin in trusted {
        for (kind, host) in lookalike_hosts(&origin.host) {
            push(kind, with_host(origin, &host), Some(origin));
        }
        if origin.scheme == "https" {
            let twin = SerializedOrigin {
                scheme: "http".to_string(),
                ..origin.clone()
            };
            push(Kind::HttpTwin, twin.to_string(), Some(origin));
        }
    }
    all
}

fn with_host(origin: &SerializedOrigin, host: &str) -> String {
    SerializedOrigin {
        host: host.to_string(),
        ..origin.clone()
    }
    .to_string()
}

/// The lookalike hosts of `host`; an IP address has none worth registering.
fn lookalike_hosts(host: &str) -> Vec<(Kind, String)> {
    let is_ip = host.starts_with('[') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if is_ip {
        return Vec::new();
    }
    let mut hosts = vec![
        (Kind::Prefix, format!("{host}.cors-probe.example")),
        (Kind::Suffix, format!("evil{host}")),
    ];
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() >= 2 {
        hosts.push((Kind::UnescapedDot, host.replacen('.', "x", 1)));
        let tld = if labels[labels.len() - 1] == "net" {
            "org"
        } else {
            "net"
        };
        let rest = &labels[..labels.len() - 1];
        hosts.push((Kind::OtherTld, format!("{}.{tld}", rest.join("."))));
    }
    if labels.len() >= 3 {
        hosts.push((
            Kind::SiblingSubdomain,
            format!("cors-probe.{}", labels[1..].join(".")),
        ));
    }
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_rules::fetch::origin::parse;

    #[test]
    fn each_trusted_origin_gets_the_lookalikes_an_attacker_could_register() {
        let trusted = [parse("https://app.example.com").unwrap()];
        let got: Vec<(Kind, String)> = candidates(&trusted)
            .into_iter()
            .map(|c| (c.kind, c.origin))
            .collect();
        let expected = [
            (
                Kind::Trusted,
                "https://app.example.com",
                "the trusted origin itself",
            ),
            (Kind::Arbitrary, ARBITRARY_ORIGIN, "a site nobody trusts"),
            (Kind::Null, "null", "the opaque origin"),
            (
                Kind::Prefix,
                "https://app.example.com.cors-probe.example",
                "startswith",
            ),
            (
                Kind::Suffix,
                "https://evilapp.example.com",
                "endswith without a dot",
            ),
            (
                Kind::UnescapedDot,
                "https://appxexample.com",
                "a regex's bare dot",
            ),
            (Kind::OtherTld, "https://app.example.net", "another TLD"),
            (
                Kind::SiblingSubdomain,
                "https://cors-probe.example.com",
                "a sibling",
            ),
            (
                Kind::HttpTwin,
                "http://app.example.com",
                "the plain-HTTP twin",
            ),
        ];
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for ((kind, origin), (want_kind, want_origin, what)) in got.iter().zip(expected) {
            assert_eq!((kind, origin.as_str()), (&want_kind, want_origin), "{what}");
        }
    }

    #[test]
    fn loopback_origins_keep_their_port_and_ip_addresses_get_no_lookalikes() {
        let trusted = [
            parse("http://localhost:5173").unwrap(),
            parse("http://127.0.0.1:5173").unwrap(),
        ];
        let origins: Vec<String> = candidates(&trusted).into_iter().map(|c| c.origin).collect();
        assert!(
            origins.contains(&"http://localhost.cors-probe.example:5173".to_string()),
            "the prefix lookalike keeps the port: {origins:?}"
        );
        assert!(
            !origins.iter().any(|o| o.contains("127x")),
            "an IP address has no lookalike worth registering: {origins:?}"
        );
    }
}
