//! Typed settings, and where each value came from.
//!
//! Settings are layered, each layer overriding the one before:
//!
//! 1. `config/default.toml`: what every environment shares;
//! 2. `config/development.toml` or `config/production.toml`, chosen by `ENV`;
//! 3. variables from a `.env` file, named `APP__SECTION__KEY`;
//! 4. real environment variables with the same names.
//!
//! A `.env` file is a convenience for local runs, so it never overrides a
//! variable that is really set. Lists are written comma-separated in variables
//! (`APP__CORS__ALLOW_ORIGINS=http://a.test,http://b.test`).
//!
//! Two things make mistakes loud instead of silent. Unknown keys are refused in
//! every layer (`allow_origin = [...]` must not quietly fall back to "no
//! origins"), and every layer is remembered, so that a validation error can say
//! which file or variable the bad value came from.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use config::{Config, File, FileFormat};
use cors_rules::policy::{DEFAULT_MAX_AGE, DEFAULT_METHODS};
use cors_rules::ConfigKey;
use serde::Deserialize;

use crate::settings_check::SettingKey;

/// The deployment environment, chosen by the `ENV` variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    pub const ALL: [Environment; 2] = [Environment::Development, Environment::Production];

    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<&str> for Environment {
    type Error = String;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Environment::ALL
            .into_iter()
            .find(|env| env.as_str() == value.to_lowercase())
            .ok_or_else(|| {
                let valid: Vec<_> = Environment::ALL.iter().map(|e| e.as_str()).collect();
                format!(
                    "ENV = {value:?} is not a known environment; use one of: {}",
                    valid.join(", ")
                )
            })
    }
}

/// Everything the backend reads from `config/`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub cors: CorsSettings,
    pub recorder: RecorderSettings,
    pub exhibits: ExhibitsSettings,
    pub lab: LabSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// `127.0.0.1` natively; `0.0.0.0` in a container.
    pub host: String,
    /// `0` picks a free port (the tests do that).
    pub port: u16,
    /// Host names the API answers to besides `localhost`, `127.0.0.1` and `[::1]`
    /// (`middleware::check_host`): production lists its public names.
    pub allowed_hosts: Vec<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            host: "127.0.0.1".into(),
            port: 8000,
            allowed_hosts: Vec::new(),
        }
    }
}

/// The CORS policy as written, with the names and defaults of Starlette's
/// `CORSMiddleware`. It is not trusted yet: `cors::CorsPolicy::from_settings`
/// validates and normalises it before anything listens.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorsSettings {
    /// Exact origins (`scheme://host[:port]`), or `["*"]` for any origin.
    pub allow_origins: Vec<String>,
    /// A regular expression an origin must match in full.
    pub allow_origin_regex: Option<String>,
    /// Methods a preflight may ask for; `["*"]` means the standard ones.
    pub allow_methods: Vec<String>,
    /// Request headers a preflight may ask for; `["*"]` means any.
    pub allow_headers: Vec<String>,
    /// Whether the page may read answers to requests sent with credentials (cookies,
    /// HTTP authentication, TLS client certificates), and whether such a request
    /// that needs a preflight may go ahead. It does not decide what the browser
    /// sends: the page's `credentials` mode and the cookie's rules do.
    pub allow_credentials: bool,
    /// Response headers the page may read beyond the safelisted ones.
    pub expose_headers: Vec<String>,
    /// Seconds a browser may cache a preflight's answer.
    /// Signed so that a negative value is reported by the validator, not by serde.
    pub max_age: i64,
}

