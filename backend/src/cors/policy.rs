//! The validated CORS policy: what the server will allow, in one value.
//!
//! A `CorsPolicy` can only be made by `validate` (see `validate.rs`), so holding one
//! means every origin is a real serialized origin, the regex is anchored and audited,
//! `*` never meets credentials, and Starlette's defaults are filled in. Its rules are
//! the shared [`cors_rules::Policy`] (the lab reads the same value from
//! `/api/policy`); this wrapper adds what only a server has: the compiled regex and
//! the ENV it was loaded for. The same value builds the actix-cors middleware
//! (`to_actix.rs`) and explains its decisions.

use std::fmt;

use cors_rules::{Policy, RegexVerdict, Verdict};
use lab_types::PolicyView;

use super::origin_regex::OriginRegex;
use crate::configuration::Environment;

#[derive(Debug, Clone)]
pub struct CorsPolicy {
    pub(super) env: Environment,
    pub(super) rules: Policy,
    pub(super) origin_regex: Option<OriginRegex>,
}

impl CorsPolicy {
    /// The rules, as the lab and `cors-rules` see them.
    pub fn rules(&self) -> &Policy {
        &self.rules
    }

    /// Whether `allow_origin_regex` matches `origin`: this side has the regex engine.
    pub fn regex_verdict(&self, origin: &str) -> RegexVerdict {
        match &self.origin_regex {
            Some(regex) => regex.matches(origin).into(),
            None => RegexVerdict::DoesNotMatch,
        }
    }

    /// Whether a request from `origin` may read the response.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.rules
            .origin_verdict(origin, self.regex_verdict(origin))
            == Verdict::Allowed
    }

    /// The policy's verdict on a preflight; what the backend answers it with is
    /// `self.rules().preflight_head(&verdict, …)` (see `cors_rules::policy::answer`).
    pub fn preflight_verdict(
        &self,
        origin: Option<&str>,
        method: &str,
        request_headers: Option<&str>,
    ) -> Verdict {
        let regex = origin.map_or(RegexVerdict::DoesNotMatch, |o| self.regex_verdict(o));
        self.rules
            .preflight_verdict(origin, method, request_headers, regex)
    }

    /// The policy as the lab and `/api/policy` show it.
    pub fn view(&self) -> PolicyView {
        PolicyView {
            env: self.env.to_string(),
            policy: self.rules.clone(),
        }
    }
}

/// The effective policy, printed at startup and by `backend check-config`.
impl fmt::Display for CorsPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = &self.rules;
        let list = |items: Vec<String>| match items.is_empty() {
            true => "(none)".to_string(),
            false => items.join(", "),
        };
        writeln!(f, "effective CORS policy (ENV={}):", self.env)?;
        writeln!(
            f,
            "  allow_origins      = {}",
            list(rules.allow_origins.clone().into())
        )?;
        let regex = rules.allow_origin_regex.as_deref().unwrap_or("(none)");
        writeln!(f, "  allow_origin_regex = {regex}")?;
        writeln!(
            f,
            "  allow_methods      = {}",
            list(rules.allow_methods.clone())
        )?;
        writeln!(
            f,
            "  allow_headers      = {}",
            list(rules.allow_headers.clone().into())
        )?;
        writeln!(f, "  allow_credentials  = {}", rules.allow_credentials)?;
        writeln!(
            f,
            "  expose_headers     = {}",
            list(rules.expose_headers.clone())
        )?;
        write!(f, "  max_age            = {}", rules.max_age)
    }
}
