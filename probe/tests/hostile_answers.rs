//! Answers the probe must not take at face value, from real servers on free ports:
//! header values with terminal control bytes, which must never reach the terminal
//! raw, and redirects, which a browser follows and judges at every hop.

mod common;

use actix_web::http::header::{HeaderName, HeaderValue, LOCATION};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::Value;

use common::{probe, LAB};

/// Starts a server with `routes` on a free port; returns `http://127.0.0.1:<port>`.
fn serve<F>(routes: F) -> String
where
    F: Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
{
    let server = HttpServer::new(move || App::new().configure(routes.clone()))
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("a free port");
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    format!("http://127.0.0.1:{port}")
}

/// The characters a terminal may act on: C0 but the newline, DEL and C1. Fails when
/// the bytes are not UTF-8, which a stray C1 byte would make them.
fn control_characters(bytes: &[u8]) -> Result<Vec<char>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("stdout is not UTF-8: {e}"))?;
    Ok(text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect())
}

/// A header value built from bytes, as a hostile server sends them.
fn raw(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).expect("bytes 0x80 to 0xFF are allowed in a value")
}

#[tokio::test]
async fn a_servers_control_bytes_reach_the_terminal_only_as_visible_escapes() {
    let base = serve(|routes| {
        routes.route(
            "/",
            web::get().to(|| async {
                HttpResponse::Ok()
                    // U+009B, a C1 CSI, in UTF-8: some terminals read it as ESC [.
                    .insert_header((
                        HeaderName::from_static("access-control-allow-origin"),
                        raw(b"\xc2\x9b31mhttp://evil.example"),
                    ))
                    // The same CSI as a raw byte, which is not UTF-8 at all.
                    .insert_header((HeaderName::from_static("vary"), raw(b"Origin\x9b2J")))
                    // U+0085, a C1 NEL, in UTF-8.
                    .insert_header((
                        HeaderName::from_static("access-control-expose-headers"),
                        raw(b"X-Total\xc2\x85"),
                    ))
                    .body("ok")
            }),
        );
    });
    for format in ["text", "json"] {
        let mut args = vec!["check", &base, "--origin", LAB];
        if format == "json" {
            args.push("--json");
        }
        let run = probe(&args).await;
        assert_eq!(
            run.code, 1,
            "{format}: an invalid Access-Control-Allow-Origin is blocked\n{}{}",
            run.stdout, run.stderr
        );
        assert_eq!(
            control_characters(&run.raw_stdout),
            Ok(Vec::new()),
            "{format}: no control character reaches the terminal\n{}",
            run.stdout
        );
        // What each value looks like once escaped: Rust's spelling for people, JSON's
        // for scripts (which read the very characters back).
        let shown = if format == "json" {
            [
                r"\u009b31mhttp://evil.example",
                r"Origin\u009b2J",
                r"X-Total\u0085",
            ]
        } else {
            [
                r"\u{9b}31mhttp://evil.example",
                r"Origin\u{9b}2J",
                r"X-Total\u{85}",
            ]
        };
        for value in shown {
            assert!(
                run.stdout.contains(value),
                "{format}: the value shows its control character as an escape, {value}\n{}",
                run.stdout
            );
        }
    }
}

/// A response with `Access-Control-Allow-Origin` echoing the request's `Origin`.
fn echoing(request: &HttpRequest, status: u16) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::build(status.try_into().expect("a status"));
    if let Some(origin) = request.headers().get("origin") {
        response.insert_header(("access-control-allow-origin", origin.clone()));
    }
    response.insert_header(("vary", "Origin"));
    response
}

/// A redirect to `location`, echoing the request's origin when `allowed`.
fn redirect(request: &HttpRequest, location: &str, allowed: bool) -> HttpResponse {
    let mut response = if allowed {
        echoing(request, 302)
    } else {
        HttpResponse::Found()
    };
    response.insert_header((LOCATION, location)).finish()
}