impl Default for CorsSettings {
    fn default() -> Self {
        CorsSettings {
            allow_origins: Vec::new(),
            allow_origin_regex: None,
            allow_methods: DEFAULT_METHODS.map(String::from).to_vec(),
            allow_headers: Vec::new(),
            allow_credentials: false,
            expose_headers: Vec::new(),
            max_age: DEFAULT_MAX_AGE.into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecorderSettings {
    /// How many exchanges the in-memory ring keeps (`settings_check` bounds it).
    /// Signed so that a negative value is reported by the check, not by serde.
    pub capacity: i64,
}

impl Default for RecorderSettings {
    fn default() -> Self {
        RecorderSettings { capacity: 500 }
    }
}

/// `[exhibits]`: the deliberately misconfigured endpoints under `/exhibits`
/// (`crate::exhibits`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExhibitsSettings {
    /// Whether they are served at all. Off unless an environment turns them on: one
    /// of them lets any website read the logged-in user.
    pub enabled: bool,
}

/// The lab's own pages, where `config/default.toml` does not say otherwise.
pub const LAB_ORIGINS: [&str; 2] = ["http://localhost:5173", "http://127.0.0.1:5173"];

/// `[lab]`: the lab's instruments under `/lab` (the recorder read back, the policy,
/// whether the exhibits are on). `settings_check` validates it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LabSettings {
    /// Whether `/lab` is served and the recorder keeps exchanges. Off unless an
    /// environment turns it on: the recorder keeps the path and query of every
    /// request, so whoever reads it learns what the API's users ask for.
    pub enabled: bool,
    /// The only origins whose pages may read `/lab`: the lab's own.
    pub origins: Vec<String>,
}

impl Default for LabSettings {
    fn default() -> Self {
        LabSettings {
            enabled: false,
            origins: LAB_ORIGINS.map(String::from).to_vec(),
        }
    }
}

/// Settings together with the environment they were loaded for and their sources.
#[derive(Debug, Clone)]
pub struct LoadedSettings {
    pub env: Environment,
    pub settings: Settings,
    pub sources: Sources,
}

/// The `[cors]` keys whose values are lists (comma-separated in variables).
const LIST_KEYS: [ConfigKey; 4] = [
    ConfigKey::AllowOrigins,
    ConfigKey::AllowMethods,
    ConfigKey::AllowHeaders,
    ConfigKey::ExposeHeaders,
];

/// The other keys whose values are lists.
const OTHER_LIST_KEYS: [SettingKey; 2] = [SettingKey::LabOrigins, SettingKey::ServerAllowedHosts];

/// The process environment, plus what a `.env` file adds to it.
#[derive(Debug, Clone, Default)]
pub struct EnvSnapshot {
    process: HashMap<String, String>,
    dotenv: HashMap<String, String>,
    dotenv_path: Option<PathBuf>,
}

impl EnvSnapshot {
    /// Reads the real environment and the nearest `.env` (current directory or a parent).
    pub fn capture() -> Result<Self, ConfigError> {
        let dotenv_path = std::env::current_dir()
            .ok()
            .and_then(|dir| find_upwards(&dir, Path::new(".env")));
        Self::from_parts(std::env::vars().collect(), dotenv_path.as_deref())
    }

    /// The environment `process`, with the variables of the `.env` file at `dotenv_path`
    /// for the names `process` does not set.
    pub fn from_parts(
        process: HashMap<String, String>,
        dotenv_path: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let mut dotenv = HashMap::new();
        if let Some(path) = dotenv_path {
            let bad_file = |e: dotenvy::Error| ConfigError::DotEnv {
                path: path.to_owned(),
                message: e.to_string(),
            };
            for item in dotenvy::from_path_iter(path).map_err(bad_file)? {
                let (key, value) = item.map_err(bad_file)?;
                dotenv.insert(key, value);
            }
        }
        Ok(EnvSnapshot {
            process,
            dotenv,
            dotenv_path: dotenv_path.map(Path::to_owned),
        })
    }

    /// A variable's value: the real environment first, then `.env`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.process
            .get(name)
            .or_else(|| self.dotenv.get(name))
            .map(String::as_str)
    }
}

/// One layer of settings, and where a person would look for it.
#[derive(Debug, Clone)]
struct Layer {
    origin: LayerOrigin,
    config: Config,
}

#[derive(Debug, Clone)]
enum LayerOrigin {
    File(PathBuf),
    /// `APP__…` variables from a `.env` file.
    DotEnv(PathBuf),
    /// `APP__…` variables really set in the environment.
    Environment,
}

impl LayerOrigin {
    fn label(&self) -> String {
        match self {
            LayerOrigin::File(path) | LayerOrigin::DotEnv(path) => path.display().to_string(),
            LayerOrigin::Environment => "the environment".into(),
        }
    }
}

/// Where every value came from, to name it in error messages.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    layers: Vec<Layer>,
}

impl Sources {
    /// The file or variable that set `key` (e.g. `cors.allow_origins`): the last
    /// layer that has it wins, as it does when the layers are merged.
    pub fn of(&self, key: &str) -> String {
        let variable = format!("APP__{}", key.replace('.', "__").to_uppercase());
        let layer = self
            .layers
            .iter()
            .rev()
            .find(|layer| layer.config.get::<config::Value>(key).is_ok());
        match layer.map(|layer| &layer.origin) {
            Some(LayerOrigin::File(path)) => path.display().to_string(),
            Some(LayerOrigin::DotEnv(path)) => format!("{variable} in {}", path.display()),
            Some(LayerOrigin::Environment) => format!("environment variable {variable}"),
            None => "the built-in default".into(),
        }
    }
}

