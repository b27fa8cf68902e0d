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
use axum::Router;
use rust_decimal::Decimal;
use tradebook_sync::{
    AccountArgs, AnnotationArgs, Change, FillArgs, MutationKind, PullResponse, PushRequest, PushResponse,
    RejectedMutation, RejectionCode,
};
use uuid::Uuid;

use crate::auth::{Require, TraderUp};
use crate::error::{ApiError, ApiResult, Json, Query};
use crate::repo;
use crate::routes::{route, router_of, RouteSpec};
use crate::tenancy::TenantTx;
use crate::AppState;
use tradebook_api::routes as api;
pub use tradebook_api::PullQuery;

/// The sync routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![route::<api::SyncPush, _, _>(push), route::<api::SyncPull, _, _>(pull)]
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
    Refused(RejectionCode, String),
    Failed(ApiError),
}

fn reject(code: RejectionCode, message: impl Into<String>) -> Rejection {
    Rejection::Refused(code, message.into())
}

impl From<ApiError> for Rejection {
    fn from(e: ApiError) -> Rejection {
        match e {
            ApiError::Validation(m) => Rejection::Refused(RejectionCode::Validation, m),
            other => Rejection::Failed(other),
        }
    }
}

impl From<tokio_postgres::Error> for Rejection {
    fn from(e: tokio_postgres::Error) -> Rejection {
        Rejection::from(ApiError::from(e))
    }
}

