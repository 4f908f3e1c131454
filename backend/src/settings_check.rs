//! Checking the settings that are not the CORS policy, before anything listens.
//!
//! `cors::validate` checks `[cors]`. This checks the rest: the lab's origins, the
//! recorder's size and the host names the server answers to. A wrong value there
//! does not fail loudly on its own. A huge `recorder.capacity` crashes the server
//! later, and an odd entry in a list silently never matches. So each one is refused
//! here, with the key, the value and the file or variable it came from.
//!
//! Some settings work as written but expose something. The lab's instruments in
//! production show every user's requests, and the exhibits on a public address are
//! broken on purpose for anyone. Those start with a warning.

use std::fmt;
use std::net::IpAddr;

use cors_rules::fetch::origin::{self, OriginProblem};
use lab_types::exhibits::ExhibitId;

pub use lab_types::hosts::HostProblem;

use crate::configuration::{Environment, LoadedSettings, Settings};

/// The most exchanges the recorder may keep. Each holds a request's origin, path
/// and CORS headers, so this bounds its memory together with its byte budget.
pub const MAX_RECORDER_CAPACITY: usize = 10_000;

/// A setting outside `[cors]` (those are `cors_rules::ConfigKey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKey {
    ServerHost,
    ServerAllowedHosts,
    RecorderCapacity,
    ExhibitsEnabled,
    LabEnabled,
    LabOrigins,
}

impl SettingKey {
    /// Its full name in the settings, e.g. `lab.origins`.
    pub fn path(self) -> &'static str {
        match self {
            SettingKey::ServerHost => "server.host",
            SettingKey::ServerAllowedHosts => "server.allowed_hosts",
            SettingKey::RecorderCapacity => "recorder.capacity",
            SettingKey::ExhibitsEnabled => "exhibits.enabled",
            SettingKey::LabEnabled => "lab.enabled",
            SettingKey::LabOrigins => "lab.origins",
        }
    }
}

/// Where a finding points: a key, or one entry of its list (`lab.origins[1]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingPath {
    pub key: SettingKey,
    pub index: Option<usize>,
}

impl fmt::Display for SettingPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key.path())?;
        match self.index {
            Some(index) => write!(f, "[{index}]"),
            None => Ok(()),
        }
    }
}

/// What is wrong with one setting, or worth a warning about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingProblem {
    /// An entry of `lab.origins` that no browser sends as `Origin`.
    NotAnOrigin(OriginProblem),
    /// `"*"` in `lab.origins`.
    LabWildcard,
    /// `recorder.capacity` beyond [`MAX_RECORDER_CAPACITY`].
    CapacityOutOfRange,
    /// An entry of `server.allowed_hosts` that no `Host` header carries.
    NotAHost(HostProblem),
    /// Warning: `lab.enabled` under `ENV=production`.
    LabInProduction,
    /// Warning: `lab.enabled` with an empty `lab.origins`.
    LabWithoutOrigins,
    /// Warning: `exhibits.enabled` under `ENV=production`.
    ExhibitsInProduction,
    /// Warning: `exhibits.enabled` while `server.host` is reachable from elsewhere.
    ExhibitsBeyondLoopback { exhibits_source: String },
}

impl fmt::Display for SettingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingProblem::NotAnOrigin(problem) => problem.fmt(f),
            SettingProblem::LabWildcard => f.write_str(
                "the lab's instruments never answer every origin: the recorder holds the path \
                 and query of every request, and any website could read them; list the lab's \
                 own origins",
            ),
            SettingProblem::CapacityOutOfRange => write!(
                f,
                "must be from 0 to {MAX_RECORDER_CAPACITY} exchanges (0 records nothing): \
                 the recorder keeps them in memory"
            ),
            SettingProblem::NotAHost(problem) => problem.fmt(f),
            SettingProblem::LabInProduction => f.write_str(
                "turns the lab's instruments on in ENV=production: anyone who can reach the API \
                 can read the paths and queries its users request (GET /lab/exchanges, \
                 /lab/events); lab.origins only limits browsers, not curl",
            ),
            SettingProblem::LabWithoutOrigins => f.write_str(
                "lab.origins is empty: no page can read the lab's instruments; list the lab's \
                 origins",
            ),
            SettingProblem::ExhibitsInProduction => write!(
                f,
                "turns the exhibits on in ENV=production, but they are broken on purpose: \
                 {} lets any website read the logged-in user",
                ExhibitId::ReflectAnyOrigin.path()
            ),
            SettingProblem::ExhibitsBeyondLoopback { exhibits_source } => write!(
                f,
                "is not a loopback address while exhibits.enabled = true (from \
                 {exhibits_source}): the exhibits are broken on purpose, and now reachable \
                 beyond this machine; bind 127.0.0.1, or publish the port on loopback only \
                 (\"127.0.0.1:8000:8000\" in docker-compose.yml)"
            ),
        }
    }
}

/// One problem with one setting, written like the CORS validator's findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingFinding {
    pub key: SettingPath,
    /// The value as written, quoted where it is a string.
    pub value: String,
    /// e.g. `config/default.toml` or `environment variable APP__LAB__ORIGINS`
    pub source: String,
    pub problem: SettingProblem,
}

