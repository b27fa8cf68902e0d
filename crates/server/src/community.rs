//! Community dashboards for admins and moderators (overview, members, analytics) and the
//! members' leaderboard. These aggregate over up to millions of trades, so they are SQL
//! aggregates over the derived `trades` rows using the SPEC §4 definitions exactly as
//! `tradebook-core::stats` does: only closed trades count, winner = net > 0, loser = net < 0,
//! win rate = winners ÷ (winners + losers). Analytics are cached in-process for a few seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::Router;
use chrono::Utc;
use rust_decimal::Decimal;
use tradebook_core::win_rate;
use uuid::Uuid;

use crate::auth::{AnyMember, Require, Staff};
use crate::error::{ApiError, ApiResult, Json, Query};
use crate::repo;
use crate::routes::{route, router_of, RouteSpec};
use crate::AppState;
pub use tradebook_api::community::{
    CommunityAnalytics, CommunityDay, CommunityOverview, LeaderboardEntry, MemberPage, MemberRow, MembersQuery,
    PeriodQuery,
};
use tradebook_api::routes as api;

/// The dashboard routes.
pub fn routes() -> Vec<RouteSpec> {
    vec![
        route::<api::Overview, _, _>(overview),
        route::<api::Members, _, _>(members),
        route::<api::Analytics, _, _>(analytics),
        route::<api::Leaderboard, _, _>(leaderboard),
    ]
}

/// The dashboard router.
pub fn router() -> Router<AppState> {
    router_of(routes())
}

/// The turn of one computation of a [`TtlCache`] key.
type Flight = std::sync::Arc<tokio::sync::Mutex<()>>;

/// A small in-process cache with a time to live, keyed by (community, variant). Concurrent
/// misses of one key compute the answer once ([`TtlCache::get_or_compute`]).
pub struct TtlCache<V> {
    ttl: Duration,
    entries: Mutex<HashMap<(Uuid, u32), (Instant, V)>>,
    /// The keys being computed, each with the lock its other callers wait on.
    flights: Mutex<HashMap<(Uuid, u32), Flight>>,
    /// How many times each community's answers were dropped: an answer whose computation
    /// overlapped a drop may predate the change, so it is returned but not kept.
    generations: Mutex<HashMap<Uuid, u64>>,
}

impl<V: Clone> TtlCache<V> {
    /// A cache keeping answers for `ttl`.
    pub fn new(ttl: Duration) -> TtlCache<V> {
        TtlCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
            flights: Mutex::new(HashMap::new()),
            generations: Mutex::new(HashMap::new()),
        }
    }

    /// The cached answer for `key`, else `compute`'s, cached. While one caller computes a
    /// key, the others wait for its answer instead of running the same query (200 dashboards
    /// missing at once would otherwise scan the same trades 200 times).
    pub async fn get_or_compute<F, Fut>(&self, key: (Uuid, u32), compute: F) -> Result<V, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, ApiError>>,
    {
        if let Some(hit) = self.get(key) {
            return Ok(hit);
        }
        // The map's guard is dropped before any await (it is not `Send`).
        let flight = self
            .flights
            .lock()
            .ok()
            .map(|mut flights| std::sync::Arc::clone(flights.entry(key).or_default()));
        let Some(flight) = flight else {
            return compute().await;
        };
        let _turn = flight.lock().await;
        if let Some(hit) = self.get(key) {
            return Ok(hit);
        }
        let generation = self.generation(key.0);
        let answer = compute().await;
        if let Ok(value) = &answer {
            if generation.is_some() && self.generation(key.0) == generation {
                self.put(key, value.clone());
            }
        }
        if let Ok(mut flights) = self.flights.lock() {
            flights.remove(&key);
        }
        answer
    }

    fn get(&self, key: (Uuid, u32)) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(&key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    /// Drops every answer of `community` (its data changed through this server), including
    /// one being computed now.
    fn invalidate(&self, community: Uuid) {
        if let Ok(mut generations) = self.generations.lock() {
            *generations.entry(community).or_default() += 1;
        }
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|key, _| key.0 != community);
        }
    }

    /// The number of drops of `community` so far (`None` if the lock is poisoned: then
    /// nothing is kept).
    fn generation(&self, community: Uuid) -> Option<u64> {
        let generations = self.generations.lock().ok()?;
        Some(generations.get(&community).copied().unwrap_or(0))
    }

    fn put(&self, key: (Uuid, u32), value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
            entries.insert(key, (Instant::now(), value));
        }
    }
}

