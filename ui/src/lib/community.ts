// The Community and Admin pages' queries and mutations over the connected community's
// server. Every type is the tenant API contract's (crates/api), generated into
// bindings.ts and re-exported by ipc.ts: a change on the server that the UI does not
// follow fails `tsc`. Requests go through `remote` in ipc.ts (the token stays in Rust).

import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import {
  queryKeys,
  remote,
  type AuditAction,
  type AuditQuery,
  type CreateInvitation,
  type CreateProvider,
  type LeaderboardSettings,
  type Role,
  type UpdateProvider,
} from "./ipc";

export const ROLES: Role[] = ["admin", "moderator", "trader", "viewer"];
export const ROLE_LABELS: Record<string, string> = { admin: "Admin", moderator: "Moderator", trader: "Trader", viewer: "Viewer" };

/** Admins and moderators see the Admin page (the contract's `Role::is_staff`). */
export const isStaff = (role: string | null | undefined): boolean => role === "admin" || role === "moderator";
/** Traders and up have a journal on the server (`me/*`, follow). */
export const isTraderUp = (role: string | null | undefined): boolean => isStaff(role) || role === "trader";

/**
 * What each audit action means, for people. Keyed by the contract's `AuditAction`, so an
 * action the server adds without a label here fails `tsc`.
 */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "member.joined": "Member joined",
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "invitation.created": "Invitation created",
  "provider.created": "Provider created",
  "provider.updated": "Provider changed",
  "flag.set": "Feature flag set",
  "community.created": "Community created",
  "community.suspended": "Community suspended",
  "community.resumed": "Community resumed",
};

/** Every action the server writes to a community's audit log, in the contract's order. */
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

// ---------------------------------------------------------------- queries

const key = (...parts: unknown[]) => [...queryKeys.community, ...parts] as const;

export const meQuery = () => queryOptions({ queryKey: key("me"), queryFn: remote.me });
export const leaderboardQuery = () => queryOptions({ queryKey: key("leaderboard"), queryFn: remote.leaderboard });
export const myLeaderboardQuery = () => queryOptions({ queryKey: key("my-leaderboard"), queryFn: remote.myLeaderboard });
export const providersQuery = () => queryOptions({ queryKey: key("providers"), queryFn: remote.providers });
export const signalsQuery = (following: boolean) =>
  queryOptions({ queryKey: key("signals", following), queryFn: () => remote.signals(following, 50) });
export const myOverviewQuery = () => queryOptions({ queryKey: key("my-overview"), queryFn: remote.myOverview });
export const myAnalyticsQuery = (days: number) =>
  queryOptions({ queryKey: key("my-analytics", days), queryFn: () => remote.myAnalytics(days) });
export const overviewQuery = () => queryOptions({ queryKey: key("overview"), queryFn: remote.overview });
export const analyticsQuery = (days: 7 | 30 | 90) =>
  queryOptions({ queryKey: key("analytics", days), queryFn: () => remote.analytics(days), placeholderData: keepPreviousData });
export const membersQuery = (q: string | null, role: Role | null, page: number, perPage = 50) =>
  queryOptions({
    queryKey: key("members", q, role, page, perPage),
    queryFn: () => remote.members({ q, role, page, per_page: perPage }),
    placeholderData: keepPreviousData,
  });
export const invitationsQuery = () => queryOptions({ queryKey: key("invitations"), queryFn: remote.invitations });
export const auditQuery = (f: AuditQuery) =>
  queryOptions({ queryKey: key("audit", f), queryFn: () => remote.auditLog(f), placeholderData: keepPreviousData });

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
  useCommunityChange("follow", ({ providerId, follow }: { providerId: string; follow: boolean }) => remote.follow(providerId, follow));

export const useLeaderboardSettings = () => useCommunityChange("leaderboard-settings", (s: LeaderboardSettings) => remote.setMyLeaderboard(s));

export const useChangeRole = () =>
  useCommunityChange("change-role", ({ userId, role }: { userId: string; role: Role }) => remote.changeRole(userId, role));

export const useRemoveMember = () => useCommunityChange("remove-member", (userId: string) => remote.removeMember(userId));

export const useCreateInvitation = () => useCommunityChange("create-invitation", (i: CreateInvitation) => remote.createInvitation(i));

export const useCreateProvider = () => useCommunityChange("create-provider", (p: CreateProvider) => remote.createProvider(p));

export const useUpdateProvider = () =>
  useCommunityChange("update-provider", ({ id, change }: { id: string; change: UpdateProvider }) => remote.updateProvider(id, change));
