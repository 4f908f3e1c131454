//! `allow_origin_regex`: a pattern an origin must match *in full*, and the ways it can
//! trust far more than intended.
//!
//! Starlette uses Python's `re.fullmatch`, after a vulnerability where
//! `https://.*\.example\.org` (then searched, not anchored) let
//! `https://example.org.hacker.com` in. Rust's `Regex::is_match` searches too, so the
//! pattern is wrapped as `^(?:…)$` here.
//!
//! Anchoring is not enough. An unescaped `.` matches any character, a missing `\.`
//! before the domain lets `https://evilexample.com` in, `https?` lets a plain-HTTP
//! page (which anyone on the network can tamper with) in, and `.*` is `*` in
//! disguise. None of these is visible by reading the pattern quickly, so at startup
//! the pattern is tried against origins derived from the domains it names, and the
//! configuration is refused if any of them matches.
//!
//! A pattern can also reach too close to home ([`local_reach`]). `localhost:[0-9]+`
//! trusts every port of this machine, and any program here can serve a page on one
//! (the lab's attacker page runs on :5174). A host without a dot, such as
//! `http://intranet`, is a name the local network answers, and any machine on it can
//! claim one. This holds with or without credentials: an API on a laptop or an
//! intranet is guarded by the network alone, and a page from one of those origins
//! reads it from inside (cors-facts.md §5.1, item 6). Such a pattern is a warning in
//! development and refused in production.

use regex::{Regex, RegexBuilder};
use std::fmt;

/// Longest pattern accepted, in bytes: an origin allow-list is never longer.
const MAX_PATTERN_LEN: usize = 1024;
/// Memory the compiled pattern may use, in bytes.
const COMPILED_SIZE_LIMIT: usize = 256 * 1024;

/// A compiled pattern that matches whole origins only.
#[derive(Debug, Clone)]
pub struct OriginRegex {
    pattern: String,
    anchored: Regex,
}

impl OriginRegex {
    /// The pattern as configured (not anchored).
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether `origin` matches the pattern in full.
    pub fn matches(&self, origin: &str) -> bool {
        self.anchored.is_match(origin)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexProblem {
    Empty,
    TooLong,
    TooLarge,
    Invalid(String),
    MatchesUntrusted { origin: String, why: &'static str },
}

impl fmt::Display for RegexProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegexProblem::Empty => f.write_str("is empty; remove the key to allow no pattern"),
            RegexProblem::TooLong => write!(f, "is longer than {MAX_PATTERN_LEN} bytes"),
            RegexProblem::TooLarge => f.write_str(
                "compiles to too large a program; list the origins in allow_origins instead",
            ),
            RegexProblem::Invalid(message) => write!(
                f,
                "is not a valid regular expression (Rust regex syntax: no look-around \
                 or back-references): {message}"
            ),
            RegexProblem::MatchesUntrusted { origin, why } => {
                write!(f, "matches the untrusted origin \"{origin}\" ({why})")
            }
        }
    }
}

/// Compiles `pattern` anchored at both ends, within size limits.
pub fn compile(pattern: &str) -> Result<OriginRegex, RegexProblem> {
    if pattern.trim().is_empty() {
        return Err(RegexProblem::Empty);
    }
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(RegexProblem::TooLong);
    }
    let anchored = RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(COMPILED_SIZE_LIMIT)
        .dfa_size_limit(COMPILED_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => RegexProblem::TooLarge,
            other => RegexProblem::Invalid(other.to_string().replace('\n', " ")),
        })?;
    Ok(OriginRegex {
        pattern: pattern.to_string(),
        anchored,
    })
}

/// Origins no pattern should match, whatever it is for.
const ARBITRARY_ORIGINS: [&str; 8] = [
    "null",
    "https://evil.invalid",
    "http://evil.invalid",
    "https://zz-canary-4f1d.invalid",
    "https://attacker.com",
    "https://attacker.github.io",
    "https://attacker.co.uk",
    "https://attacker.dev",
];

/// Refuses a pattern that matches an origin it cannot have been meant for.
pub fn audit(regex: &OriginRegex) -> Result<(), RegexProblem> {
    let untrusted = |origin: String, why| RegexProblem::MatchesUntrusted { origin, why };
    for origin in ARBITRARY_ORIGINS {
        if regex.matches(origin) {
            return Err(untrusted(
                origin.into(),
                "it lets in arbitrary origins: it is \"*\" in disguise",
            ));
        }
    }
    for domain in named_domains(regex.as_str()) {
        for (origin, why) in lookalikes(&domain) {
            if regex.matches(&origin) {
                return Err(untrusted(origin, why));
            }
        }
        if let Some(origin) = downgrade(regex, &domain) {
            return Err(untrusted(
                origin,
                "plain HTTP for an HTTPS site: anyone on the network path could inject script there",
            ));
        }
    }
    Ok(())
}

