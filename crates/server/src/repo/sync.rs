//! Sync (SPEC §7): the statements of a push (the community's version counter and the
//! device's last mutation id, both locked for the push; applying each kind of mutation; the
//! member's stale accounts) and of a pull (each journal table's rows changed since a
//! cookie). Every function takes the community's [`TenantTx`] and filters by its
//! `community_id()` and the member's `user_id`. The rules they implement (exactly once,
//! order, conflicts, tombstones) are in [`crate::sync`]'s module docs.
//!
//! Errors are [`ApiError`]s like everywhere in [`crate::repo`], except [`insert_fills`]'s:
//! it returns the database's error unchanged, which the push logs before it falls back to
//! applying the fills one at a time.

use std::collections::HashSet;

use chrono::NaiveDate;
use tokio_postgres::Row as PgRow;
use tradebook_sync::{
    AccountArgs, AccountRow, AnnotationArgs, AnnotationRow, Change, FillArgs, FillDetail, FillRow, JournalNoteRow, Row,
};
use uuid::Uuid;

use super::{col, FromRow};
use crate::error::ApiError;
use crate::tenancy::TenantTx;

impl FromRow for AccountRow {
    fn from_row(r: &PgRow) -> Result<Self, ApiError> {
        Ok(AccountRow {
            id: col(r, "id")?,
            name: col(r, "name")?,
            platform: col(r, "platform")?,
            broker_account_id: col(r, "broker_account_id")?,
            currency: col(r, "currency")?,
            starting_balance: col(r, "starting_balance")?,
            timezone: col(r, "timezone")?,
        })
    }
}

impl FromRow for FillDetail {
    fn from_row(r: &PgRow) -> Result<Self, ApiError> {
        Ok(FillDetail {
            underlying: col(r, "underlying")?,
            expiry: col(r, "expiry")?,
            strike: col(r, "strike")?,
            option_right: col(r, "option_right")?,
            source_tz: col(r, "source_tz")?,
            position_effect: col(r, "position_effect")?,
            dedupe_key: col(r, "dedupe_key")?,
            execution_id: col(r, "execution_id")?,
        })
    }
}

impl FromRow for FillRow {
    fn from_row(r: &PgRow) -> Result<Self, ApiError> {
        Ok(FillRow {
            id: col(r, "id")?,
            account_id: col(r, "account_id")?,
            symbol: col(r, "symbol")?,
            asset_class: col(r, "asset_class")?,
            side: col(r, "side")?,
            quantity: col(r, "quantity")?,
            price: col(r, "price")?,
            fees: col(r, "fees")?,
            multiplier: col(r, "multiplier")?,
            executed_at: col(r, "executed_at")?,
            seq: col(r, "seq")?,
            detail: FillDetail::from_row(r)?,
        })
    }
}

impl FromRow for AnnotationRow {
    fn from_row(r: &PgRow) -> Result<Self, ApiError> {
        Ok(AnnotationRow {
            trade_id: col(r, "trade_id")?,
            notes: col(r, "notes")?,
            tags: col(r, "tags")?,
            setup: col(r, "setup")?,
            planned_stop: col(r, "planned_stop")?,
            mistakes: col(r, "mistakes")?,
            provider_id: col(r, "provider_id")?,
        })
    }
}

impl FromRow for JournalNoteRow {
    fn from_row(r: &PgRow) -> Result<Self, ApiError> {
        Ok(JournalNoteRow {
            day: col(r, "day")?,
            body: col(r, "body")?,
        })
    }
}

/// A journal row that changed: its `version`, its `deleted` flag and the row itself.
fn change<T: FromRow>(r: &PgRow, wrap: fn(T) -> Row) -> Result<Change, ApiError> {
    Ok(Change {
        version: col::<i64>(r, "version")? as u64,
        deleted: col(r, "deleted")?,
        row: wrap(T::from_row(r)?),
    })
}

/// The state of a stored fill that an upsert needs.
#[derive(Debug, Clone)]
pub struct StoredFill {
    /// Tombstoned.
    pub deleted: bool,
    /// Its account.
    pub account_id: Uuid,
    /// Its asset class.
    pub asset_class: String,
}

