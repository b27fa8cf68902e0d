//! Errors of the pure domain.

use rust_decimal::Decimal;

/// What can go wrong when building domain values. Each variant names the offending value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// A futures root that is not in the contract table. Never defaulted: the user must add
    /// the contract (point value, tick size) before fills on it can be priced.
    #[error("unknown futures root `{root}` (symbol `{symbol}`): add it to the contract table with its point value and tick size")]
    UnknownFuturesRoot { symbol: String, root: String },
    /// A futures symbol that does not look like `ROOT` + month code + year (`ESZ4`, `/MNQH26`,
    /// `MNQ 03-26`).
    #[error("cannot read futures symbol `{0}`: expected root + month code + year, e.g. ESZ4 or MNQ 03-26")]
    BadFuturesSymbol(String),
    /// A quantity that must be positive was zero or negative.
    #[error("quantity must be positive, got {0}")]
    NonPositiveQuantity(Decimal),
    /// A price that must not be negative.
    #[error("price must not be negative, got {0}")]
    NegativePrice(Decimal),
    /// A free-form validation failure on a named field (manual entry).
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
}

impl CoreError {
    /// The futures root named by an [`CoreError::UnknownFuturesRoot`] message, read back
    /// from its text (import reports keep row errors as text): lets a preview list the
    /// roots the user must add to the contract table.
    pub fn unknown_root_in(message: &str) -> Option<&str> {
        let rest = &message[message.find("unknown futures root `")? + "unknown futures root `".len()..];
        rest.split('`').next().filter(|r| !r.is_empty())
    }

    /// The input field the error is about, for messages shown next to that field.
    pub fn field(&self) -> &'static str {
        match self {
            CoreError::UnknownFuturesRoot { .. } | CoreError::BadFuturesSymbol(_) => "symbol",
            CoreError::NonPositiveQuantity(_) => "quantity",
            CoreError::NegativePrice(_) => "price",
            CoreError::Invalid { field, .. } => field,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_root_is_read_back_from_its_message() {
        let e = CoreError::UnknownFuturesRoot {
            symbol: "XYZZ5".into(),
            root: "XYZ".into(),
        };
        assert_eq!(CoreError::unknown_root_in(&format!("line 4: {e}")), Some("XYZ"));
        assert_eq!(CoreError::unknown_root_in("price must not be negative"), None);
    }
}
