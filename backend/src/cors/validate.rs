//! Checking a written CORS configuration before anything listens.
//!
//! Neither Starlette nor actix-cors validates much: a trailing slash, an upper-case
//! letter or `:443` makes an origin silently never match, and `*` with credentials
//! either reflects every origin (Starlette, actix-cors without `send_wildcard`) or
//! fails with an opaque "Can not start server service 0". Here every rule has its
//! own message that names the key, the value, the file or variable it came from, and
//! the fix. All problems are collected, so one run shows all of them; the server
//! starts only when there are none, so it never runs with a partly applied policy.
//!
//! Some findings are warnings instead: the configuration works as written, but
//! probably not as meant (a lower-case method, a long `max_age`, a development origin
//! in production).

use std::fmt;

use cors_rules::browser::{CHROMIUM_MAX_AGE, FIREFOX_MAX_AGE, WEBKIT_MAX_AGE};
use cors_rules::fetch::headers::{
    is_cors_response_header, is_forbidden_request_header, FORBIDDEN_RESPONSE_HEADERS,
    SAFELISTED_RESPONSE_HEADERS,
};
use cors_rules::fetch::methods::{FORBIDDEN_METHODS, NORMALIZED_METHODS};
use cors_rules::fetch::origin::{self, SerializedOrigin};
use cors_rules::fetch::tokens::is_token;
use cors_rules::policy::{ALL_METHODS, ALWAYS_ALLOWED_HEADERS};
use cors_rules::{AllowHeaders as RequestHeaders, AllowOrigins as Origins, ConfigKey, Policy};

use super::origin_regex;
use super::policy::CorsPolicy;
use crate::configuration::{Environment, LoadedSettings};

/// Longest `max_age` any browser honours (Firefox's cap).
const MAX_AGE_LIMIT: i64 = FIREFOX_MAX_AGE as i64;

/// Where a finding points: a `[cors]` key, or one entry of its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPath {
    pub key: ConfigKey,
    pub index: Option<usize>,
}

impl KeyPath {
    fn whole(key: ConfigKey) -> KeyPath {
        KeyPath { key, index: None }
    }

    fn entry(key: ConfigKey, index: usize) -> KeyPath {
        KeyPath {
            key,
            index: Some(index),
        }
    }
}

/// `cors.allow_origins`, or `cors.allow_origins[1]` for one entry.
impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key.path())?;
        match self.index {
            Some(index) => write!(f, "[{index}]"),
            None => Ok(()),
        }
    }
}

/// One problem with one configured value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// e.g. `cors.allow_origins[1]`
    pub key: KeyPath,
    /// The value as written, quoted where it is a string.
    pub value: String,
    /// e.g. `config/production.toml` or `environment variable APP__CORS__MAX_AGE`
    pub source: String,
    /// What is wrong and what to write instead.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {} (from {}): {}",
            self.key, self.value, self.source, self.message
        )
    }
}

/// A policy that passed validation, and what is worth a warning about it.
#[derive(Debug)]
pub struct Validated {
    pub policy: CorsPolicy,
    pub warnings: Vec<Finding>,
}

/// Validates and normalises `loaded.settings.cors`; on failure, every error found.
pub fn validate(loaded: &LoadedSettings) -> Result<Validated, Vec<Finding>> {
    let mut check = Checker {
        loaded,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let cors = &loaded.settings.cors;
    let origins = check.origins();
    let origin_regex = check.origin_regex();
    let methods = check.methods();
    let headers = check.request_headers();
    let expose = check.expose_headers();
    let max_age = check.max_age();

    if matches!(origins, Origins::Any) && origin_regex.is_some() {
        check.error(
            KeyPath::whole(ConfigKey::AllowOriginRegex),
            quoted(cors.allow_origin_regex.as_deref().unwrap_or_default()),
            "has no effect when allow_origins = [\"*\"]; remove one of the two".into(),
        );
    }
    if origins == Origins::List(Vec::new()) && origin_regex.is_none() {
        check.warning(
            KeyPath::whole(ConfigKey::AllowOrigins),
            "[]".into(),
            "no origin is allowed: every cross-origin request will be refused".into(),
        );
    }

    if !check.errors.is_empty() {
        return Err(check.errors);
    }
    Ok(Validated {
        policy: CorsPolicy {
            env: loaded.env,
            rules: Policy {
                allow_origins: origins,
                allow_origin_regex: origin_regex.as_ref().map(|re| re.as_str().to_string()),
                allow_methods: methods,
                allow_headers: headers,
                allow_credentials: cors.allow_credentials,
                expose_headers: expose,
                max_age,
            },
            origin_regex,
        },
        warnings: check.warnings,
    })
}

struct Checker<'a> {
    loaded: &'a LoadedSettings,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
}

