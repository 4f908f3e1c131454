//! The command line: what the user typed, checked before anything is sent.
//!
//! Every mistake here ends with exit status 2 and a sentence naming the bad value,
//! never a panic: a probe that crashes on a typo teaches nothing.

use clap::{Parser, Subcommand, ValueEnum};
use cors_rules::fetch::origin;
use cors_rules::fetch::{parse_header_lines, Credentials, Request};
use reqwest::Url;

/// The browser's CORS checks from a terminal, for any API.
#[derive(Debug, Parser)]
#[command(name = "cors-probe", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send what Chromium would send from ORIGIN, run its checks on the answers, and
    /// say whether the page could read the response (exit 0), or why not (exit 1).
    Check(CheckArgs),
    /// Send origins an attacker controls and report what the server trusts
    /// (exit 1 on a finding of medium severity or higher).
    Audit(AuditArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The API's URL, e.g. http://localhost:8000/api/items.
    pub url: String,
    /// The page's origin, e.g. http://localhost:5173 (or `null`, a sandboxed page's).
    #[arg(long)]
    pub origin: String,
    /// The method, as the page writes it in fetch() (`patch` stays `patch`).
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// A header the page sets, `Name: value`; repeat for more.
    #[arg(short = 'H', long = "header")]
    pub headers: Vec<String>,
    /// fetch()'s credentials mode.
    #[arg(long, default_value = "same-origin")]
    pub credentials: String,
    /// Send a body of this kind, with the Content-Type fetch() would give it.
    #[arg(long, value_enum)]
    pub body_type: Option<BodyType>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The API's URL, e.g. https://api.example.com/items.
    pub url: String,
    /// An origin the API means to trust; its lookalikes are tried. Repeat for more.
    #[arg(long = "trusted-origin")]
    pub trusted_origins: Vec<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The bodies a page commonly sends, and the Content-Type each gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BodyType {
    /// `application/json`: not one a form could send, so it is preflighted.
    Json,
    /// A string without Content-Type: fetch() sends `text/plain;charset=UTF-8`.
    Text,
    /// `application/x-www-form-urlencoded`, as an HTML form sends.
    Form,
}

/// A `check`, validated: a URL, an origin and the fetch() call the page makes.
#[derive(Debug, Clone)]
pub struct CheckPlan {
    pub url: Url,
    pub origin: String,
    pub request: Request,
    pub json: bool,
}

/// Checks the URL: absolute, http or https, with a host.
pub fn parse_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| {
        format!(
            "`{text}` is not a URL ({e}); write it in full, e.g. http://localhost:8000/api/items"
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "`{text}` is not an http:// or https:// URL with a host"
        ));
    }
    Ok(url)
}

/// Checks an origin is what a browser would send: `scheme://host[:port]`, or `null`.
pub fn parse_origin(flag: &str, text: &str) -> Result<String, String> {
    if text == "null" {
        return Ok(text.to_string());
    }
    origin::parse(text)
        .map(|origin| origin.to_string())
        .map_err(|problem| format!("{flag} `{text}`: {problem}"))
}

impl CheckArgs {
    /// The validated plan, or the sentence that says what is wrong.
    pub fn plan(&self) -> Result<CheckPlan, String> {
        let url = parse_url(&self.url)?;
        let origin = parse_origin("--origin", &self.origin)?;
        let credentials = Credentials::parse(&self.credentials).ok_or_else(|| {
            format!(
                "--credentials `{}`: write include, same-origin or omit",
                self.credentials
            )
        })?;
        if self.method.is_empty() || !self.method.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!("--method `{}` is not an HTTP method", self.method));
        }
        let mut request = Request::new(&self.method, url.as_str()).credentials(credentials);
        for header in &self.headers {
            let parsed = parse_header_lines(header)
                .map_err(|e| format!("-H `{header}`: {}", e.trim_start_matches("line 1: ")))?;
            if parsed.is_empty() {
                return Err(format!("-H `{header}`: write `Name: value`"));
            }
            request.headers.extend(parsed);
        }
        if let Some(body_type) = self.body_type {
            let upper = self.method.to_ascii_uppercase();
            if upper == "GET" || upper == "HEAD" {
                return Err(format!(
                    "--body-type with {}: fetch() throws a TypeError, a {upper} request cannot have a body",
                    self.method
                ));
            }
            request = with_body(request, body_type);
        }
        Ok(CheckPlan {
            url,
            origin,
            request,
            json: self.json,
        })
    }
}

/// Adds a body as fetch() sends it, unless the page set its own Content-Type.
fn with_body(mut request: Request, body_type: BodyType) -> Request {
    let has_type = request
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    let (content_type, body) = match body_type {
        BodyType::Json => (Some("application/json"), r#"{"from":"cors-probe"}"#),
        // A string body: fetch() adds text/plain;charset=UTF-8 itself (the
        // prediction notes it, and the wire layer sends it).
        BodyType::Text => (None, "from cors-probe"),
        BodyType::Form => (Some("application/x-www-form-urlencoded"), "from=cors-probe"),
    };
    if let (Some(value), false) = (content_type, has_type) {
        request
            .headers
            .push(("Content-Type".to_string(), value.to_string()));
    }
    request.body = Some(body.to_string());
    request
}
