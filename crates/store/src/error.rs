//! Store errors.

/// What went wrong in the store. Messages name the path, table or id involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("this database was written by a newer Tradebook (schema {found}, this version knows up to {supported}); update Tradebook to open it")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("{what} `{id}` not found")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    #[error("invalid {field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("stored {what} is unreadable: `{value}`")]
    Corrupt { what: &'static str, value: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] refinery::Error),
}

impl StoreError {
    /// Another connection holds the write lock (an import running in the app, the CLI
    /// beside it) for longer than the busy timeout: the caller may try again.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}