/// Checks a fill's fields without the database (the price's sign also needs the asset class
/// of the stored fill when the mutation does not carry it: checked by the caller).
fn validate_fill(f: &FillArgs) -> Result<(), Rejection> {
    if let Some(side) = &f.side {
        if side != "buy" && side != "sell" {
            return Err(reject(RejectionCode::Validation, "side: buy or sell"));
        }
    }
    if let Some(class) = &f.asset_class {
        if tradebook_core::AssetClass::parse(class).is_none() {
            return Err(reject(
                RejectionCode::Validation,
                format!("asset_class: unknown {class:?}"),
            ));
        }
    }
    if f.symbol.as_ref().is_some_and(|s| s.trim().is_empty() || s.len() > 64) {
        return Err(reject(RejectionCode::Validation, "symbol: 1 to 64 characters"));
    }
    if f.quantity.is_some_and(|q| q <= Decimal::ZERO) {
        return Err(reject(RejectionCode::Validation, "quantity: must be positive"));
    }
    // Negative fees are a net rebate (tradebook_core::Fill), as in the journal.
    if f.multiplier.is_some_and(|q| q <= Decimal::ZERO) {
        return Err(reject(RejectionCode::Validation, "multiplier: must be positive"));
    }
    let d = &f.detail;
    if let Some(r) = &d.option_right {
        if r != "call" && r != "put" {
            return Err(reject(RejectionCode::Validation, "option_right: call or put"));
        }
    }
    if let Some(e) = &d.position_effect {
        if e != "open" && e != "close" {
            return Err(reject(RejectionCode::Validation, "position_effect: open or close"));
        }
    }
    if let Some(tz) = &d.source_tz {
        tz.parse::<chrono_tz::Tz>()
            .map_err(|_| reject(RejectionCode::Validation, format!("source_tz: unknown zone {tz:?}")))?;
    }
    for (field, value) in [
        ("underlying", &d.underlying),
        ("dedupe_key", &d.dedupe_key),
        ("execution_id", &d.execution_id),
    ] {
        if value.as_ref().is_some_and(|v| v.len() > 300) {
            return Err(reject(
                RejectionCode::Validation,
                format!("{field}: at most 300 characters"),
            ));
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
pub(crate) fn creation(f: &FillArgs) -> Option<Creation<'_>> {
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
        repo::sync::savepoint(self.tx, "mutation").await?;
        match self.apply(kind).await {
            Ok(()) => repo::sync::release_savepoint(self.tx, "mutation").await?,
            Err(Rejection::Failed(e)) => return Err(e),
            Err(Rejection::Refused(code, message)) => {
                repo::sync::rollback_to_savepoint(self.tx, "mutation").await?;
                rejected.push(RejectedMutation { id, code, message });
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
        let fills: Vec<(&FillArgs, i64)> = items.iter().map(|(_, f, version)| (*f, *version)).collect();
        repo::sync::savepoint(self.tx, "fill_batch").await?;
        match repo::sync::insert_fills(self.tx, self.user, &fills).await {
            Ok(_) => {
                repo::sync::release_savepoint(self.tx, "fill_batch").await?;
                self.fill_accounts
                    .extend(items.iter().filter_map(|(_, f, _)| f.account_id));
            }
            Err(e) => {
                tracing::warn!(error = %e, "a batch of new fills was refused; applying them one by one");
                repo::sync::rollback_to_savepoint(self.tx, "fill_batch").await?;
                for (id, f, _) in items {
                    self.apply_one(id, &MutationKind::UpsertFill(f.clone()), rejected)
                        .await?;
                }
            }
        }
        Ok(())
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
                repo::sync::delete_account(self.tx, self.user, *id, v).await?;
                self.fill_accounts.insert(*id);
                Ok(())
            }
            MutationKind::UpsertFill(f) => self.upsert_fill(f).await,
            MutationKind::DeleteFill { id } => {
                let v = self.next_version();
                if let Some(account) = repo::sync::delete_fill(self.tx, self.user, *id, v).await? {
                    self.fill_accounts.insert(account);
                }
                Ok(())
            }
            MutationKind::UpsertAnnotation(a) => self.upsert_annotation(a).await,
            MutationKind::DeleteAnnotation { trade_id } => {
                let v = self.next_version();
                repo::sync::delete_annotation(self.tx, self.user, *trade_id, v).await?;
                Ok(())
            }
            MutationKind::PutJournalNote(n) => {
                if n.body.len() > 100_000 {
                    return Err(reject(RejectionCode::Validation, "body: at most 100000 bytes"));
                }
                let v = self.next_version();
                repo::sync::put_journal_note(self.tx, self.user, n.day, &n.body, v).await?;
                Ok(())
            }
            MutationKind::DeleteJournalNote { day } => {
                let v = self.next_version();
                repo::sync::delete_journal_note(self.tx, self.user, *day, v).await?;
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
                return Err(reject(
                    RejectionCode::Validation,
                    format!("{field}: at most {max} characters"),
                ));
            }
        }
        if let Some(tz) = &a.timezone {
            tz.parse::<chrono_tz::Tz>()
                .map_err(|_| reject(RejectionCode::Validation, format!("timezone: unknown zone {tz:?}")))?;
        }
        let v = self.next_version();
        repo::sync::upsert_account(self.tx, self.user, a, v).await?;
        if a.timezone.is_some() {
            self.fill_accounts.insert(a.id);
        }
        Ok(())
    }

    async fn upsert_fill(&mut self, f: &FillArgs) -> Result<(), Rejection> {
        validate_fill(f)?;
        let existing = repo::sync::stored_fill(self.tx, self.user, f.id).await?;
        if let Some(account) = f.account_id {
            if !repo::sync::account_exists(self.tx, self.user, account).await? {
                return Err(reject(
                    RejectionCode::UnknownAccount,
                    format!("account {account} is not one of yours"),
                ));
            }
        }
        let class = f
            .asset_class
            .clone()
            .or_else(|| existing.as_ref().map(|stored| stored.asset_class.clone()))
            .unwrap_or_default();
        if f.price.is_some_and(|p| p < Decimal::ZERO) && class != "future" {
            return Err(reject(RejectionCode::Validation, "price: must not be negative"));
        }
        let v = self.next_version();
        match existing {
            // A delete wins over an edit; a whole fill again (an import after an undo on a
            // device that applied the delete) brings it back.
            Some(stored) if stored.deleted && creation(f).is_none() => Ok(()),
            Some(stored) => {
                self.fill_accounts.insert(stored.account_id);
                repo::sync::update_fill(self.tx, self.user, f, v).await?;
                if let Some(a) = f.account_id {
                    self.fill_accounts.insert(a);
                }
                Ok(())
            }
            None => {
                let Some((account, ..)) = creation(f) else {
                    return Err(reject(
                        RejectionCode::Validation,
                        "a new fill needs account_id, symbol, asset_class, side, quantity, price and executed_at",
                    ));
                };
                repo::sync::insert_fills(self.tx, self.user, &[(f, v)]).await?;
                self.fill_accounts.insert(account);
                Ok(())
            }
        }
    }

    async fn upsert_annotation(&mut self, a: &AnnotationArgs) -> Result<(), Rejection> {
        if let Some(p) = a.provider_id {
            if !repo::sync::provider_exists(self.tx, p).await? {
                return Err(reject(
                    RejectionCode::UnknownProvider,
                    format!("no signal provider {p}"),
                ));
            }
        }
        if let Some(field) = a
            .clear
            .iter()
            .find(|f| !["setup", "planned_stop", "provider_id"].contains(&f.as_str()))
        {
            return Err(reject(
                RejectionCode::Validation,
                format!("clear: {field:?} is not setup, planned_stop or provider_id"),
            ));
        }
        if a.notes.as_ref().is_some_and(|n| n.len() > 100_000) {
            return Err(reject(RejectionCode::Validation, "notes: at most 100000 bytes"));
        }
        let v = self.next_version();
        repo::sync::upsert_annotation(self.tx, self.user, a, v).await?;
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
    let version = repo::sync::lock_version(&tx).await?;
    let last = repo::sync::lock_device(&tx, user, &req.device_id).await? as u64;
    let new: Vec<_> = req.mutations.iter().filter(|mu| mu.id > last).collect();
    if let Some(first) = new.first() {
        if first.id != last + 1 {
            return Err(ApiError::Conflict {
                code: crate::error::ErrorCode::MutationGap,
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
        repo::sync::stored_fill_ids(&tx, user, &fill_ids).await?
    };
    let mut known_accounts = repo::sync::account_ids(&tx, user).await?;
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
        let stale = repo::sync::add_stale_accounts(&tx, user, &accounts).await?;
        if !req.more && !stale.is_empty() {
            crate::trades::recompute(&tx, user, &stale.into_iter().collect()).await?;
            repo::sync::clear_stale_accounts(&tx, user).await?;
        }
    }
    if !new.is_empty() {
        repo::sync::record_push(&tx, user, &req.device_id, new_version, new_last as i64).await?;
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
    // Read before the changes: every mutation up to this id is then already visible to
    // the queries below (each statement sees at least what was committed before it).
    let last_mutation_id: i64 = match &q.device_id {
        Some(d) => repo::sync::device_last_mutation_id(&tx, user, d).await?.unwrap_or(0),
        None => 0,
    };
    let mut changes: Vec<Change> = Vec::new();
    changes.extend(repo::sync::accounts_since(&tx, user, cookie, fetch).await?);
    changes.extend(repo::sync::fills_since(&tx, user, cookie, fetch).await?);
    changes.extend(repo::sync::annotations_since(&tx, user, cookie, fetch).await?);
    changes.extend(repo::sync::journal_notes_since(&tx, user, cookie, fetch).await?);
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