impl FromRow for StoredFill {
    fn from_row(r: &PgRow) -> Result<Self, ApiError> {
        Ok(StoredFill {
            deleted: col(r, "deleted")?,
            account_id: col(r, "account_id")?,
            asset_class: col(r, "asset_class")?,
        })
    }
}

/// Sets a savepoint `name` (a fixed identifier, never input). Returns nothing. Errors: the
/// database's.
pub async fn savepoint(tx: &TenantTx<'_>, name: &'static str) -> Result<(), ApiError> {
    tx.batch_execute(&format!("SAVEPOINT {name}")).await?;
    Ok(())
}

/// Releases the savepoint `name`, keeping what was done since. Returns nothing. Errors: the
/// database's.
pub async fn release_savepoint(tx: &TenantTx<'_>, name: &'static str) -> Result<(), ApiError> {
    tx.batch_execute(&format!("RELEASE SAVEPOINT {name}")).await?;
    Ok(())
}

/// Undoes everything since the savepoint `name`. Returns nothing. Errors: the database's.
pub async fn rollback_to_savepoint(tx: &TenantTx<'_>, name: &'static str) -> Result<(), ApiError> {
    tx.batch_execute(&format!("ROLLBACK TO SAVEPOINT {name}")).await?;
    Ok(())
}

/// Locks the community's sync state for the rest of `tx` (creating it if missing). Returns
/// its version, the last one a row change took. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn lock_version(tx: &TenantTx<'_>) -> Result<i64, ApiError> {
    let c = tx.community_id();
    tx.execute(
        "INSERT INTO sync_state (community_id) VALUES ($1) ON CONFLICT DO NOTHING",
        &[&c],
    )
    .await?;
    let row = tx
        .query_one(
            "SELECT version FROM sync_state WHERE community_id = $1 FOR UPDATE",
            &[&c],
        )
        .await?;
    col(&row, "version")
}

/// Locks `user_id`'s device `device_id` for the rest of `tx` (registering it if new).
/// Returns its last applied mutation id (0 for a new device). Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn lock_device(tx: &TenantTx<'_>, user_id: Uuid, device_id: &str) -> Result<i64, ApiError> {
    let c = tx.community_id();
    tx.execute(
        "INSERT INTO sync_devices (community_id, user_id, device_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&c, &user_id, &device_id],
    )
    .await?;
    let row = tx
        .query_one(
            "SELECT last_mutation_id FROM sync_devices WHERE community_id = $1 AND user_id = $2 AND device_id = $3 FOR UPDATE",
            &[&c, &user_id, &device_id],
        )
        .await?;
    col(&row, "last_mutation_id")
}

/// The last applied mutation id of `user_id`'s device `device_id`, `None` for a device that
/// never pushed. Errors: the database's, or [`ApiError::Internal`] for a row that does not
/// decode.
pub async fn device_last_mutation_id(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    device_id: &str,
) -> Result<Option<i64>, ApiError> {
    tx.query_opt(
        "SELECT last_mutation_id FROM sync_devices WHERE community_id = $1 AND user_id = $2 AND device_id = $3",
        &[&tx.community_id(), &user_id, &device_id],
    )
    .await?
    .map(|r| col(&r, "last_mutation_id"))
    .transpose()
}

/// Which of the fills `ids` `user_id` has stored (tombstones included). Errors: the
/// database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn stored_fill_ids(tx: &TenantTx<'_>, user_id: Uuid, ids: &[Uuid]) -> Result<HashSet<Uuid>, ApiError> {
    tx.query(
        "SELECT id FROM fills WHERE community_id = $1 AND user_id = $2 AND id = ANY($3)",
        &[&tx.community_id(), &user_id, &ids],
    )
    .await?
    .iter()
    .map(|r| col(r, "id"))
    .collect()
}

/// The ids of `user_id`'s accounts (tombstones included). Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn account_ids(tx: &TenantTx<'_>, user_id: Uuid) -> Result<HashSet<Uuid>, ApiError> {
    tx.query(
        "SELECT id FROM accounts WHERE community_id = $1 AND user_id = $2",
        &[&tx.community_id(), &user_id],
    )
    .await?
    .iter()
    .map(|r| col(r, "id"))
    .collect()
}

