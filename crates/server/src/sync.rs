//! Sync endpoints (SPEC §7): push applies a device's mutations exactly once, pull returns the
//! member's rows changed since a cookie. Wire types are `tradebook-sync`'s.
//!
//! - **Exactly once**: `sync_devices.last_mutation_id` is read `FOR UPDATE`; mutation ids at
//!   or below it are skipped, the first new id must be last + 1 (else `409 mutation_gap`)
//!   and ids must be consecutive. All of a push commits in one transaction with the new
//!   last id, so a replay, a duplicate or a late copy of a push changes nothing.
//! - **Order**: the community's `sync_state` row is locked for the push; each row change
//!   takes the next version. Versions therefore follow commit order and a pull with
//!   `version > cookie` never skips a change.
//! - **Conflicts**: upserts set only the fields they carry (last writer per field in server
//!   order); a delete leaves a tombstone that every later upsert of that row ignores, except
//!   a whole fill, which re-creates it (an import after an undo gives the same fill ids).
//! - **Speed**: new fills, the bulk of a first upload, are inserted with one statement per
//!   run of them (`UNNEST`), the rest one mutation at a time under a savepoint.
//! - A mutation with invalid arguments is consumed and reported in `rejected` (under a
//!   savepoint, so it changes nothing) instead of blocking the device's outbox forever.
//! - After a push that touched fills, the member's trades of the touched accounts are
//!   recomputed with `tradebook-core` in the same transaction — or, in a run of pushes marked
//!   `more`, once at the run's last push (the accounts wait in `memberships.stale_accounts`).

use std::collections::{BTreeSet, HashSet};

use axum::extract::State;
use axum::http::Method;
use axum::Router;
use rust_decimal::Decimal;
use serde::Deserialize;
use tradebook_sync::{
    AccountArgs, AccountRow, AnnotationArgs, AnnotationRow, Change, FillArgs, FillDetail, FillRow, JournalNoteRow,
    MutationKind, PullResponse, PushRequest, PushResponse, RejectedMutation, Row,
};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{Require, TraderUp};
use crate::error::{ApiError, ApiResult, Json, Query};
use crate::routes::{route, router_of, Auth, RouteSpec};
use crate::tenancy::{Role, TenantTx};
use crate::AppState;

/// The sync routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route(
            Method::POST,
            "/api/communities/{community_id}/sync/push",
            Auth::Member(Role::Trader),
            push,
        ),
        route(
            Method::GET,
            "/api/communities/{community_id}/sync/pull",
            Auth::Member(Role::Trader),
            pull,
        ),
    ]
}

/// The sync router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// Mutations per push, at most.
const MAX_MUTATIONS: usize = 1000;

