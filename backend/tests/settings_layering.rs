//! Settings come from config/default.toml, then the ENV's file, then `.env`, then
//! the real environment; mistakes in any layer are reported against that layer.

mod common;

use backend::configuration::{EnvSnapshot, Environment, LoadedSettings};
use common::{load, project_config_dir, vars, TempConfig};

#[test]
fn without_env_the_development_policy_is_layered_over_the_defaults() {
    let loaded = load(vars(&project_config_dir(), "", &[])).expect("loads");
    assert_eq!(loaded.env, Environment::Development);
    let cors = &loaded.settings.cors;
    assert_eq!(
        cors.allow_origins,
        [
            "http://localhost:3000",
            "http://localhost:5173",
            "http://127.0.0.1:5173"
        ],
        "development.toml lists the lab's origins"
    );
    assert!(
        cors.allow_credentials,
        "development.toml turns credentials on"
    );
    assert_eq!(
        cors.allow_methods,
        ["GET", "POST", "PUT", "DELETE"],
        "default.toml's methods remain"
    );
    assert_eq!(loaded.settings.server.port, 8000, "the API's port is 8000");
}

#[test]
fn env_production_layers_the_production_policy() {
    let loaded = load(vars(&project_config_dir(), "production", &[])).expect("loads");
    assert_eq!(loaded.env, Environment::Production);
    assert_eq!(
        loaded.settings.cors.allow_origins,
        ["https://app.example.com"]
    );
    assert!(
        loaded
            .sources
            .of("cors.allow_origins")
            .ends_with("production.toml"),
        "the origins are traced to production.toml, not {}",
        loaded.sources.of("cors.allow_origins")
    );
}

#[test]
fn an_environment_variable_overrides_the_files_and_lists_are_comma_separated() {
    let loaded = load(vars(
        &project_config_dir(),
        "production",
        &[
            (
                "APP__CORS__ALLOW_ORIGINS",
                "https://a.example.com, https://b.example.com",
            ),
            ("APP__CORS__MAX_AGE", "120"),
            ("APP__CORS__ALLOW_CREDENTIALS", "false"),
        ],
    ))
    .expect("loads");
    let cors = &loaded.settings.cors;
    assert_eq!(
        cors.allow_origins,
        ["https://a.example.com", "https://b.example.com"],
        "the variable replaces the file's list, items trimmed"
    );
    assert_eq!(cors.max_age, 120, "numbers are parsed");
    assert!(!cors.allow_credentials, "booleans are parsed");
    assert_eq!(
        loaded.sources.of("cors.allow_origins"),
        "environment variable APP__CORS__ALLOW_ORIGINS"
    );
}

#[test]
fn dotenv_fills_in_but_never_overrides_the_real_environment() {
    let dir = tempfile::tempdir().unwrap();
    let dotenv = dir.path().join(".env");
    std::fs::write(
        &dotenv,
        "ENV=production\nAPP__CORS__MAX_AGE=100\nAPP__CORS__ALLOW_ORIGINS=https://dotenv.example.com\n",
    )
    .unwrap();
    let mut process = vars(&project_config_dir(), "", &[("APP__CORS__MAX_AGE", "200")]);
    process.remove("ENV");
    let snapshot = EnvSnapshot::from_parts(process, Some(&dotenv)).expect(".env parses");
    let loaded = LoadedSettings::load(&snapshot).expect("loads");

    assert_eq!(
        loaded.env,
        Environment::Production,
        "ENV comes from .env when unset"
    );
    assert_eq!(
        loaded.settings.cors.max_age, 200,
        "the real variable wins over .env"
    );
    assert_eq!(
        loaded.settings.cors.allow_origins,
        ["https://dotenv.example.com"],
        ".env overrides the files"
    );
    let source = loaded.sources.of("cors.allow_origins");
    assert!(
        source.starts_with("APP__CORS__ALLOW_ORIGINS in ") && source.ends_with(".env"),
        "a value from .env is traced to it, not to {source}"
    );
}

/// A broken layer, and the words its error must contain.
struct Broken {
    what: &'static str,
    env: &'static str,
    default_toml: &'static str,
    vars: &'static [(&'static str, &'static str)],
    expected: &'static [&'static str],
}