/// Whether `user_id` has the account `id` (tombstones included). Errors: the database's.
pub async fn account_exists(tx: &TenantTx<'_>, user_id: Uuid, id: Uuid) -> Result<bool, ApiError> {
    let row = tx
        .query_opt(
            "SELECT 1 FROM accounts WHERE community_id = $1 AND user_id = $2 AND id = $3",
            &[&tx.community_id(), &user_id, &id],
        )
        .await?;
    Ok(row.is_some())
}

/// Whether the community has the signal provider `id`. Errors: the database's.
pub async fn provider_exists(tx: &TenantTx<'_>, id: Uuid) -> Result<bool, ApiError> {
    let row = tx
        .query_opt(
            "SELECT 1 FROM signal_providers WHERE community_id = $1 AND id = $2",
            &[&tx.community_id(), &id],
        )
        .await?;
    Ok(row.is_some())
}

/// Inserts whole new fills of `user_id`, each with its version, in one statement. Every
/// fill must carry what a creation needs (`crate::sync::creation`). Returns the number
/// inserted. Errors: the database's, unchanged (see the module docs).
pub async fn insert_fills(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    items: &[(&FillArgs, i64)],
) -> Result<u64, tokio_postgres::Error> {
    let n = items.len();
    let mut ids = Vec::with_capacity(n);
    let mut accounts = Vec::with_capacity(n);
    let (mut symbols, mut classes, mut sides) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut quantities, mut prices, mut fees, mut multipliers) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut times, mut seqs, mut versions) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut underlyings, mut expiries, mut strikes, mut rights) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut zones, mut effects, mut dedupes, mut executions) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (f, version) in items {
        let Some((account, symbol, class, side, qty, price, at)) = crate::sync::creation(f) else {
            unreachable!("only whole new fills are inserted");
        };
        let d = &f.detail;
        ids.push(f.id);
        accounts.push(account);
        symbols.push(symbol);
        classes.push(class);
        sides.push(side);
        quantities.push(qty);
        prices.push(price);
        fees.push(f.fees.unwrap_or_default());
        multipliers.push(f.multiplier.unwrap_or(rust_decimal::Decimal::ONE));
        times.push(at);
        seqs.push(f.seq.unwrap_or(0));
        versions.push(*version);
        underlyings.push(d.underlying.as_deref());
        expiries.push(d.expiry);
        strikes.push(d.strike);
        rights.push(d.option_right.as_deref());
        zones.push(d.source_tz.as_deref());
        effects.push(d.position_effect.as_deref());
        dedupes.push(d.dedupe_key.as_deref());
        executions.push(d.execution_id.as_deref());
    }
    tx.execute(
        "INSERT INTO fills (community_id, user_id, id, account_id, symbol, asset_class, side, quantity, price, fees,
                            multiplier, executed_at, seq, version, underlying, expiry, strike, option_right,
                            source_tz, position_effect, dedupe_key, execution_id)
         SELECT $1, $2, * FROM UNNEST($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::numeric[],
             $9::numeric[], $10::numeric[], $11::numeric[], $12::timestamptz[], $13::int8[], $14::int8[],
             $15::text[], $16::date[], $17::numeric[], $18::text[], $19::text[], $20::text[], $21::text[],
             $22::text[])",
        &[
            &tx.community_id(),
            &user_id,
            &ids,
            &accounts,
            &symbols,
            &classes,
            &sides,
            &quantities,
            &prices,
            &fees,
            &multipliers,
            &times,
            &seqs,
            &versions,
            &underlyings,
            &expiries,
            &strikes,
            &rights,
            &zones,
            &effects,
            &dedupes,
            &executions,
        ],
    )
    .await
}

/// The stored state of `user_id`'s fill `id`, `None` when there is none. Errors: the
/// database's, or [`ApiError::Internal`] for a row that does not decode.
pub async fn stored_fill(tx: &TenantTx<'_>, user_id: Uuid, id: Uuid) -> Result<Option<StoredFill>, ApiError> {
    tx.query_opt(
        "SELECT deleted, account_id, asset_class FROM fills WHERE community_id = $1 AND user_id = $2 AND id = $3",
        &[&tx.community_id(), &user_id, &id],
    )
    .await?
    .as_ref()
    .map(StoredFill::from_row)
    .transpose()
}

