//! Where a connection's tokens live: the OS keyring in the app and the CLI, never SQLite, a
//! log line or a plain file (SPEC §7, §10).

use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Result, SyncError};

/// A session's tokens: the short-lived bearer token and the single-use refresh token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// Bearer token for the `Authorization` header.
    pub access_token: String,
    /// Opaque token that buys the next pair (rotated at each use).
    pub refresh_token: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(<redacted>)")
    }
}

/// Keeps one connection's tokens.
pub trait TokenStore: Send + Sync {
    /// The stored tokens, `None` when signed out.
    fn load(&self) -> Result<Option<Tokens>>;
    /// Replaces the stored tokens.
    fn save(&self, tokens: &Tokens) -> Result<()>;
    /// Forgets them (logout). Forgetting nothing is not an error.
    fn clear(&self) -> Result<()>;
}

/// Tokens in memory only (tests, and callers that must not persist a session).
#[derive(Default)]
pub struct MemoryTokens(Mutex<Option<Tokens>>);

impl TokenStore for MemoryTokens {
    fn load(&self) -> Result<Option<Tokens>> {
        Ok(self.0.lock().expect("token lock").clone())
    }
    fn save(&self, tokens: &Tokens) -> Result<()> {
        *self.0.lock().expect("token lock") = Some(tokens.clone());
        Ok(())
    }
    fn clear(&self) -> Result<()> {
        *self.0.lock().expect("token lock") = None;
        Ok(())
    }
}

/// Keyring service name of Tradebook's entries; the entry's user is the device id, so two
/// journals on one machine keep separate sessions.
pub const KEYRING_SERVICE: &str = "tradebook-sync";

/// Tokens in the OS keyring (the `keyring` crate): the Secret Service (GNOME Keyring,
/// KWallet) when the session bus offers one, else the kernel keyring (keyutils), which
/// keeps them until the OS session ends. macOS Keychain and Windows Credential Manager on
/// those systems.
pub struct KeyringTokens {
    entry: keyring::Entry,
}

fn keyring_error(e: keyring::Error) -> SyncError {
    SyncError::Keyring(e.to_string())
}

/// Chooses the keyring back end once per process and says which (`secret-service` or
/// `keyutils`).
pub fn keyring_backend() -> &'static str {
    static BACKEND: OnceLock<&'static str> = OnceLock::new();
    BACKEND.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
                let builder = keyring::secret_service::default_credential_builder();
                let usable = builder
                    .build(None, KEYRING_SERVICE, "probe")
                    .map(|c| matches!(c.get_password(), Ok(_) | Err(keyring::Error::NoEntry)))
                    .unwrap_or(false);
                if usable {
                    keyring::set_default_credential_builder(builder);
                    return "secret-service";
                }
            }
            keyring::set_default_credential_builder(keyring::keyutils::default_credential_builder());
            "keyutils"
        }
        #[cfg(not(target_os = "linux"))]
        {
            "native"
        }
    })
}

impl KeyringTokens {
    /// The keyring entry of a device's session.
    ///
    /// Errors: [`SyncError::Keyring`] when no keyring can be reached.
    pub fn for_device(device_id: Uuid) -> Result<KeyringTokens> {
        keyring_backend();
        let entry = keyring::Entry::new(KEYRING_SERVICE, &device_id.to_string()).map_err(keyring_error)?;
        Ok(KeyringTokens { entry })
    }
}

impl TokenStore for KeyringTokens {
    fn load(&self) -> Result<Option<Tokens>> {
        match self.entry.get_password() {
            Ok(s) => serde_json::from_str(&s)
                .map(Some)
                .map_err(|_| SyncError::Keyring("the stored session is unreadable; log in again".into())),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }
    fn save(&self, tokens: &Tokens) -> Result<()> {
        let json = serde_json::to_string(tokens).expect("tokens serialize");
        self.entry.set_password(&json).map_err(keyring_error)
    }
    fn clear(&self) -> Result<()> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}
