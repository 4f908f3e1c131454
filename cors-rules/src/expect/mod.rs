//! Before anything is sent: what will happen to this request under this policy?
//!
//! The three halves of the crate put together. The prediction says what the browser
//! sends ([`crate::fetch::predict`]); the policy says what this backend answers
//! ([`crate::policy::answer`]); the browser's checks say whether the page may read
//! the result ([`crate::browser`]). The lab shows this on every card before the
//! Run button is pressed, then compares it with what really happened.

use crate::browser::{check_preflight, check_response, CorsRequest, Failure};
use crate::fetch::{Credentials, Prediction};
use crate::policy::{ConfigKey, Policy, RegexVerdict, Rejection, Verdict};

/// What a request's run will come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// The page will be able to read the answer.
    Readable,
    /// The browser will block it, with this failure.
    Blocked {
        failure: Failure,
        /// The policy's own refusal behind it, when it refused.
        rejection: Option<Rejection>,
        /// The policy key to change to allow it, if one can.
        key: Option<ConfigKey>,
    },
    /// Only `allow_origin_regex` could allow the origin, and the caller cannot run it.
    Unknown { regex: String },
}

impl Expectation {
    /// `allowed`, `blocked` or `unknown`: the lab's `data-expected` values.
    pub fn label(&self) -> &'static str {
        match self {
            Expectation::Readable => "allowed",
            Expectation::Blocked { .. } => "blocked",
            Expectation::Unknown { .. } => "unknown",
        }
    }
}

/// What happens when a page on `origin` sends the request `prediction` describes,
/// with `credentials`, to a backend enforcing `policy`.
pub fn expect(
    policy: &Policy,
    origin: &str,
    prediction: &Prediction,
    credentials: Credentials,
    regex: RegexVerdict,
) -> Expectation {
    if !prediction.cross_origin {
        return Expectation::Readable;
    }
    let request = CorsRequest::from_prediction(origin, prediction, credentials);
    let blocked = |failure: Failure, verdict: &Verdict| {
        let rejection = match verdict {
            Verdict::Refused(rejection) => Some(rejection.clone()),
            _ => None,
        };
        let key = rejection
            .as_ref()
            .and_then(Rejection::config_key)
            .or_else(|| key_for(&failure));
        Expectation::Blocked {
            failure,
            rejection,
            key,
        }
    };
    if prediction.preflight {
        let acrh = prediction.request_headers_value();
        let answer = policy.answer_preflight(
            Some(origin),
            &prediction.method,
            (!acrh.is_empty()).then_some(acrh.as_str()),
            regex,
        );
        let Some(head) = answer.head else {
            return unknown(&answer.verdict);
        };
        if let Err(failure) = check_preflight(&request, &head) {
            return blocked(failure, &answer.verdict);
        }
    }
    let answer = policy.answer_request(Some(origin), 200, regex);
    let Some(head) = answer.head else {
        return unknown(&answer.verdict);
    };
    match check_response(&request, &head) {
        Ok(()) => Expectation::Readable,
        Err(failure) => blocked(failure, &answer.verdict),
    }
}

fn unknown(verdict: &Verdict) -> Expectation {
    match verdict {
        Verdict::DependsOnRegex { regex } => Expectation::Unknown {
            regex: regex.clone(),
        },
        _ => Expectation::Unknown {
            regex: String::new(),
        },
    }
}

/// The key that lifts a failure the policy did not itself refuse (the browser's
/// credential rules), or that the browser named itself.
pub fn key_for(failure: &Failure) -> Option<ConfigKey> {
    use crate::browser::CorsError::*;
    match failure.cors_error {
        MissingAllowOriginHeader
        | PreflightMissingAllowOriginHeader
        | AllowOriginMismatch
        | PreflightAllowOriginMismatch
        | WildcardOriginNotAllowed
        | PreflightWildcardOriginNotAllowed => Some(ConfigKey::AllowOrigins),
        InvalidAllowCredentials | PreflightInvalidAllowCredentials => {
            Some(ConfigKey::AllowCredentials)
        }
        MethodDisallowedByPreflightResponse => Some(ConfigKey::AllowMethods),
        HeaderDisallowedByPreflightResponse => Some(ConfigKey::AllowHeaders),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
