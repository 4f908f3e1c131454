use super::*;

fn get(path: &str) -> Request {
    Request::new("GET", path)
}

#[test]
fn a_cross_origin_request_is_preflighted_exactly_when_the_fetch_rules_say_so() {
    let long = "a".repeat(129);
    let cases: Vec<(&str, Request, bool, &str)> = vec![
        ("plain GET", get("/api/items"), false, ""),
        ("HEAD", Request::new("HEAD", "/"), false, ""),
        (
            "POST without body",
            Request::new("POST", "/api/login"),
            false,
            "",
        ),
        (
            "POST with a text body and no Content-Type",
            Request {
                body: Some("hi".into()),
                ..Request::new("POST", "/x")
            },
            false,
            "",
        ),
        (
            "POST as a form",
            Request::new("POST", "/x").header("Content-Type", "application/x-www-form-urlencoded"),
            false,
            "",
        ),
        (
            "text/plain with a charset",
            Request::new("POST", "/x").header("content-type", "Text/Plain; charset=utf-8"),
            false,
            "",
        ),
        (
            "POST JSON",
            Request::new("POST", "/api/items").json("{}"),
            true,
            "content-type",
        ),
        ("PUT", Request::new("PUT", "/api/items/1"), true, ""),
        ("DELETE", Request::new("delete", "/api/items/1"), true, ""),
        ("PATCH", Request::new("PATCH", "/api/items/1"), true, ""),
        (
            "custom header",
            get("/api/trace").header("X-Request-Id", "7"),
            true,
            "x-request-id",
        ),
        (
            "Authorization",
            get("/api/protected").header("Authorization", "Bearer wrong"),
            true,
            "authorization",
        ),
        (
            "Accept with a safe value",
            get("/").header("Accept", "application/json"),
            false,
            "",
        ),
        (
            "Accept with an unsafe byte",
            get("/").header("Accept", "text/html(x)"),
            true,
            "accept",
        ),
        (
            "Accept longer than 128 bytes",
            get("/").header("Accept", &long),
            true,
            "accept",
        ),
        (
            "Accept-Language with a slash",
            get("/").header("Accept-Language", "en/us"),
            true,
            "accept-language",
        ),
        (
            "Range single",
            get("/").header("Range", "bytes=0-99"),
            false,
            "",
        ),
        (
            "Range multiple",
            get("/").header("Range", "bytes=0-1,5-6"),
            true,
            "range",
        ),
        (
            "several unsafe headers are sorted and de-duplicated",
            get("/")
                .header("X-Zed", "1")
                .header("x-alpha", "1")
                .header("X-ZED", "2"),
            true,
            "x-alpha,x-zed",
        ),
        (
            "a forbidden header is dropped, not preflighted",
            get("/").header("Cookie", "a=b"),
            false,
            "",
        ),
        (
            "credentials alone do not preflight",
            get("/api/whoami").credentials(Credentials::Include),
            false,
            "",
        ),
    ];
    for (why, request, preflight, acrh) in cases {
        let prediction = predict(&request, true);
        assert_eq!(
            prediction.preflight, preflight,
            "{why}: wrong preflight verdict"
        );
        assert_eq!(
            prediction.request_headers_value(),
            acrh,
            "{why}: wrong ACRH"
        );
    }
}

#[test]
fn safelisted_headers_over_1024_bytes_in_total_all_become_unsafe() {
    let value = "a".repeat(100);
    let mut request = get("/");
    for _ in 0..11 {
        request = request.header("Accept-Language", &value);
    }
    let prediction = predict(&request, true);
    assert!(
        prediction.preflight,
        "1100 bytes of safelisted values must preflight"
    );
    assert_eq!(prediction.request_headers_value(), "accept-language");
}

#[test]
fn a_same_origin_request_is_never_preflighted() {
    let prediction = predict(&Request::new("PUT", "/api/items/1").json("{}"), false);
    assert!(
        !prediction.preflight,
        "CORS does not apply on the same origin"
    );
    assert!(prediction.reasons.is_empty(), "no reasons are listed");
    assert!(prediction.summary().starts_with("Same origin"));
}

#[test]
fn a_lower_case_patch_gets_a_warning_that_it_stays_lower_case() {
    let prediction = predict(&Request::new("patch", "/"), true);
    assert!(
        prediction.notes.contains(&Note::MethodCaseKept {
            method: "patch".into()
        }),
        "a lower-case patch gets a warning that it stays lower case"
    );
}

#[test]
fn the_reasons_name_what_causes_the_preflight() {
    let cases = [
        (Request::new("POST", "/").json("{}"), "application/json"),
        (Request::new("PUT", "/"), "method PUT"),
        (
            get("/").header("X-Debug", "1"),
            "X-Debug is not CORS-safelisted",
        ),
    ];
    for (request, fragment) in cases {
        let summary = predict(&request, true).summary();
        assert!(
            summary.contains(fragment),
            "`{summary}` should mention `{fragment}`"
        );
    }
}

#[test]
fn forbidden_methods_and_headers_are_called_out() {
    let trace = predict(&Request::new("trace", "/"), true);
    assert!(trace.summary().contains("refuses"), "TRACE is never sent");
    let host = predict(
        &get("/").header("Host", "x").header("Sec-Fetch-Mode", "y"),
        true,
    );
    assert_eq!(
        host.notes
            .iter()
            .filter(|n| matches!(n, Note::ForbiddenHeaderDropped { .. }))
            .count(),
        2,
        "Host and Sec-* are dropped"
    );
}
