//! The validated CORS policy: what the server will allow, in one value.
//!
//! A `CorsPolicy` can only be made by `validate` (see `validate.rs`), so holding one
//! means every origin is a real serialized origin, the regex is anchored and audited,
//! `*` never meets credentials, and Starlette's defaults are filled in. The same value
//! builds the actix-cors middleware (`to_actix.rs`) and answers the questions the rest
//! of the server asks: is this origin allowed, and why was this preflight refused?

use std::fmt;

use lab_types::{PolicyView, Rejection};

use super::origin_regex::OriginRegex;
use crate::configuration::Environment;

/// Which origins may read responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins {
    /// `allow_origins = ["*"]`: any origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// Exact serialized origins (possibly none).
    List(Vec<String>),
}

/// Which request headers a preflight may ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestHeaders {
    /// `allow_headers = ["*"]`: any name, except `Authorization`, which the Fetch
    /// standard says a wildcard never covers; it must be listed by name.
    Any { authorization: bool },
    /// Lower-case names, always including the four safelisted ones.
    List(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct CorsPolicy {
    pub(super) env: Environment,
    pub(super) origins: Origins,
    pub(super) origin_regex: Option<OriginRegex>,
    pub(super) methods: Vec<String>,
    pub(super) headers: RequestHeaders,
    pub(super) credentials: bool,
    pub(super) expose: Vec<String>,
    pub(super) max_age: u32,
}

impl CorsPolicy {
    pub fn headers(&self) -> &RequestHeaders {
        &self.headers
    }

    /// Whether a request from `origin` may read the response.
    pub fn allows_origin(&self, origin: &str) -> bool {
        match &self.origins {
            Origins::Any => true,
            Origins::List(list) => {
                list.iter().any(|allowed| allowed == origin)
                    || self
                        .origin_regex
                        .as_ref()
                        .is_some_and(|re| re.matches(origin))
            }
        }
    }

    /// Why a preflight for (`origin`, `method`, `request_headers`) is refused, if it is.
    ///
    /// Checks run in actix-cors's order (origin, then method, then headers) and the
    /// first failure is reported, so the explanation names what actix-cors refused.
    /// `request_headers` is the raw `Access-Control-Request-Headers` value.
    pub fn check_preflight(
        &self,
        origin: &str,
        method: &str,
        request_headers: Option<&str>,
    ) -> Result<(), Rejection> {
        if !self.allows_origin(origin) {
            return Err(Rejection::Origin {
                origin: origin.into(),
            });
        }
        if !self.methods.iter().any(|allowed| allowed == method) {
            return Err(Rejection::Method {
                method: method.into(),
            });
        }
        let names = match request_headers {
            None => Vec::new(),
            Some(value) => value.split(',').map(|n| n.trim().to_lowercase()).collect(),
        };
        if names.iter().any(String::is_empty) {
            return Err(Rejection::Malformed {
                detail: "Access-Control-Request-Headers has an empty name".into(),
            });
        }
        let refused: Vec<String> = names
            .into_iter()
            .filter(|name| !self.allows_request_header(name))
            .collect();
        if refused.is_empty() {
            Ok(())
        } else {
            Err(Rejection::Headers { headers: refused })
        }
    }

    fn allows_request_header(&self, name: &str) -> bool {
        match &self.headers {
            RequestHeaders::Any { authorization } => name != "authorization" || *authorization,
            RequestHeaders::List(list) => list.iter().any(|allowed| allowed == name),
        }
    }

    /// The policy as the lab and `/api/policy` show it.
    pub fn view(&self) -> PolicyView {
        PolicyView {
            env: self.env.to_string(),
            allow_origins: match &self.origins {
                Origins::Any => vec!["*".into()],
                Origins::List(list) => list.clone(),
            },
            allow_origin_regex: self.origin_regex.as_ref().map(|re| re.as_str().into()),
            allow_methods: self.methods.clone(),
            allow_headers: match &self.headers {
                RequestHeaders::Any {
                    authorization: true,
                } => vec!["*".into(), "authorization".into()],
                RequestHeaders::Any {
                    authorization: false,
                } => vec!["*".into()],
                RequestHeaders::List(list) => list.clone(),
            },
            allow_credentials: self.credentials,
            expose_headers: self.expose.clone(),
            max_age: self.max_age,
        }
    }
}

/// The effective policy, printed at startup and by `backend check-config`.
impl fmt::Display for CorsPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let view = self.view();
        let list = |items: &[String]| match items.is_empty() {
            true => "(none)".to_string(),
            false => items.join(", "),
        };
        writeln!(f, "effective CORS policy (ENV={}):", view.env)?;
        writeln!(f, "  allow_origins      = {}", list(&view.allow_origins))?;
        let regex = view.allow_origin_regex.as_deref().unwrap_or("(none)");
        writeln!(f, "  allow_origin_regex = {regex}")?;
        writeln!(f, "  allow_methods      = {}", list(&view.allow_methods))?;
        writeln!(f, "  allow_headers      = {}", list(&view.allow_headers))?;
        writeln!(f, "  allow_credentials  = {}", view.allow_credentials)?;
        writeln!(f, "  expose_headers     = {}", list(&view.expose_headers))?;
        write!(f, "  max_age            = {}", view.max_age)
    }
}