/// Sets the fields `f` carries on `user_id`'s stored fill (the others stay) and revives it if
/// it was a tombstone, at `version`. Returns nothing. Errors: the database's.
pub async fn update_fill(tx: &TenantTx<'_>, user_id: Uuid, f: &FillArgs, version: i64) -> Result<(), ApiError> {
    let d = &f.detail;
    tx.execute(
        "UPDATE fills SET account_id = COALESCE($4, account_id), symbol = COALESCE($5, symbol),
             asset_class = COALESCE($6, asset_class), side = COALESCE($7, side),
             quantity = COALESCE($8, quantity), price = COALESCE($9, price), fees = COALESCE($10, fees),
             multiplier = COALESCE($11, multiplier), executed_at = COALESCE($12, executed_at),
             seq = COALESCE($13, seq), version = $14, updated_at = now(), deleted = false,
             underlying = COALESCE($15, underlying), expiry = COALESCE($16, expiry),
             strike = COALESCE($17, strike), option_right = COALESCE($18, option_right),
             source_tz = COALESCE($19, source_tz), position_effect = COALESCE($20, position_effect),
             dedupe_key = COALESCE($21, dedupe_key), execution_id = COALESCE($22, execution_id)
         WHERE community_id = $1 AND user_id = $2 AND id = $3",
        &[
            &tx.community_id(),
            &user_id,
            &f.id,
            &f.account_id,
            &f.symbol,
            &f.asset_class,
            &f.side,
            &f.quantity,
            &f.price,
            &f.fees,
            &f.multiplier,
            &f.executed_at,
            &f.seq,
            &version,
            &d.underlying,
            &d.expiry,
            &d.strike,
            &d.option_right,
            &d.source_tz,
            &d.position_effect,
            &d.dedupe_key,
            &d.execution_id,
        ],
    )
    .await?;
    Ok(())
}

/// Tombstones `user_id`'s fill `id` at `version` (nothing when absent or already deleted).
/// Returns its account when it was deleted now. Errors: the database's, or
/// [`ApiError::Internal`] for a row that does not decode.
pub async fn delete_fill(tx: &TenantTx<'_>, user_id: Uuid, id: Uuid, version: i64) -> Result<Option<Uuid>, ApiError> {
    tx.query_opt(
        "UPDATE fills SET deleted = true, version = $4, updated_at = now()
         WHERE community_id = $1 AND user_id = $2 AND id = $3 AND NOT deleted RETURNING account_id",
        &[&tx.community_id(), &user_id, &id, &version],
    )
    .await?
    .map(|r| col(&r, "account_id"))
    .transpose()
}

/// Creates or updates `user_id`'s account `a.id` with the fields `a` carries (defaults for a
/// new one), at `version`; a tombstoned account stays deleted. Returns nothing. Errors: the
/// database's.
pub async fn upsert_account(tx: &TenantTx<'_>, user_id: Uuid, a: &AccountArgs, version: i64) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO accounts (community_id, user_id, id, name, platform, broker_account_id, currency,
                               starting_balance, timezone, version)
         VALUES ($1, $2, $3, COALESCE($4, ''), COALESCE($5, 'other'), $6, COALESCE($7, 'USD'),
                 COALESCE($8::numeric, 0), COALESCE($9, 'America/New_York'), $10)
         ON CONFLICT (community_id, user_id, id) DO UPDATE SET
             name = COALESCE($4, accounts.name),
             platform = COALESCE($5, accounts.platform),
             broker_account_id = COALESCE($6, accounts.broker_account_id),
             currency = COALESCE($7, accounts.currency),
             starting_balance = COALESCE($8, accounts.starting_balance),
             timezone = COALESCE($9, accounts.timezone),
             version = $10, updated_at = now()
         WHERE NOT accounts.deleted",
        &[
            &tx.community_id(),
            &user_id,
            &a.id,
            &a.name,
            &a.platform,
            &a.broker_account_id,
            &a.currency,
            &a.starting_balance,
            &a.timezone,
            &version,
        ],
    )
    .await?;
    Ok(())
}

/// Tombstones `user_id`'s account `id` at `version` (a tombstone even when it was never
/// stored). Returns nothing. Errors: the database's.
pub async fn delete_account(tx: &TenantTx<'_>, user_id: Uuid, id: Uuid, version: i64) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO accounts (community_id, user_id, id, deleted, version) VALUES ($1, $2, $3, true, $4)
         ON CONFLICT (community_id, user_id, id) DO UPDATE SET deleted = true, version = $4, updated_at = now()
         WHERE NOT accounts.deleted",
        &[&tx.community_id(), &user_id, &id, &version],
    )
    .await?;
    Ok(())
}

