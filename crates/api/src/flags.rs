//! Feature flags of a community: the caller's evaluated flags, and an admin's setting.

use serde::{Deserialize, Serialize};

/// A flag's setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FlagSetting {
    /// Master switch.
    pub enabled: bool,
    /// Share of users (0–100) who see it when enabled.
    pub rollout_percent: i32,
}

/// The caller's flags, evaluated: key → on.
pub type MyFlags = std::collections::BTreeMap<String, bool>;
