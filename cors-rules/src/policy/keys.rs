//! The names of the policy's settings: one enum, rendered in one place.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A `[cors]` key, named as in Starlette's `CORSMiddleware`.
///
/// It is written as `allow_origins` in `config/*.toml`, as `APP__CORS__ALLOW_ORIGINS`
/// in the environment, and as `allow_origins=` in FastAPI's `add_middleware`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigKey {
    AllowOrigins,
    AllowOriginRegex,
    AllowMethods,
    AllowHeaders,
    AllowCredentials,
    ExposeHeaders,
    MaxAge,
}

impl ConfigKey {
    /// Every key, in the order the README and `check-config` list them.
    pub const ALL: [ConfigKey; 7] = [
        ConfigKey::AllowOrigins,
        ConfigKey::AllowOriginRegex,
        ConfigKey::AllowMethods,
        ConfigKey::AllowHeaders,
        ConfigKey::AllowCredentials,
        ConfigKey::ExposeHeaders,
        ConfigKey::MaxAge,
    ];

    /// The key as written in a `[cors]` table, e.g. `allow_origins`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigKey::AllowOrigins => "allow_origins",
            ConfigKey::AllowOriginRegex => "allow_origin_regex",
            ConfigKey::AllowMethods => "allow_methods",
            ConfigKey::AllowHeaders => "allow_headers",
            ConfigKey::AllowCredentials => "allow_credentials",
            ConfigKey::ExposeHeaders => "expose_headers",
            ConfigKey::MaxAge => "max_age",
        }
    }

    /// Its full name in the settings, in the `[cors]` table: `cors.allow_origins`.
    pub fn path(self) -> String {
        format!("cors.{}", self.as_str())
    }

    /// The environment variable that overrides it, e.g. `APP__CORS__ALLOW_ORIGINS`.
    pub fn env_var(self) -> String {
        format!("APP__CORS__{}", self.as_str().to_ascii_uppercase())
    }
}

impl fmt::Display for ConfigKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_is_written_the_same_in_toml_json_and_the_environment() {
        for key in ConfigKey::ALL {
            let json = serde_json::to_string(&key).unwrap();
            assert_eq!(json, format!("\"{key}\""), "JSON spelling of {key:?}");
            assert_eq!(
                key.path(),
                format!("cors.{key}"),
                "settings path of {key:?}"
            );
            assert_eq!(
                key.env_var(),
                format!("APP__CORS__{}", key.as_str().to_uppercase()),
                "variable of {key:?}"
            );
        }
    }
}
