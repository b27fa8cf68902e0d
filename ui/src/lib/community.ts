// The community server's answers as the Community and Admin pages use them. The types
// follow the server's serde structs (crates/server/src/{community,members,providers,
// trader,auth}.rs): field names are the JSON names, `Decimal` is an exact decimal string,
// `Uuid` and instants are strings, `Option<f64>` ratios are numbers or null, `Role` is
// lowercase. Requests go through `community()` in ipc.ts (the token stays in Rust).

import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { community, queryKeys } from "./ipc";

export type Role = "admin" | "moderator" | "trader" | "viewer";
export const ROLES: Role[] = ["admin", "moderator", "trader", "viewer"];
export const ROLE_LABELS: Record<string, string> = { admin: "Admin", moderator: "Moderator", trader: "Trader", viewer: "Viewer" };
export type Risk = "low" | "medium" | "high";

/** Admins and moderators see the Admin page (the server's `Staff`). */
export const isStaff = (role: string | null | undefined): boolean => role === "admin" || role === "moderator";
/** Traders and up have a journal on the server (`me/*`, follow). */
export const isTraderUp = (role: string | null | undefined): boolean => isStaff(role) || role === "trader";

// ------------------------------------------------------------------ types

/** community.rs `LeaderboardEntry` (30 days, opted-in members, up to 100). */
export type LeaderboardEntry = {
  rank: number;
  display_name: string;
  trades: number;
  net_pnl: string;
  win_rate: number | null;
};

/** community.rs `CommunityOverview` (staff). */
export type CommunityOverview = {
  members: number;
  active_traders_30d: number;
  trades_today: number;
  net_pnl_today: string;
};

/** community.rs `MemberRow` (staff). */
export type MemberRow = {
  user_id: string;
  name: string;
  email: string;
  role: Role;
  joined_at: string;
  last_active_at: string | null;
  trade_count: number;
  net_pnl: string;
};

/** community.rs `MemberPage`. */
export type MemberPage = { items: MemberRow[]; total: number; page: number; per_page: number };

/** community.rs `CommunityDay`. */
export type CommunityDay = { day: string; trades: number; net_pnl: string; win_rate: number | null };

/** community.rs `CommunityAnalytics` (staff; 7, 30 or 90 days). */
export type CommunityAnalytics = {
  days: number;
  trades: number;
  net_pnl: string;
  win_rate: number | null;
  daily: CommunityDay[];
  computed_at: string;
};

/** members.rs `InvitationView`. */
export type Invitation = {
  id: string;
  code: string;
  role: Role;
  expires_at: string;
  max_uses: number;
  use_count: number;
};

/** members.rs `CreateInvitation`. */
export type NewInvitation = { role: Role; expires_in_hours: number | null; max_uses: number | null };

/** members.rs `MemberRoleView`. */
export type MemberRoleView = { user_id: string; role: Role };

/** members.rs `AuditEventView`. */
export type AuditEvent = {
  id: string;
  actor_id: string | null;
  action: string;
  target: string | null;
  risk: string;
  before: unknown;
  after: unknown;
  ip: string | null;
  created_at: string;
};

/** members.rs `AuditQuery` (what the server filters on). */
export type AuditFilter = {
  action: string | null;
  actor: string | null;
  risk: Risk | null;
  /** RFC 3339, inclusive. */
  from: string | null;
  /** RFC 3339, exclusive. */
  to: string | null;
  limit: number;
  offset: number;
};

/** Every action the server writes to a community's audit log (members.rs, providers.rs, auth.rs, flags.rs, platform.rs). */
export const AUDIT_ACTIONS = [
  "member.joined",
  "member.role_changed",
  "member.removed",
  "invitation.created",
  "provider.created",
  "provider.updated",
  "flag.set",
  "community.created",
  "community.suspended",
  "community.resumed",
] as const;

/** providers.rs `ProviderView`, sorted by win rate (best first) by the server. */
export type Provider = {
  id: string;
  name: string;
  description: string;
  active: boolean;
  followers: number;
  trades: number;
  net_pnl: string;
  win_rate: number | null;
};

/** providers.rs `ProviderFields`. */
export type ProviderFields = { id: string; name: string; description: string; active: boolean };

/** providers.rs `UpdateProvider`: absent fields stay. */
export type ProviderChange = { name?: string; description?: string; active?: boolean };

/** providers.rs `SignalView`. */
export type Signal = {
  id: string;
  provider_id: string;
  provider_name: string;
  symbol: string;
  side: string;
  entry: string | null;
  stop: string | null;
  target: string | null;
  note: string;
  created_at: string;
};

/** providers.rs `FollowView`. */
export type FollowView = { provider_id: string; following: boolean };