/// Why a mutation was not applied: refused (consumed, reported) or a failure of the server
/// (the whole push fails and nothing is acknowledged, so no write is lost).
enum Rejection {
    Refused(&'static str, String),
    Failed(ApiError),
}

fn reject(code: &'static str, message: impl Into<String>) -> Rejection {
    Rejection::Refused(code, message.into())
}

impl From<tokio_postgres::Error> for Rejection {
    fn from(e: tokio_postgres::Error) -> Rejection {
        match ApiError::from(e) {
            ApiError::Validation(m) => Rejection::Refused("validation", m),
            other => Rejection::Failed(other),
        }
    }
}

/// Checks a fill's fields without the database (the price's sign also needs the asset class
/// of the stored fill when the mutation does not carry it: checked by the caller).
fn validate_fill(f: &FillArgs) -> Result<(), Rejection> {
    if let Some(side) = &f.side {
        if side != "buy" && side != "sell" {
            return Err(reject("validation", "side: buy or sell"));
        }
    }
    if let Some(class) = &f.asset_class {
        if tradebook_core::AssetClass::parse(class).is_none() {
            return Err(reject("validation", format!("asset_class: unknown {class:?}")));
        }
    }
    if f.symbol.as_ref().is_some_and(|s| s.trim().is_empty() || s.len() > 64) {
        return Err(reject("validation", "symbol: 1 to 64 characters"));
    }
    if f.quantity.is_some_and(|q| q <= Decimal::ZERO) {
        return Err(reject("validation", "quantity: must be positive"));
    }
    if f.fees.is_some_and(|q| q < Decimal::ZERO) {
        return Err(reject("validation", "fees: must not be negative"));
    }
    if f.multiplier.is_some_and(|q| q <= Decimal::ZERO) {
        return Err(reject("validation", "multiplier: must be positive"));
    }
    let d = &f.detail;
    if let Some(r) = &d.option_right {
        if r != "call" && r != "put" {
            return Err(reject("validation", "option_right: call or put"));
        }
    }
    if let Some(e) = &d.position_effect {
        if e != "open" && e != "close" {
            return Err(reject("validation", "position_effect: open or close"));
        }
    }
    if let Some(tz) = &d.source_tz {
        tz.parse::<chrono_tz::Tz>()
            .map_err(|_| reject("validation", format!("source_tz: unknown zone {tz:?}")))?;
    }
    for (field, value) in [
        ("underlying", &d.underlying),
        ("dedupe_key", &d.dedupe_key),
        ("execution_id", &d.execution_id),
    ] {
        if value.as_ref().is_some_and(|v| v.len() > 300) {
            return Err(reject("validation", format!("{field}: at most 300 characters")));
        }
    }
    Ok(())
}

/// A new fill's required fields: account, symbol, asset class, side, quantity, price, time.
type Creation<'a> = (
    Uuid,
    &'a str,
    &'a str,
    &'a str,
    Decimal,
    Decimal,
    chrono::DateTime<chrono::Utc>,
);

/// A new fill's fields when the mutation carries all a creation needs.
fn creation(f: &FillArgs) -> Option<Creation<'_>> {
    Some((
        f.account_id?,
        f.symbol.as_deref()?,
        f.asset_class.as_deref()?,
        f.side.as_deref()?,
        f.quantity?,
        f.price?,
        f.executed_at?,
    ))
}

struct Applier<'t, 'c> {
    tx: &'t TenantTx<'c>,
    user: Uuid,
    version: i64,
    fill_accounts: BTreeSet<Uuid>,
}

impl Applier<'_, '_> {
    /// Applies one mutation under a savepoint: a refused one changes nothing and is reported.
    async fn apply_one(&mut self, id: u64, kind: &MutationKind, rejected: &mut Vec<RejectedMutation>) -> ApiResult<()> {
        self.tx.batch_execute("SAVEPOINT mutation").await?;
        match self.apply(kind).await {
            Ok(()) => self.tx.batch_execute("RELEASE SAVEPOINT mutation").await?,
            Err(Rejection::Failed(e)) => return Err(e),
            Err(Rejection::Refused(code, message)) => {
                self.tx.batch_execute("ROLLBACK TO SAVEPOINT mutation").await?;
                rejected.push(RejectedMutation {
                    id,
                    code: code.to_string(),
                    message,
                });
            }
        }
        Ok(())
    }

