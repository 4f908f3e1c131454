//! A `fetch()` call as a page writes it, before the browser touches it.
//!
//! The lab builds one of these for every scenario step and for its request builder,
//! the probe builds one from its command line; both hand it to the prediction
//! (what will the browser do?) and then send it for real. Keeping it as plain data
//! is what lets the prediction be tested without a browser.

use serde::{Deserialize, Serialize};

use super::tokens::is_token_byte;

/// The `credentials` mode of `fetch()`.
///
/// Why it matters for CORS: with `include`, the browser sends cookies to the
/// other origin (where the cookie's `SameSite` rule lets them go). In return it
/// lets the page read the answer only with `Access-Control-Allow-Credentials:
/// true` and an exact `Access-Control-Allow-Origin` (never `*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// Never send cookies, not even to the page's own origin.
    Omit,
    /// The default: cookies go to the page's own origin only, so a
    /// cross-origin call from the lab carries none.
    #[default]
    SameOrigin,
    /// Send cookies to the other origin too (and require the server's consent
    /// to read the answer).
    Include,
}

impl Credentials {
    /// The spelling `fetch()` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Credentials::Omit => "omit",
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        }
    }

    /// Reads the spelling `fetch()` uses; anything else is `None`.
    pub fn parse(text: &str) -> Option<Credentials> {
        match text {
            "omit" => Some(Credentials::Omit),
            "same-origin" => Some(Credentials::SameOrigin),
            "include" => Some(Credentials::Include),
            _ => None,
        }
    }
}

/// One `fetch()` call, as the page writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// As the page wrote it; the browser normalises it (see
    /// [`super::methods::normalize_method`]).
    pub method: String,
    /// Where it goes: a full URL, or a path and query on the API's origin
    /// (e.g. `/api/items`).
    pub url: String,
    /// Request headers the page sets itself, in order.
    pub headers: Vec<(String, String)>,
    /// A text body, if any.
    pub body: Option<String>,
    pub credentials: Credentials,
}

impl Request {
    /// A request with no headers, no body and the default credentials mode.
    pub fn new(method: &str, url: &str) -> Request {
        Request {
            method: method.to_string(),
            url: url.to_string(),
            headers: Vec::new(),
            body: None,
            credentials: Credentials::default(),
        }
    }

    /// Adds a request header.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds a JSON body together with its `Content-Type`, as a real client would.
    pub fn json(mut self, body: &str) -> Request {
        self.headers
            .push(("Content-Type".to_string(), "application/json".to_string()));
        self.body = Some(body.to_string());
        self
    }

    /// Sets the credentials mode.
    pub fn credentials(mut self, credentials: Credentials) -> Request {
        self.credentials = credentials;
        self
    }
}

/// Reads headers written one `Name: value` per line (the lab's header box, the
/// probe's `-H` options).
///
/// Blank lines are skipped. A line without a colon, or with an empty name, is
/// reported with its line number so that the page can say which line is wrong
/// instead of silently dropping it.
pub fn parse_header_lines(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut headers = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "line {}: `{line}` has no colon; write `Name: value`",
                index + 1
            ));
        };
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(format!(
                "line {}: `{name}` is not a valid header name",
                index + 1
            ));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_box_reads_one_header_per_line() {
        // (box text, headers or an error fragment, why)
        type Case<'a> = (&'a str, Result<Vec<(&'a str, &'a str)>, &'a str>, &'a str);
        let cases: [Case; 5] = [
            ("", Ok(vec![]), "an empty box means no headers"),
            (
                "X-Debug: 1\n\nAccept:  text/plain ",
                Ok(vec![("X-Debug", "1"), ("Accept", "text/plain")]),
                "blank lines are skipped and values trimmed",
            ),
            (
                "Authorization: Bearer a:b",
                Ok(vec![("Authorization", "Bearer a:b")]),
                "only the first colon separates name from value",
            ),
            (
                "X-Debug 1",
                Err("line 1"),
                "a line without a colon is an error",
            ),
            (
                "ok: 1\nbad name: 2",
                Err("line 2"),
                "a name with a space is an error",
            ),
        ];
        for (text, expected, why) in cases {
            let got = parse_header_lines(text);
            match expected {
                Ok(pairs) => {
                    let pairs: Vec<(String, String)> = pairs
                        .into_iter()
                        .map(|(n, v)| (n.to_string(), v.to_string()))
                        .collect();
                    assert_eq!(got, Ok(pairs), "{why}");
                }
                Err(fragment) => {
                    let error = got.expect_err(why);
                    assert!(error.contains(fragment), "{why}: got `{error}`");
                }
            }
        }
    }

    #[test]
    fn credentials_modes_round_trip_through_their_fetch_spelling() {
        for mode in [
            Credentials::Omit,
            Credentials::SameOrigin,
            Credentials::Include,
        ] {
            assert_eq!(Credentials::parse(mode.as_str()), Some(mode), "{mode:?}");
        }
        assert_eq!(Credentials::parse("all"), None, "unknown modes are refused");
    }
}
