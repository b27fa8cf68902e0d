//! The one error type that crosses the IPC boundary, serialized as
//! `{ "kind": ..., "data": ... }`. The UI branches on `kind` (stable) and, for the
//! community server's refusals, on the contract's [`ErrorCode`] — never on `message`.
//! Each kind means one thing, so the UI can say what to do next.

use serde::Serialize;
use tradebook_api::ErrorCode;
use tradebook_core::CoreError;
use tradebook_import::ImportError;
use tradebook_store::StoreError;

/// A command's failure.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type, thiserror::Error)]
#[serde(tag = "kind", content = "data")]
pub enum AppError {
    #[error("{message}")]
    NotFound { message: String },
    /// Bad input; `field` names the input field (as in the request type) it belongs to.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// The name or the thing is taken (an account name that exists).
    #[error("{message}")]
    Conflict { message: String },
    /// The journal is busy with another write (an import, another program); try again.
    #[error("{message}")]
    Busy { message: String },
    /// The user cancelled it; nothing was changed.
    #[error("{message}")]
    Cancelled { message: String },
    /// The journal is not connected to a community (Settings → Community connects it).
    #[error("{message}")]
    NotConnected { message: String },
    #[error("{message}")]
    Io { message: String },
    /// An import that could not run: the file, the line where there is one, and why.
    #[error("{file}: {message}")]
    Import {
        file: String,
        line: Option<u32>,
        message: String,
    },
    /// The community server does not answer (offline, wrong address); changes stay queued.
    #[error("{message}")]
    Unreachable { message: String },
    /// The community session is gone (expired or revoked): connect again.
    #[error("{message}")]
    SignedOut { message: String },
    /// The OS keyring, where the community session lives, refused (locked, or none runs).
    #[error("{message}")]
    Keyring { message: String },
    /// The community server refused, with the contract's error code (`forbidden` for a page
    /// above the user's role, `not_found`, `email_taken`, ...).
    #[error("{message}")]
    Remote { code: ErrorCode, message: String },
    /// The community server answered something this version cannot use (another API
    /// version, a proxy's error page).
    #[error("{message}")]
    ServerAnswer { message: String },
    /// A bug or an unexpected state; the detail is logged, the message says what to do.
    #[error("{message}")]
    Internal { message: String },
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> AppError {
        AppError::Validation {
            field: field.to_string(),
            message: message.into(),
        }
    }

    fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!("internal error: {detail}");
        AppError::Internal {
            message: format!(
                "Something went wrong inside Tradebook ({detail}). Your data is unchanged; please report this."
            ),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => AppError::NotFound { message: e.to_string() },
            StoreError::Conflict(message) => AppError::Conflict { message },
            StoreError::Invalid { field, message } => AppError::Validation {
                field: field.to_string(),
                message,
            },
            StoreError::Open { .. } | StoreError::SchemaTooNew { .. } => AppError::Io { message: e.to_string() },
            busy if busy.is_busy() => AppError::Busy {
                message: "The journal is busy with an import or another program's change; try again when it finishes."
                    .into(),
            },
            other => AppError::internal(other),
        }
    }
}

impl From<ImportError> for AppError {
    fn from(e: ImportError) -> Self {
        let message = e.to_string();
        match e {
            ImportError::Write { .. } => AppError::Io { message },
            ImportError::Io { file, source } => AppError::Import {
                file,
                line: None,
                message: source.to_string(),
            },
            ImportError::UnknownFormat { file, .. } => AppError::Import {
                file,
                line: None,
                message,
            },
            ImportError::BadFormatId { .. } => AppError::Validation {
                field: "format".into(),
                message,
            },
            ImportError::Malformed { file, line, message } => AppError::Import {
                file,
                line: u32::try_from(line).ok(),
                message,
            },
            ImportError::RowsRejected { file, first_line, .. } => AppError::Import {
                file,
                line: u32::try_from(first_line).ok(),
                message,
            },
            ImportError::Cancelled => AppError::Cancelled { message },
            ImportError::Store(s) => s.into(),
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        let field = match &e {
            CoreError::Invalid { field, .. } => (*field).to_string(),
            CoreError::UnknownFuturesRoot { .. } | CoreError::BadFuturesSymbol(_) => "symbol".into(),
            CoreError::NonPositiveQuantity(_) => "quantity".into(),
            CoreError::NegativePrice(_) => "entry_price".into(),
        };
        let message = match e {
            CoreError::Invalid { message, .. } => message,
            other => other.to_string(),
        };
        AppError::Validation { field, message }
    }
}

impl From<tradebook_sync_client::SyncError> for AppError {
    fn from(e: tradebook_sync_client::SyncError) -> Self {
        use tradebook_sync_client::SyncError;
        match e {
            SyncError::Store(s) => s.into(),
            SyncError::Invalid(message) => AppError::Validation {
                field: "community".into(),
                message,
            },
            SyncError::NotConnected => AppError::NotConnected { message: e.to_string() },
            SyncError::Server { code, ref message, .. } => AppError::Remote {
                code,
                message: message.clone(),
            },
            SyncError::Unreachable { .. } => AppError::Unreachable { message: e.to_string() },
            SyncError::SignedOut(_) => AppError::SignedOut { message: e.to_string() },
            SyncError::Keyring(_) => AppError::Keyring { message: e.to_string() },
            SyncError::Http { .. } | SyncError::UnexpectedAnswer(_) => {
                AppError::ServerAnswer { message: e.to_string() }
            }
        }
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::internal(e)
    }
}
