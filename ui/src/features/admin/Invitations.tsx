import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ROLE_LABELS, invitationsQuery, useCreateInvitation } from "../../lib/community";
import type { InvitationView, Role } from "../../lib/ipc";
import { formatDateTime, formatInteger } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import { Field } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { CopyButton } from "../../components/CopyButton";
import { CommunityError } from "../../components/CommunityError";

/** The server takes 1 to 720 hours (default 168). */
const EXPIRIES: { hours: number; label: string }[] = [
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "1 day" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
  { hours: 336, label: "14 days" },
  { hours: 720, label: "30 days" },
];

/** What a member types into Settings → Community to join: the community id and the code. */
export const joinString = (communityId: string, code: string) => `${communityId}/${code}`;

/**
 * Invitations: create one with a role, an expiry and a number of uses; list them with the
 * whole join string to copy. Moderators may invite traders and viewers only (the server's rule).
 */
export function Invitations({ communityId, isAdmin }: { communityId: string; isAdmin: boolean }) {
  const list = useQuery(invitationsQuery());
  const create = useCreateInvitation();
  const roles: Role[] = isAdmin ? ["trader", "viewer", "moderator", "admin"] : ["trader", "viewer"];
  const [role, setRole] = useState<Role>("trader");
  const [hours, setHours] = useState(168);
  const [uses, setUses] = useState("1");
  const usesNumber = Number(uses);
  const usesInvalid = !Number.isInteger(usesNumber) || usesNumber < 1 || usesNumber > 1000;
  const now = useNow(60_000);

  return (
    <section className="card" id="admin-invitations" data-testid="admin-invitations">
      <div className="card-head">
        <h2>Invitations</h2>
        <span className="muted">a member pastes the whole invitation into Settings → Community to join</span>
      </div>
      <form
        className="form invite-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (usesInvalid) return;
          create.mutate({ role, expires_in_hours: hours, max_uses: usesNumber });
        }}
      >
        <div className="toolbar">
          <Field label="Role" htmlFor="admin-invite-role">
            <select id="admin-invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="admin-invite-role">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Expires after" htmlFor="admin-invite-expiry">
            <select id="admin-invite-expiry" value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="admin-invite-expiry">
              {EXPIRIES.map((x) => (
                <option key={x.hours} value={x.hours}>
                  {x.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Uses" htmlFor="admin-invite-uses" error={usesInvalid ? "1 to 1,000" : null}>
            <input
              id="admin-invite-uses"
              className="num input-narrow"
              inputMode="numeric"
              value={uses}
              onChange={(e) => setUses(e.target.value)}
              aria-invalid={usesInvalid ? true : undefined}
              data-testid="admin-invite-uses"
            />
          </Field>
          <button type="submit" className="btn btn-primary invite-submit" disabled={create.isPending || usesInvalid} data-testid="admin-invite-create">
            {create.isPending ? "Creating…" : "Create invitation"}
          </button>
        </div>
        {!isAdmin && <div className="muted small">Moderators invite traders and viewers; an admin can invite moderators and admins.</div>}
      </form>
      {create.isError && <CommunityError error={create.error} title="No invitation was created" testId="admin-invite-error" />}
      {create.isSuccess && (
        <div className="notice notice-ok" role="status" data-testid="admin-invite-created">
          <div className="notice-title">Invitation created: share it whole</div>
          <div className="join-line">
            <code className="mono join-string" data-testid="admin-invite-created-join">
              {joinString(communityId, create.data.code)}
            </code>
            <CopyButton text={joinString(communityId, create.data.code)} testId="admin-invite-created-copy" />
          </div>
          <div className="muted small">
            {ROLE_LABELS[create.data.role]}, {formatInteger(create.data.max_uses)} {create.data.max_uses === 1 ? "use" : "uses"}, until{" "}
            {formatDateTime(create.data.expires_at, false)}.
          </div>
        </div>
      )}
      {list.isError ? (
        <CommunityError error={list.error} title="Could not load the invitations" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <div className="empty-state" data-testid="admin-invitations-empty">
          <div className="empty-title">No invitations yet</div>
          <p>Create one above; it appears here with the string to share.</p>
        </div>
      ) : (
        <div className="table-wrap invitations-scroll">
          <table className="table" data-testid="admin-invitations-table">
            <thead>
              <tr>
                <th>Invitation</th>
                <th>Role</th>
                <th>Expires</th>
                <th className="r">Used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.map((inv) => (
                <InvitationRow key={inv.id} inv={inv} communityId={communityId} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InvitationRow({ inv, communityId, now }: { inv: InvitationView; communityId: string; now: number }) {
  const expired = Date.parse(inv.expires_at) <= now;
  const usedUp = inv.use_count >= inv.max_uses;
  const join = joinString(communityId, inv.code);
  return (
    <tr data-testid="invitation-row" data-code={inv.code} className={expired || usedUp ? "dimmed-row" : undefined}>
      <td>
        <code className="mono join-string" data-testid="invitation-join">
          {join}
        </code>
      </td>
      <td>{ROLE_LABELS[inv.role] ?? inv.role}</td>
      <td className="nowrap">
        {formatDateTime(inv.expires_at, false)} {expired && <span className="badge">expired</span>}
      </td>
      <td className="r num">
        {formatInteger(inv.use_count)} / {formatInteger(inv.max_uses)} {usedUp && <span className="badge">used up</span>}
      </td>
      <td className="r">{!expired && !usedUp && <CopyButton text={join} testId="invitation-copy" />}</td>
    </tr>
  );
}
