//! Hole 11a: two refusals were plain text, where every other error is an `ApiError`.

use lab_types::{ApiError, ErrorCode};

use crate::common::{header, spawn_app, INSTRUMENTS_ON};

/// A request that must be refused with a 400 `ApiError`.
struct Case {
    what: &'static str,
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    code: ErrorCode,
    /// Words the message must contain: what was wrong, and where.
    names: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        what: "a since that is not a number",
        method: "GET",
        path: "/lab/exchanges?since=abc",
        headers: &[],
        code: ErrorCode::InvalidQuery,
        names: &["since", "abc"],
    },
    Case {
        what: "a since below zero",
        method: "GET",
        path: "/lab/exchanges?since=-1",
        headers: &[],
        code: ErrorCode::InvalidQuery,
        names: &["since", "-1"],
    },
    Case {
        what: "a since after a parameter the route ignores",
        method: "GET",
        path: "/lab/exchanges?lab_run=x7&since=later",
        headers: &[],
        code: ErrorCode::InvalidQuery,
        names: &["since", "later"],
    },
    Case {
        what: "a preflight with an empty Access-Control-Request-Headers",
        method: "OPTIONS",
        path: "/api/items",
        headers: &[
            ("Origin", "http://localhost:5173"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", ""),
        ],
        code: ErrorCode::CorsPreflightMalformed,
        names: &["Access-Control-Request-Headers", "empty"],
    },
];

#[tokio::test]
async fn a_bad_query_or_an_empty_request_header_list_gets_an_api_error_not_plain_text() {
    let app = spawn_app("development", &[INSTRUMENTS_ON]).await;
    for case in CASES {
        let what = format!("{} ({} {})", case.what, case.method, case.path);
        let res = app.send(case.method, case.path, case.headers).await;
        assert_eq!(res.status(), 400, "{what}: status");
        assert_eq!(
            header(&res, "content-type"),
            Some("application/json"),
            "{what}: JSON, not text"
        );
        let error: ApiError = res.json().await.expect("an ApiError body");
        assert_eq!(error.error, case.code, "{what}: {}", error.message);
        for words in case.names {
            assert!(
                error.message.contains(words),
                "{what}: the message names {words:?}: {}",
                error.message
            );
        }
    }
}
