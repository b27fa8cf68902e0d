//! How a command fails: one line on stderr and an exit code chosen by what the failure means,
//! so a script can tell "fix the command" from "try again" from "log in again".
//!
//! The kinds follow the app's IPC error (`AppError` in `src-tauri`) so the same failure is
//! classified the same way on both fronts; the CLI folds the kinds a script handles alike
//! into one code:
//!
//! | code | kind | the app's kinds | what to do |
//! |-----:|------|-----------------|------------|
//! | 0 | — | — | success (also when the reader of the output hung up) |
//! | 1 | [`Kind::Internal`] | `Internal` | a bug or a damaged journal; report it |
//! | 2 | [`Kind::Input`] | `Validation`, `NotFound`, `Conflict`, `Import`, `Io`, `Cancelled` | fix the command, the file or the path (clap's usage errors are 2 too) |
//! | 3 | [`Kind::Busy`] | `Busy` | another program is writing the journal; run it again |
//! | 4 | [`Kind::SignedOut`] | `NotConnected`, `SignedOut`, `Keyring` | `tradebook sync login` |
//! | 5 | [`Kind::Unreachable`] | `Unreachable`, `ServerAnswer` | the server is down or another version; queued changes wait |
//! | 6 | [`Kind::Refused`] | `Remote { code }` | the server refused; the line names its error code |

use tradebook_core::CoreError;
use tradebook_import::ImportError;
use tradebook_store::StoreError;
use tradebook_sync_client::SyncError;

/// What a failure means to whoever runs the command. See the module table for exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command, a file or a path is wrong: a bad value, a missing thing, a taken name,
    /// an unreadable file (with its line), a database that cannot be opened.
    Input,
    /// The journal is locked by another writer for longer than the busy timeout.
    Busy,
    /// No community session: never connected, expired or revoked, or the keyring refused.
    SignedOut,
    /// The community server did not answer, or answered something this version cannot read.
    Unreachable,
    /// The community server refused with one of the contract's error codes.
    Refused,
    /// A bug or an unexpected state of the journal.
    Internal,
}

impl Kind {
    /// The process exit code for this kind (module table).
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Internal => 1,
            Kind::Input => 2,
            Kind::Busy => 3,
            Kind::SignedOut => 4,
            Kind::Unreachable => 5,
            Kind::Refused => 6,
        }
    }
}

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// A one-line error for the user, and its kind.
    Error { kind: Kind, message: String },
    /// Whoever read the output went away (`tradebook trades | head`): stop quietly.
    ClosedPipe,
}

impl Failure {
    /// A failure of the command's input (exit 2).
    pub fn input(message: impl Into<String>) -> Failure {
        Failure::Error {
            kind: Kind::Input,
            message: message.into(),
        }
    }

    fn of(kind: Kind, message: impl std::fmt::Display) -> Failure {
        Failure::Error {
            kind,
            message: message.to_string(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. }
            | StoreError::Conflict(_)
            | StoreError::Invalid { .. }
            | StoreError::Open { .. }
            | StoreError::SchemaTooNew { .. } => Failure::of(Kind::Input, e),
            busy if busy.is_busy() => Failure::of(
                Kind::Busy,
                "the journal is busy with an import or another program's change; run the command again when it finishes",
            ),
            StoreError::Corrupt { .. } | StoreError::Sqlite(_) | StoreError::Migration(_) => {
                Failure::of(Kind::Internal, format!("{e} (the journal is unchanged; please report this)"))
            }
        }
    }
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Store(s) => s.into(),
            other => Failure::of(Kind::Input, other),
        }
    }
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::of(Kind::Input, e)
    }
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(s) => s.into(),
            SyncError::Invalid(_) => Failure::of(Kind::Input, e),
            SyncError::NotConnected => Failure::of(
                Kind::SignedOut,
                "this journal is not connected to a community; connect it with `tradebook sync login`",
            ),
            SyncError::SignedOut(_) | SyncError::Keyring(_) => Failure::of(Kind::SignedOut, e),
            SyncError::Unreachable { .. } | SyncError::Http { .. } | SyncError::UnexpectedAnswer(_) => {
                Failure::of(Kind::Unreachable, e)
            }
            SyncError::Server { .. } => Failure::of(Kind::Refused, format!("the community server refused: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(f: Failure) -> Kind {
        match f {
            Failure::Error { kind, .. } => kind,
            Failure::ClosedPipe => panic!("not an error"),
        }
    }

    #[test]
    fn exit_codes_are_distinct_per_kind() {
        let all = [
            Kind::Internal,
            Kind::Input,
            Kind::Busy,
            Kind::SignedOut,
            Kind::Unreachable,
            Kind::Refused,
        ];
        let mut codes: Vec<u8> = all.iter().map(|k| k.exit_code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(!codes.contains(&0));
    }

    #[test]
    fn the_journal_lock_is_busy_not_a_bug() {
        let locked = StoreError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        ));
        assert_eq!(kind(locked.into()), Kind::Busy);
        let corrupt = StoreError::Corrupt {
            what: "price",
            value: "x".into(),
        };
        assert_eq!(kind(corrupt.into()), Kind::Internal);
        assert_eq!(kind(StoreError::Conflict("taken".into()).into()), Kind::Input);
    }

    #[test]
    fn community_failures_say_what_to_do() {
        assert_eq!(kind(SyncError::NotConnected.into()), Kind::SignedOut);
        assert_eq!(kind(SyncError::SignedOut("revoked".into()).into()), Kind::SignedOut);
        assert_eq!(
            kind(
                SyncError::Unreachable {
                    url: "http://x".into(),
                    message: "refused".into()
                }
                .into()
            ),
            Kind::Unreachable
        );
        assert_eq!(kind(SyncError::Http { status: 502 }.into()), Kind::Unreachable);
        let refused = Failure::from(SyncError::Server {
            status: 403,
            code: tradebook_sync_client::contract::ErrorCode::Forbidden,
            message: "moderators only".into(),
        });
        match refused {
            Failure::Error { kind, message } => {
                assert_eq!(kind, Kind::Refused);
                assert!(message.contains("forbidden"), "{message}");
            }
            Failure::ClosedPipe => unreachable!(),
        }
    }
}
