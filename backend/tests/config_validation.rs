//! Every rule of the CORS validator: a broken or dangerous configuration is refused
//! with a message that names the key, the value, its source and the fix.

mod common;

use common::{refusal, validated, vars, TempConfig};

/// (what is wrong, the `[cors]` lines, words the error must contain)
const REFUSED: &[(&str, &str, &[&str])] = &[
    (
        "a wildcard origin with credentials (the credentials trap)",
        r#"allow_origins = ["*"]
           allow_credentials = true"#,
        &[
            "cors.allow_origins",
            r#"["*"]"#,
            "allow_credentials = true",
            "every website",
        ],
    ),
    (
        "a wildcard origin beside other origins",
        r#"allow_origins = ["*", "https://a.example.com"]"#,
        &["cors.allow_origins", "only entry"],
    ),
    (
        "a trailing slash",
        r#"allow_origins = ["https://app.example.com/"]"#,
        &[
            "cors.allow_origins[0]",
            r#""https://app.example.com/""#,
            r#"browsers send "https://app.example.com""#,
        ],
    ),
    (
        "a path",
        r#"allow_origins = ["https://app.example.com/login"]"#,
        &[
            "cors.allow_origins[0]",
            "no path",
            r#""https://app.example.com""#,
        ],
    ),
    (
        "a query",
        r#"allow_origins = ["https://app.example.com?x=1"]"#,
        &[
            "cors.allow_origins[0]",
            "query",
            r#""https://app.example.com""#,
        ],
    ),
    (
        "a missing scheme",
        r#"allow_origins = ["app.example.com"]"#,
        &[
            "cors.allow_origins[0]",
            "scheme is missing",
            r#""https://app.example.com""#,
        ],
    ),
    (
        "upper case",
        r#"allow_origins = ["https://App.Example.com"]"#,
        &[
            "cors.allow_origins[0]",
            "upper case",
            r#""https://app.example.com""#,
        ],
    ),
    (
        "the default https port",
        r#"allow_origins = ["https://app.example.com:443"]"#,
        &[
            "cors.allow_origins[0]",
            "default port",
            r#""https://app.example.com""#,
        ],
    ),
    (
        "the default http port",
        r#"allow_origins = ["http://localhost:80"]"#,
        &[
            "cors.allow_origins[0]",
            "default port",
            r#""http://localhost""#,
        ],
    ),
    (
        "a wildcard inside an origin",
        r#"allow_origins = ["https://*.example.com"]"#,
        &["cors.allow_origins[0]", "allow_origin_regex"],
    ),
    (
        "the null origin",
        r#"allow_origins = ["null"]"#,
        &["cors.allow_origins[0]", "sandboxed iframes"],
    ),
    (
        "a file: origin",
        r#"allow_origins = ["file://"]"#,
        &["cors.allow_origins[0]", "file: pages", "\"null\""],
    ),
    (
        "a non-ASCII host",
        r#"allow_origins = ["https://bücher.example"]"#,
        &["cors.allow_origins[0]", "punycode"],
    ),
    (
        "a port out of range",
        r#"allow_origins = ["http://localhost:70000"]"#,
        &["cors.allow_origins[0]", "1 to 65535"],
    ),
    (
        "a regex that does not compile",
        r#"allow_origin_regex = 'https://(unclosed'"#,
        &["cors.allow_origin_regex", "not a valid regular expression"],
    ),
    (
        "a regex with look-around, which Rust's regex lacks",
        r#"allow_origin_regex = 'https://(?!evil).*\.example\.com'"#,
        &["cors.allow_origin_regex", "look-around"],
    ),
    (
        "a regex that compiles to too large a program",
        r#"allow_origin_regex = 'https://\w{1,5000}\.example\.com'"#,
        &["cors.allow_origin_regex", "too large"],
    ),
    (
        "a regex that matches everything",
        r#"allow_origin_regex = '.*'"#,
        &["cors.allow_origin_regex", "\"*\" in disguise"],
    ),
    (
        "a regex that matches every https origin",
        r#"allow_origin_regex = 'https://.*'"#,
        &["cors.allow_origin_regex", "\"*\" in disguise"],
    ),
    (
        "a regex not anchored at the end of the domain",
        r#"allow_origin_regex = 'https://.*\.example\.com.*'"#,
        &[
            "cors.allow_origin_regex",
            "https://sub.example.com.evil.invalid",
        ],
    ),
    (
        "a regex without a dot before the domain",
        r#"allow_origin_regex = 'https://.*example\.com'"#,
        &["cors.allow_origin_regex", "https://evilexample.com"],
    ),
    (
        "a regex with unescaped dots",
        r#"allow_origin_regex = 'https://[a-z]+\.example.com'"#,
        &[
            "cors.allow_origin_regex",
            "https://sub.examplexcom",
            "unescaped",
        ],
    ),
    (
        "a regex that also accepts plain http",
        r#"allow_origin_regex = 'https?://[a-z]+\.example\.com'"#,
        &[
            "cors.allow_origin_regex",
            "http://sub.example.com",
            "plain HTTP",
        ],
    ),
    (
        "a regex beside a wildcard origin",
        r#"allow_origins = ["*"]
           allow_origin_regex = 'https://[a-z]+\.example\.com'"#,
        &["cors.allow_origin_regex", "no effect"],
    ),
    (
        "an invalid method token",
        r#"allow_methods = ["GE T"]"#,
        &["cors.allow_methods[0]", r#""GE T""#, "not a valid method"],
    ),
    (
        "CONNECT",
        r#"allow_methods = ["CONNECT"]"#,
        &["cors.allow_methods[0]", "forbidden method"],
    ),
    (
        "TRACE",
        r#"allow_methods = ["TRACE"]"#,
        &["cors.allow_methods[0]", "forbidden method"],
    ),
    (
        "TRACK",
        r#"allow_methods = ["TRACK"]"#,
        &["cors.allow_methods[0]", "forbidden method"],
    ),
    (
        "a lower-case method browsers upper-case",
        r#"allow_methods = ["get"]"#,
        &["cors.allow_methods[0]", r#"write "GET""#],
    ),
    (
        "a wildcard method beside others",
        r#"allow_methods = ["*", "GET"]"#,
        &["cors.allow_methods", "only entry"],
    ),
    (
        "an invalid header name",
        r#"allow_headers = ["X Bad"]"#,
        &[
            "cors.allow_headers[0]",
            r#""X Bad""#,
            "not a valid header name",
        ],
    ),
    (
        "a header a page can never set",
        r#"allow_headers = ["Cookie"]"#,
        &["cors.allow_headers[0]", "forbidden request header"],
    ),
    (
        "a Sec- header",
        r#"allow_headers = ["Sec-Fetch-Mode"]"#,
        &["cors.allow_headers[0]", "forbidden request header"],
    ),
    (
        "a CORS response header as a request header",
        r#"allow_headers = ["Access-Control-Allow-Origin"]"#,
        &["cors.allow_headers[0]", "response header"],
    ),
    (
        "a wildcard header beside other names",
        r#"allow_headers = ["*", "X-Custom"]"#,
        &["cors.allow_headers", "Authorization"],
    ),
    (
        "every response header exposed with credentials",
        r#"allow_origins = ["https://app.example.com"]
           allow_credentials = true
           expose_headers = ["*"]"#,
        &[
            "cors.expose_headers",
            "allow_credentials = true",
            "literally",
        ],
    ),
    (
        "Set-Cookie exposed",
        r#"expose_headers = ["Set-Cookie"]"#,
        &["cors.expose_headers[0]", "Set-Cookie"],
    ),
    (
        "an invalid exposed header",
        r#"expose_headers = ["X:Bad"]"#,
        &["cors.expose_headers[0]", "not a valid header name"],
    ),
    (
        "a negative max_age",
        "max_age = -1",
        &["cors.max_age = -1", "0 to 86400"],
    ),
    (
        "a max_age above a day",
        "max_age = 100000",
        &["cors.max_age = 100000", "0 to 86400"],
    ),
];

#[test]
fn each_broken_or_dangerous_setting_is_refused_with_key_value_source_and_fix() {
    for (what, lines, expected) in REFUSED {
        let config = TempConfig::new(&format!("[cors]\n{lines}\n"));
        let errors = refusal(vars(config.path(), "development", &[])).join("\n");
        for words in *expected {
            assert!(
                errors.contains(words),
                "{what}: the error should contain {words:?}, but was:\n{errors}"
            );
        }
        assert!(
            errors.contains("default.toml"),
            "{what}: the error should name the file, but was:\n{errors}"
        );
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let config = TempConfig::new(
        "[cors]\nallow_origins = [\"https://a.example.com/\", \"null\"]\nmax_age = -5\n",
    );
    let errors = refusal(vars(config.path(), "development", &[]));
    assert_eq!(errors.len(), 3, "expected three errors, got {errors:#?}");
}

#[test]
fn a_value_from_an_environment_variable_is_blamed_on_that_variable() {
    let config = TempConfig::new("[cors]\n");
    let errors = refusal(vars(
        config.path(),
        "development",
        &[(
            "APP__CORS__ALLOW_ORIGINS",
            "https://ok.example.com,https://bad.example.com/",
        )],
    ))
    .join("\n");
    assert!(
        errors.contains("cors.allow_origins[1]")
            && errors.contains("environment variable APP__CORS__ALLOW_ORIGINS"),
        "the error should name the variable and the index, but was:\n{errors}"
    );
}

/// (what is only suspicious, ENV, the `[cors]` lines, words the warning must contain)
const WARNED: &[(&str, &str, &str, &[&str])] = &[
    (
        "a lower-case method that browsers send as typed",
        "development",
        r#"allow_methods = ["patch"]"#,
        &["cors.allow_methods[0]", "\"PATCH\""],
    ),
    (
        "a max_age above Chromium's cap",
        "development",
        "max_age = 10000",
        &["cors.max_age", "7200"],
    ),
    (
        "a localhost origin in production",
        "production",
        r#"allow_origins = ["http://localhost:5173"]"#,
        &["cors.allow_origins[0]", "development origin"],
    ),
    (
        "a plain-http origin in production",
        "production",
        r#"allow_origins = ["http://partner.example.com"]"#,
        &["cors.allow_origins[0]", "plain HTTP"],
    ),
    (
        "no origin at all",
        "development",
        "allow_origins = []",
        &[
            "cors.allow_origins",
            "every cross-origin request will be refused",
        ],
    ),
    (
        "an always-readable response header in expose_headers",
        "development",
        r#"expose_headers = ["Content-Type"]"#,
        &["cors.expose_headers[0]", "always readable"],
    ),
    (
        "a regex that trusts every port of localhost, with credentials",
        "development",
        r#"allow_origin_regex = 'http://localhost:[0-9]+'
           allow_credentials = true"#,
        &[
            "cors.allow_origin_regex",
            "\"http://localhost:5174\"",
            "attacker page",
            "List the exact origins",
        ],
    ),
    (
        "a regex that trusts any host without a dot, on any port",
        "development",
        r#"allow_origin_regex = 'https://app\.example\.com|http://[a-z]+:[0-9]+'
           allow_credentials = true"#,
        &[
            "cors.allow_origin_regex",
            "\"http://localhost:5174\"",
            "List the exact origins",
        ],
    ),
    (
        "a regex that trusts names on the local network",
        "development",
        r#"allow_origin_regex = 'https://app\.example\.com|http://[a-z]+'"#,
        &[
            "cors.allow_origin_regex",
            "\"http://intranet\"",
            "local network",
            "List the exact origins",
        ],
    ),
];

#[test]
fn suspicious_but_working_settings_start_with_a_warning() {
    for (what, env, lines, expected) in WARNED {
        let config = TempConfig::new(&format!("[cors]\n{lines}\n"));
        let (_, validated) = validated(vars(config.path(), env, &[]));
        let warnings: Vec<String> = validated.warnings.iter().map(|w| w.to_string()).collect();
        let warnings = warnings.join("\n");
        for words in *expected {
            assert!(
                warnings.contains(words),
                "{what}: a warning should contain {words:?}, but the warnings were:\n{warnings}"
            );
        }
    }
}

/// (what reaches this machine or its network, the `[cors]` lines, words the error must
/// contain): a warning in development, refused in production.
const REFUSED_IN_PRODUCTION: &[(&str, &str, &[&str])] = &[
    (
        "a regex that trusts every port of localhost, with credentials",
        r#"allow_origin_regex = 'http://localhost:[0-9]+'
           allow_credentials = true"#,
        &["cors.allow_origin_regex", "\"http://localhost:5174\""],
    ),
    (
        "a regex that trusts any host without a dot, on any port",
        r#"allow_origin_regex = 'https://app\.example\.com|http://[a-z]+:[0-9]+'
           allow_credentials = true"#,
        &["cors.allow_origin_regex", "\"http://localhost:5174\""],
    ),
    (
        "a regex that trusts 127.0.0.1 on any port, without credentials",
        r#"allow_origin_regex = 'http://127\.0\.0\.1:\d+'
           allow_credentials = false"#,
        &["cors.allow_origin_regex", "\"http://127.0.0.1:5174\""],
    ),
    (
        "a regex that trusts names on the local network",
        r#"allow_origin_regex = 'https://app\.example\.com|http://[a-z]+'"#,
        &["cors.allow_origin_regex", "\"http://intranet\""],
    ),
];

#[test]
fn a_regex_that_reaches_this_machine_or_its_network_is_refused_in_production() {
    for (what, lines, expected) in REFUSED_IN_PRODUCTION {
        let config = TempConfig::new(&format!("[cors]\n{lines}\n"));
        let errors = refusal(vars(config.path(), "production", &[])).join("\n");
        for words in *expected {
            assert!(
                errors.contains(words),
                "{what}: the error should contain {words:?}, but was:\n{errors}"
            );
        }
    }
}

/// Patterns that name their origins exactly: no warning about the pattern, in either ENV.
const EXACT_REGEXES: &[(&str, &str)] = &[
    (
        "one exact origin",
        r#"allow_origin_regex = 'https://app\.example\.com'"#,
    ),
    (
        "exact alternatives",
        r#"allow_origin_regex = 'https://(app|www)\.example\.com'"#,
    ),
    (
        "one exact loopback origin",
        r#"allow_origin_regex = 'http://(localhost|127\.0\.0\.1):5173'"#,
    ),
];

#[test]
fn an_exact_regex_passes_without_a_warning_about_it() {
    for (what, lines) in EXACT_REGEXES {
        for env in ["development", "production"] {
            let config = TempConfig::new(&format!("[cors]\n{lines}\nallow_credentials = true\n"));
            let (_, validated) = validated(vars(config.path(), env, &[]));
            let about_the_regex: Vec<String> = validated
                .warnings
                .iter()
                .map(|w| w.to_string())
                .filter(|w| w.starts_with("cors.allow_origin_regex"))
                .collect();
            assert!(
                about_the_regex.is_empty(),
                "{what} under {env}: no warning expected, got {about_the_regex:#?}"
            );
        }
    }
}

/// (a setting that must be accepted, the `[cors]` lines)
const ACCEPTED: &[(&str, &str)] = &[
    (
        "the shipped development policy",
        r#"allow_origins = ["http://localhost:5173", "http://127.0.0.1:5173"]"#,
    ),
    (
        "an IPv6 loopback origin",
        r#"allow_origins = ["http://[::1]:5173"]"#,
    ),
    (
        "a punycode host",
        r#"allow_origins = ["https://xn--bcher-kva.example"]"#,
    ),
    (
        "a non-default port",
        r#"allow_origins = ["https://app.example.com:8443"]"#,
    ),
    (
        "a wildcard origin without credentials",
        r#"allow_origins = ["*"]"#,
    ),
    (
        "a well-anchored subdomain regex",
        r#"allow_origin_regex = 'https://[a-z0-9-]+\.example\.com'"#,
    ),
    (
        "alternatives in a regex",
        r#"allow_origin_regex = 'https://(app|www)\.example\.com'"#,
    ),
    (
        "an exact regex",
        r#"allow_origin_regex = 'https://app\.example\.com'"#,
    ),
    ("all standard methods", r#"allow_methods = ["*"]"#),
    (
        "any header, Authorization named",
        r#"allow_headers = ["*", "Authorization"]"#,
    ),
    (
        "every response header, without credentials",
        r#"expose_headers = ["*"]"#,
    ),
    ("max_age 0", "max_age = 0"),
    ("max_age a day", "max_age = 86400"),
];

#[test]
fn sound_settings_are_accepted() {
    for (what, lines) in ACCEPTED {
        let config = TempConfig::new(&format!("[cors]\n{lines}\n"));
        let loaded = common::load(vars(config.path(), "development", &[])).expect("loads");
        if let Err(errors) = backend::cors::validate(&loaded) {
            panic!("{what} should be accepted, but: {errors:#?}");
        }
    }
}

#[test]
fn the_shipped_policies_build_an_actix_cors_middleware() {
    use actix_web::dev::Transform;
    for env in ["development", "production"] {
        let (_, validated) = validated(vars(&common::project_config_dir(), env, &[]));
        let built = actix_web::rt::System::new().block_on(
            validated
                .policy
                .to_actix()
                .new_transform(actix_web::test::ok_service()),
        );
        assert!(built.is_ok(), "actix-cors refused the {env} policy");
    }
}

/// (what is wrong, a variable and its value, words the error must contain)
const REFUSED_OUTSIDE_CORS: &[(&str, (&str, &str), &[&str])] = &[
    (
        "the lab's instruments open to every origin",
        ("APP__LAB__ORIGINS", "*"),
        &[
            "lab.origins[0]",
            r#""*""#,
            "environment variable APP__LAB__ORIGINS",
            "never answer every origin",
        ],
    ),
    (
        "the lab trusting null",
        ("APP__LAB__ORIGINS", "http://localhost:5173,null"),
        &["lab.origins[1]", r#""null""#, "sandboxed"],
    ),
    (
        "a lab origin with a path",
        ("APP__LAB__ORIGINS", "http://localhost:5173/lab"),
        &["lab.origins[0]", "no path", r#""http://localhost:5173""#],
    ),
    (
        "a lab origin in upper case",
        ("APP__LAB__ORIGINS", "http://LOCALHOST:5173"),
        &["lab.origins[0]", "lower case"],
    ),
    (
        "an allowed host written as a URL",
        ("APP__SERVER__ALLOWED_HOSTS", "https://api.example.com"),
        &[
            "server.allowed_hosts[0]",
            r#""https://api.example.com""#,
            "environment variable APP__SERVER__ALLOWED_HOSTS",
            "scheme",
        ],
    ),
    (
        "an allowed host with a wildcard",
        ("APP__SERVER__ALLOWED_HOSTS", "*.example.com"),
        &["server.allowed_hosts[0]", r#"a "*" never matches"#],
    ),
    (
        "an allowed host with a path",
        ("APP__SERVER__ALLOWED_HOSTS", "api.example.com/v1"),
        &["server.allowed_hosts[0]", "path"],
    ),
    (
        "an allowed host with a port",
        ("APP__SERVER__ALLOWED_HOSTS", "api.example.com:8443"),
        &["server.allowed_hosts[0]", "without its port"],
    ),
    (
        "an allowed host in upper case",
        ("APP__SERVER__ALLOWED_HOSTS", "ok.example, Api.Example.com"),
        &["server.allowed_hosts[1]", r#""api.example.com""#],
    ),
];

#[test]
fn a_broken_lab_origin_or_allowed_host_is_refused_naming_key_value_and_variable() {
    for (what, variable, words) in REFUSED_OUTSIDE_CORS {
        let config = common::project_config_dir();
        let loaded = common::load(vars(&config, "development", &[*variable])).expect("loads");
        let errors: Vec<String> = match backend::settings_check::check(&loaded) {
            Ok(_) => panic!("{what} ({variable:?}) should be refused"),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(errors.len(), 1, "{what}: one error: {errors:#?}");
        for words in *words {
            assert!(
                errors[0].contains(words),
                "{what}: the error should contain {words:?}: {}",
                errors[0]
            );
        }
    }
}

/// (what, variables) the check accepts
const ACCEPTED_OUTSIDE_CORS: &[(&str, &[(&str, &str)])] = &[
    (
        "the lab on other origins",
        &[(
            "APP__LAB__ORIGINS",
            "http://localhost:3000, https://lab.example.com:8443",
        )],
    ),
    (
        "host names and addresses",
        &[(
            "APP__SERVER__ALLOWED_HOSTS",
            "api.example.com,10.0.0.7,[2001:db8::1],localhost",
        )],
    ),
    (
        "a recorder that records nothing",
        &[("APP__RECORDER__CAPACITY", "0")],
    ),
    (
        "the largest recorder",
        &[("APP__RECORDER__CAPACITY", "10000")],
    ),
];

#[test]
fn sound_lab_origins_allowed_hosts_and_capacities_are_accepted() {
    for (what, overrides) in ACCEPTED_OUTSIDE_CORS {
        let config = common::project_config_dir();
        let loaded = common::load(vars(&config, "development", overrides)).expect("loads");
        if let Err(errors) = backend::settings_check::check(&loaded) {
            panic!("{what} should be accepted, but: {errors:#?}");
        }
    }
}