impl fmt::Display for SettingFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {} (from {}): {}",
            self.key, self.value, self.source, self.problem
        )
    }
}

/// Settings that passed, and what is worth a warning about them.
#[derive(Debug)]
pub struct Checked {
    pub warnings: Vec<SettingFinding>,
}

/// Checks everything but `[cors]`; on failure, every error found.
pub fn check(loaded: &LoadedSettings) -> Result<Checked, Vec<SettingFinding>> {
    let mut checker = Checker::new(&loaded.settings, |key| loaded.sources.of(key));
    checker.errors();
    checker.warnings(loaded.env);
    match checker.errors.is_empty() {
        true => Ok(Checked {
            warnings: checker.warnings,
        }),
        false => Err(checker.errors),
    }
}

/// Refuses settings that `check` would refuse, for a caller that did not run it
/// (`startup::Application::build` is also a library function). Without the
/// layers, it cannot say which file a value came from.
pub fn refuse_unchecked(settings: &Settings) -> std::io::Result<()> {
    let mut checker = Checker::new(settings, |_| "settings that were not checked".into());
    checker.errors();
    match checker.errors.first() {
        None => Ok(()),
        Some(error) => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{error}; run `backend check-config`"),
        )),
    }
}

struct Checker<'a, S> {
    settings: &'a Settings,
    source_of: S,
    errors: Vec<SettingFinding>,
    warnings: Vec<SettingFinding>,
}

impl<'a, S: Fn(&str) -> String> Checker<'a, S> {
    fn new(settings: &'a Settings, source_of: S) -> Self {
        Checker {
            settings,
            source_of,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn finding(&self, key: SettingPath, value: String, problem: SettingProblem) -> SettingFinding {
        SettingFinding {
            key,
            value,
            // `lab.origins[2]` comes from wherever `lab.origins` was set.
            source: (self.source_of)(key.key.path()),
            problem,
        }
    }

    fn error(&mut self, key: SettingPath, value: String, problem: SettingProblem) {
        let finding = self.finding(key, value, problem);
        self.errors.push(finding);
    }

    fn warning(&mut self, key: SettingKey, value: String, problem: SettingProblem) {
        let finding = self.finding(whole(key), value, problem);
        self.warnings.push(finding);
    }

    fn errors(&mut self) {
        let settings = self.settings;
        for (i, text) in settings.lab.origins.iter().enumerate() {
            let problem = match origin::parse(text) {
                Ok(_) => continue,
                Err(OriginProblem::Wildcard) if text == "*" => SettingProblem::LabWildcard,
                Err(problem) => SettingProblem::NotAnOrigin(problem),
            };
            self.error(entry(SettingKey::LabOrigins, i), quoted(text), problem);
        }
        let capacity = settings.recorder.capacity;
        if !(0..=MAX_RECORDER_CAPACITY as i64).contains(&capacity) {
            self.error(
                whole(SettingKey::RecorderCapacity),
                capacity.to_string(),
                SettingProblem::CapacityOutOfRange,
            );
        }
        for (i, name) in settings.server.allowed_hosts.iter().enumerate() {
            if let Err(problem) = lab_types::hosts::check_listed(name) {
                let key = entry(SettingKey::ServerAllowedHosts, i);
                self.error(key, quoted(name), SettingProblem::NotAHost(problem));
            }
        }
    }

    fn warnings(&mut self, env: Environment) {
        let settings = self.settings;
        let production = env == Environment::Production;
        if settings.lab.enabled && production {
            let problem = SettingProblem::LabInProduction;
            self.warning(SettingKey::LabEnabled, "true".into(), problem);
        }
        if settings.lab.enabled && settings.lab.origins.is_empty() {
            let problem = SettingProblem::LabWithoutOrigins;
            self.warning(SettingKey::LabOrigins, "[]".into(), problem);
        }
        if settings.exhibits.enabled && production {
            let problem = SettingProblem::ExhibitsInProduction;
            self.warning(SettingKey::ExhibitsEnabled, "true".into(), problem);
        }
        if settings.exhibits.enabled && !is_loopback(&settings.server.host) {
            let exhibits_source = (self.source_of)(SettingKey::ExhibitsEnabled.path());
            let problem = SettingProblem::ExhibitsBeyondLoopback { exhibits_source };
            let host = quoted(&settings.server.host);
            self.warning(SettingKey::ServerHost, host, problem);
        }
    }
}

/// `localhost`, or a loopback IP address: reachable only from this machine.
fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn whole(key: SettingKey) -> SettingPath {
    SettingPath { key, index: None }
}

fn entry(key: SettingKey, index: usize) -> SettingPath {
    SettingPath {
        key,
        index: Some(index),
    }
}

fn quoted(value: &str) -> String {
    format!("{value:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_localhost_and_loopback_addresses_are_loopback() {
        let cases = [
            ("127.0.0.1", true),
            ("127.0.0.2", true),
            ("::1", true),
            ("localhost", true),
            ("0.0.0.0", false),
            ("::", false),
            ("192.168.1.20", false),
            ("api.example.com", false),
        ];
        for (host, loopback) in cases {
            assert_eq!(is_loopback(host), loopback, "{host}");
        }
    }
}
