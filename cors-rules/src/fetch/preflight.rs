//! Will the browser send a preflight? The Fetch Standard's rules, in Rust.
//!
//! A cross-origin request is sent straight away ("simple") only when all of
//! these hold; otherwise the browser first asks the server with an `OPTIONS`
//! preflight whether it may send it:
//!
//! 1. the method is **GET, HEAD or POST** (after the browser upper-cases the
//!    six standard names it knows — `patch` stays `patch`!);
//! 2. every header the page sets is **CORS-safelisted**: `Accept`,
//!    `Accept-Language`, `Content-Language`, `Content-Type` and `Range`, each
//!    only with a harmless value (no odd bytes, at most 128 bytes, and the
//!    safelisted ones together at most 1024 bytes);
//! 3. a `Content-Type`, if set, is one an HTML form could send:
//!    `application/x-www-form-urlencoded`, `multipart/form-data` or
//!    `text/plain`. That is why a JSON `POST` is preflighted: a plain form could
//!    never have sent `application/json`, so old servers never had to expect it
//!    from another site. A `Blob` body sends its own `type` as `Content-Type`, so a
//!    `Blob` of type `application/json` is preflighted too.
//!
//! A `ReadableStream` body is always preflighted, says the standard. In practice
//! only Chromium can upload a stream, and no engine does it over HTTP/1.1, which is
//! what the lab serves. This crate does not model stream bodies.
//!
//! Why these rules: anything a 1990s `<form>` or `<img>` could already send
//! across origins is not new danger, so it goes without asking. Anything more
//! (PUT, DELETE, custom headers, JSON) could surprise a server written before
//! CORS existed, so the browser asks first.
//!
//! The headers that are not safelisted are exactly what the preflight lists in
//! `Access-Control-Request-Headers`: lower-cased, sorted, de-duplicated and
//! joined with `,`.

use super::headers::{
    is_forbidden_request_header, safelist_verdict, HeaderReason, MAX_SAFELISTED_TOTAL_LEN,
};
use super::methods::{is_forbidden_method, is_safelisted_method, normalize_method};
use super::request::{Credentials, Request};
use super::tokens::is_token_byte;

/// One reason the browser will preflight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The method is not GET, HEAD or POST.
    Method { method: String },
    /// A header the page sets is not CORS-safelisted.
    Header { name: String, why: HeaderReason },
}

impl Reason {
    /// The reason as a sentence for the page.
    pub fn explain(&self) -> String {
        match self {
            Reason::Method { method } => {
                format!("method {method} is not GET, HEAD or POST, so the browser must ask first")
            }
            Reason::Header { name, why } => match why {
                HeaderReason::NotSafelisted => format!(
                    "header {name} is not CORS-safelisted (only Accept, Accept-Language, \
                     Content-Language, Content-Type and Range can be)"
                ),
                HeaderReason::ContentType { essence } => format!(
                    "Content-Type {essence} is not one a plain HTML form could send \
                     (form-urlencoded, multipart/form-data, text/plain)"
                ),
                HeaderReason::UnsafeValue { detail } => {
                    format!("header {name} has a value the browser will not trust: {detail}")
                }
                HeaderReason::TooMuchInTotal => format!(
                    "header {name} counts as unsafe because the safelisted headers together \
                     exceed 1024 bytes"
                ),
            },
        }
    }
}

/// Something the browser does with the request that is worth knowing but does
/// not decide the preflight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The page set a header it may not set; the browser drops it silently.
    ForbiddenHeaderDropped { name: String },
    /// `fetch()` throws before sending anything.
    ForbiddenMethod { method: String },
    /// A text body without `Content-Type` goes out as `text/plain;charset=UTF-8`.
    DefaultTextContentType,
    /// The browser upper-cased the method.
    MethodNormalized { from: String, to: String },
    /// A method the browser does not upper-case, written in lower case.
    MethodCaseKept { method: String },
    /// Cookies may go along (if their `SameSite` rule lets them), so the page reads
    /// the answer only with `Access-Control-Allow-Credentials: true`.
    CredentialsIncluded,
}

impl Note {
    /// The note as a sentence for the page.
    pub fn explain(&self) -> String {
        match self {
            Note::ForbiddenHeaderDropped { name } => format!(
                "{name} is a forbidden header: the browser drops it silently, a page can never set it"
            ),
            Note::ForbiddenMethod { method } => {
                format!("{method} is a forbidden method: fetch() throws without sending anything")
            }
            Note::DefaultTextContentType => "a text body without Content-Type is sent as \
                 text/plain;charset=UTF-8, which is safelisted"
                .to_string(),
            Note::MethodNormalized { from, to } => {
                format!("the browser upper-cases {from} to {to}")
            }
            Note::MethodCaseKept { method } => format!(
                "the browser sends {method} as written: only DELETE, GET, HEAD, OPTIONS, POST \
                 and PUT are upper-cased, and servers compare methods case-sensitively"
            ),
            Note::CredentialsIncluded => "credentials: \"include\" does not cause a preflight. \
                 For the page to read the answer, the server must send \
                 Access-Control-Allow-Credentials: true and the exact origin, never *"
                .to_string(),
        }
    }
}

