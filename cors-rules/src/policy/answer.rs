//! The CORS headers this project's backend sends, as a function of its policy.
//!
//! The backend enforces its policy with actix-cors (plus a thin guard in front of
//! it); this module states the answer they give, so the lab can predict a run
//! before it is sent, and a test compares every row with the live server
//! (`backend/tests/rules_match_the_server.rs`). It is one deliberate description,
//! not a second enforcer: the browser, fed with these headers, decides.
//!
//! Three shapes of preflight answer:
//!
//! - **allowed**: `200` with `Access-Control-Allow-Origin`, the whole allowed method
//!   and header lists, `Access-Control-Max-Age`, and credentials consent if the
//!   policy gives it;
//! - **origin refused**: `400` and *no* CORS header. The origin may not read
//!   anything, not even which methods exist, so the browser reports a missing
//!   `Access-Control-Allow-Origin`;
//! - **origin allowed, method or header refused**: `200` with
//!   `Access-Control-Allow-Origin` and the allowed lists, which do not contain what
//!   was asked for, and no `Max-Age`. Why not a `400`? Because then the browser's
//!   first check (the origin) or its second (an ok status) fails, and the console
//!   says "No 'Access-Control-Allow-Origin' header" or "It does not have HTTP ok
//!   status", hiding the real reason. Answered this way, Chromium names it itself:
//!   "Method PATCH is not allowed by Access-Control-Allow-Methods in preflight
//!   response." Nothing is given away: an allowed origin may know the allowed lists,
//!   and the browser still refuses to send the request.

use super::{AllowHeaders, AllowOrigins, Policy, RegexVerdict, Rejection, Verdict};
use crate::http::ResponseHead;

/// `Vary` on every preflight answer: the answer depends on all three.
pub const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// The answer to a preflight, and the verdict behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub verdict: Verdict,
    /// `None` when the verdict depends on a regex the caller could not run.
    pub head: Option<ResponseHead>,
}

impl Policy {
    /// What the backend answers a preflight (see the module's documentation).
    pub fn answer_preflight(
        &self,
        origin: Option<&str>,
        method: &str,
        request_headers: Option<&str>,
        regex: RegexVerdict,
    ) -> Answer {
        let verdict = self.preflight_verdict(origin, method, request_headers, regex);
        let head = self.preflight_head(&verdict, origin, request_headers);
        Answer { verdict, head }
    }

    /// The head of the answer to a preflight judged `verdict`; `None` when the
    /// verdict depends on a regex the caller could not run.
    pub fn preflight_head(
        &self,
        verdict: &Verdict,
        origin: Option<&str>,
        request_headers: Option<&str>,
    ) -> Option<ResponseHead> {
        let lists = |allowed| self.allowed_lists(origin.unwrap_or("*"), request_headers, allowed);
        match verdict {
            Verdict::DependsOnRegex { .. } => None,
            Verdict::Refused(Rejection::Origin { .. } | Rejection::Malformed { .. }) => {
                Some(ResponseHead::new(400))
            }
            Verdict::Refused(_) => Some(lists(false)),
            Verdict::Allowed => Some(lists(true)),
        }
    }

    /// What the backend answers an actual request from `origin` (`None`: no
    /// `Origin`, not a CORS request) whose route answered `status`.
    pub fn answer_request(&self, origin: Option<&str>, status: u16, regex: RegexVerdict) -> Answer {
        let Some(origin) = origin else {
            // Not a CORS request: no CORS header at all.
            return Answer {
                verdict: Verdict::Allowed,
                head: Some(ResponseHead::new(status)),
            };
        };
        let verdict = self.origin_verdict(origin, regex);
        let head = match &verdict {
            Verdict::DependsOnRegex { .. } => None,
            Verdict::Refused(_) => Some(ResponseHead::new(status).with("Vary", PREFLIGHT_VARY)),
            Verdict::Allowed => {
                let mut head = self.granted(status, origin);
                if !self.expose_headers.is_empty() {
                    head = head.with(
                        "Access-Control-Expose-Headers",
                        self.expose_headers.join(", "),
                    );
                }
                Some(head.with("Vary", PREFLIGHT_VARY))
            }
        };
        Answer { verdict, head }
    }

    /// `status` with what lets `origin` read it: `Access-Control-Allow-Origin` (`*`
    /// for `allow_origins = ["*"]`, else the origin itself) and, if the policy
    /// gives it, credentials consent.
    fn granted(&self, status: u16, origin: &str) -> ResponseHead {
        let allow_origin = match self.allow_origins {
            AllowOrigins::Any => "*",
            AllowOrigins::List(_) => origin,
        };
        let head = ResponseHead::new(status).with("Access-Control-Allow-Origin", allow_origin);
        match self.allow_credentials {
            true => head.with("Access-Control-Allow-Credentials", "true"),
            false => head,
        }
    }

    fn allowed_lists(
        &self,
        origin: &str,
        request_headers: Option<&str>,
        allowed: bool,
    ) -> ResponseHead {
        let mut head = self.granted(200, origin).with(
            "Access-Control-Allow-Methods",
            self.allow_methods.join(", "),
        );
        let headers = match &self.allow_headers {
            // A wildcard policy echoes what was asked for, less what it refuses.
            AllowHeaders::Any { .. } => super::parse_request_headers(request_headers.unwrap_or(""))
                .unwrap_or_default()
                .into_iter()
                .filter(|name| self.allows_request_header(name))
                .collect(),
            AllowHeaders::List(list) => list.clone(),
        };
        if !headers.is_empty() {
            head = head.with("Access-Control-Allow-Headers", headers.join(", "));
        }
        if allowed {
            head = head.with("Access-Control-Max-Age", self.max_age.to_string());
        }
        head.with("Vary", PREFLIGHT_VARY)
    }
}
