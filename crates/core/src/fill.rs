//! Fills (executions): the source of truth of the journal (SPEC §3).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::instrument::Instrument;

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    /// `"buy"` / `"sell"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }

    /// Accepts `buy`/`sell`/`b`/`s` in any case, with surrounding spaces.
    pub fn parse(s: &str) -> Option<Side> {
        match s.trim().to_ascii_lowercase().as_str() {
            "buy" | "b" | "bot" | "bought" => Some(Side::Buy),
            "sell" | "s" | "sld" | "sold" => Some(Side::Sell),
            _ => None,
        }
    }

    /// +1 for a buy, −1 for a sell: the sign a fill adds to the position.
    pub fn sign(self) -> Decimal {
        match self {
            Side::Buy => Decimal::ONE,
            Side::Sell => Decimal::NEGATIVE_ONE,
        }
    }
}

/// Whether a fill opens or closes a position, when the source says so (thinkorswim
/// `Pos Effect`, option actions such as `BTC`/`STO`, NinjaTrader `E/X`). `None` when the
/// source does not say; matching then follows the position alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PositionEffect {
    Open,
    Close,
}

impl PositionEffect {
    /// `"open"` / `"close"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PositionEffect::Open => "open",
            PositionEffect::Close => "close",
        }
    }

    /// Inverse of [`PositionEffect::as_str`].
    pub fn parse(s: &str) -> Option<PositionEffect> {
        match s {
            "open" => Some(PositionEffect::Open),
            "close" => Some(PositionEffect::Close),
            _ => None,
        }
    }
}

/// One execution.
///
/// Invariants (checked by [`Fill::validate`]): `quantity > 0`, `price >= 0` (futures may
/// trade below 0). `fees` is the net cost of the fill: negative is a net **rebate** (an ECN
/// liquidity credit or a commission rebate larger than the charges), which raises net P&L
/// (net = gross − fees) and is never clamped to 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Fill {
    /// Stable unique id (a UUID string assigned when the fill is stored).
    pub id: String,
    /// Owning account id.
    pub account_id: String,
    pub instrument: Instrument,
    pub side: Side,
    /// Unsigned quantity (shares, contracts, coins).
    pub quantity: Decimal,
    /// Price per unit, in the instrument's quoted units (per share, per point).
    pub price: Decimal,
    /// All fees and commissions of this fill, as a non-negative cost in account currency.
    pub fees: Decimal,
    /// When it executed (UTC instant).
    pub executed_at: DateTime<Utc>,
    /// The zone the source wrote its times in (kept for display and re-export).
    pub source_tz: Tz,
    /// Order of the fill in its source (file order): the tie-breaker at equal timestamps.
    pub seq: i64,
    /// Open or close, when the source states it.
    pub position_effect: Option<PositionEffect>,
}

impl Fill {
    /// Checks the invariants above.
    pub fn validate(&self) -> Result<(), crate::CoreError> {
        if self.quantity <= Decimal::ZERO {
            return Err(crate::CoreError::NonPositiveQuantity(self.quantity));
        }
        if self.price < Decimal::ZERO && self.instrument.asset_class != crate::AssetClass::Future {
            return Err(crate::CoreError::NegativePrice(self.price));
        }
        Ok(())
    }

    /// Signed quantity: +qty for buys, −qty for sells.
    pub fn signed_quantity(&self) -> Decimal {
        self.side.sign() * self.quantity
    }
}