/** trader.rs `TradeView`. */
export type ServerTrade = {
  id: string;
  account_id: string;
  symbol: string;
  asset_class: string;
  direction: string;
  status: string;
  quantity: string;
  entry_price: string | null;
  exit_price: string | null;
  gross_pnl: string;
  fees: string;
  net_pnl: string;
  opened_at: string;
  closed_at: string | null;
  trading_day: string | null;
};

/** trader.rs `PeriodStats`. */
export type PeriodStats = {
  trades: number;
  winners: number;
  losers: number;
  win_rate: number | null;
  net_pnl: string;
  fees: string;
  profit_factor: number | null;
};

/** trader.rs `TraderOverview` (traders and up). */
export type TraderOverview = {
  open_positions: ServerTrade[];
  last_30_days: PeriodStats;
  followed_providers: { id: string; name: string }[];
};

/** trader.rs `DailyPoint`. */
export type DailyPoint = { day: string; trades: number; net_pnl: string; cumulative_net: string };

/** trader.rs `TraderAnalytics`. */
export type TraderAnalytics = { days: number; summary: PeriodStats; max_drawdown: string; daily: DailyPoint[] };

/** trader.rs `LeaderboardSettings`. */
export type LeaderboardSettings = { opt_in: boolean; alias: string | null };

/** auth.rs `MeResponse`: the signed-in user and their memberships (their current roles). */
export type MeResponse = {
  user: { id: string; email: string; name: string; is_operator: boolean };
  memberships: { community_id: string; community_name: string; community_status: string; role: Role }[];
};

// ---------------------------------------------------------------- queries

const key = (path: string) => [...queryKeys.community, path] as const;

/** Query string from the set values (`null`/empty are left out). */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v != null && v !== "")
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

const get = <T,>(path: string) =>
  queryOptions({
    queryKey: key(path),
    queryFn: () => community<T>("GET", path),
  });

export const meQuery = () => get<MeResponse>("/api/me");
export const leaderboardQuery = () => get<LeaderboardEntry[]>("/leaderboard");
export const myLeaderboardQuery = () => get<LeaderboardSettings>("/me/leaderboard");
export const providersQuery = () => get<Provider[]>("/providers");
export const signalsQuery = (following: boolean) => get<Signal[]>(`/signals${queryString({ following, limit: 50 })}`);
export const myOverviewQuery = () => get<TraderOverview>("/me/overview");
export const myAnalyticsQuery = (days: number) => get<TraderAnalytics>(`/me/analytics${queryString({ days })}`);
export const overviewQuery = () => get<CommunityOverview>("/dashboard/overview");
export const analyticsQuery = (days: 7 | 30 | 90) => ({
  ...get<CommunityAnalytics>(`/dashboard/analytics${queryString({ days })}`),
  placeholderData: keepPreviousData,
});
export const membersQuery = (q: string | null, role: Role | null, page: number, perPage = 50) => ({
  ...get<MemberPage>(`/members${queryString({ q, role, page, per_page: perPage })}`),
  placeholderData: keepPreviousData,
});
export const invitationsQuery = () => get<Invitation[]>("/invitations");
export const auditQuery = (f: AuditFilter) => ({
  ...get<AuditEvent[]>(`/audit${queryString(f)}`),
  placeholderData: keepPreviousData,
});

// -------------------------------------------------------------- mutations

/** A change on the server: refetch every community answer afterwards (figures, lists, audit log). */
function useCommunityChange<V, R>(name: string, fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: [name],
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.community }),
  });
}

export const useFollow = () =>
  useCommunityChange("follow", ({ providerId, follow }: { providerId: string; follow: boolean }) =>
    community<FollowView>(follow ? "POST" : "DELETE", `/providers/${providerId}/follow`),
  );

export const useLeaderboardSettings = () =>
  useCommunityChange("leaderboard-settings", (s: LeaderboardSettings) => community<LeaderboardSettings>("PUT", "/me/leaderboard", s));

export const useChangeRole = () =>
  useCommunityChange("change-role", ({ userId, role }: { userId: string; role: Role }) =>
    community<MemberRoleView>("PATCH", `/members/${userId}`, { role }),
  );

export const useRemoveMember = () => useCommunityChange("remove-member", (userId: string) => community<null>("DELETE", `/members/${userId}`));

export const useCreateInvitation = () => useCommunityChange("create-invitation", (i: NewInvitation) => community<Invitation>("POST", "/invitations", i));

export const useCreateProvider = () =>
  useCommunityChange("create-provider", (p: { name: string; description: string | null }) => community<ProviderFields>("POST", "/providers", p));

export const useUpdateProvider = () =>
  useCommunityChange("update-provider", ({ id, change }: { id: string; change: ProviderChange }) =>
    community<ProviderFields>("PATCH", `/providers/${id}`, change),
  );
