//! The part of an HTTP response that CORS looks at: its status and its headers.

use serde::{Deserialize, Serialize};

use crate::fetch::headers::is_cors_response_header;

/// A response's status and headers, as a browser receives them.
///
/// Headers keep their order and may repeat (two `Access-Control-Allow-Origin`
/// lines, say); names compare case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseHead {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

impl ResponseHead {
    /// A response with `status` and no headers yet.
    pub fn new(status: u16) -> ResponseHead {
        ResponseHead {
            status,
            headers: Vec::new(),
        }
    }

    /// A response with `status` and these header lines, in order.
    pub fn with_headers(status: u16, headers: &[(&str, &str)]) -> ResponseHead {
        headers
            .iter()
            .fold(ResponseHead::new(status), |head, (name, value)| {
                head.with(name, *value)
            })
    }

    /// Adds a header line.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> ResponseHead {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The value of header `name`, as a browser's network stack hands it on: several
    /// lines of the same name are joined with `", "`, as HTTP says they may be.
    pub fn get(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// Whether any `Access-Control-*` header is present.
    pub fn has_cors_headers(&self) -> bool {
        self.headers
            .iter()
            .any(|(name, _)| is_cors_response_header(name))
    }

    /// 200 to 299: the only statuses a preflight may be answered with.
    pub fn is_ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// 300 to 399: a redirect.
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }
}

/// The items of a comma-separated header value, trimmed, empty items skipped.
pub fn list_items(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(|item| item.trim_matches([' ', '\t']))
        .filter(|item| !item.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_header_lines_read_as_one_comma_joined_value() {
        let head = ResponseHead::new(200)
            .with("Access-Control-Allow-Origin", "http://a.example")
            .with("access-control-allow-origin", "http://b.example");
        assert_eq!(
            head.get("access-control-allow-origin").as_deref(),
            Some("http://a.example, http://b.example"),
            "two lines are one list, whatever the case of their names"
        );
        assert_eq!(head.get("vary"), None, "an absent header is None");
    }
}