impl Checker<'_> {
    fn finding(&self, key: KeyPath, value: String, message: String) -> Finding {
        // `cors.allow_origins[2]` comes from wherever `cors.allow_origins` was set.
        let setting = KeyPath::whole(key.key).to_string();
        Finding {
            key,
            value,
            source: self.loaded.sources.of(&setting),
            message,
        }
    }

    fn error(&mut self, key: KeyPath, value: String, message: String) {
        let finding = self.finding(key, value, message);
        self.errors.push(finding);
    }

    fn warning(&mut self, key: KeyPath, value: String, message: String) {
        let finding = self.finding(key, value, message);
        self.warnings.push(finding);
    }

    /// Whether `written` has `"*"`, which must then be its only entry.
    fn lone_wildcard(&mut self, key: ConfigKey, written: &[String], meaning: &str) -> bool {
        if !written.iter().any(|item| item == "*") {
            return false;
        }
        if written.len() > 1 {
            self.error(
                KeyPath::whole(key),
                quoted_list(written),
                format!("\"*\" {meaning}, so it must be the only entry"),
            );
        }
        true
    }

    fn credentials(&self) -> bool {
        self.loaded.settings.cors.allow_credentials
    }

    fn production(&self) -> bool {
        self.loaded.env == Environment::Production
    }

    fn origins(&mut self) -> Origins {
        let written = &self.loaded.settings.cors.allow_origins;
        if self.lone_wildcard(ConfigKey::AllowOrigins, written, "allows every origin") {
            if self.credentials() {
                self.error(
                    KeyPath::whole(ConfigKey::AllowOrigins),
                    quoted_list(written),
                    "cannot be [\"*\"] while allow_credentials = true: browsers refuse \
                     `Access-Control-Allow-Origin: *` on credentialed requests, and answering \
                     with each caller's own origin instead would let every website read \
                     your users' authenticated responses; list the trusted origins"
                        .into(),
                );
            }
            return Origins::Any;
        }

        let mut accepted: Vec<String> = Vec::new();
        for (i, text) in written.iter().enumerate() {
            let key = KeyPath::entry(ConfigKey::AllowOrigins, i);
            match origin::parse(text) {
                Err(problem) => self.error(key, quoted(text), problem.to_string()),
                Ok(_) if accepted.contains(text) => {
                    self.warning(key, quoted(text), "is listed twice".into())
                }
                Ok(origin) => {
                    self.production_origin_warnings(key, text, &origin);
                    accepted.push(text.clone());
                }
            }
        }
        Origins::List(accepted)
    }

    fn production_origin_warnings(&mut self, key: KeyPath, text: &str, origin: &SerializedOrigin) {
        if !self.production() {
            return;
        }
        if origin.is_loopback() {
            self.warning(
                key,
                quoted(text),
                "a development origin in ENV=production: only a page on the server's own \
                 machine can have it"
                    .into(),
            );
        } else if origin.is_insecure() {
            self.warning(
                key,
                quoted(text),
                "plain HTTP in ENV=production: anyone on the network path can inject script \
                 into that page and use its access; use https://"
                    .into(),
            );
        }
    }

    fn origin_regex(&mut self) -> Option<origin_regex::OriginRegex> {
        let pattern = self.loaded.settings.cors.allow_origin_regex.as_deref()?;
        let key = KeyPath::whole(ConfigKey::AllowOriginRegex);
        let regex = match origin_regex::compile(pattern) {
            Ok(regex) => regex,
            Err(problem) => {
                self.error(key, quoted(pattern), problem.to_string());
                return None;
            }
        };
        if let Err(problem) = origin_regex::audit(&regex) {
            self.error(key, quoted(pattern), problem.to_string());
            return None;
        }
        // Too close to home: worth a warning while developing, never in production.
        let Some(local) = origin_regex::local_reach(&regex) else {
            return Some(regex);
        };
        if self.production() {
            self.error(key, quoted(pattern), local.to_string());
            return None;
        }
        self.warning(key, quoted(pattern), local.to_string());
        Some(regex)
    }

    fn methods(&mut self) -> Vec<String> {
        let written = &self.loaded.settings.cors.allow_methods;
        if self.lone_wildcard(
            ConfigKey::AllowMethods,
            written,
            "stands for all standard methods",
        ) {
            return ALL_METHODS.iter().map(|m| m.to_string()).collect();
        }

        let mut methods: Vec<String> = Vec::new();
        for (i, method) in written.iter().enumerate() {
            let key = KeyPath::entry(ConfigKey::AllowMethods, i);
            let upper = method.to_ascii_uppercase();
            if !is_token(method) {
                self.error(
                    key,
                    quoted(method),
                    "is not a valid method name (letters, digits and !#$%&'*+-.^_`|~ only)".into(),
                );
            } else if FORBIDDEN_METHODS.contains(&upper.as_str()) {
                self.error(
                    key,
                    quoted(method),
                    "is a forbidden method: browsers refuse to send it, so allowing it only \
                     helps attacks; remove it"
                        .into(),
                );
            } else if method != &upper && NORMALIZED_METHODS.contains(&upper.as_str()) {
                self.error(
                    key,
                    quoted(method),
                    format!(
                        "browsers always send this method as \"{upper}\" and methods are \
                         compared exactly, so it would never match; write \"{upper}\""
                    ),
                );
            } else if methods.contains(method) {
                self.warning(key, quoted(method), "is listed twice".into());
            } else {
                if method != &upper {
                    self.warning(
                        key,
                        quoted(method),
                        format!(
                            "is not upper case: browsers send this method exactly as the page \
                             wrote it, so only fetch(url, {{ method: \"{method}\" }}) matches; \
                             you probably mean \"{upper}\""
                        ),
                    );
                }
                methods.push(method.clone());
            }
        }
        methods
    }

    fn request_headers(&mut self) -> RequestHeaders {
        let written = &self.loaded.settings.cors.allow_headers;
        if written.iter().any(|h| h == "*") {
            // `*` alone, or with `Authorization`, reads as a wildcard; anything else
            // beside it stays a list, which is an error here.
            let headers = RequestHeaders::from(written.clone());
            if let RequestHeaders::List(_) = headers {
                self.error(
                    KeyPath::whole(ConfigKey::AllowHeaders),
                    quoted_list(written),
                    "\"*\" allows any header, so the only name it may be combined with is \
                     \"Authorization\", which the Fetch standard says a wildcard never \
                     covers (and this backend agrees)"
                        .into(),
                );
            }
            return headers;
        }

        let mut names: Vec<String> = ALWAYS_ALLOWED_HEADERS
            .iter()
            .map(|h| h.to_string())
            .collect();
        for (i, header) in written.iter().enumerate() {
            let key = KeyPath::entry(ConfigKey::AllowHeaders, i);
            let name = header.to_ascii_lowercase();
            if !is_token(header) {
                self.error(key, quoted(header), not_a_header_name());
            } else if is_forbidden_request_header(&name) {
                self.error(
                    key,
                    quoted(header),
                    "is a forbidden request header: the browser sets it itself and never lets \
                     a page's script do so, so it never appears in a preflight; remove it"
                        .into(),
                );
            } else if is_cors_response_header(&name) {
                self.error(
                    key,
                    quoted(header),
                    "is a CORS response header; requests never carry it, so remove it".into(),
                );
            } else if !names.contains(&name) {
                names.push(name);
            }
        }
        RequestHeaders::List(names)
    }

    fn expose_headers(&mut self) -> Vec<String> {
        let written = &self.loaded.settings.cors.expose_headers;
        if self.lone_wildcard(ConfigKey::ExposeHeaders, written, "exposes every header") {
            if self.credentials() {
                self.error(
                    KeyPath::whole(ConfigKey::ExposeHeaders),
                    quoted_list(written),
                    "cannot be [\"*\"] while allow_credentials = true: for credentialed \
                     requests browsers read \"*\" as a header literally named \"*\"; list the \
                     headers to expose"
                        .into(),
                );
            }
            return vec!["*".into()];
        }

        let mut names: Vec<String> = Vec::new();
        for (i, header) in written.iter().enumerate() {
            let key = KeyPath::entry(ConfigKey::ExposeHeaders, i);
            let name = header.to_ascii_lowercase();
            if !is_token(header) {
                self.error(key, quoted(header), not_a_header_name());
            } else if FORBIDDEN_RESPONSE_HEADERS.contains(&name.as_str()) {
                self.error(
                    key,
                    quoted(header),
                    "browsers never let a page read Set-Cookie, listed or not; remove it".into(),
                );
            } else if SAFELISTED_RESPONSE_HEADERS.contains(&name.as_str()) {
                self.warning(
                    key,
                    quoted(header),
                    "is always readable by the page; listing it changes nothing".into(),
                );
            } else if !names.iter().any(|n| n.eq_ignore_ascii_case(header)) {
                names.push(header.clone());
            }
        }
        names
    }

    fn max_age(&mut self) -> u32 {
        let max_age = self.loaded.settings.cors.max_age;
        let key = KeyPath::whole(ConfigKey::MaxAge);
        if !(0..=MAX_AGE_LIMIT).contains(&max_age) {
            self.error(
                key,
                max_age.to_string(),
                format!(
                    "must be from 0 to {MAX_AGE_LIMIT} seconds (browsers cap it anyway: \
                     Firefox at {FIREFOX_MAX_AGE}, Chromium at {CHROMIUM_MAX_AGE}, WebKit at \
                     {WEBKIT_MAX_AGE})"
                ),
            );
            return 0;
        }
        if max_age > CHROMIUM_MAX_AGE as i64 {
            self.warning(
                key,
                max_age.to_string(),
                format!("Chromium caches a preflight for at most {CHROMIUM_MAX_AGE} seconds"),
            );
        }
        max_age as u32
    }
}

fn not_a_header_name() -> String {
    "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only, no spaces)".into()
}

fn quoted(value: &str) -> String {
    format!("{value:?}")
}

fn quoted_list(values: &[String]) -> String {
    format!("{values:?}")
}