/// The domain names written in a pattern, e.g. `example.com` in `https://.*\.example\.com`.
/// An unescaped `.` counts as a dot here, so that the lookalikes test it.
fn named_domains(pattern: &str) -> Vec<String> {
    let domain = Regex::new(r"[A-Za-z0-9-]+(?:(?:\\\.|\.)[A-Za-z0-9-]+)+").expect("valid pattern");
    domain
        .find_iter(pattern)
        .map(|m| m.as_str().replace("\\.", ".").to_lowercase())
        .collect()
}

/// Origins an attacker can register that resemble `domain`, and why each is a trap.
fn lookalikes(domain: &str) -> Vec<(String, &'static str)> {
    let mut origins = Vec::new();
    for scheme in ["https", "http"] {
        origins.push((
            format!("{scheme}://{domain}.evil.invalid"),
            "an attacker's domain that merely starts with the trusted one: is the pattern anchored \
             at the end of the domain?",
        ));
        origins.push((
            format!("{scheme}://sub.{domain}.evil.invalid"),
            "an attacker's domain that contains the trusted one",
        ));
        origins.push((
            format!("{scheme}://evil{domain}"),
            "an attacker's domain that merely ends with the same letters: write '\\.' before the domain",
        ));
        origins.push((
            format!("{scheme}://evil-{domain}"),
            "an attacker's domain that merely ends with the same letters: write '\\.' before the domain",
        ));
        for (i, _) in domain.match_indices('.') {
            let undotted = format!("{}x{}", &domain[..i], &domain[i + 1..]);
            for host in [undotted.clone(), format!("sub.{undotted}")] {
                origins.push((
                    format!("{scheme}://{host}"),
                    "an unescaped '.' matches any character: write '\\.'",
                ));
            }
        }
    }
    origins
}

/// An `http://` origin the pattern accepts next to its `https://` twin.
fn downgrade(regex: &OriginRegex, domain: &str) -> Option<String> {
    if domain == "localhost" || domain.ends_with(".localhost") || domain.starts_with("127.") {
        return None;
    }
    ["", "sub.", "www.", "app.", "a1."]
        .iter()
        .find_map(|prefix| {
            let host = format!("{prefix}{domain}");
            let secure = regex.matches(&format!("https://{host}"));
            let plain = format!("http://{host}");
            (secure && regex.matches(&plain)).then_some(plain)
        })
}

/// How a pattern reaches origins on this machine or its network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A loopback host on a port nobody lists on purpose.
    AnyLocalPort,
    /// A host name without a dot: the local network resolves it.
    SingleLabelHost,
}

/// A pattern that lets in an origin on this machine or its network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMatch {
    pub origin: String,
    pub reach: Reach,
}

impl fmt::Display for LocalMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.reach {
            Reach::AnyLocalPort => {
                "another port of this machine. Any program running here can serve a page on \
                 it, such as the lab's attacker page on :5174"
            }
            Reach::SingleLabelHost => {
                "a host name without a dot. The local network resolves such names, and any \
                 machine on it can answer for one"
            }
        };
        write!(
            f,
            "matches \"{}\", {why}. That page would read the API's answers, with the \
             visitor's cookies when credentials are allowed, and without them whatever only \
             the network protects. List the exact origins in allow_origins instead, \
             e.g. [\"http://localhost:5173\"]",
            self.origin
        )
    }
}

/// Loopback hosts: every one of them is this machine.
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Ports no pattern lists on purpose. 5174 is the lab's attacker page.
const UNLISTED_PORTS: [u16; 3] = [5174, 1, 65535];

/// Names of the kind a local network resolves, with and without a port.
const SINGLE_LABEL_ORIGINS: [&str; 4] = [
    "http://intranet",
    "https://intranet",
    "http://printer:8080",
    "http://nas:5000",
];

/// The first origin on this machine or its network that the pattern lets in, if any.
/// Loopback first: it is where the lab's attacker page lives.
pub fn local_reach(regex: &OriginRegex) -> Option<LocalMatch> {
    let loopback = ["http", "https"].into_iter().flat_map(|scheme| {
        LOOPBACK_HOSTS.into_iter().flat_map(move |host| {
            UNLISTED_PORTS
                .into_iter()
                .map(move |port| (format!("{scheme}://{host}:{port}"), Reach::AnyLocalPort))
        })
    });
    let single_label = SINGLE_LABEL_ORIGINS
        .into_iter()
        .map(|origin| (origin.to_string(), Reach::SingleLabelHost));
    loopback
        .chain(single_label)
        .find(|(origin, _)| regex.matches(origin))
        .map(|(origin, reach)| LocalMatch { origin, reach })
}
