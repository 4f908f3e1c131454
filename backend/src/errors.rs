//! JSON error responses: every 4xx the API produces has an `ApiError` body.

use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use lab_types::{ApiError, ErrorCode};
use std::fmt;

/// Largest JSON body the API accepts.
pub const MAX_JSON_BODY: usize = 16 * 1024;

/// An error a handler or middleware returns; rendered as `ApiError` JSON.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    body: ApiError,
}

impl AppError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            status,
            body: ApiError {
                error: code,
                message: message.into(),
            },
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.body.error, self.body.message)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status).json(&self.body)
    }
}

/// JSON bodies: a size limit, and clear errors for bad ones.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_JSON_BODY)
        .error_handler(|err: JsonPayloadError, _req: &HttpRequest| {
            let error = match &err {
                // `Payload(Overflow)`: the body layer found the body too large
                // before the route read it (`middleware::limit_bodies`).
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Payload(PayloadError::Overflow) => AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    format!("the JSON body is larger than {MAX_JSON_BODY} bytes"),
                ),
                JsonPayloadError::ContentType => AppError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ErrorCode::UnsupportedMediaType,
                    "send the body with Content-Type: application/json",
                ),
                other => AppError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::InvalidJson,
                    format!("the body is not the expected JSON: {other}"),
                ),
            };
            error.into()
        })
}

/// Path parameters such as `/api/items/{id}`.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _req: &HttpRequest| {
        AppError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("no such resource: {err}"),
        )
        .into()
    })
}

/// Query strings such as `/lab/exchanges?since=3`.
///
/// serde says what was wrong with a value ("invalid digit found in string") but
/// not which parameter held it. Every parameter this API reads is a whole number,
/// so the message names the parameters whose values are not one.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, req: &HttpRequest| {
        let reason = match &err {
            QueryPayloadError::Deserialize(reason) => reason.to_string(),
            other => other.to_string(),
        };
        AppError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidQuery,
            query_message(req.path(), req.query_string(), &reason),
        )
        .into()
    })
}

/// The refusal of `query` on `path`, naming its parameters that are not numbers.
fn query_message(path: &str, query: &str, reason: &str) -> String {
    let not_numbers: Vec<String> = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(_, value)| value.parse::<u64>().is_err())
        .map(|(name, value)| format!("`{}` = {}", excerpt(name), quoted(value)))
        .collect();
    match not_numbers.as_slice() {
        [] => format!(
            "the query string {} of {path} cannot be read: {reason}",
            quoted(query)
        ),
        [one] => format!("the query parameter {one} of {path} must be a whole number: {reason}"),
        many => format!(
            "the query parameters of {path} are whole numbers, and one of {} is not: {reason}",
            many.join(", ")
        ),
    }
}

/// How much of a value sent by the client an error message repeats, in bytes.
const EXCERPT_LEN: usize = 100;

/// `text` as it may appear in a message: its first `EXCERPT_LEN` bytes, so that a
/// 60 KiB header does not make a 60 KiB answer (or log line).
pub fn excerpt(text: &str) -> String {
    if text.len() <= EXCERPT_LEN {
        return text.to_string();
    }
    let mut end = EXCERPT_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…[cut {} bytes]", &text[..end], text.len() - end)
}

/// [`excerpt`] in double quotes, with quotes and control characters escaped.
pub fn quoted(text: &str) -> String {
    format!("{:?}", excerpt(text))
}

/// Anything no route matches.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    AppError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        format!("no route for {} {}", req.method(), req.path()),
    )
    .error_response()
}
