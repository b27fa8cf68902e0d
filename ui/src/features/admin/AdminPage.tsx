import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { syncStatusQuery } from "../../lib/ipc";
import { ROLE_LABELS, isStaff, meQuery, membersQuery, overviewQuery } from "../../lib/community";
import { formatInteger, formatMoney, pnlClass } from "../../lib/format";
import { PageHeader } from "../../components/PageHeader";
import { Loading } from "../../components/Loading";
import { CommunityError } from "../../components/CommunityError";
import { StatCard } from "../dashboard/StatCard";
import { Members } from "./Members";
import { Invitations } from "./Invitations";
import { ProvidersAdmin } from "./ProvidersAdmin";
import { Analytics } from "./Analytics";
import { AuditLog, type Directory } from "./AuditLog";

const SECTIONS = [
  { id: "admin-members", label: "Members" },
  { id: "admin-invitations", label: "Invitations" },
  { id: "admin-providers", label: "Providers" },
  { id: "admin-analytics", label: "Analytics" },
  { id: "admin-audit", label: "Audit log" },
];

/**
 * The community dashboard for its admins and moderators: overview, members (roles,
 * removal), invitations, signal providers, analytics and the audit log. Every figure is
 * the server's; admin-only controls follow the caller's current role from `/api/me`.
 */
export function AdminPage() {
  const status = useQuery(syncStatusQuery());
  const me = useQuery(meQuery());
  const communityId = status.data?.community_id ?? "";
  // The role now (it may have changed since the journal connected), else the one at connect.
  const role = me.data?.memberships.find((m) => m.community_id === communityId)?.role ?? status.data?.role ?? null;
  const isAdmin = role === "admin";
  // Names for the audit log's ids: the first 200 members (the server has no lookup by id).
  const directoryQuery = useQuery(membersQuery(null, null, 1, 200));
  const directory = useMemo<Directory>(
    () => new Map((directoryQuery.data?.items ?? []).map((m) => [m.user_id, { name: m.name, email: m.email }])),
    [directoryQuery.data],
  );

  return (
    <div className="page" data-testid="page-admin">
      <PageHeader
        title="Admin"
        subtitle={
          <>
            <span className="strong">{status.data?.community_name}</span>
            {role && <span className="badge badge-info">{ROLE_LABELS[role] ?? role}</span>}
            {!isAdmin && role && <> · moderators see everything here; only admins change roles and remove members</>}
          </>
        }
      >
        <nav className="toolbar section-links" aria-label="Admin sections">
          {SECTIONS.map((s) => (
            <a key={s.id} href={`#${s.id}`} className="btn btn-ghost btn-small" onClick={(e) => {
              e.preventDefault();
              document.getElementById(s.id)?.scrollIntoView({ block: "start", behavior: "smooth" });
            }}>
              {s.label}
            </a>
          ))}
        </nav>
      </PageHeader>
      {role != null && !isStaff(role) ? (
        <div className="notice notice-warn" data-testid="admin-not-staff">
          Your role in {status.data?.community_name} is now {ROLE_LABELS[role] ?? role}: the Admin page is for admins and moderators.
        </div>
      ) : (
        <>
          <Overview />
          <Members isAdmin={isAdmin} selfId={me.data?.user.id ?? null} />
          <Invitations communityId={communityId} isAdmin={isAdmin} />
          <ProvidersAdmin />
          <Analytics />
          <AuditLog directory={directory} />
        </>
      )}
    </div>
  );
}

function Overview() {
  const overview = useQuery(overviewQuery());
  if (overview.isError) return <CommunityError error={overview.error} title="Could not load the community overview" onRetry={() => void overview.refetch()} />;
  if (!overview.data) return <Loading label="Loading the overview…" />;
  const o = overview.data;
  return (
    <div className="stat-grid" data-testid="admin-overview">
      <StatCard label="Members" value={formatInteger(o.members)} testId="admin-overview-members" dataValue={String(o.members)} />
      <StatCard
        label="Active traders"
        value={formatInteger(o.active_traders_30d)}
        sub="closed a trade in 30 days"
        testId="admin-overview-active"
        dataValue={String(o.active_traders_30d)}
      />
      <StatCard label="Trades today" value={formatInteger(o.trades_today)} sub="closed since midnight UTC" testId="admin-overview-trades-today" dataValue={String(o.trades_today)} />
      <StatCard
        label="Net P&L today"
        value={formatMoney(o.net_pnl_today, { signed: true })}
        tone={pnlClass(o.net_pnl_today)}
        sub="of today's closed trades"
        testId="admin-overview-pnl-today"
        dataValue={o.net_pnl_today}
      />
    </div>
  );
}