/// The dashboards' caches: analytics per (community, days), the overview and the leaderboard
/// per community. Dashboards read aggregates over up to millions of trades; an answer is kept
/// until the community's data changes through this server ([`AnalyticsCache::invalidate`]:
/// a sync push, a membership or leaderboard change) or `ttl` passes (changes made through
/// another server instance), so 200 concurrent admins cost one query per change (SPEC §9).
pub struct AnalyticsCache {
    analytics: TtlCache<std::sync::Arc<CommunityAnalytics>>,
    overview: TtlCache<std::sync::Arc<CommunityOverview>>,
    leaderboard: TtlCache<std::sync::Arc<Vec<LeaderboardEntry>>>,
    /// Members' ids and roles in the members page's order (newest first).
    member_order: TtlCache<std::sync::Arc<Vec<(Uuid, String)>>>,
}

impl AnalyticsCache {
    /// Caches keeping answers for `ttl`.
    pub fn new(ttl: Duration) -> AnalyticsCache {
        AnalyticsCache {
            analytics: TtlCache::new(ttl),
            overview: TtlCache::new(ttl),
            leaderboard: TtlCache::new(ttl),
            member_order: TtlCache::new(ttl),
        }
    }

    /// Drops the cached dashboards of `community`: call after committing a change to what
    /// they show.
    pub fn invalidate(&self, community: Uuid) {
        self.analytics.invalidate(community);
        self.overview.invalidate(community);
        self.leaderboard.invalidate(community);
        self.member_order.invalidate(community);
    }
}

/// Members, active traders and today's trades (cached for a few seconds).
#[utoipa::path(get, path = "/api/communities/{community_id}/dashboard/overview", tag = "community",
    security(("bearer" = [])), params(("community_id" = Uuid, Path)),
    responses((status = 200, body = CommunityOverview), (status = "default", body = crate::error::ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
) -> ApiResult<Json<CommunityOverview>> {
    let key = (m.scope.community_id(), 0);
    let answer = state
        .cache
        .overview
        .get_or_compute(key, || async {
            let mut conn = state.db.get().await?;
            let tx = m.scope.begin(&mut conn).await?;
            let overview = repo::community::overview(&tx).await?;
            tx.commit().await?;
            Ok(std::sync::Arc::new(overview))
        })
        .await?;
    Ok(Json((*answer).clone()))
}

/// Members (newest first), paged, searchable by name or email, filterable by role, with
/// trade count and P&L.
#[utoipa::path(get, path = "/api/communities/{community_id}/members", tag = "community", security(("bearer" = [])),
    params(("community_id" = Uuid, Path), MembersQuery),
    responses((status = 200, body = MemberPage), (status = "default", body = crate::error::ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
    Query(q): Query<MembersQuery>,
) -> ApiResult<Json<MemberPage>> {
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let pattern = q.q.as_ref().map(|s| {
        let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    });
    let role = q.role.map(|r| r.as_str());
    let offset = i64::from(page - 1) * i64::from(per_page);
    let c = m.scope.community_id();
    let (total, rows) = if let Some(pattern) = &pattern {
        let mut conn = state.db.get().await?;
        let tx = m.scope.begin(&mut conn).await?;
        let total = repo::community::count_matching(&tx, pattern, role).await?;
        let rows = repo::community::members_matching(&tx, pattern, role, i64::from(per_page), offset).await?;
        tx.commit().await?;
        (total, rows)
    } else {
        // The community's members in page order (ids and roles, kept like the dashboards until
        // a membership changes): the count and the page's ids come from it, and only the
        // page's rows are read.
        let order = state
            .cache
            .member_order
            .get_or_compute((c, 0), || async {
                let mut conn = state.db.get().await?;
                let tx = m.scope.begin(&mut conn).await?;
                let order = repo::community::member_order(&tx).await?;
                tx.commit().await?;
                Ok(std::sync::Arc::new(order))
            })
            .await?;
        let matching: Vec<Uuid> = order
            .iter()
            .filter(|(_, r)| role.is_none_or(|want| want == r))
            .map(|(id, _)| *id)
            .collect();
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(matching.len());
        let ids = &matching[start..(start + per_page as usize).min(matching.len())];
        let mut conn = state.db.get().await?;
        let tx = m.scope.begin(&mut conn).await?;
        let rows = repo::community::members_by_ids(&tx, ids).await?;
        tx.commit().await?;
        (matching.len() as i64, rows)
    };
    Ok(Json(MemberPage {
        items: rows,
        total,
        page,
        per_page,
    }))
}

/// Daily trades, P&L and win rate over 7, 30 or 90 days (cached for a few seconds).
#[utoipa::path(get, path = "/api/communities/{community_id}/dashboard/analytics", tag = "community",
    security(("bearer" = [])), params(("community_id" = Uuid, Path), PeriodQuery),
    responses((status = 200, body = CommunityAnalytics), (status = "default", body = crate::error::ErrorBody)))]
