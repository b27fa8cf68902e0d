//! The one error type that crosses the IPC boundary, serialized as
//! `{ "kind": ..., "data": ... }`. The UI branches on `kind` (stable), never on `message`.

use serde::Serialize;
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
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    Io { message: String },
    /// An import that could not run: the file, the line where there is one, and why.
    #[error("{file}: {message}")]
    Import {
        file: String,
        line: Option<u32>,
        message: String,
    },
    /// The community server: unreachable (`code` "unreachable"), signed out ("signed_out"),
    /// or its own refusal (the server's error code). The message says what to do next.
    #[error("{message}")]
    Remote { code: String, message: String },
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
            busy if busy.is_busy() => AppError::Conflict {
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
            ImportError::Cancelled => AppError::Conflict { message },
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
            CoreError::NegativeFees(_) => "fees".into(),
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
            SyncError::NotConnected => AppError::Conflict { message: e.to_string() },
            SyncError::Server { ref code, .. } => AppError::Remote {
                code: code.clone(),
                message: e.to_string(),
            },
            other => AppError::Remote {
                code: other.code().to_string(),
                message: other.to_string(),
            },
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
