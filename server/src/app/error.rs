//! What can go wrong in a use case, in terms the HTTP layer turns into problem+json.

use sea_orm::DbErr;

use crate::domain::errors::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input parsed but breaks a rule (422): each problem names its field.
    #[error("{}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// The request itself is malformed (400).
    #[error("{}: {}", .0.field, .0.problem)]
    BadRequest(FieldError),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// No valid credentials (401).
    #[error("{0}")]
    Unauthenticated(String),
    /// Valid credentials, not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// Clashes with the current state (409), e.g. a duplicate email.
    #[error("{}: {}", .0.field, .0.problem)]
    Conflict(FieldError),
    /// Existed once and no longer can be used (410), e.g. a used login link.
    #[error("{0}")]
    Gone(String),
    /// The input is larger than allowed (413).
    #[error("{}: {}", .0.field, .0.problem)]
    TooLarge(FieldError),
    /// An activity-type plugin failed (timeout, crash, memory, bad output): 502, naming the
    /// plugin. Nothing was stored. Made by [`AppError::plugin`].
    #[error("{detail}")]
    Plugin { plugin: String, kind: &'static str, detail: String },
    /// A rate limit was reached (429); `retry_after` is in seconds.
    #[error("{detail}")]
    TooManyRequests { retry_after: u64, detail: String },
    /// A dependency such as the mail server is down (503).
    #[error("{0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, problem)])
    }

    pub fn conflict(field: impl Into<String>, problem: impl Into<String>) -> AppError {
        AppError::Conflict(FieldError::new(field, problem))
    }

    /// A plugin's failure (502). Build it only here: the detail usually quotes the plugin's
    /// own words, which may be megabytes long or hold newlines, so it is cut to one short line.
    pub fn plugin(plugin: impl Into<String>, kind: &'static str, detail: impl AsRef<str>) -> AppError {
        AppError::Plugin { plugin: plugin.into(), kind, detail: crate::domain::plugin_text::excerpt(detail.as_ref()) }
    }

    pub fn bad_request(field: impl Into<String>, problem: impl Into<String>) -> AppError {
        AppError::BadRequest(FieldError::new(field, problem))
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

fn describe(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.problem)).collect::<Vec<_>>().join("; ")
}

pub type AppResult<T> = Result<T, AppError>;