pub async fn analytics(
    State(state): State<AppState>,
    Require(m, ..): Require<Staff>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<CommunityAnalytics>> {
    let days = q.days.unwrap_or(30);
    if ![7, 30, 90].contains(&days) {
        return Err(ApiError::validation("days: 7, 30 or 90"));
    }
    let key = (m.scope.community_id(), days);
    let answer = state
        .cache
        .analytics
        .get_or_compute(key, || async {
            let mut conn = state.db.get().await?;
            let tx = m.scope.begin(&mut conn).await?;
            let totals = repo::community::daily_totals(&tx, days as i32).await?;
            tx.commit().await?;
            let (mut trades, mut net, mut winners, mut losers) = (0i64, Decimal::ZERO, 0u64, 0u64);
            let daily = totals
                .into_iter()
                .map(|d| {
                    trades += d.trades;
                    net += d.net_pnl;
                    winners += d.winners;
                    losers += d.losers;
                    CommunityDay {
                        day: d.day,
                        trades: d.trades,
                        net_pnl: d.net_pnl,
                        win_rate: win_rate(d.winners, d.losers),
                    }
                })
                .collect();
            Ok(std::sync::Arc::new(CommunityAnalytics {
                days,
                trades,
                net_pnl: net,
                win_rate: win_rate(winners, losers),
                daily,
                computed_at: Utc::now(),
            }))
        })
        .await?;
    Ok(Json((*answer).clone()))
}

/// Members who opted in, ranked by 30-day net P&L (aliases shown instead of names; cached
/// like the dashboards until the community's data changes).
#[utoipa::path(get, path = "/api/communities/{community_id}/leaderboard", tag = "community", security(("bearer" = [])),
    params(("community_id" = Uuid, Path)),
    responses((status = 200, body = Vec<LeaderboardEntry>), (status = "default", body = crate::error::ErrorBody)))]
pub async fn leaderboard(
    State(state): State<AppState>,
    Require(m, ..): Require<AnyMember>,
) -> ApiResult<Json<Vec<LeaderboardEntry>>> {
    let key = (m.scope.community_id(), 0);
    let answer = state
        .cache
        .leaderboard
        .get_or_compute(key, || async {
            let mut conn = state.db.get().await?;
            let tx = m.scope.begin(&mut conn).await?;
            let entries = repo::community::leaderboard(&tx).await?;
            tx.commit().await?;
            Ok(std::sync::Arc::new(entries))
        })
        .await?;
    Ok(Json((*answer).clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_answer_computed_across_a_change_is_returned_but_not_kept() {
        let cache: TtlCache<u32> = TtlCache::new(Duration::from_secs(3600));
        let (community, other) = (Uuid::new_v4(), Uuid::new_v4());
        let key = (community, 0);
        // The change lands while the answer is computed (a push committing meanwhile).
        let answer = cache
            .get_or_compute(key, || async {
                cache.invalidate(community);
                Ok(1)
            })
            .await
            .unwrap();
        assert_eq!(answer, 1);
        assert_eq!(
            cache.get(key),
            None,
            "an answer that may predate the change is not kept"
        );
        // Without a change it is kept, and a change drops it.
        assert_eq!(cache.get_or_compute(key, || async { Ok(2) }).await.unwrap(), 2);
        assert_eq!(cache.get_or_compute(key, || async { Ok(3) }).await.unwrap(), 2);
        cache.get_or_compute((other, 0), || async { Ok(7) }).await.unwrap();
        cache.invalidate(community);
        assert_eq!(cache.get(key), None);
        assert_eq!(cache.get((other, 0)), Some(7), "other communities keep theirs");
    }

    #[tokio::test]
    async fn concurrent_misses_compute_once() {
        let cache = std::sync::Arc::new(TtlCache::<u32>::new(Duration::from_secs(3600)));
        let computed = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let key = (Uuid::new_v4(), 30);
        let callers: Vec<_> = (0..20)
            .map(|_| {
                let (cache, computed) = (cache.clone(), computed.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_compute(key, || async {
                            computed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok(42)
                        })
                        .await
                        .unwrap()
                })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap(), 42);
        }
        assert_eq!(computed.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