/// What the browser will do with a planned request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    /// The API is on another origin than the page: CORS applies at all.
    pub cross_origin: bool,
    /// The method as the browser will send it.
    pub method: String,
    /// Whether an `OPTIONS` preflight goes first.
    pub preflight: bool,
    /// Why it is preflighted; empty for a simple request.
    pub reasons: Vec<Reason>,
    /// The value of `Access-Control-Request-Headers` the preflight will carry
    /// (lower-cased, sorted, de-duplicated names); empty when there are none.
    pub request_headers: Vec<String>,
    /// Side remarks (dropped headers, credentials, …).
    pub notes: Vec<Note>,
}

impl Prediction {
    /// `Access-Control-Request-Headers` as the browser writes it.
    pub fn request_headers_value(&self) -> String {
        self.request_headers.join(",")
    }

    /// One line for the card: will it be preflighted and why.
    pub fn summary(&self) -> String {
        if !self.cross_origin {
            return "Same origin: CORS does not apply, no preflight.".to_string();
        }
        if self
            .notes
            .iter()
            .any(|n| matches!(n, Note::ForbiddenMethod { .. }))
        {
            return "Nothing is sent: fetch() refuses this method.".to_string();
        }
        if !self.preflight {
            return "No preflight: a simple request (safelisted method, headers and content type)."
                .to_string();
        }
        let reasons: Vec<String> = self.reasons.iter().map(Reason::explain).collect();
        format!("Preflight first: {}.", reasons.join("; "))
    }
}

/// Predicts whether the browser preflights `request` sent from a page on
/// another origin (`cross_origin`) or on the API's own origin.
pub fn predict(request: &Request, cross_origin: bool) -> Prediction {
    let method = normalize_method(&request.method);
    let mut notes = Vec::new();
    if method != request.method {
        notes.push(Note::MethodNormalized {
            from: request.method.clone(),
            to: method.clone(),
        });
    } else if method.bytes().any(|b| b.is_ascii_lowercase()) && method.bytes().all(is_token_byte) {
        notes.push(Note::MethodCaseKept {
            method: method.clone(),
        });
    }
    if is_forbidden_method(&method) {
        notes.push(Note::ForbiddenMethod {
            method: method.clone(),
        });
    }

    let mut reasons = Vec::new();
    if !is_safelisted_method(&method) {
        reasons.push(Reason::Method {
            method: method.clone(),
        });
    }

    // Headers the browser will actually send (forbidden ones are dropped).
    let mut sent: Vec<(&str, &str)> = Vec::new();
    for (name, value) in &request.headers {
        if is_forbidden_request_header(name) {
            notes.push(Note::ForbiddenHeaderDropped { name: name.clone() });
        } else {
            sent.push((name, value));
        }
    }
    let has_content_type = sent
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    if request.body.is_some() && !has_content_type {
        notes.push(Note::DefaultTextContentType);
    }

    let mut header_reasons = Vec::new();
    let mut safelisted_bytes = 0usize;
    let mut safelisted_names = Vec::new();
    for (name, value) in &sent {
        match safelist_verdict(name, value) {
            Some(why) => header_reasons.push(Reason::Header {
                name: name.to_string(),
                why,
            }),
            None => {
                safelisted_bytes += value.len();
                safelisted_names.push(name.to_string());
            }
        }
    }
    if safelisted_bytes > MAX_SAFELISTED_TOTAL_LEN {
        for name in safelisted_names {
            header_reasons.push(Reason::Header {
                name,
                why: HeaderReason::TooMuchInTotal,
            });
        }
    }
    let mut request_headers: Vec<String> = header_reasons
        .iter()
        .filter_map(|reason| match reason {
            Reason::Header { name, .. } => Some(name.to_ascii_lowercase()),
            Reason::Method { .. } => None,
        })
        .collect();
    request_headers.sort();
    request_headers.dedup();
    reasons.extend(header_reasons);

    if request.credentials == Credentials::Include {
        notes.push(Note::CredentialsIncluded);
    }

    Prediction {
        cross_origin,
        preflight: cross_origin && !reasons.is_empty(),
        method,
        reasons: if cross_origin { reasons } else { Vec::new() },
        request_headers: if cross_origin {
            request_headers
        } else {
            Vec::new()
        },
        notes,
    }
}

#[cfg(test)]
mod tests;