/// Creates or updates `user_id`'s annotation of trade `a.trade_id` with the fields `a`
/// carries, clearing those `a.clear` names, at `version`; a tombstoned annotation stays
/// deleted. Returns nothing. Errors: the database's.
pub async fn upsert_annotation(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    a: &AnnotationArgs,
    version: i64,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO annotations (community_id, user_id, trade_id, notes, tags, setup, planned_stop, mistakes,
                                  provider_id, version)
         VALUES ($1, $2, $3, COALESCE($4, ''), COALESCE($5, '{}'::text[]), $6, $7, COALESCE($8, '{}'::text[]), $9, $10)
         ON CONFLICT (community_id, user_id, trade_id) DO UPDATE SET
             notes = COALESCE($4, annotations.notes),
             tags = COALESCE($5, annotations.tags),
             setup = CASE WHEN 'setup' = ANY($11) THEN NULL ELSE COALESCE($6, annotations.setup) END,
             planned_stop = CASE WHEN 'planned_stop' = ANY($11) THEN NULL
                                 ELSE COALESCE($7, annotations.planned_stop) END,
             mistakes = COALESCE($8, annotations.mistakes),
             provider_id = CASE WHEN 'provider_id' = ANY($11) THEN NULL
                                ELSE COALESCE($9, annotations.provider_id) END,
             version = $10, updated_at = now()
         WHERE NOT annotations.deleted",
        &[
            &tx.community_id(),
            &user_id,
            &a.trade_id,
            &a.notes,
            &a.tags,
            &a.setup,
            &a.planned_stop,
            &a.mistakes,
            &a.provider_id,
            &version,
            &a.clear,
        ],
    )
    .await?;
    Ok(())
}

/// Tombstones `user_id`'s annotation of trade `trade_id` at `version`. Returns nothing.
/// Errors: the database's.
pub async fn delete_annotation(tx: &TenantTx<'_>, user_id: Uuid, trade_id: Uuid, version: i64) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO annotations (community_id, user_id, trade_id, deleted, version) VALUES ($1, $2, $3, true, $4)
         ON CONFLICT (community_id, user_id, trade_id) DO UPDATE SET deleted = true, version = $4, updated_at = now()
         WHERE NOT annotations.deleted",
        &[&tx.community_id(), &user_id, &trade_id, &version],
    )
    .await?;
    Ok(())
}

/// Writes `user_id`'s journal note of `day` at `version`; a tombstoned note stays deleted.
/// Returns nothing. Errors: the database's.
pub async fn put_journal_note(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    day: NaiveDate,
    body: &str,
    version: i64,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO journal_notes (community_id, user_id, day, body, version) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (community_id, user_id, day) DO UPDATE SET body = $4, version = $5, updated_at = now()
         WHERE NOT journal_notes.deleted",
        &[&tx.community_id(), &user_id, &day, &body, &version],
    )
    .await?;
    Ok(())
}

/// Tombstones `user_id`'s journal note of `day` at `version`. Returns nothing. Errors: the
/// database's.
pub async fn delete_journal_note(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    day: NaiveDate,
    version: i64,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO journal_notes (community_id, user_id, day, deleted, version) VALUES ($1, $2, $3, true, $4)
         ON CONFLICT (community_id, user_id, day) DO UPDATE SET deleted = true, version = $4, updated_at = now()
         WHERE NOT journal_notes.deleted",
        &[&tx.community_id(), &user_id, &day, &version],
    )
    .await?;
    Ok(())
}

/// Adds `accounts` to `user_id`'s accounts waiting for a trade recomputation. Returns all
/// the waiting accounts. Errors: the database's, or [`ApiError::Internal`] for a row that
/// does not decode.
pub async fn add_stale_accounts(tx: &TenantTx<'_>, user_id: Uuid, accounts: &[Uuid]) -> Result<Vec<Uuid>, ApiError> {
    let row = tx
        .query_one(
            "UPDATE memberships SET stale_accounts = ARRAY(SELECT DISTINCT unnest(stale_accounts || $3::uuid[]))
             WHERE community_id = $1 AND user_id = $2 RETURNING stale_accounts",
            &[&tx.community_id(), &user_id, &accounts],
        )
        .await?;
    col(&row, "stale_accounts")
}

