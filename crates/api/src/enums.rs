//! The contract's enums. Each is lowercase snake_case on the wire and in the server's
//! database (`as_str` / `parse` are that spelling); deserializing an unknown value fails,
//! so a bad value is a 422 naming its field, never a default.

use serde::{Deserialize, Serialize};

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire and database spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Inverse of `as_str`; `None` for any other text.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// A member's role in a community, lowest to highest (the order is the ranking:
    /// `Role::Viewer < Role::Admin`).
    #[derive(PartialOrd, Ord)]
    Role {
        /// Reads the community pages (leaderboard, feed).
        Viewer = "viewer",
        /// Syncs a journal, follows providers.
        Trader = "trader",
        /// Sees the community dashboards, invites traders and viewers, runs providers.
        Moderator = "moderator",
        /// Everything in the community, including roles, removals and flags.
        Admin = "admin",
    }
}

impl Role {
    /// Admins and moderators: the community dashboards and the Admin page.
    pub fn is_staff(self) -> bool {
        self >= Role::Moderator
    }
}

wire_enum! {
    /// How sensitive an audited action is. Role changes and removals are `high`.
    Risk {
        /// Routine (joining, following).
        Low = "low",
        /// Changes what others see (invitations, providers, flags, sign-ins).
        Medium = "medium",
        /// Changes who can do what (roles, removals, suspensions, token reuse).
        High = "high",
    }
}

wire_enum! {
    /// Whether a community is open to its members.
    CommunityStatus {
        /// Members use it.
        Active = "active",
        /// Suspended by the platform operator: members' requests are refused
        /// (`community_suspended`).
        Suspended = "suspended",
    }
}

wire_enum! {
    /// Asset class of an instrument (SPEC §3; `tradebook_core::AssetClass` on the wire).
    AssetClass {
        /// Stock or ETF.
        Stock = "stock",
        /// Equity or index option.
        Option = "option",
        /// Futures contract.
        Future = "future",
        /// Option on a future.
        FutureOption = "future_option",
        /// Crypto asset.
        Crypto = "crypto",
        /// Currency pair.
        Forex = "forex",
    }
}

wire_enum! {
    /// Long (opened by a buy) or short (opened by a sell).
    Direction {
        /// Opened by a buy.
        Long = "long",
        /// Opened by a sell.
        Short = "short",
    }
}

wire_enum! {
    /// Whether a trade's position is back to zero (`tradebook_core::TradeStatus`).
    TradeStatus {
        /// Still open.
        Open = "open",
        /// Back to zero: a round trip.
        Closed = "closed",
        /// A close whose opening is not in the journal: no entry, no P&L.
        Incomplete = "incomplete",
    }
}

wire_enum! {
    /// The side a signal calls for.
    SignalSide {
        /// Buy.
        Buy = "buy",
        /// Sell (or sell short).
        Sell = "sell",
    }
}

wire_enum! {
    /// What a community audit event records (`audit_events.action`). Each is written in the
    /// same transaction as the change it describes.
    AuditAction {
        /// A user joined with an invitation (low risk).
        MemberJoined = "member.joined",
        /// An admin changed a member's role (high risk; before/after hold the roles).
        MemberRoleChanged = "member.role_changed",
        /// An admin removed a member (high risk).
        MemberRemoved = "member.removed",
        /// Staff created an invitation (medium risk).
        InvitationCreated = "invitation.created",
        /// Staff created a signal provider (medium risk).
        ProviderCreated = "provider.created",
        /// Staff changed a signal provider (medium risk).
        ProviderUpdated = "provider.updated",
        /// An admin set a feature flag (medium risk).
        FlagSet = "flag.set",
        /// The platform operator created the community.
        CommunityCreated = "community.created",
        /// The platform operator suspended the community (high risk).
        CommunitySuspended = "community.suspended",
        /// The platform operator resumed the community.
        CommunityResumed = "community.resumed",
    }
}

