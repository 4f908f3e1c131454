//! Methods: which ones a browser upper-cases, refuses, or sends without asking.

/// Methods that never need a preflight: an HTML form could always send them.
pub const SAFELISTED_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// Methods `fetch()` refuses to send at all: it throws before anything leaves.
pub const FORBIDDEN_METHODS: [&str; 3] = ["CONNECT", "TRACE", "TRACK"];

/// The six names a browser upper-cases (`fetch(url, {method: "delete"})` sends
/// `DELETE`). Every other method is sent exactly as written, so `patch` stays `patch`,
/// and servers compare methods case-sensitively.
pub const NORMALIZED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// The method as the browser sends it.
pub fn normalize_method(method: &str) -> String {
    NORMALIZED_METHODS
        .iter()
        .find(|known| known.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_string(), |known| known.to_string())
}

/// Whether `fetch()` refuses the method outright (compared case-insensitively).
pub fn is_forbidden_method(method: &str) -> bool {
    FORBIDDEN_METHODS
        .iter()
        .any(|forbidden| forbidden.eq_ignore_ascii_case(method))
}

/// Whether the method (as sent) needs no preflight.
pub fn is_safelisted_method(method: &str) -> bool {
    SAFELISTED_METHODS.contains(&method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_upper_cases_only_the_six_methods_it_knows() {
        let cases = [
            ("get", "GET"),
            ("Delete", "DELETE"),
            ("options", "OPTIONS"),
            ("patch", "patch"),
            ("PATCH", "PATCH"),
            ("Purge", "Purge"),
        ];
        for (typed, sent) in cases {
            assert_eq!(normalize_method(typed), sent, "method typed as {typed}");
        }
    }

    #[test]
    fn connect_trace_and_track_are_forbidden_in_any_case() {
        for (method, forbidden) in [
            ("trace", true),
            ("CONNECT", true),
            ("Track", true),
            ("PATCH", false),
        ] {
            assert_eq!(is_forbidden_method(method), forbidden, "{method}");
        }
    }
}
