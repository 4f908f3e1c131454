use super::*;
use crate::http::ResponseHead;

pub(crate) const LAB: &str = "http://localhost:5173";

/// The shipped development policy, as the validator normalises config/*.toml.
pub(crate) fn development() -> Policy {
    Policy {
        allow_origins: AllowOrigins::List(
            ["http://localhost:3000", LAB, "http://127.0.0.1:5173"]
                .map(String::from)
                .to_vec(),
        ),
        allow_origin_regex: None,
        allow_methods: ["GET", "POST", "PUT", "DELETE"].map(String::from).to_vec(),
        allow_headers: AllowHeaders::List(
            [
                "accept",
                "accept-language",
                "content-language",
                "content-type",
                "authorization",
                "x-request-id",
            ]
            .map(String::from)
            .to_vec(),
        ),
        allow_credentials: true,
        expose_headers: vec!["x-total-count".into()],
        max_age: DEFAULT_MAX_AGE,
    }
}

/// The shipped production policy.
pub(crate) fn production() -> Policy {
    Policy {
        allow_origins: AllowOrigins::List(vec!["https://app.example.com".into()]),
        ..development()
    }
}

#[test]
fn a_preflight_is_judged_origin_first_then_method_then_headers() {
    let policy = development();
    let no = RegexVerdict::DoesNotMatch;
    // (why, origin, method, ACRH, verdict)
    type Case = (
        &'static str,
        Option<&'static str>,
        &'static str,
        Option<&'static str>,
        Verdict,
    );
    let cases: Vec<Case> = vec![
        (
            "a listed origin and method",
            Some(LAB),
            "PUT",
            None,
            Verdict::Allowed,
        ),
        (
            "an always-allowed and a listed header",
            Some(LAB),
            "POST",
            Some("content-type,x-request-id"),
            Verdict::Allowed,
        ),
        (
            "an unlisted origin, whatever it asks",
            Some("http://evil.example"),
            "PATCH",
            Some("x-debug"),
            Verdict::Refused(Rejection::Origin {
                origin: "http://evil.example".into(),
            }),
        ),
        (
            "an unlisted method",
            Some(LAB),
            "PATCH",
            Some("x-debug"),
            Verdict::Refused(Rejection::Method {
                method: "PATCH".into(),
            }),
        ),
        (
            "methods compare case-sensitively",
            Some(LAB),
            "put",
            None,
            Verdict::Refused(Rejection::Method {
                method: "put".into(),
            }),
        ),
        (
            "unlisted headers, every one named",
            Some(LAB),
            "GET",
            Some("X-Debug, x-request-id, x-zed"),
            Verdict::Refused(Rejection::Headers {
                headers: vec!["x-debug".into(), "x-zed".into()],
            }),
        ),
        (
            "an empty header name",
            Some(LAB),
            "GET",
            Some("x-request-id,,"),
            Verdict::Refused(Rejection::Malformed {
                detail: "Access-Control-Request-Headers has an empty name".into(),
            }),
        ),
        (
            "no Origin at all",
            None,
            "GET",
            None,
            Verdict::Refused(Rejection::Malformed {
                detail: "the preflight has no Origin header".into(),
            }),
        ),
    ];
    for (why, origin, method, acrh, verdict) in cases {
        assert_eq!(
            policy.preflight_verdict(origin, method, acrh, no),
            verdict,
            "{why}"
        );
    }
}

#[test]
fn an_origin_left_to_the_regex_depends_on_what_the_caller_knows() {
    let mut policy = development();
    policy.allow_origins = AllowOrigins::List(vec![]);
    policy.allow_origin_regex = Some(r"http://localhost:\d+".into());
    let cases = [
        (RegexVerdict::Matches, "allowed"),
        (RegexVerdict::DoesNotMatch, "refused"),
        (RegexVerdict::Unknown, "depends"),
    ];
    for (regex, expected) in cases {
        let got = match policy.origin_verdict(LAB, regex) {
            Verdict::Allowed => "allowed",
            Verdict::Refused(_) => "refused",
            Verdict::DependsOnRegex { .. } => "depends",
        };
        assert_eq!(got, expected, "{regex:?}");
    }
}