wire_enum! {
    /// What a platform audit event records (`platform_audit_events.action`): actions outside
    /// any community, seen by the platform operator.
    PlatformAuditAction {
        /// A user registered.
        UserRegistered = "user.registered",
        /// A user signed in.
        Login = "auth.login",
        /// A sign-in with a wrong password or an unknown email (medium risk).
        LoginFailed = "auth.login_failed",
        /// A user signed out.
        Logout = "auth.logout",
        /// A refresh token was presented twice; its whole family is revoked (high risk).
        RefreshTokenReused = "auth.refresh_token_reused",
        /// The operator created a community.
        CommunityCreated = "community.created",
        /// The operator suspended a community (high risk).
        CommunitySuspended = "community.suspended",
        /// The operator resumed a community.
        CommunityResumed = "community.resumed",
    }
}

impl From<tradebook_core::AssetClass> for AssetClass {
    fn from(c: tradebook_core::AssetClass) -> AssetClass {
        use tradebook_core::AssetClass as C;
        match c {
            C::Stock => AssetClass::Stock,
            C::Option => AssetClass::Option,
            C::Future => AssetClass::Future,
            C::FutureOption => AssetClass::FutureOption,
            C::Crypto => AssetClass::Crypto,
            C::Forex => AssetClass::Forex,
        }
    }
}

impl From<AssetClass> for tradebook_core::AssetClass {
    fn from(c: AssetClass) -> tradebook_core::AssetClass {
        use tradebook_core::AssetClass as C;
        match c {
            AssetClass::Stock => C::Stock,
            AssetClass::Option => C::Option,
            AssetClass::Future => C::Future,
            AssetClass::FutureOption => C::FutureOption,
            AssetClass::Crypto => C::Crypto,
            AssetClass::Forex => C::Forex,
        }
    }
}

impl From<tradebook_core::Direction> for Direction {
    fn from(d: tradebook_core::Direction) -> Direction {
        match d {
            tradebook_core::Direction::Long => Direction::Long,
            tradebook_core::Direction::Short => Direction::Short,
        }
    }
}

impl From<tradebook_core::TradeStatus> for TradeStatus {
    fn from(s: tradebook_core::TradeStatus) -> TradeStatus {
        match s {
            tradebook_core::TradeStatus::Open => TradeStatus::Open,
            tradebook_core::TradeStatus::Closed => TradeStatus::Closed,
            tradebook_core::TradeStatus::Incomplete => TradeStatus::Incomplete,
        }
    }
}

impl From<Direction> for tradebook_core::Direction {
    fn from(d: Direction) -> tradebook_core::Direction {
        match d {
            Direction::Long => tradebook_core::Direction::Long,
            Direction::Short => tradebook_core::Direction::Short,
        }
    }
}

impl From<TradeStatus> for tradebook_core::TradeStatus {
    fn from(s: TradeStatus) -> tradebook_core::TradeStatus {
        match s {
            TradeStatus::Open => tradebook_core::TradeStatus::Open,
            TradeStatus::Closed => tradebook_core::TradeStatus::Closed,
            TradeStatus::Incomplete => tradebook_core::TradeStatus::Incomplete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_and_agree_with_serde_and_core() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for c in tradebook_core::AssetClass::ALL {
            let wire = AssetClass::from(c);
            assert_eq!(wire.as_str(), c.as_str(), "the wire spelling is core's");
            assert_eq!(tradebook_core::AssetClass::from(wire), c);
        }
        assert_eq!(AssetClass::ALL.len(), tradebook_core::AssetClass::ALL.len());
        assert!(Role::Viewer < Role::Trader && Role::Moderator < Role::Admin);
        assert!(Role::Moderator.is_staff() && !Role::Trader.is_staff());
    }

    #[test]
    fn an_unknown_value_is_refused_with_its_text() {
        let e = serde_json::from_str::<AssetClass>("\"bond\"").unwrap_err().to_string();
        assert!(e.contains("unknown variant `bond`"), "{e}");
        assert_eq!(SignalSide::parse("BUY"), None);
    }
}