/// Why settings could not be loaded.
#[derive(Debug)]
pub enum ConfigError {
    UnknownEnvironment(String),
    ConfigDirNotFound { searched_from: PathBuf },
    MissingFile(PathBuf),
    DotEnv { path: PathBuf, message: String },
    Layer { label: String, message: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnknownEnvironment(message) => f.write_str(message),
            ConfigError::ConfigDirNotFound { searched_from } => write!(
                f,
                "no config/default.toml in {} or any parent directory; \
                 run from the project or set APP_CONFIG_DIR to the config folder",
                searched_from.display()
            ),
            ConfigError::MissingFile(path) => {
                write!(
                    f,
                    "{} is missing; every environment needs its file",
                    path.display()
                )
            }
            ConfigError::DotEnv { path, message } => {
                write!(f, "{} cannot be read: {message}", path.display())
            }
            ConfigError::Layer { label, message } => write!(f, "{label}: {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}

impl LoadedSettings {
    /// Loads the settings for the `ENV` in `vars`, from the config folder named by
    /// `APP_CONFIG_DIR` or found by walking up from the working directory.
    pub fn load(vars: &EnvSnapshot) -> Result<Self, ConfigError> {
        let env = match vars.get("ENV") {
            None | Some("") => Environment::Development,
            Some(value) => Environment::try_from(value).map_err(ConfigError::UnknownEnvironment)?,
        };
        let config_dir = match vars.get("APP_CONFIG_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
                find_upwards(&cwd, Path::new("config/default.toml"))
                    .and_then(|file| file.parent().map(Path::to_owned))
                    .ok_or(ConfigError::ConfigDirNotFound { searched_from: cwd })?
            }
        };

        let mut layers = Vec::new();
        for name in ["default".to_string(), env.to_string()] {
            let path = config_dir.join(format!("{name}.toml"));
            if !path.is_file() {
                return Err(ConfigError::MissingFile(path));
            }
            let source = File::from(path.as_path()).format(FileFormat::Toml);
            layers.push(build_layer(LayerOrigin::File(shortened(path)), source)?);
        }
        let variable_layers = [
            (
                vars.dotenv_path.clone().map(LayerOrigin::DotEnv),
                &vars.dotenv,
            ),
            (Some(LayerOrigin::Environment), &vars.process),
        ];
        for (origin, vars) in variable_layers {
            let app_vars: config::Map<String, String> = vars
                .iter()
                .filter(|(name, _)| name.starts_with("APP__"))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            let Some(origin) = origin.filter(|_| !app_vars.is_empty()) else {
                continue;
            };
            let mut source = config::Environment::with_prefix("APP")
                .prefix_separator("__")
                .separator("__")
                .list_separator(",")
                .try_parsing(true)
                .source(Some(app_vars));
            for key in LIST_KEYS {
                source = source.with_list_parse_key(&key.path());
            }
            for key in OTHER_LIST_KEYS {
                source = source.with_list_parse_key(key.path());
            }
            layers.push(build_layer(origin, source)?);
        }

        let mut builder = Config::builder();
        for layer in &layers {
            builder = builder.add_source(layer.config.clone());
        }
        let settings = builder
            .build()
            .and_then(Config::try_deserialize::<Settings>)
            .map_err(|e| ConfigError::Layer {
                label: "the merged settings".into(),
                message: e.to_string(),
            })?;
        Ok(LoadedSettings {
            env,
            settings: settings.with_trimmed_lists(),
            sources: Sources { layers },
        })
    }
}

impl Settings {
    /// Comma-separated lists in variables are often written with spaces after the commas.
    fn with_trimmed_lists(mut self) -> Self {
        for list in [
            &mut self.cors.allow_origins,
            &mut self.cors.allow_methods,
            &mut self.cors.allow_headers,
            &mut self.cors.expose_headers,
            &mut self.lab.origins,
            &mut self.server.allowed_hosts,
        ] {
            for item in list.iter_mut() {
                *item = item.trim().to_string();
            }
        }
        self
    }
}

/// Builds one layer alone and checks it for unknown keys and wrong types, so that a
/// mistake is reported against the file or variable that contains it.
fn build_layer<S>(origin: LayerOrigin, source: S) -> Result<Layer, ConfigError>
where
    S: config::Source + Send + Sync + 'static,
{
    let fail = |e: config::ConfigError| ConfigError::Layer {
        label: origin.label(),
        message: e.to_string(),
    };
    let config = Config::builder().add_source(source).build().map_err(fail)?;
    config.clone().try_deserialize::<Settings>().map_err(fail)?;
    Ok(Layer { origin, config })
}

/// `path` relative to the working directory when it is below it, as people write it.
fn shortened(path: PathBuf) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_owned))
        .unwrap_or(path)
}

/// The first `dir/relative`, `dir/../relative`, ... that exists.
fn find_upwards(dir: &Path, relative: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|ancestor| ancestor.join(relative))
        .find(|candidate| candidate.exists())
}
