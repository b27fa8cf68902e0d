//! Derived round-trip trades: recomputed from a member's fills with `tradebook-core` (FIFO
//! matching) after every push that changes fills. Reading and writing the rows, and their
//! conversion to and from core types, is [`crate::repo::trades`].
//!
//! Invariant: the `trades` rows of an account are a function of its live fills (the same
//! function the desktop app uses), rewritten in the push's transaction, together with the
//! member's dashboard counters in `memberships` (last close, closed trades, their net P&L).

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::error::ApiResult;
use crate::repo;
use crate::tenancy::TenantTx;

/// Rewrites the trades of `user_id`'s `accounts` from their live fills.
pub async fn recompute(tx: &TenantTx<'_>, user_id: Uuid, accounts: &BTreeSet<Uuid>) -> ApiResult<()> {
    if accounts.is_empty() {
        return Ok(());
    }
    let account_ids: Vec<Uuid> = accounts.iter().copied().collect();
    let fills = repo::trades::live_fills(tx, user_id, &account_ids).await?;
    let trades = tradebook_core::match_round_trips(&fills);
    repo::trades::replace(tx, user_id, &account_ids, &trades).await?;
    repo::trades::refresh_member_counters(tx, user_id).await?;
    Ok(())
}
