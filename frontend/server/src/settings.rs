//! The settings of one run, read from the environment.

use std::path::PathBuf;

use crate::hosts::{self, AllowedHosts};
use crate::origin::WebOrigin;

/// The settings of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Both listeners bind this host (`LAB_HOST`).
    pub host: String,
    /// The lab's port (`LAB_PORT`).
    pub port: u16,
    /// The attacker page's port (`ATTACKER_PORT`): another origin on the same host.
    pub attacker_port: u16,
    /// The built lab, `frontend/dist` (`LAB_DIST`).
    pub dist: PathBuf,
    /// Where the *browser* finds the API (`API_BASE_URL`): an origin.
    pub api_base_url: WebOrigin,
    /// Where the *browser* finds the attacker page (`ATTACKER_URL`), when set;
    /// otherwise `http://localhost:<the attacker's port>` (see [`Settings::attacker_url`]).
    pub attacker_url: Option<WebOrigin>,
    /// Where the *browser* finds the lab (`LAB_URL`), when set; otherwise
    /// `http://localhost:<the lab's port>` (see [`Settings::lab_url`]).
    pub lab_url: Option<WebOrigin>,
    /// The host names both listeners answer to (`LAB_ALLOWED_HOSTS`).
    pub allowed_hosts: AllowedHosts,
}

impl Settings {
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let port = match get("LAB_PORT") {
            Some(port) => parse_port("LAB_PORT", &port)?,
            None => 5173,
        };
        let attacker_port = match get("ATTACKER_PORT") {
            Some(port) => parse_port("ATTACKER_PORT", &port)?,
            None => 5174,
        };
        if attacker_port == port && port != 0 {
            return Err(format!(
                "ATTACKER_PORT must differ from LAB_PORT ({port}): the attacker page needs an \
                 origin of its own"
            ));
        }
        let api_base_url = match get("API_BASE_URL") {
            Some(url) => WebOrigin::parse("API_BASE_URL", &url)?,
            None => WebOrigin::localhost(8000),
        };
        let origin = |name: &str| {
            get(name)
                .map(|url| WebOrigin::parse(name, &url))
                .transpose()
        };
        let attacker_url = origin("ATTACKER_URL")?;
        let lab_url = origin("LAB_URL")?;
        let allowed_hosts = hosts::from_variable(get(hosts::VARIABLE).as_deref())?;
        Ok(Settings {
            host: get("LAB_HOST").unwrap_or_else(|| "127.0.0.1".to_string()),
            port,
            attacker_port,
            dist: get("LAB_DIST")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist")),
            api_base_url,
            attacker_url,
            lab_url,
            allowed_hosts,
        })
    }

    /// Where the browser finds the attacker page, once it listens on `bound_port`
    /// (the port it got, which differs from `ATTACKER_PORT` only when that is 0).
    /// Like `API_BASE_URL`, this is the browser's view: in containers it is the
    /// published port on the host, hence `ATTACKER_URL`.
    pub fn attacker_url(&self, bound_port: u16) -> WebOrigin {
        self.attacker_url
            .clone()
            .unwrap_or_else(|| WebOrigin::localhost(bound_port))
    }

    /// Where the browser finds the lab, once it listens on `bound_port`: `LAB_URL`
    /// when set (a published port), otherwise `http://localhost:<bound_port>`.
    pub fn lab_url(&self, bound_port: u16) -> WebOrigin {
        self.lab_url
            .clone()
            .unwrap_or_else(|| WebOrigin::localhost(bound_port))
    }
}