/// The API the page calls, and `elsewhere`, another origin that trusts the lab only.
fn spawn_redirecting_servers() -> String {
    let elsewhere = serve(|routes| {
        routes.route(
            "/lab-only",
            web::get().to(|request: HttpRequest| async move {
                let from_lab = request.headers().get("origin").is_some_and(|o| o == LAB);
                let mut response = HttpResponse::Ok();
                if from_lab {
                    response.insert_header(("access-control-allow-origin", LAB));
                }
                response.insert_header(("vary", "Origin")).body("elsewhere")
            }),
        );
    });
    let to_elsewhere = format!("{elsewhere}/lab-only");
    let with_password = to_elsewhere.replace("http://", "http://user:secret@");
    serve(move |routes| {
        let (to_elsewhere, with_password) = (to_elsewhere.clone(), with_password.clone());
        routes
            .route(
                "/items",
                web::get().to(|r: HttpRequest| async move { echoing(&r, 200).body("items") }),
            )
            .route(
                "/moved",
                web::get().to(|r: HttpRequest| async move { redirect(&r, "/items", true) }),
            )
            .route(
                "/bare-redirect",
                web::get().to(|r: HttpRequest| async move { redirect(&r, "/items", false) }),
            )
            .route(
                "/loop",
                web::get().to(|r: HttpRequest| async move { redirect(&r, "/loop", true) }),
            )
            .route(
                "/to-elsewhere",
                web::get().to(move |r: HttpRequest| {
                    let to = to_elsewhere.clone();
                    async move { redirect(&r, &to, true) }
                }),
            )
            .route(
                "/to-credentials",
                web::get().to(move |r: HttpRequest| {
                    let to = with_password.clone();
                    async move { redirect(&r, &to, true) }
                }),
            );
    })
}

/// The `Origin` each request (not preflight) of a JSON report carried, in order.
fn origins_sent(report: &Value) -> Vec<String> {
    report["steps"]
        .as_array()
        .expect("a steps list")
        .iter()
        .filter(|step| step["kind"] == "request")
        .map(|step| {
            step["request"]["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|pair| {
                    pair[0]
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case("origin"))
                })
                .and_then(|pair| pair[1].as_str())
                .unwrap_or("(none)")
                .to_string()
        })
        .collect()
}

/// One redirecting path and what a browser makes of a simple GET to it from the lab.
struct Case {
    path: &'static str,
    what: &'static str,
    exit_code: i32,
    /// The `Origin` of each request sent, first to last.
    origins: &'static [&'static str],
    /// The hop that failed (0 = the first answer) and the error named there.
    failed: Option<(u64, &'static str)>,
    /// Words the text report must contain.
    says: &'static str,
}

#[tokio::test]
async fn a_redirect_is_followed_and_judged_at_every_hop_as_the_browser_does() {
    let api = spawn_redirecting_servers();
    let cases = [
        Case {
            path: "/moved",
            what: "a redirect within the API's origin, allowed at both hops",
            exit_code: 0,
            origins: &[LAB, LAB],
            failed: None,
            says: "Verdict: readable",
        },
        Case {
            path: "/to-elsewhere",
            what: "a hop to another origin that allows only the lab: the browser sent null",
            exit_code: 1,
            origins: &[LAB, "null"],
            failed: Some((1, "MissingAllowOriginHeader")),
            says: "Origin: null",
        },
        Case {
            path: "/bare-redirect",
            what: "a redirect without Access-Control-Allow-Origin: blocked at the redirect",
            exit_code: 1,
            origins: &[LAB],
            failed: Some((0, "MissingAllowOriginHeader")),
            says: "the redirect itself",
        },
        Case {
            path: "/loop",
            what: "a redirect to itself: the browser stops after 20 redirects",
            exit_code: 1,
            origins: &[LAB; 21],
            failed: Some((20, "too-many-redirects")),
            says: "net::ERR_TOO_MANY_REDIRECTS",
        },
        Case {
            path: "/to-credentials",
            what: "a Location with a user name and password, on a CORS request",
            exit_code: 1,
            origins: &[LAB],
            failed: Some((0, "location-with-credentials")),
            says: "RedirectContainsCredentials",
        },
    ];
    for case in cases {
        let url = format!("{api}{}", case.path);
        let run = probe(&["check", &url, "--origin", LAB, "--json"]).await;
        let report = run.json();
        let what = case.what;
        assert_eq!(
            run.code, case.exit_code,
            "{what}: exit code\n{}",
            run.stdout
        );
        assert_eq!(
            origins_sent(&report),
            case.origins,
            "{what}: one request per hop, each with the Origin the browser sends"
        );
        match case.failed {
            None => assert_eq!(report["verdict"], "readable", "{what}\n{}", run.stdout),
            Some((hop, error)) => {
                assert_eq!(report["verdict"], "blocked", "{what}\n{}", run.stdout);
                assert_eq!(report["failed_hop"], hop, "{what}: the hop that failed");
                let named = report["cors_error"]
                    .as_str()
                    .or(report["redirect_error"].as_str());
                assert_eq!(named, Some(error), "{what}: the error\n{}", run.stdout);
            }
        }
        let text = probe(&["check", &url, "--origin", LAB]).await;
        assert!(
            text.stdout.contains(case.says),
            "{what}: the text report says {:?}:\n{}",
            case.says,
            text.stdout
        );
    }
}
