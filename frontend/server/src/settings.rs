//! The settings of one run, read from the environment.

use std::path::PathBuf;

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
    /// Where the *browser* finds the API (`API_BASE_URL`), without a trailing `/`.
    pub api_base_url: String,
    /// Where the *browser* finds the attacker page (`ATTACKER_URL`), when set;
    /// otherwise `http://localhost:<the attacker's port>` (see [`Settings::attacker_url`]).
    pub attacker_url: Option<String>,
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
        let api_base_url = http_url(
            "API_BASE_URL",
            get("API_BASE_URL").unwrap_or_else(|| "http://localhost:8000".to_string()),
        )?;
        let attacker_url = get("ATTACKER_URL")
            .map(|url| http_url("ATTACKER_URL", url))
            .transpose()?;
        Ok(Settings {
            host: get("LAB_HOST").unwrap_or_else(|| "127.0.0.1".to_string()),
            port,
            attacker_port,
            dist: get("LAB_DIST")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist")),
            api_base_url,
            attacker_url,
        })
    }

    /// Where the browser finds the attacker page, once it listens on `bound_port`
    /// (the port it got, which differs from `ATTACKER_PORT` only when that is 0).
    /// Like `API_BASE_URL`, this is the browser's view: in containers it is the
    /// published port on the host, hence `ATTACKER_URL`.
    pub fn attacker_url(&self, bound_port: u16) -> String {
        self.attacker_url
            .clone()
            .unwrap_or_else(|| format!("http://localhost:{bound_port}"))
    }
}

fn parse_port(name: &str, value: &str) -> Result<u16, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{name} must be a port number (0 to 65535), got `{value}`"))
}

/// `value` without a trailing `/`, if it is an `http://` or `https://` URL.
fn http_url(name: &str, value: String) -> Result<String, String> {
    let url = value.trim_end_matches('/').to_string();
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url)
    } else {
        Err(format!(
            "{name} must start with http:// or https://, got `{value}`"
        ))
    }
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
        assert_eq!(defaults.api_base_url, "http://localhost:8000");
        assert_eq!(defaults.attacker_url(5174), "http://localhost:5174");
        let set = with(&[
            ("LAB_HOST", "0.0.0.0"),
            ("LAB_PORT", "6000"),
            ("ATTACKER_PORT", "6001"),
            ("API_BASE_URL", "https://api.example.com/"),
            ("ATTACKER_URL", "http://localhost:16001/"),
        ])
        .expect("valid settings");
        assert_eq!((set.host.as_str(), set.port), ("0.0.0.0", 6000));
        assert_eq!(set.attacker_port, 6001);
        assert_eq!(
            set.api_base_url, "https://api.example.com",
            "trailing slash removed"
        );
        assert_eq!(
            set.attacker_url(6001),
            "http://localhost:16001",
            "ATTACKER_URL wins over the port the attacker listens on (a published port)"
        );
    }

    #[test]
    fn without_attacker_url_the_link_names_the_port_the_attacker_got() {
        let settings = with(&[("LAB_PORT", "0"), ("ATTACKER_PORT", "0")])
            .expect("port 0 (any free port) is allowed for both");
        assert_eq!(settings.attacker_url(41234), "http://localhost:41234");
    }

    #[test]
    fn invalid_values_are_refused_with_the_variable_named() {
        let cases: [&[(&str, &str)]; 6] = [
            &[("LAB_PORT", "http")],
            &[("ATTACKER_PORT", "70000")],
            &[("ATTACKER_PORT", "-1")],
            &[("API_BASE_URL", "localhost:8000")],
            &[("ATTACKER_URL", "localhost:5174")],
            &[("LAB_PORT", "6000"), ("ATTACKER_PORT", "6000")],
        ];
        for vars in cases {
            let error = with(vars).expect_err("an invalid value must be refused");
            let (name, _) = vars.last().unwrap();
            assert!(error.contains(name), "the error names {name}: {error}");
        }
    }
}