fn parse_port(name: &str, value: &str) -> Result<u16, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{name} must be a port number (0 to 65535), got `{value}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> Result<Settings, String> {
        Settings::from_env(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn settings_come_from_the_environment_with_sensible_defaults() {
        let defaults = with(&[]).expect("defaults are valid");
        assert_eq!((defaults.host.as_str(), defaults.port), ("127.0.0.1", 5173));
        assert_eq!(defaults.attacker_port, 5174);
        assert_eq!(defaults.api_base_url.as_str(), "http://localhost:8000");
        assert_eq!(
            defaults.attacker_url(5174).as_str(),
            "http://localhost:5174"
        );
        assert_eq!(defaults.lab_url(5173).as_str(), "http://localhost:5173");
        assert_eq!(defaults.allowed_hosts, AllowedHosts::default());
        let set = with(&[
            ("LAB_HOST", "0.0.0.0"),
            ("LAB_PORT", "6000"),
            ("ATTACKER_PORT", "6001"),
            ("API_BASE_URL", "https://api.example.com/"),
            ("ATTACKER_URL", "http://localhost:16001/"),
            ("LAB_URL", "http://localhost:16000"),
            ("LAB_ALLOWED_HOSTS", "lab.example.com"),
        ])
        .expect("valid settings");
        assert_eq!((set.host.as_str(), set.port), ("0.0.0.0", 6000));
        assert_eq!(set.attacker_port, 6001);
        assert_eq!(
            set.api_base_url.as_str(),
            "https://api.example.com",
            "trailing slash removed"
        );
        assert_eq!(
            set.attacker_url(6001).as_str(),
            "http://localhost:16001",
            "ATTACKER_URL wins over the port the attacker listens on (a published port)"
        );
        assert_eq!(
            set.lab_url(6000).as_str(),
            "http://localhost:16000",
            "LAB_URL wins over the port the lab listens on"
        );
        assert!(set.allowed_hosts.allows("lab.example.com:6000"));
    }

    #[test]
    fn without_attacker_url_the_link_names_the_port_the_attacker_got() {
        let settings = with(&[("LAB_PORT", "0"), ("ATTACKER_PORT", "0")])
            .expect("port 0 (any free port) is allowed for both");
        assert_eq!(
            settings.attacker_url(41234).as_str(),
            "http://localhost:41234"
        );
        assert_eq!(settings.lab_url(41233).as_str(), "http://localhost:41233");
    }

    #[test]
    fn invalid_values_are_refused_with_the_variable_named() {
        let cases: [&[(&str, &str)]; 8] = [
            &[("LAB_PORT", "http")],
            &[("ATTACKER_PORT", "70000")],
            &[("ATTACKER_PORT", "-1")],
            &[("API_BASE_URL", "localhost:8000")],
            &[("ATTACKER_URL", "localhost:5174")],
            &[("LAB_URL", "localhost:5173")],
            &[("LAB_ALLOWED_HOSTS", "lab.example.com:5173")],
            &[("LAB_PORT", "6000"), ("ATTACKER_PORT", "6000")],
        ];
        for vars in cases {
            let error = with(vars).expect_err("an invalid value must be refused");
            let (name, _) = vars.last().unwrap();
            assert!(error.contains(name), "the error names {name}: {error}");
        }
    }

    #[test]
    fn a_url_variable_must_be_an_origin_or_the_server_does_not_start() {
        // (value, why): each goes into the attacker page's Content-Security-Policy.
        let refused = [
            (
                "http://localhost:8000; script-src *",
                "a `;` would add a directive",
            ),
            (
                "http://localhost:8000 https://evil.example",
                "a space would add a source",
            ),
            (
                "http://localhost:8000'unsafe-inline'",
                "a quote would add a keyword",
            ),
            ("http://localhost:8000/api", "a path"),
            ("http://localhost:8000/?x=1", "a query"),
            ("http://user@localhost:8000", "userinfo"),
            ("javascript:alert(1)", "another scheme"),
        ];
        for name in ["API_BASE_URL", "ATTACKER_URL", "LAB_URL"] {
            for (value, why) in refused {
                let error = with(&[(name, value)])
                    .expect_err(&format!("{name}={value} must be refused: {why}"));
                assert!(
                    error.contains(name) && error.contains(value),
                    "{why}: the error names {name} and its value: {error}"
                );
            }
            let set = with(&[(name, "HTTP://Host.Example:8080/")]).expect("an origin is valid");
            let origin = match name {
                "API_BASE_URL" => set.api_base_url,
                "ATTACKER_URL" => set.attacker_url(1),
                _ => set.lab_url(1),
            };
            assert_eq!(
                origin.as_str(),
                "http://host.example:8080",
                "{name}: a trailing / is tolerated, the origin lower-cased"
            );
        }
    }
}
