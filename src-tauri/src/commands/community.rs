//! The Community and Admin pages: one typed command per route of the tenant API they use
//! (`tradebook_api::routes`), each a signed-in call to the connected community through
//! `tradebook_sync_client::Api`. The session token stays in Rust (OS keyring); the webview
//! only sees the contract's types.
//!
//! Errors: `NotConnected` when the journal has no community; `Unreachable`, `SignedOut`;
//! `Remote` with the contract's `ErrorCode` (`forbidden` for a page above the user's role,
//! `validation` for values the server refuses: it is the one place that checks them).

use std::sync::Arc;

use tauri::State;
use tradebook_api::auth::MeResponse;
use tradebook_api::community::{CommunityAnalytics, CommunityOverview, LeaderboardEntry, MemberPage, MembersQuery};
use tradebook_api::members::{AuditEventView, AuditQuery, CreateInvitation, InvitationView, MemberRoleView};
use tradebook_api::providers::{
    CreateProvider, FeedQuery, FollowView, ProviderFields, ProviderView, SignalView, UpdateProvider,
};
use tradebook_api::trader::{LeaderboardSettings, TraderAnalytics, TraderOverview};
use tradebook_api::Role;
use tradebook_sync_client as client;
use uuid::Uuid;

use crate::error::AppError;
use crate::state::{with_store, AppState};

/// Runs `call` against the connected community's server, off the async runtime.
async fn remote<T, F>(state: &Arc<AppState>, call: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&client::Api, Uuid) -> client::Result<T> + Send + 'static,
{
    let (api, connection) = with_store(state, |store, _| Ok(client::api_for(store)?)).await?;
    tokio::task::spawn_blocking(move || Ok(call(&api, connection.community_id)?)).await?
}

/// The signed-in user and their memberships (their current roles).
#[tauri::command]
#[specta::specta]
pub async fn community_me(state: State<'_, Arc<AppState>>) -> Result<MeResponse, AppError> {
    remote(&state, |api, _| api.me()).await
}

/// The community's 30-day leaderboard.
#[tauri::command]
#[specta::specta]
pub async fn community_leaderboard(state: State<'_, Arc<AppState>>) -> Result<Vec<LeaderboardEntry>, AppError> {
    remote(&state, |api, c| api.leaderboard(c)).await
}

/// Whether the user appears on the leaderboard, and under which alias.
#[tauri::command]
#[specta::specta]
pub async fn community_my_leaderboard(state: State<'_, Arc<AppState>>) -> Result<LeaderboardSettings, AppError> {
    remote(&state, |api, c| api.my_leaderboard(c)).await
}

/// Sets the user's leaderboard participation.
#[tauri::command]
#[specta::specta]
pub async fn community_set_my_leaderboard(
    state: State<'_, Arc<AppState>>,
    settings: LeaderboardSettings,
) -> Result<LeaderboardSettings, AppError> {
    remote(&state, move |api, c| api.set_my_leaderboard(c, &settings)).await
}

/// Signal providers with their performance (best win rate first).
#[tauri::command]
#[specta::specta]
pub async fn community_providers(state: State<'_, Arc<AppState>>) -> Result<Vec<ProviderView>, AppError> {
    remote(&state, |api, c| api.providers(c)).await
}

/// Creates a signal provider (staff).
#[tauri::command]
#[specta::specta]
pub async fn community_create_provider(
    state: State<'_, Arc<AppState>>,
    provider: CreateProvider,
) -> Result<ProviderFields, AppError> {
    remote(&state, move |api, c| api.create_provider(c, &provider)).await
}

/// Changes a signal provider (staff); absent fields stay.
#[tauri::command]
#[specta::specta]
pub async fn community_update_provider(
    state: State<'_, Arc<AppState>>,
    provider_id: Uuid,
    change: UpdateProvider,
) -> Result<ProviderFields, AppError> {
    remote(&state, move |api, c| api.update_provider(c, provider_id, &change)).await
}

/// Follows (`follow` true) or stops following a provider.
#[tauri::command]
#[specta::specta]
pub async fn community_follow(
    state: State<'_, Arc<AppState>>,
    provider_id: Uuid,
    follow: bool,
) -> Result<FollowView, AppError> {
    remote(&state, move |api, c| api.follow(c, provider_id, follow)).await
}

/// The latest signals (`following`: only of followed providers), at most `limit` (1–200).
#[tauri::command]
#[specta::specta]
pub async fn community_signals(
    state: State<'_, Arc<AppState>>,
    following: bool,
    limit: u32,
) -> Result<Vec<SignalView>, AppError> {
    let query = FeedQuery {
        following: Some(following),
        limit: Some(limit),
    };
    remote(&state, move |api, c| api.signals(c, &query)).await
}

/// The user's own overview on the server (traders and up).
#[tauri::command]
#[specta::specta]
pub async fn community_my_overview(state: State<'_, Arc<AppState>>) -> Result<TraderOverview, AppError> {
    remote(&state, |api, c| api.my_overview(c)).await
}

/// The user's own analytics over `days` (1–365).
#[tauri::command]
#[specta::specta]
pub async fn community_my_analytics(state: State<'_, Arc<AppState>>, days: u32) -> Result<TraderAnalytics, AppError> {
    remote(&state, move |api, c| api.my_analytics(c, days)).await
}

/// The community overview (staff).
#[tauri::command]
#[specta::specta]
pub async fn community_overview(state: State<'_, Arc<AppState>>) -> Result<CommunityOverview, AppError> {
    remote(&state, |api, c| api.overview(c)).await
}

/// Community analytics over 7, 30 or 90 days (staff).
#[tauri::command]
#[specta::specta]
pub async fn community_analytics(state: State<'_, Arc<AppState>>, days: u32) -> Result<CommunityAnalytics, AppError> {
    remote(&state, move |api, c| api.analytics(c, days)).await
}

/// A page of members (staff).
#[tauri::command]
#[specta::specta]
pub async fn community_members(state: State<'_, Arc<AppState>>, query: MembersQuery) -> Result<MemberPage, AppError> {
    remote(&state, move |api, c| api.members(c, &query)).await
}

/// Changes a member's role (admins).
#[tauri::command]
#[specta::specta]
pub async fn community_change_role(
    state: State<'_, Arc<AppState>>,
    user_id: Uuid,
    role: Role,
) -> Result<MemberRoleView, AppError> {
    remote(&state, move |api, c| api.change_role(c, user_id, role)).await
}

/// Removes a member from the community (admins).
#[tauri::command]
#[specta::specta]
pub async fn community_remove_member(state: State<'_, Arc<AppState>>, user_id: Uuid) -> Result<(), AppError> {
    remote(&state, move |api, c| api.remove_member(c, user_id)).await
}

/// The community's open invitations (staff).
#[tauri::command]
#[specta::specta]
pub async fn community_invitations(state: State<'_, Arc<AppState>>) -> Result<Vec<InvitationView>, AppError> {
    remote(&state, |api, c| api.invitations(c)).await
}

/// Creates an invitation (staff).
#[tauri::command]
#[specta::specta]
pub async fn community_create_invitation(
    state: State<'_, Arc<AppState>>,
    invitation: CreateInvitation,
) -> Result<InvitationView, AppError> {
    remote(&state, move |api, c| api.create_invitation(c, &invitation)).await
}

/// The community's audit log, filtered (staff).
#[tauri::command]
#[specta::specta]
pub async fn community_audit_log(
    state: State<'_, Arc<AppState>>,
    query: AuditQuery,
) -> Result<Vec<AuditEventView>, AppError> {
    remote(&state, move |api, c| api.audit_log(c, &query)).await
}
