//! The one error vocabulary of the tenant API. Every error answer is
//! `{"error": {"code", "message"}}` ([`ErrorBody`]) with a stable [`ErrorCode`] that clients
//! branch on; the message is for people and may change.

use serde::{Deserialize, Serialize};

/// Why the server refused a request. The HTTP status of each is [`ErrorCode::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    /// 400: the request is malformed (unparsable JSON).
    BadRequest,
    /// 422: well-formed but invalid input (the message names the field).
    Validation,
    /// 401: missing, expired or invalid credentials.
    Unauthorized,
    /// 403: signed in, but the role does not allow it.
    Forbidden,
    /// 403: the community is suspended by the platform operator.
    CommunitySuspended,
    /// 404: nothing of that id visible to the caller (also another tenant's).
    NotFound,
    /// 405: the path exists, not with this method.
    MethodNotAllowed,
    /// 409: it already exists, or conflicts with the current state.
    Conflict,
    /// 409: a user with this email exists.
    EmailTaken,
    /// 409: the user is already a member of the community.
    AlreadyMember,
    /// 409: the change would leave the community without an admin.
    LastAdmin,
    /// 409: a push skipped mutation ids; the client resends from the first missing one.
    MutationGap,
    /// 409: the signal provider is disabled.
    ProviderDisabled,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 500: a bug or an unavailable dependency (logged on the server, never detailed).
    Internal,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::BadRequest,
        ErrorCode::Validation,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::CommunitySuspended,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::EmailTaken,
        ErrorCode::AlreadyMember,
        ErrorCode::LastAdmin,
        ErrorCode::MutationGap,
        ErrorCode::ProviderDisabled,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
    ];

    /// The HTTP status this code is answered with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Validation => 422,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::CommunitySuspended => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict
            | ErrorCode::EmailTaken
            | ErrorCode::AlreadyMember
            | ErrorCode::LastAdmin
            | ErrorCode::MutationGap
            | ErrorCode::ProviderDisabled => 409,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }

    /// The wire spelling (`not_found`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Validation => "validation",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::CommunitySuspended => "community_suspended",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::AlreadyMember => "already_member",
            ErrorCode::LastAdmin => "last_admin",
            ErrorCode::MutationGap => "mutation_gap",
            ErrorCode::ProviderDisabled => "provider_disabled",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
        }
    }

    /// Inverse of [`ErrorCode::as_str`]; `None` for a code this build does not know (a
    /// newer server).
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Human-readable explanation (never internals).
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_serdes_and_round_trip() {
        for c in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(ErrorCode::parse(c.as_str()), Some(*c));
            assert!((400..600).contains(&c.status()));
        }
        assert_eq!(ErrorCode::parse("teapot"), None);
    }
}