#[test]
fn a_wildcard_header_policy_never_covers_authorization_unless_it_is_listed() {
    let mut policy = development();
    policy.allow_headers = AllowHeaders::Any {
        authorization: false,
    };
    assert!(
        policy.allows_request_header("x-anything"),
        "* covers any name"
    );
    assert!(
        !policy.allows_request_header("Authorization"),
        "but not Authorization"
    );
    policy.allow_headers = AllowHeaders::Any {
        authorization: true,
    };
    assert!(
        policy.allows_request_header("authorization"),
        "listed next to *"
    );
}

#[test]
fn lists_in_json_read_as_starlette_writes_them() {
    let cases: [(&str, AllowOrigins); 3] = [
        (r#"["*"]"#, AllowOrigins::Any),
        (r#"[]"#, AllowOrigins::List(vec![])),
        (
            r#"["http://a.example"]"#,
            AllowOrigins::List(vec!["http://a.example".into()]),
        ),
    ];
    for (json, origins) in cases {
        let read: AllowOrigins = serde_json::from_str(json).unwrap();
        assert_eq!(read, origins, "{json}");
        assert_eq!(
            serde_json::to_string(&origins).unwrap(),
            json,
            "{json} round trip"
        );
    }
    let headers: [(&str, AllowHeaders); 3] = [
        (
            r#"["*"]"#,
            AllowHeaders::Any {
                authorization: false,
            },
        ),
        (
            r#"["*","authorization"]"#,
            AllowHeaders::Any {
                authorization: true,
            },
        ),
        (r#"["x-a"]"#, AllowHeaders::List(vec!["x-a".into()])),
    ];
    for (json, allowed) in headers {
        let read: AllowHeaders = serde_json::from_str(json).unwrap();
        assert_eq!(read, allowed, "{json}");
        assert_eq!(
            serde_json::to_string(&allowed).unwrap(),
            json,
            "{json} round trip"
        );
    }
}

#[test]
fn the_answers_carry_cors_headers_only_where_the_origin_may_read() {
    let policy = development();
    let no = RegexVerdict::DoesNotMatch;
    let acao = |head: &Option<ResponseHead>| {
        head.as_ref()
            .and_then(|h| h.get("access-control-allow-origin"))
    };
    let refused_origin = policy.answer_preflight(Some("http://evil.example"), "GET", None, no);
    assert_eq!(
        refused_origin.head,
        Some(ResponseHead::new(400)),
        "400, no header at all"
    );
    let refused_method = policy.answer_preflight(Some(LAB), "PATCH", None, no);
    let head = refused_method.head.clone().unwrap();
    assert_eq!(
        head.status, 200,
        "an allowed origin's refused method is answered 200"
    );
    assert_eq!(
        acao(&refused_method.head).as_deref(),
        Some(LAB),
        "with its origin"
    );
    assert_eq!(
        head.get("access-control-allow-methods").as_deref(),
        Some("GET, POST, PUT, DELETE")
    );
    assert_eq!(
        head.get("access-control-max-age"),
        None,
        "and nothing to cache"
    );
    let no_origin = policy.answer_request(None, 200, no);
    assert!(
        !no_origin.head.unwrap().has_cors_headers(),
        "no Origin, no CORS header"
    );
    let refused = policy.answer_request(Some("http://evil.example"), 200, no);
    assert!(
        !refused.head.unwrap().has_cors_headers(),
        "a refused origin gets none either"
    );
    let allowed = policy.answer_request(Some(LAB), 200, no).head.unwrap();
    assert_eq!(
        allowed.get("access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        allowed.get("access-control-expose-headers").as_deref(),
        Some("x-total-count")
    );
}
