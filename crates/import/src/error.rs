//! Import errors. Row-level problems are not errors (they are [`crate::RowOutcome::Rejected`]);
//! these stop the whole import, which then changes nothing.

/// An import that could not run. Messages name the file (and line where there is one).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read the file: {source}")]
    Io { file: String, source: std::io::Error },
    /// An export could not be written.
    #[error("{file}: cannot write: {source}")]
    Write { file: String, source: std::io::Error },
    /// No format recognises the file; `closest` names the known layout it comes closest to
    /// and the columns it lacks (`; closest known layout: ...`), or is empty.
    #[error("{file}: format not recognised from its header{closest}; choose one with --format (known: {known})")]
    UnknownFormat {
        file: String,
        closest: String,
        known: String,
    },
    #[error("unknown format id `{id}` (known: {known})")]
    BadFormatId { id: String, known: String },
    #[error("{file}:{line}: {message}")]
    Malformed { file: String, line: u64, message: String },
    #[error("{file}: {rejected} row(s) rejected, first at line {first_line}: {first_reason}; nothing was imported")]
    RowsRejected {
        file: String,
        rejected: usize,
        first_line: u64,
        first_reason: String,
    },
    #[error("import cancelled; nothing was imported")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] tradebook_store::StoreError),
}
