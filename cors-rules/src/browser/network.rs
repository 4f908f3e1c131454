//! Failures below CORS: the request never got an answer to check.
//!
//! A server that is down, or one that drops the connection, gives the page the very
//! same `TypeError` as a CORS refusal ("Failed to fetch" in Chromium): the page
//! cannot tell them apart, on purpose. Chromium's console can. It prints no "blocked
//! by CORS policy" line at all, only the network error, and DevTools reports no
//! `corsErrorStatus`. Firefox is less clear: it prints its "CORS request did not
//! succeed" line even then. WebKit prints nothing for a dropped connection.
//! "Is it CORS?" starts with this question: was there an answer?

use std::fmt;

use serde::{Deserialize, Serialize};

/// A network error, by Chromium's name for it (`net::ERR_…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NetError {
    /// Nothing listens on the port: the server is down.
    ConnectionRefused,
    /// The server accepted the connection and closed it without a byte of answer:
    /// a crash, a proxy that gave up, a process killed mid-request.
    EmptyResponse,
}

impl NetError {
    /// Chromium's name, e.g. `net::ERR_EMPTY_RESPONSE`.
    pub fn as_str(self) -> &'static str {
        match self {
            NetError::ConnectionRefused => "net::ERR_CONNECTION_REFUSED",
            NetError::EmptyResponse => "net::ERR_EMPTY_RESPONSE",
        }
    }

    /// The line Chromium logs for it, for the request's URL (the console's log
    /// entry, as `chromedriver` and the DevTools protocol hand it out; the DevTools
    /// window renders the same entry as `GET <url> net::ERR_…`).
    pub fn console_line(self) -> String {
        format!("Failed to load resource: {}", self.as_str())
    }

    /// Why this is not a CORS failure, in a sentence.
    pub fn why(self) -> &'static str {
        match self {
            NetError::ConnectionRefused => {
                "Nothing answered on that port, so there was no response for CORS to check: \
                 start the server (or fix the URL) before looking at CORS."
            }
            NetError::EmptyResponse => {
                "The server closed the connection without answering, so there was no response \
                 for CORS to check: look at the server's logs for a crash, not at CORS."
            }
        }
    }
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_error_prints_chromiums_failed_to_load_line() {
        let cases = [
            (
                NetError::ConnectionRefused,
                "Failed to load resource: net::ERR_CONNECTION_REFUSED",
                "the down server's line",
            ),
            (
                NetError::EmptyResponse,
                "Failed to load resource: net::ERR_EMPTY_RESPONSE",
                "the dropped connection's line",
            ),
        ];
        for (error, line, what) in cases {
            assert_eq!(error.console_line(), line, "{what}");
        }
    }
}
