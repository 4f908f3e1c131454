use super::*;

#[test]
fn the_origin_of_a_url_is_what_a_browser_would_send() {
    let cases = [
        (
            "http://localhost:8000",
            "http://localhost:8000",
            "already an origin",
        ),
        (
            "http://localhost:80",
            "http://localhost",
            "the default port goes",
        ),
        (
            "https://api.example:443/x",
            "https://api.example",
            "https's default",
        ),
        (
            "HTTP://LocalHost:8000/x",
            "http://localhost:8000",
            "lower case, no path",
        ),
        (
            "http://[::1]:8000?q#f",
            "http://[::1]:8000",
            "no query, no fragment",
        ),
        (
            "https://app.example:8443/",
            "https://app.example:8443",
            "other ports stay",
        ),
    ];
    for (url, origin, why) in cases {
        let found = origin_of_url(url).map(|origin| origin.to_string());
        assert_eq!(found.as_deref(), Ok(origin), "{why}: {url}");
    }
}

#[test]
fn a_url_without_an_origin_gives_the_problem() {
    let cases = [
        ("localhost:8000", "no scheme"),
        ("http://user@localhost", "a user name"),
        ("http://localhost:99999", "a port above 65535"),
        ("file:///tmp/x", "an opaque origin"),
    ];
    for (url, why) in cases {
        assert!(origin_of_url(url).is_err(), "{why}: {url}");
    }
}
