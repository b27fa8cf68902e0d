import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ROLES, ROLE_LABELS, membersQuery, useChangeRole, useRemoveMember } from "../../lib/community";
import type { MemberRow, Role } from "../../lib/ipc";
import { formatDateTime, formatInteger, formatRelativeTime } from "../../lib/format";
import { useDebounced } from "../../lib/hooks";
import { Loading } from "../../components/Loading";
import { Money } from "../../components/Money";
import { Dialog } from "../../components/Dialog";
import { CommunityError } from "../../components/CommunityError";

const PER_PAGE = 50;

type RoleChange = { member: MemberRow; to: Role };

/**
 * Members: search and role filter are the server's (`q`, `role`), paged; each row has the
 * member's closed trades and net P&L. Admins change roles (after a confirmation naming the
 * member, the old and the new role) and remove members.
 */
export function Members({ isAdmin, selfId }: { isAdmin: boolean; selfId: string | null }) {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const [role, setRole] = useState<Role | null>(null);
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [q, role]);
  const members = useQuery(membersQuery(q || null, role, page, PER_PAGE));
  const [change, setChange] = useState<RoleChange | null>(null);
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const changeRole = useChangeRole();
  const remove = useRemoveMember();

  const data = members.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.per_page)) : 1;
  const filtered = q !== "" || role != null;

  return (
    <section className="card" id="admin-members" data-testid="admin-members">
      <div className="card-head">
        <h2>Members</h2>
        {data && (
          <span className="muted" data-testid="admin-members-total" data-value={data.total}>
            {formatInteger(data.total)} {filtered ? "matching" : data.total === 1 ? "member" : "members"}
          </span>
        )}
      </div>
      <div className="toolbar">
        <label className="sr-only" htmlFor="admin-members-search">
          Search members
        </label>
        <input
          id="admin-members-search"
          type="search"
          className="input-search input-wide"
          placeholder="Search name or email"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="admin-members-search"
        />
        <label className="sr-only" htmlFor="admin-members-role">
          Role
        </label>
        <select id="admin-members-role" value={role ?? ""} onChange={(e) => setRole((e.target.value || null) as Role | null)} data-testid="admin-members-role">
          <option value="">All roles</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        {members.isFetching && data && <span className="muted small">Updating…</span>}
      </div>
      {notice && (
        <div className="notice notice-ok" role="status" data-testid="admin-members-notice">
          {notice}
        </div>
      )}
      {members.isError ? (
        <CommunityError error={members.error} title="Could not load the members" onRetry={() => void members.refetch()} />
      ) : !data ? (
        <Loading />
      ) : data.items.length === 0 ? (
        <div className="empty-state" data-testid="admin-members-empty">
          <div className="empty-title">{filtered ? "No member matches" : "No members yet"}</div>
          <p>{filtered ? "Change the search or the role filter." : "Create an invitation below and share it."}</p>
        </div>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="admin-members-table">
              <thead>
                <tr>
                  <th>Member</th>
                  <th>Role</th>
                  <th>Joined</th>
                  <th>Last sync</th>
                  <th className="r">Trades</th>
                  <th className="r">Net P&amp;L</th>
                  {isAdmin && <th />}
                </tr>
              </thead>
              <tbody>
                {data.items.map((m) => (
                  <tr key={m.user_id} data-testid="admin-members-row" data-user-id={m.user_id} data-role={m.role}>
                    <td>
                      <div className="strong">
                        {m.name} {m.user_id === selfId && <span className="badge">you</span>}
                      </div>
                      <div className="muted small">{m.email}</div>
                    </td>
                    <td>
                      <label className="sr-only" htmlFor={`role-${m.user_id}`}>
                        Role of {m.name}
                      </label>
                      <select
                        id={`role-${m.user_id}`}
                        value={m.role}
                        disabled={!isAdmin || changeRole.isPending}
                        title={isAdmin ? `Change the role of ${m.name}` : "Only admins change roles"}
                        onChange={(e) => {
                          const to = e.target.value as Role;
                          if (to !== m.role) {
                            changeRole.reset();
                            setNotice(null);
                            setChange({ member: m, to });
                          }
                        }}
                        data-testid="role-select"
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="nowrap" title={formatDateTime(m.joined_at)}>
                      {formatDateTime(m.joined_at, false).slice(0, 10)}
                    </td>
                    <td className="nowrap" title={m.last_active_at ? formatDateTime(m.last_active_at) : "Never synced"}>
                      {m.last_active_at ? formatRelativeTime(m.last_active_at) : <span className="muted">never</span>}
                    </td>
                    <td className="r num" data-testid="admin-member-trades">
                      {formatInteger(m.trade_count)}
                    </td>
                    <td className="r" data-testid="admin-member-pnl" data-value={m.net_pnl}>
                      <Money value={m.net_pnl} pnl signed />
                    </td>
                    {isAdmin && (
                      <td className="r">
                        <button
                          type="button"
                          className="btn btn-small btn-ghost"
                          onClick={() => {
                            remove.reset();
                            setNotice(null);
                            setRemoving(m);
                          }}
                          data-testid="admin-member-remove"
                        >
                          Remove…
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <div className="toolbar pager">
              <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => setPage((p) => p - 1)} data-testid="admin-members-prev">
                ← Previous
              </button>
              <span className="muted">
                Page {formatInteger(page)} of {formatInteger(pages)}
              </span>
              <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => setPage((p) => p + 1)} data-testid="admin-members-next">
                Next →
              </button>
            </div>
          )}
        </>
      )}
      {change && (
        <Dialog
          title="Change this member's role?"
          onClose={() => !changeRole.isPending && setChange(null)}
          testId="role-change-dialog"
          actions={
            <>
              <button type="button" className="btn" onClick={() => setChange(null)} disabled={changeRole.isPending} data-testid="cancel-role-change">
                Keep {ROLE_LABELS[change.member.role]}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                disabled={changeRole.isPending}
                onClick={() =>
                  changeRole.mutate(
                    { userId: change.member.user_id, role: change.to },
                    {
                      onSuccess: (r) => {
                        setNotice(`${change.member.name} is now ${ROLE_LABELS[r.role] ?? r.role}. The change is in the audit log.`);
                        setChange(null);
                      },
                    },
                  )
                }
                data-testid="confirm-role-change"
              >
                {changeRole.isPending ? "Changing…" : `Make ${ROLE_LABELS[change.to]}`}
              </button>
            </>
          }
        >
          <p data-testid="role-change-summary">
            <strong>{change.member.name}</strong> <span className="muted">({change.member.email})</span> goes from{" "}
            <strong>{ROLE_LABELS[change.member.role]}</strong> to <strong>{ROLE_LABELS[change.to]}</strong>.
          </p>
          <p className="muted">{roleMeaning(change.to)}</p>
          {change.member.user_id === selfId && <p className="neg">This is you: with a lower role you may lose access to this page.</p>}
          <p className="muted small">A role change is a high-risk event in the audit log.</p>
          {changeRole.isError && <CommunityError error={changeRole.error} title="The role was not changed" testId="role-change-error" />}
        </Dialog>
      )}
      {removing && (
        <Dialog
          title="Remove this member?"
          onClose={() => !remove.isPending && setRemoving(null)}
          testId="remove-member-dialog"
          actions={
            <>
              <button type="button" className="btn" onClick={() => setRemoving(null)} disabled={remove.isPending}>
                Keep
              </button>
              <button
                type="button"
                className="btn btn-danger"
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate(removing.user_id, {
                    onSuccess: () => {
                      setNotice(`${removing.name} was removed from the community.`);
                      setRemoving(null);
                    },
                  })
                }
                data-testid="confirm-remove-member"
              >
                {remove.isPending ? "Removing…" : `Remove ${removing.name}`}
              </button>
            </>
          }
        >
          <p>
            <strong>{removing.name}</strong> <span className="muted">({removing.email})</span> leaves the community. Their synced journal (accounts, fills,
            trades, notes) is deleted from the community server; their own computer keeps it.
          </p>
          <p className="muted small">A removal is a high-risk event in the audit log. They can come back only with a new invitation.</p>
          {remove.isError && <CommunityError error={remove.error} title="The member was not removed" testId="remove-member-error" />}
        </Dialog>
      )}
    </section>
  );
}

function roleMeaning(role: Role): string {
  switch (role) {
    case "admin":
      return "Admins can do everything in the community, including changing roles and removing members.";
    case "moderator":
      return "Moderators see the community dashboards, invite traders and viewers, and run signal providers.";
    case "trader":
      return "Traders sync their journal, follow providers and see the leaderboard and signals.";
    case "viewer":
      return "Viewers only read the leaderboard and the signals; they cannot sync a journal.";
  }
}