    /// Inserts the gathered new fills with one statement (their versions were taken in
    /// mutation order when gathered). Should the database refuse it, they are applied one at
    /// a time instead, so a bad one is reported and the others still land.
    async fn flush(
        &mut self,
        batch: &mut Vec<(u64, &FillArgs, i64)>,
        rejected: &mut Vec<RejectedMutation>,
    ) -> ApiResult<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(batch);
        self.tx.batch_execute("SAVEPOINT fill_batch").await?;
        match self.insert_fills(&items).await {
            Ok(_) => {
                self.tx.batch_execute("RELEASE SAVEPOINT fill_batch").await?;
                self.fill_accounts
                    .extend(items.iter().filter_map(|(_, f, _)| f.account_id));
            }
            Err(e) => {
                tracing::warn!(error = %e, "a batch of new fills was refused; applying them one by one");
                self.tx.batch_execute("ROLLBACK TO SAVEPOINT fill_batch").await?;
                for (id, f, _) in items {
                    self.apply_one(id, &MutationKind::UpsertFill(f.clone()), rejected)
                        .await?;
                }
            }
        }
        Ok(())
    }

    async fn insert_fills(&self, items: &[(u64, &FillArgs, i64)]) -> Result<u64, tokio_postgres::Error> {
        let n = items.len();
        let mut ids = Vec::with_capacity(n);
        let mut accounts = Vec::with_capacity(n);
        let (mut symbols, mut classes, mut sides) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
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
        for (_, f, version) in items {
            let Some((account, symbol, class, side, qty, price, at)) = creation(f) else {
                unreachable!("only whole new fills are batched");
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
            multipliers.push(f.multiplier.unwrap_or(Decimal::ONE));
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
        self.tx
            .execute(
                "INSERT INTO fills (community_id, user_id, id, account_id, symbol, asset_class, side, quantity, price, fees,
                                    multiplier, executed_at, seq, version, underlying, expiry, strike, option_right,
                                    source_tz, position_effect, dedupe_key, execution_id)
                 SELECT $1, $2, * FROM UNNEST($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::numeric[],
                     $9::numeric[], $10::numeric[], $11::numeric[], $12::timestamptz[], $13::int8[], $14::int8[],
                     $15::text[], $16::date[], $17::numeric[], $18::text[], $19::text[], $20::text[], $21::text[],
                     $22::text[])",
                &[
                    &self.tx.community_id(),
                    &self.user,
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

    fn next_version(&mut self) -> i64 {
        self.version += 1;
        self.version
    }

    async fn apply(&mut self, kind: &MutationKind) -> Result<(), Rejection> {
        match kind {
            MutationKind::UpsertAccount(a) => self.upsert_account(a).await,
            MutationKind::DeleteAccount { id } => {
                let v = self.next_version();
                self.tx
                    .execute(
                        "INSERT INTO accounts (community_id, user_id, id, deleted, version) VALUES ($1, $2, $3, true, $4)
                         ON CONFLICT (community_id, user_id, id) DO UPDATE SET deleted = true, version = $4, updated_at = now()
                         WHERE NOT accounts.deleted",
                        &[&self.tx.community_id(), &self.user, id, &v],
                    )
                    .await?;
                self.fill_accounts.insert(*id);
                Ok(())
            }
            MutationKind::UpsertFill(f) => self.upsert_fill(f).await,
            MutationKind::DeleteFill { id } => {
                let v = self.next_version();
                let row = self
                    .tx
                    .query_opt(
                        "UPDATE fills SET deleted = true, version = $4, updated_at = now()
                         WHERE community_id = $1 AND user_id = $2 AND id = $3 AND NOT deleted RETURNING account_id",
                        &[&self.tx.community_id(), &self.user, id, &v],
                    )
                    .await?;
                if let Some(row) = row {
                    self.fill_accounts.insert(row.get(0));
                }
                Ok(())
            }
            MutationKind::UpsertAnnotation(a) => self.upsert_annotation(a).await,
            MutationKind::DeleteAnnotation { trade_id } => {
                let v = self.next_version();
                self.tx
                    .execute(
                        "INSERT INTO annotations (community_id, user_id, trade_id, deleted, version) VALUES ($1, $2, $3, true, $4)
                         ON CONFLICT (community_id, user_id, trade_id) DO UPDATE SET deleted = true, version = $4, updated_at = now()
                         WHERE NOT annotations.deleted",
                        &[&self.tx.community_id(), &self.user, trade_id, &v],
                    )
                    .await?;
                Ok(())
            }
            MutationKind::PutJournalNote(n) => {
                if n.body.len() > 100_000 {
                    return Err(reject("validation", "body: at most 100000 bytes"));
                }
                let v = self.next_version();
                self.tx
                    .execute(
                        "INSERT INTO journal_notes (community_id, user_id, day, body, version) VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (community_id, user_id, day) DO UPDATE SET body = $4, version = $5, updated_at = now()
                         WHERE NOT journal_notes.deleted",
                        &[&self.tx.community_id(), &self.user, &n.day, &n.body, &v],
                    )
                    .await?;
                Ok(())
            }
            MutationKind::DeleteJournalNote { day } => {
                let v = self.next_version();
                self.tx
                    .execute(
                        "INSERT INTO journal_notes (community_id, user_id, day, deleted, version) VALUES ($1, $2, $3, true, $4)
                         ON CONFLICT (community_id, user_id, day) DO UPDATE SET deleted = true, version = $4, updated_at = now()
                         WHERE NOT journal_notes.deleted",
                        &[&self.tx.community_id(), &self.user, day, &v],
                    )
                    .await?;
                Ok(())
            }
        }
    }

    async fn upsert_account(&mut self, a: &AccountArgs) -> Result<(), Rejection> {
        for (field, value, max) in [
            ("name", &a.name, 200),
            ("platform", &a.platform, 50),
            ("broker_account_id", &a.broker_account_id, 100),
            ("currency", &a.currency, 10),
            ("timezone", &a.timezone, 64),
        ] {
            if value.as_ref().is_some_and(|v| v.len() > max) {
                return Err(reject("validation", format!("{field}: at most {max} characters")));
            }
        }
        if let Some(tz) = &a.timezone {
            tz.parse::<chrono_tz::Tz>()
                .map_err(|_| reject("validation", format!("timezone: unknown zone {tz:?}")))?;
        }
        let v = self.next_version();
        self.tx
            .execute(
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
                    &self.tx.community_id(),
                    &self.user,
                    &a.id,
                    &a.name,
                    &a.platform,
                    &a.broker_account_id,
                    &a.currency,
                    &a.starting_balance,
                    &a.timezone,
                    &v,
                ],
            )
            .await?;
        if a.timezone.is_some() {
            self.fill_accounts.insert(a.id);
        }
        Ok(())
    }

    async fn upsert_fill(&mut self, f: &FillArgs) -> Result<(), Rejection> {
        let c = self.tx.community_id();
        validate_fill(f)?;
        let d = &f.detail;
        let existing = self
            .tx
            .query_opt(
                "SELECT deleted, account_id, asset_class FROM fills WHERE community_id = $1 AND user_id = $2 AND id = $3",
                &[&c, &self.user, &f.id],
            )
            .await?;
        if let Some(account) = f.account_id {
            let known = self
                .tx
                .query_opt(
                    "SELECT 1 FROM accounts WHERE community_id = $1 AND user_id = $2 AND id = $3",
                    &[&c, &self.user, &account],
                )
                .await?;
            if known.is_none() {
                return Err(reject(
                    "unknown_account",
                    format!("account {account} is not one of yours"),
                ));
            }
        }
        let class = f
            .asset_class
            .clone()
            .or_else(|| existing.as_ref().map(|r| r.get::<_, String>(2)))
            .unwrap_or_default();
        if f.price.is_some_and(|p| p < Decimal::ZERO) && class != "future" {
            return Err(reject("validation", "price: must not be negative"));
        }
        let v = self.next_version();
        match existing {
            // A delete wins over an edit; a whole fill again (an import after an undo on a
            // device that applied the delete) brings it back.
            Some(row) if row.get::<_, bool>(0) && creation(f).is_none() => Ok(()),
            Some(row) => {
                self.fill_accounts.insert(row.get(1));
                self.tx
                    .execute(
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
                            &c,
                            &self.user,
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
                            &v,
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
                if let Some(a) = f.account_id {
                    self.fill_accounts.insert(a);
                }
                Ok(())
            }
            None => {
                let Some((account, ..)) = creation(f) else {
                    return Err(reject(
                        "validation",
                        "a new fill needs account_id, symbol, asset_class, side, quantity, price and executed_at",
                    ));
                };
                self.insert_fills(&[(0, f, v)]).await?;
                self.fill_accounts.insert(account);
                Ok(())
            }
        }
    }

    async fn upsert_annotation(&mut self, a: &AnnotationArgs) -> Result<(), Rejection> {
        let c = self.tx.community_id();
        if let Some(p) = a.provider_id {
            let known = self
                .tx
                .query_opt(
                    "SELECT 1 FROM signal_providers WHERE community_id = $1 AND id = $2",
                    &[&c, &p],
                )
                .await?;
            if known.is_none() {
                return Err(reject("unknown_provider", format!("no signal provider {p}")));
            }
        }
        if let Some(field) = a
            .clear
            .iter()
            .find(|f| !["setup", "planned_stop", "provider_id"].contains(&f.as_str()))
        {
            return Err(reject(
                "validation",
                format!("clear: {field:?} is not setup, planned_stop or provider_id"),
            ));
        }
        if a.notes.as_ref().is_some_and(|n| n.len() > 100_000) {
            return Err(reject("validation", "notes: at most 100000 bytes"));
        }
        let v = self.next_version();
        self.tx
            .execute(
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
                    &c,
                    &self.user,
                    &a.trade_id,
                    &a.notes,
                    &a.tags,
                    &a.setup,
                    &a.planned_stop,
                    &a.mistakes,
                    &a.provider_id,
                    &v,
                    &a.clear,
                ],
            )
            .await?;
        Ok(())
    }
}

/// Apply a device's outbox mutations exactly once.
#[utoipa::path(post, path = "/api/communities/{community_id}/sync/push", tag = "sync", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)), request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = "default", body = crate::error::ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Json(req): Json<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    if req.device_id.trim().is_empty() || req.device_id.len() > 200 {
        return Err(ApiError::validation("device_id: 1 to 200 characters"));
    }
    if req.mutations.len() > MAX_MUTATIONS {
        return Err(ApiError::validation(format!(
            "mutations: at most {MAX_MUTATIONS} per push"
        )));
    }
    if req.mutations.iter().any(|m| m.id == 0 || m.id > i64::MAX as u64) {
        return Err(ApiError::validation("mutation ids start at 1"));
    }
    if req.mutations.windows(2).any(|w| w[1].id != w[0].id + 1) {
        return Err(ApiError::validation("mutation ids must be consecutive"));
    }
    let user = m.user_id();
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let c = tx.community_id();
    tx.execute(
        "INSERT INTO sync_state (community_id) VALUES ($1) ON CONFLICT DO NOTHING",
        &[&c],
    )
    .await?;
    let version: i64 = tx
        .query_one(
            "SELECT version FROM sync_state WHERE community_id = $1 FOR UPDATE",
            &[&c],
        )
        .await?
        .get(0);
    tx.execute(
        "INSERT INTO sync_devices (community_id, user_id, device_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&c, &user, &req.device_id],
    )
    .await?;
    let last: i64 = tx
        .query_one(
            "SELECT last_mutation_id FROM sync_devices WHERE community_id = $1 AND user_id = $2 AND device_id = $3 FOR UPDATE",
            &[&c, &user, &req.device_id],
        )
        .await?
        .get(0);
    let last = last as u64;
    let new: Vec<_> = req.mutations.iter().filter(|mu| mu.id > last).collect();
    if let Some(first) = new.first() {
        if first.id != last + 1 {
            return Err(ApiError::Conflict {
                code: "mutation_gap",
                message: format!("next mutation id must be {}, got {}", last + 1, first.id),
            });
        }
    }
    let mut applier = Applier {
        tx: &tx,
        user,
        version,
        fill_accounts: BTreeSet::new(),
    };
    let mut rejected = Vec::new();
    // New fills (the bulk of a first upload) go in with one INSERT per run of them; every
    // other mutation, in order, one at a time under its own savepoint.
    let fill_ids: Vec<Uuid> = new
        .iter()
        .filter_map(|mu| match &mu.kind {
            MutationKind::UpsertFill(f) => Some(f.id),
            _ => None,
        })
        .collect();
    let mut stored_fills: HashSet<Uuid> = if fill_ids.is_empty() {
        HashSet::new()
    } else {
        tx.query(
            "SELECT id FROM fills WHERE community_id = $1 AND user_id = $2 AND id = ANY($3)",
            &[&c, &user, &fill_ids],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let mut known_accounts: HashSet<Uuid> = tx
        .query(
            "SELECT id FROM accounts WHERE community_id = $1 AND user_id = $2",
            &[&c, &user],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut batch: Vec<(u64, &FillArgs, i64)> = Vec::new();
    for mutation in &new {
        if let MutationKind::UpsertFill(f) = &mutation.kind {
            let new_fill = creation(f).is_some_and(|(account, ..)| known_accounts.contains(&account))
                && !stored_fills.contains(&f.id)
                && validate_fill(f).is_ok()
                && !f
                    .price
                    .is_some_and(|p| p < Decimal::ZERO && f.asset_class.as_deref() != Some("future"));
            if new_fill {
                stored_fills.insert(f.id);
                let version = applier.next_version();
                batch.push((mutation.id, f, version));
                continue;
            }
        }
        applier.flush(&mut batch, &mut rejected).await?;
        let before = rejected.len();
        applier.apply_one(mutation.id, &mutation.kind, &mut rejected).await?;
        if let (MutationKind::UpsertAccount(a), true) = (&mutation.kind, rejected.len() == before) {
            known_accounts.insert(a.id);
        }
    }
    applier.flush(&mut batch, &mut rejected).await?;
    let (new_version, accounts) = (applier.version, applier.fill_accounts);
    let new_last = new.last().map_or(last, |mu| mu.id);
    if !new.is_empty() || !req.more {
        // A run of pushes (`more`) recomputes once, at its last push: until then the
        // touched accounts wait in `memberships.stale_accounts` (a crashed run's wait there
        // for the member's next push).
        let accounts: Vec<Uuid> = accounts.into_iter().collect();
        let stale: Vec<Uuid> = tx
            .query_one(
                "UPDATE memberships SET stale_accounts = ARRAY(SELECT DISTINCT unnest(stale_accounts || $3::uuid[]))
                 WHERE community_id = $1 AND user_id = $2 RETURNING stale_accounts",
                &[&c, &user, &accounts],
            )
            .await?
            .get(0);
        if !req.more && !stale.is_empty() {
            crate::trades::recompute(&tx, user, &stale.into_iter().collect()).await?;
            tx.execute(
                "UPDATE memberships SET stale_accounts = '{}' WHERE community_id = $1 AND user_id = $2",
                &[&c, &user],
            )
            .await?;
        }
    }
    if !new.is_empty() {
        tx.execute(
            "UPDATE sync_state SET version = $2 WHERE community_id = $1",
            &[&c, &new_version],
        )
        .await?;
        tx.execute(
            "UPDATE sync_devices SET last_mutation_id = $4, updated_at = now()
             WHERE community_id = $1 AND user_id = $2 AND device_id = $3",
            &[&c, &user, &req.device_id, &(new_last as i64)],
        )
        .await?;
        tx.execute(
            "UPDATE memberships SET last_active_at = now() WHERE community_id = $1 AND user_id = $2",
            &[&c, &user],
        )
        .await?;
    }
    tx.commit().await?;
    // As above: only a push that applied something, or ended a run (its recomputation), can
    // change a dashboard; a resend in the middle of a run cannot.
    if !new.is_empty() || !req.more {
        state.cache.invalidate(m.scope.community_id());
    }
    Ok(Json(PushResponse {
        last_mutation_id: new_last,
        applied: (new.len() - rejected.len()) as u64,
        rejected,
    }))
}

/// Query of a pull.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PullQuery {
    /// Version of the last applied page (0 for everything).
    pub cookie: Option<u64>,
    /// Page size (1–1000, default 500).
    pub limit: Option<u32>,
    /// The pulling device (for its last applied mutation id).
    pub device_id: Option<String>,
}

/// Rows of the caller's journal changed since the cookie, tombstones included, in pages.
#[utoipa::path(get, path = "/api/communities/{community_id}/sync/pull", tag = "sync", security(("bearer" = [])),
    params(("community_id" = Uuid, Path), PullQuery),
    responses((status = 200, body = PullResponse), (status = "default", body = crate::error::ErrorBody)))]