const BROKEN: &[Broken] = &[
    Broken {
        what: "an unknown ENV",
        env: "staging",
        default_toml: "",
        vars: &[],
        expected: &["\"staging\"", "development, production"],
    },
    Broken {
        what: "a misspelt key in a file",
        env: "development",
        default_toml: "[cors]\nallow_origin = [\"https://a.example.com\"]\n",
        vars: &[],
        expected: &[
            "default.toml",
            "unknown field `allow_origin`",
            "allow_origins",
        ],
    },
    Broken {
        what: "a misspelt section in a file",
        env: "development",
        default_toml: "[cros]\nallow_origins = []\n",
        vars: &[],
        expected: &["default.toml", "unknown field `cros`"],
    },
    Broken {
        what: "a misspelt key in a variable",
        env: "development",
        default_toml: "",
        vars: &[("APP__CORS__ALLOW_ORIGIN", "https://a.example.com")],
        expected: &["the environment", "unknown field `allow_origin`"],
    },
    Broken {
        what: "a value of the wrong type",
        env: "development",
        default_toml: "[cors]\nmax_age = \"ten\"\n",
        vars: &[],
        expected: &["default.toml", "max_age"],
    },
    Broken {
        what: "a switch that is not a boolean, in a file",
        env: "development",
        default_toml: "[exhibits]\nenabled = \"maybe\"\n",
        vars: &[],
        expected: &["default.toml", "exhibits.enabled", "\"maybe\"", "boolean"],
    },
    Broken {
        what: "a switch that is not a boolean, in a variable",
        env: "development",
        default_toml: "",
        vars: &[("APP__EXHIBITS__ENABLED", "maybe")],
        expected: &["the environment", "exhibits.enabled", "\"maybe\""],
    },
    Broken {
        what: "a file that is not TOML",
        env: "development",
        default_toml: "[cors\nallow_origins = ",
        vars: &[],
        expected: &["default.toml"],
    },
];

#[test]
fn a_broken_layer_is_reported_against_that_layer() {
    for Broken {
        what,
        env,
        default_toml,
        vars: extra,
        expected,
    } in BROKEN
    {
        let config = TempConfig::new(default_toml);
        let error = match load(vars(config.path(), env, extra)) {
            Ok(_) => panic!("{what}: the settings loaded"),
            Err(error) => error.to_string(),
        };
        for words in *expected {
            assert!(
                error.contains(words),
                "{what}: the error should contain {words:?}, but was: {error}"
            );
        }
    }
}

#[test]
fn the_exhibits_are_on_in_development_off_in_production_and_a_variable_switches_them() {
    // (ENV, variables, enabled, where it came from, why)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], bool, &'a str, &'a str);
    let cases: [Case; 4] = [
        (
            "development",
            &[],
            true,
            "development.toml",
            "the lab's gallery",
        ),
        (
            "production",
            &[],
            false,
            "production.toml",
            "never in production",
        ),
        (
            "production",
            &[("APP__EXHIBITS__ENABLED", "true")],
            true,
            "environment variable APP__EXHIBITS__ENABLED",
            "a variable overrides the file",
        ),
        (
            "development",
            &[("APP__EXHIBITS__ENABLED", "false")],
            false,
            "environment variable APP__EXHIBITS__ENABLED",
            "and switches them off too",
        ),
    ];
    for (env, overrides, enabled, source, why) in cases {
        let loaded = load(vars(&project_config_dir(), env, overrides)).expect("loads");
        assert_eq!(loaded.settings.exhibits.enabled, enabled, "{env}: {why}");
        let traced = loaded.sources.of("exhibits.enabled");
        assert!(traced.ends_with(source), "{env}: {why}: traced to {traced}");
    }
    let config = TempConfig::new("");
    let loaded = load(vars(config.path(), "development", &[])).expect("loads");
    assert!(
        !loaded.settings.exhibits.enabled,
        "off when no file says anything"
    );
}

#[test]
fn a_missing_environment_file_is_an_error() {
    let config = TempConfig::new("");
    std::fs::remove_file(config.path().join("production.toml")).unwrap();
    let error = load(vars(config.path(), "production", &[]))
        .expect_err("a missing production.toml is refused")
        .to_string();
    assert!(error.contains("production.toml is missing"), "was: {error}");
}

#[test]
fn env_names_are_case_insensitive() {
    let loaded = load(vars(&project_config_dir(), "Production", &[])).expect("loads");
    assert_eq!(loaded.env, Environment::Production);
}
