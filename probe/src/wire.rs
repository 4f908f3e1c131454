//! Sending requests and reading answers, as a browser's network stack hands them to
//! its CORS checks.
//!
//! Two things differ from an ordinary HTTP client on purpose:
//!
//! - the client follows no redirect itself: a browser never follows one for a
//!   preflight, and for the request [`crate::check`] follows each hop the way the
//!   browser does, judging every answer on the way;
//! - no cookie jar: the probe has no session, so `--credentials include` changes
//!   which checks run, not what is sent.
//!
//! When there is no answer at all, the failure is named as Chromium names it
//! ([`NetError`]): a refused connection or an empty response is not a CORS problem,
//! and saying so is half the diagnosis.

use std::error::Error as _;
use std::time::Duration;

use cors_rules::browser::NetError;
use cors_rules::fetch::headers::is_cors_response_header;
use cors_rules::ResponseHead;
use reqwest::{Client, Method, Url};

/// One request as sent: method, URL, the header lines, and a body if any.
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// Why no answer came back.
#[derive(Debug, Clone)]
pub struct NoAnswer {
    /// Chromium's name for it, when it is one Chromium names.
    pub net_error: Option<NetError>,
    /// The cause, in the HTTP client's words (the whole chain of causes).
    pub cause: String,
}

impl NoAnswer {
    /// One line for the terminal.
    pub fn describe(&self) -> String {
        match self.net_error {
            Some(net) => format!("{} ({}). {}", net.console_line(), self.cause, net.why()),
            None => format!("network failure: {}", self.cause),
        }
    }
}

/// An HTTP client that behaves as described above.
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .user_agent(concat!("cors-probe/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a client with rustls and no redirects can always be built")
}

/// Sends `sent` and returns the answer's status and headers.
pub async fn send(client: &Client, sent: &Sent) -> Result<ResponseHead, NoAnswer> {
    let method = Method::from_bytes(sent.method.as_bytes()).map_err(|_| NoAnswer {
        net_error: None,
        cause: format!("`{}` is not a valid HTTP method", sent.method),
    })?;
    let mut builder = client.request(method, sent.url.clone());
    for (name, value) in &sent.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &sent.body {
        builder = builder.body(body.clone());
    }
    let response = builder.send().await.map_err(classify)?;
    let mut head = ResponseHead::new(response.status().as_u16());
    for (name, value) in response.headers() {
        head.headers
            .push((name.as_str().to_string(), decode(value.as_bytes())));
    }
    Ok(head)
}

/// A header value's bytes as text. Valid UTF-8 reads as UTF-8. Any other byte reads
/// as the character of the same number, as Fetch's "isomorphic decode" reads every
/// byte. So a raw 0x9B, a C1 control byte, stays that control, and
/// [`crate::terminal`] escapes it like the rest instead of hiding it behind U+FFFD.
fn decode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let invalid = error.error_len().unwrap_or(after.len());
                text.extend(after[..invalid].iter().map(|&byte| char::from(byte)));
                rest = &after[invalid..];
            }
        }
    }
}

/// Names a client error as Chromium would, from the chain of its causes.
fn classify(error: reqwest::Error) -> NoAnswer {
    // The URL is the user's own: leave it out, so only the causes are searched.
    let error = error.without_url();
    let mut causes = vec![error.to_string()];
    let mut refused = false;
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        causes.push(cause.to_string());
        source = cause.source();
    }
    causes.dedup();
    let mut cause = causes.join(": ");
    // rustls' words when the handshake fails: a plain-HTTP port, a bad certificate.
    let tls = ["corrupt message", "certificate", "handshake", "tls"]
        .iter()
        .any(|word| cause.to_ascii_lowercase().contains(word));
    // hyper's words for a connection closed before any byte of an answer.
    let empty = cause.contains("connection closed before message completed");
    if tls && !refused && !empty {
        cause = format!(
            "TLS handshake failed (a plain-HTTP server on that port, or a certificate this \
             machine does not trust): {cause}"
        );
    }
    let net_error = if refused {
        Some(NetError::ConnectionRefused)
    } else if empty {
        Some(NetError::EmptyResponse)
    } else {
        None
    };
    NoAnswer { net_error, cause }
}

/// The response headers CORS looks at (and `Vary`, which caches look at), in order.
pub fn cors_headers(head: &ResponseHead) -> Vec<(String, String)> {
    head.headers
        .iter()
        .filter(|(name, _)| {
            is_cors_response_header(name)
                || name.eq_ignore_ascii_case("vary")
                || name.eq_ignore_ascii_case("location")
        })
        .cloned()
        .collect()
}

/// `200 OK`, `308 Permanent Redirect`: the status line's code and reason.
pub fn status_line(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or("");
    format!("{status} {reason}").trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn bytes_that_are_not_utf8_read_as_the_characters_of_the_same_number() {
        let cases: [(&[u8], &str, &str); 4] = [
            (b"http://a.example", "http://a.example", "ASCII"),
            ("caf\u{e9}".as_bytes(), "caf\u{e9}", "UTF-8 stays UTF-8"),
            (b"a\x9bb", "a\u{9b}b", "a raw C1 byte stays a C1 control"),
            (b"caf\xe9!", "caf\u{e9}!", "a Latin-1 byte reads as Latin-1"),
        ];
        for (bytes, text, what) in cases {
            assert_eq!(decode(bytes), text, "{what}");
        }
    }
}
