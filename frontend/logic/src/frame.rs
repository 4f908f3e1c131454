//! The messages between the lab and its sandboxed frame (`null-origin.html`).
//!
//! A page cannot choose the `Origin` its requests carry. A document in an iframe
//! with `sandbox="allow-scripts"` (and no `allow-same-origin`) has an opaque
//! origin, which browsers serialize as `null`: that is how real pages come to send
//! `Origin: null`. The lab hands such a frame the request to make; the frame runs
//! `fetch()` and posts back what *it* saw. Both messages are JSON text, sent over a
//! `MessageChannel` port that only the lab and the frame hold.

use serde::{Deserialize, Serialize};

use crate::{PageSaw, PlannedRequest};

/// What the lab asks the frame to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameRequest {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// `omit`, `same-origin` or `include`, as `fetch()` spells it.
    pub credentials: String,
}

impl FrameRequest {
    /// The message for a fetch of `url` (the tagged exhibit URL) as `request` plans it.
    pub fn new(url: &str, request: &PlannedRequest) -> FrameRequest {
        FrameRequest {
            url: url.to_string(),
            method: request.method.clone(),
            headers: request.headers.clone(),
            body: request.body.clone(),
            credentials: request.credentials.as_str().to_string(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What the frame answers: the response it could read, or the error `fetch()`
/// rejected with. `origin` is the frame's own `self.origin` (`"null"`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FrameReply {
    pub origin: String,
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub error: Option<String>,
}

impl FrameReply {
    /// What the frame's page saw, from its reply's JSON text.
    pub fn page_saw(json: &str) -> PageSaw {
        match serde_json::from_str::<FrameReply>(json) {
            Ok(FrameReply {
                error: Some(message),
                ..
            }) => PageSaw::Failed { message },
            Ok(FrameReply {
                status: Some(status),
                headers,
                body,
                ..
            }) => PageSaw::Response {
                status,
                headers,
                body,
            },
            Ok(_) => PageSaw::Failed {
                message: "the sandboxed frame answered neither a status nor an error".into(),
            },
            Err(error) => PageSaw::Failed {
                message: format!("the sandboxed frame's answer is not JSON: {error}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    #[test]
    fn the_request_carries_what_fetch_needs_in_its_spelling() {
        let request = PlannedRequest::new("PUT", "/exhibits/x")
            .json("{}")
            .credentials(Credentials::Include);
        let message = FrameRequest::new("http://api.test/exhibits/x?lab_run=a-1", &request);
        let json: serde_json::Value =
            serde_json::from_str(&message.to_json()).expect("the message is JSON");
        let cases = [
            ("url", "http://api.test/exhibits/x?lab_run=a-1"),
            ("method", "PUT"),
            ("credentials", "include"),
            ("body", "{}"),
        ];
        for (field, value) in cases {
            assert_eq!(json[field], value, "field {field}");
        }
        assert_eq!(
            json["headers"][0],
            serde_json::json!(["Content-Type", "application/json"]),
            "headers as [name, value] pairs, as the frame's script builds a Headers from"
        );
    }

    #[test]
    fn the_reply_becomes_what_the_page_saw() {
        let cases = [
            (
                r#"{"origin":"null","status":200,"headers":[["content-type","text/plain"]],"body":"hi"}"#,
                PageSaw::Response {
                    status: 200,
                    headers: vec![("content-type".into(), "text/plain".into())],
                    body: "hi".into(),
                },
                "a readable response",
            ),
            (
                r#"{"origin":"null","error":"TypeError: Failed to fetch"}"#,
                PageSaw::Failed {
                    message: "TypeError: Failed to fetch".into(),
                },
                "a rejected fetch",
            ),
        ];
        for (json, saw, why) in cases {
            assert_eq!(FrameReply::page_saw(json), saw, "{why}");
        }
        for (json, fragment, why) in [
            ("{}", "neither a status nor an error", "an empty reply"),
            ("not json", "not JSON", "garbage"),
        ] {
            let saw = FrameReply::page_saw(json);
            assert!(
                matches!(&saw, PageSaw::Failed { message } if message.contains(fragment)),
                "{why}: {saw:?}"
            );
        }
    }
}
