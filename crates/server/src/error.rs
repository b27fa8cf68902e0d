//! The one error type of the HTTP boundary. Every handler returns `Result<_, ApiError>`; the
//! body is always `{"error": {"code", "message"}}` with a stable `code` clients branch on.
//! A 500 is logged with its detail and answered without it.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
pub use tradebook_api::{ErrorBody, ErrorCode, ErrorDetail};

/// Everything a handler can fail with, mapped to a status in one place.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed request (unparsable JSON, bad query string).
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but invalid input.
    #[error("{0}")]
    Validation(String),
    /// Missing, expired or invalid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// The community is suspended by the platform operator.
    #[error("this community is suspended")]
    CommunitySuspended,
    /// No such resource visible to the caller (also for other tenants' resources).
    #[error("not found")]
    NotFound,
    /// The path exists but not with this method.
    #[error("method not allowed on this path")]
    MethodNotAllowed,
    /// The request conflicts with the current state.
    #[error("{message}")]
    Conflict {
        /// The contract's 409 code: `conflict`, `mutation_gap`, `email_taken`, ...
        code: ErrorCode,
        /// Explanation.
        message: String,
    },
    /// Too many requests; retry after this many seconds.
    #[error("too many requests")]
    RateLimited(u64),
    /// A bug or an unavailable dependency: logged, answered without detail.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// Shorthand for [`ApiError::Validation`].
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::Validation(message.into())
    }

    /// Shorthand for [`ApiError::Internal`].
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(detail.to_string())
    }

    /// The contract's code of this error (its HTTP status is [`ErrorCode::status`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Validation(_) => ErrorCode::Validation,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::CommunitySuspended => ErrorCode::CommunitySuspended,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::Conflict { code, .. } => *code,
            ApiError::RateLimited(_) => ErrorCode::RateLimited,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.code();
        let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal server error".to_string()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            error: ErrorDetail { code, message },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::RateLimited(secs) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> ApiError {
        use tokio_postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => ApiError::Conflict {
                code: ErrorCode::Conflict,
                message: "already exists".into(),
            },
            Some(c)
                if *c == SqlState::CHECK_VIOLATION
                    || *c == SqlState::FOREIGN_KEY_VIOLATION
                    || *c == SqlState::NUMERIC_VALUE_OUT_OF_RANGE
                    || *c == SqlState::INVALID_TEXT_REPRESENTATION
                    || *c == SqlState::STRING_DATA_RIGHT_TRUNCATION
                    || *c == SqlState::DATETIME_FIELD_OVERFLOW =>
            {
                ApiError::Validation("a value is out of range or refers to nothing".into())
            }
            _ => ApiError::Internal(format!("database: {e}")),
        }
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> ApiError {
        ApiError::Internal(format!("database pool: {e}"))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r {
            JsonRejection::JsonDataError(e) => ApiError::Validation(e.body_text()),
            other => ApiError::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::Validation(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> ApiError {
        ApiError::NotFound
    }
}

/// `axum::Json` whose rejection is an [`ApiError`] (so a bad body answers in the error shape).
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejection is an [`ApiError`].
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` whose rejection is an [`ApiError`] (an unparsable id is a 404).
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(e: ApiError) -> (StatusCode, serde_json::Value, Option<String>) {
        let response = e.into_response();
        let status = response.status();
        let retry = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(response.into_body(), 10_000).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap(), retry)
    }

    #[tokio::test]
    async fn internal_errors_are_answered_without_their_detail() {
        let (status, body, _) = body_of(ApiError::internal("password authentication failed for user x")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            body,
            serde_json::json!({"error": {"code": "internal", "message": "internal server error"}})
        );
    }

    #[tokio::test]
    async fn every_error_has_the_documented_shape() {
        let cases = [
            (ApiError::BadRequest("b".into()), 400, "bad_request"),
            (ApiError::validation("v"), 422, "validation"),
            (ApiError::Unauthorized("u".into()), 401, "unauthorized"),
            (ApiError::Forbidden("f".into()), 403, "forbidden"),
            (ApiError::CommunitySuspended, 403, "community_suspended"),
            (ApiError::NotFound, 404, "not_found"),
            (ApiError::MethodNotAllowed, 405, "method_not_allowed"),
            (
                ApiError::Conflict {
                    code: ErrorCode::MutationGap,
                    message: "m".into(),
                },
                409,
                "mutation_gap",
            ),
            (ApiError::RateLimited(7), 429, "rate_limited"),
        ];
        for (e, status, code) in cases {
            let (s, body, retry) = body_of(e).await;
            assert_eq!(s.as_u16(), status);
            assert_eq!(body["error"]["code"], code);
            assert!(body["error"]["message"].is_string());
            assert_eq!(retry.is_some(), status == 429);
        }
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;

    async fn refusal_of(uri: &str, body: Option<&str>) -> (StatusCode, serde_json::Value) {
        use axum::extract::FromRequest;
        let request = axum::http::Request::builder()
            .uri(uri)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.unwrap_or("").to_string()))
            .unwrap();
        let e = if body.is_some() {
            Json::<tradebook_api::members::ChangeRole>::from_request(request, &())
                .await
                .map(|_| ())
                .unwrap_err()
        } else {
            let (mut parts, _) = request.into_parts();
            use axum::extract::FromRequestParts;
            Query::<tradebook_api::community::MembersQuery>::from_request_parts(&mut parts, &())
                .await
                .map(|_| ())
                .unwrap_err()
        };
        let response = e.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 10_000).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    /// An unknown enum value is a 422 that names the field, in a body and in a query string.
    #[tokio::test]
    async fn a_bad_enum_value_is_a_422_naming_the_field() {
        let (status, body) = refusal_of("/x", Some(r#"{"role": "boss"}"#)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("role") && message.contains("boss"), "{message}");
        let (status, body) = refusal_of("/x?role=boss&page=1", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("role") && message.contains("boss"), "{message}");
    }
}