/// Empties `user_id`'s accounts waiting for a trade recomputation. Returns nothing. Errors:
/// the database's.
pub async fn clear_stale_accounts(tx: &TenantTx<'_>, user_id: Uuid) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE memberships SET stale_accounts = '{}' WHERE community_id = $1 AND user_id = $2",
        &[&tx.community_id(), &user_id],
    )
    .await?;
    Ok(())
}

/// Records a push that applied mutations: the community's new `version`, the device's
/// `last_mutation_id`, and the member's last activity (now). Returns nothing. Errors: the
/// database's.
pub async fn record_push(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    device_id: &str,
    version: i64,
    last_mutation_id: i64,
) -> Result<(), ApiError> {
    let c = tx.community_id();
    tx.execute(
        "UPDATE sync_state SET version = $2 WHERE community_id = $1",
        &[&c, &version],
    )
    .await?;
    tx.execute(
        "UPDATE sync_devices SET last_mutation_id = $4, updated_at = now()
         WHERE community_id = $1 AND user_id = $2 AND device_id = $3",
        &[&c, &user_id, &device_id, &last_mutation_id],
    )
    .await?;
    tx.execute(
        "UPDATE memberships SET last_active_at = now() WHERE community_id = $1 AND user_id = $2",
        &[&c, &user_id],
    )
    .await?;
    Ok(())
}

/// `user_id`'s accounts with a version above `cookie`, by version, at most `fetch`, as
/// changes (tombstones included). Errors: the database's, or [`ApiError::Internal`] for a
/// row that does not decode.
pub async fn accounts_since(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    cookie: i64,
    fetch: i64,
) -> Result<Vec<Change>, ApiError> {
    tx.query(
        "SELECT version, deleted, id, name, platform, broker_account_id, currency, starting_balance, timezone
         FROM accounts WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
        &[&tx.community_id(), &user_id, &cookie, &fetch],
    )
    .await?
    .iter()
    .map(|r| change(r, Row::Account))
    .collect()
}

/// `user_id`'s fills with a version above `cookie`, by version, at most `fetch`, as changes
/// (tombstones included). Errors: the database's, or [`ApiError::Internal`] for a row that
/// does not decode.
pub async fn fills_since(tx: &TenantTx<'_>, user_id: Uuid, cookie: i64, fetch: i64) -> Result<Vec<Change>, ApiError> {
    tx.query(
        "SELECT version, deleted, id, account_id, symbol, asset_class, side, quantity, price, fees, multiplier,
                executed_at, seq, underlying, expiry, strike, option_right, source_tz, position_effect,
                dedupe_key, execution_id
         FROM fills WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
        &[&tx.community_id(), &user_id, &cookie, &fetch],
    )
    .await?
    .iter()
    .map(|r| change(r, Row::Fill))
    .collect()
}

/// `user_id`'s annotations with a version above `cookie`, by version, at most `fetch`, as
/// changes (tombstones included). Errors: the database's, or [`ApiError::Internal`] for a
/// row that does not decode.
pub async fn annotations_since(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    cookie: i64,
    fetch: i64,
) -> Result<Vec<Change>, ApiError> {
    tx.query(
        "SELECT version, deleted, trade_id, notes, tags, setup, planned_stop, mistakes, provider_id
         FROM annotations WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
        &[&tx.community_id(), &user_id, &cookie, &fetch],
    )
    .await?
    .iter()
    .map(|r| change(r, Row::Annotation))
    .collect()
}

/// `user_id`'s journal notes with a version above `cookie`, by version, at most `fetch`, as
/// changes (tombstones included). Errors: the database's, or [`ApiError::Internal`] for a
/// row that does not decode.
pub async fn journal_notes_since(
    tx: &TenantTx<'_>,
    user_id: Uuid,
    cookie: i64,
    fetch: i64,
) -> Result<Vec<Change>, ApiError> {
    tx.query(
        "SELECT version, deleted, day, body
         FROM journal_notes WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
        &[&tx.community_id(), &user_id, &cookie, &fetch],
    )
    .await?
    .iter()
    .map(|r| change(r, Row::JournalNote))
    .collect()
}
