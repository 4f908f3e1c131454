//! What the browser sends at each hop of a redirect chain: the preflight, the
//! request, and how a redirect rewrites it for the next hop.
//!
//! The rules are Fetch's ([`cors_rules::fetch::redirect`]); this file applies them to
//! real URLs. Between two hops the browser may turn the method into `GET` and drop
//! the body, drops `Authorization` when the hop changes origin, and, after a hop
//! onward from another origin, sends `Origin: null`.

use cors_rules::fetch::headers::NON_WILDCARD_REQUEST_HEADER;
use cors_rules::fetch::methods::normalize_method;
use cors_rules::fetch::redirect::{
    is_redirect_status, method_after, refusal, serialized_request_origin, RedirectError, Target,
    REQUEST_BODY_HEADER_NAMES,
};
use cors_rules::fetch::{Note, Prediction, Request};
use cors_rules::ResponseHead;
use reqwest::Url;

use crate::wire::Sent;

/// One hop: where the request goes now, and what it carries.
#[derive(Debug, Clone)]
pub struct Hop {
    /// How many redirects led here: 0 for the URL the page called.
    pub number: u8,
    pub url: Url,
    /// The request as the browser sends it at this hop.
    pub request: Request,
    /// The serialized origin of every URL so far, the first one included.
    url_origins: Vec<String>,
}

/// What comes after a hop's answer.
#[derive(Debug, Clone)]
pub enum Next {
    /// Not a redirect the browser follows: this answer is the page's.
    Final,
    /// A redirect the browser refuses to follow: a network error for the page.
    Refused {
        error: RedirectError,
        location: String,
    },
    /// A redirect the browser follows.
    Follow(Box<Hop>),
}

impl Hop {
    /// The URL the page called, with the request as the page wrote it.
    pub fn first(url: &Url, request: &Request) -> Hop {
        Hop {
            number: 0,
            url: url.clone(),
            request: request.clone(),
            url_origins: vec![url.origin().ascii_serialization()],
        }
    }

    /// Whether the request has been to another origin than the page's: from then
    /// on every answer must pass the CORS check ("response tainting" is `cors`).
    pub fn left_page(&self, page_origin: &str) -> bool {
        self.url_origins.iter().any(|origin| origin != page_origin)
    }

    /// The `Origin` the browser sends here: the page's, or `null` once tainted.
    pub fn origin(&self, page_origin: &str) -> String {
        serialized_request_origin(page_origin, &self.url_origins)
    }

    /// Whether a hop onward from another origin made the browser send `null`.
    pub fn tainted(&self, page_origin: &str) -> bool {
        page_origin != "null" && self.origin(page_origin) == "null"
    }

    /// What the browser does with `answer`, this hop's answer.
    pub fn next(&self, answer: &ResponseHead, page_origin: &str) -> Next {
        if !is_redirect_status(answer.status) {
            return Next::Final;
        }
        // A redirect status without a Location is an answer like any other.
        let Some(location) = answer.get("location") else {
            return Next::Final;
        };
        let parsed = self.url.join(&location).ok();
        let origin = parsed
            .as_ref()
            .map(|url| url.origin().ascii_serialization());
        let target = parsed
            .as_ref()
            .zip(origin.as_deref())
            .map(|(url, origin)| Target {
                scheme: url.scheme(),
                origin,
                has_credentials: !url.username().is_empty() || url.password().is_some(),
            });
        let refused = refusal(
            target,
            self.number,
            page_origin,
            self.left_page(page_origin),
        );
        let (Some(url), Some(origin), None) = (parsed, origin, refused) else {
            return Next::Refused {
                error: refused.unwrap_or(RedirectError::InvalidLocation),
                location,
            };
        };
        Next::Follow(Box::new(self.onward(answer.status, url, origin)))
    }

    /// The preflight as Chromium sends it: no cookies, no body, no page headers.
    pub fn preflight(&self, origin: &str, prediction: &Prediction) -> Sent {
        let mut headers = vec![
            ("Accept".to_string(), "*/*".to_string()),
            ("Origin".to_string(), origin.to_string()),
            (
                "Access-Control-Request-Method".to_string(),
                prediction.method.clone(),
            ),
        ];
        if !prediction.request_headers.is_empty() {
            headers.push((
                "Access-Control-Request-Headers".to_string(),
                prediction.request_headers_value(),
            ));
        }
        Sent {
            method: "OPTIONS".to_string(),
            url: self.url.clone(),
            headers,
            body: None,
        }
    }

    /// The request itself: the page's headers (minus the forbidden ones the browser
    /// drops), `Origin`, and the body with the Content-Type fetch() gives it.
    pub fn request_sent(&self, origin: &str, prediction: &Prediction) -> Sent {
        let dropped: Vec<&str> = prediction
            .notes
            .iter()
            .filter_map(|note| match note {
                Note::ForbiddenHeaderDropped { name } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let mut headers: Vec<(String, String)> = self
            .request
            .headers
            .iter()
            .filter(|(name, _)| !dropped.contains(&name.as_str()))
            .cloned()
            .collect();
        if prediction.notes.contains(&Note::DefaultTextContentType) {
            headers.push((
                "Content-Type".to_string(),
                "text/plain;charset=UTF-8".to_string(),
            ));
        }
        // Browsers send Origin on every cross-origin request, and on any non-GET/HEAD.
        if prediction.cross_origin || !matches!(prediction.method.as_str(), "GET" | "HEAD") {
            headers.insert(0, ("Origin".to_string(), origin.to_string()));
        }
        Sent {
            method: prediction.method.clone(),
            url: self.url.clone(),
            headers,
            body: self.request.body.clone(),
        }
    }

    /// The next hop, to `url`, after a redirect with `status`.
    fn onward(&self, status: u16, url: Url, origin: String) -> Hop {
        let mut request = self.request.clone();
        if let Some(method) = method_after(status, &normalize_method(&request.method)) {
            request.method = method.to_string();
            request.body = None;
            request.headers.retain(|(name, _)| {
                !REQUEST_BODY_HEADER_NAMES.contains(&name.to_ascii_lowercase().as_str())
            });
        }
        // The moment another origin is seen, Authorization is dropped.
        if origin != self.url.origin().ascii_serialization() {
            request
                .headers
                .retain(|(name, _)| !name.eq_ignore_ascii_case(NON_WILDCARD_REQUEST_HEADER));
        }
        request.url = url.to_string();
        let mut url_origins = self.url_origins.clone();
        url_origins.push(origin);
        Hop {
            number: self.number + 1,
            url,
            request,
            url_origins,
        }
    }
}