pub async fn pull(
    State(state): State<AppState>,
    Require(m, ..): Require<TraderUp>,
    Query(q): Query<PullQuery>,
) -> ApiResult<Json<PullResponse>> {
    let cookie = q.cookie.unwrap_or(0).min(i64::MAX as u64) as i64;
    let limit = q.limit.unwrap_or(500).clamp(1, 1000) as usize;
    let fetch = (limit + 1) as i64;
    let user = m.user_id();
    let mut conn = state.db.get().await?;
    let tx = m.scope.begin(&mut conn).await?;
    let c = tx.community_id();
    let args: [&(dyn tokio_postgres::types::ToSql + Sync); 4] = [&c, &user, &cookie, &fetch];
    // Read before the changes: every mutation up to this id is then already visible to
    // the queries below (each statement sees at least what was committed before it).
    let last_mutation_id: i64 = match &q.device_id {
        Some(d) => tx
            .query_opt(
                "SELECT last_mutation_id FROM sync_devices WHERE community_id = $1 AND user_id = $2 AND device_id = $3",
                &[&c, &user, d],
            )
            .await?
            .map_or(0, |r| r.get(0)),
        None => 0,
    };
    let mut changes: Vec<Change> = Vec::new();
    let ver = |v: i64| v as u64;
    for r in tx
        .query(
            "SELECT version, deleted, id, name, platform, broker_account_id, currency, starting_balance, timezone
             FROM accounts WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
            &args,
        )
        .await?
    {
        changes.push(Change {
            version: ver(r.get(0)),
            deleted: r.get(1),
            row: Row::Account(AccountRow {
                id: r.get(2),
                name: r.get(3),
                platform: r.get(4),
                broker_account_id: r.get(5),
                currency: r.get(6),
                starting_balance: r.get(7),
                timezone: r.get(8),
            }),
        });
    }
    for r in tx
        .query(
            "SELECT version, deleted, id, account_id, symbol, asset_class, side, quantity, price, fees, multiplier,
                    executed_at, seq, underlying, expiry, strike, option_right, source_tz, position_effect,
                    dedupe_key, execution_id
             FROM fills WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
            &args,
        )
        .await?
    {
        changes.push(Change {
            version: ver(r.get(0)),
            deleted: r.get(1),
            row: Row::Fill(FillRow {
                id: r.get(2),
                account_id: r.get(3),
                symbol: r.get(4),
                asset_class: r.get(5),
                side: r.get(6),
                quantity: r.get(7),
                price: r.get(8),
                fees: r.get(9),
                multiplier: r.get(10),
                executed_at: r.get(11),
                seq: r.get(12),
                detail: FillDetail {
                    underlying: r.get(13),
                    expiry: r.get(14),
                    strike: r.get(15),
                    option_right: r.get(16),
                    source_tz: r.get(17),
                    position_effect: r.get(18),
                    dedupe_key: r.get(19),
                    execution_id: r.get(20),
                },
            }),
        });
    }
    for r in tx
        .query(
            "SELECT version, deleted, trade_id, notes, tags, setup, planned_stop, mistakes, provider_id
             FROM annotations WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
            &args,
        )
        .await?
    {
        changes.push(Change {
            version: ver(r.get(0)),
            deleted: r.get(1),
            row: Row::Annotation(AnnotationRow {
                trade_id: r.get(2),
                notes: r.get(3),
                tags: r.get(4),
                setup: r.get(5),
                planned_stop: r.get(6),
                mistakes: r.get(7),
                provider_id: r.get(8),
            }),
        });
    }
    for r in tx
        .query(
            "SELECT version, deleted, day, body
             FROM journal_notes WHERE community_id = $1 AND user_id = $2 AND version > $3 ORDER BY version LIMIT $4",
            &args,
        )
        .await?
    {
        changes.push(Change {
            version: ver(r.get(0)),
            deleted: r.get(1),
            row: Row::JournalNote(JournalNoteRow {
                day: r.get(2),
                body: r.get(3),
            }),
        });
    }
    tx.commit().await?;
    changes.sort_by_key(|ch| ch.version);
    let has_more = changes.len() > limit;
    changes.truncate(limit);
    let cookie = changes.last().map_or(cookie as u64, |ch| ch.version);
    Ok(Json(PullResponse {
        cookie,
        last_mutation_id: last_mutation_id as u64,
        changes,
        has_more,
    }))
}
