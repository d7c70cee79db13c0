//! Errors as `application/problem+json` (RFC 9457): a type, a title, the status, a detail a
//! person can act on, and for input problems the list of fields and what is wrong with each.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::app::AppError;
use crate::domain::errors::FieldError;

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `urn:convene:problem:validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For input problems: each field and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For plugin failures: the activity type that failed, and how (timeout, out_of_memory,
    /// trap, malformed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<PluginFailure>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PluginFailure {
    pub id: String,
    pub failure: String,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:convene:problem:{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: vec![],
            plugin: None,
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Problem {
        self.errors = errors;
        self
    }

    pub fn field(status: StatusCode, kind: &str, field: &str, problem: impl Into<String>) -> Problem {
        let problem = problem.into();
        Problem::new(status, kind, format!("{field}: {problem}")).with_errors(vec![FieldError::new(field, problem)])
    }

    pub fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = HttpResponse::build(status);
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)));
        if status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"convene\"")));
        }
        res.json(self)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        self.response()
    }
}

impl From<&AppError> for Problem {
    fn from(e: &AppError) -> Problem {
        match e {
            AppError::Invalid(errors) => {
                let detail = errors.iter().map(|e| format!("{}: {}", e.field, e.problem)).collect::<Vec<_>>().join("; ");
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", detail).with_errors(errors.clone())
            }
            AppError::BadRequest(f) => Problem::field(StatusCode::BAD_REQUEST, "bad-request", &f.field, f.problem.clone()),
            AppError::NotFound(what) => Problem::new(StatusCode::NOT_FOUND, "not-found", format!("{what} not found")),
            AppError::Unauthenticated(why) => Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", why.clone()),
            AppError::Forbidden(why) => Problem::new(StatusCode::FORBIDDEN, "forbidden", why.clone()),
            AppError::Conflict(f) => Problem::field(StatusCode::CONFLICT, "conflict", &f.field, f.problem.clone()),
            AppError::Gone(why) => Problem::new(StatusCode::GONE, "gone", why.clone()),
            AppError::TooLarge(f) => Problem::field(StatusCode::PAYLOAD_TOO_LARGE, "too-large", &f.field, f.problem.clone()),
            AppError::Plugin { plugin, kind, detail } => Problem {
                plugin: Some(PluginFailure { id: plugin.clone(), failure: kind.to_string() }),
                ..Problem::new(StatusCode::BAD_GATEWAY, "plugin-failed", detail.clone())
            },
            AppError::TooManyRequests { detail, .. } => Problem::new(StatusCode::TOO_MANY_REQUESTS, "too-many-requests", detail.clone()),
            AppError::Unavailable(why) => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", why.clone()),
            AppError::Db(err) if is_connection_problem(err) => {
                tracing::error!(error = %err, "database unavailable");
                Problem::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the database is unavailable; try again shortly")
            }
            // A duplicate that no use case anticipated is still the client's conflict, not a
            // server error; logged so the missing check gets written.
            AppError::Db(err) if crate::adapters::store::is_unique_violation(err) => {
                tracing::warn!(error = %err, "unanticipated unique violation");
                Problem::new(StatusCode::CONFLICT, "conflict", "this conflicts with something stored meanwhile; reload and try again")
            }
            AppError::Db(err) => {
                tracing::error!(error = %err, "database error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side; it has been logged")
            }
            AppError::Internal(err) => {
                tracing::error!(error = %err, "internal error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side; it has been logged")
            }
        }
    }
}

fn is_connection_problem(err: &sea_orm::DbErr) -> bool {
    matches!(err, sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_))
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(Problem::from(self).status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = Problem::from(self).response();
        if let AppError::TooManyRequests { retry_after, .. } = self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        res
    }
}
