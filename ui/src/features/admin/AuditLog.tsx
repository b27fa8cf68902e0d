import { useEffect, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, auditQuery } from "../../lib/community";
import type { AuditAction, AuditEventView, AuditQuery, Risk } from "../../lib/ipc";
import { formatDateTime, formatInteger } from "../../lib/format";
import { Loading } from "../../components/Loading";
import { DateRange } from "../../components/FilterControls";
import { CommunityError } from "../../components/CommunityError";

const LIMIT = 50;

/** Names of the people an id may stand for (from the members list). */
export type Directory = Map<string, { name: string; email: string }>;

/** Local midnight of a `YYYY-MM-DD` day, plus `addDays`, as RFC 3339 UTC. */
function dayStart(day: string, addDays = 0): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y!, m! - 1, d! + addDays).toISOString();
}

/**
 * The community's audit log, newest first, filtered by the server (action, actor, risk,
 * days): who did what, to whom, before → after, how risky, when.
 */
export function AuditLog({ directory }: { directory: Directory }) {
  const [action, setAction] = useState<AuditAction | null>(null);
  const [actor, setActor] = useState<string | null>(null);
  const [risk, setRisk] = useState<Risk | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [action, actor, risk, from, to]);
  const badRange = from != null && to != null && from > to;
  const filter = useMemo<AuditQuery>(
    () => ({
      action,
      actor,
      risk,
      from: from && !badRange ? dayStart(from) : null,
      to: to && !badRange ? dayStart(to, 1) : null,
      limit: LIMIT,
      offset,
    }),
    [action, actor, risk, from, to, offset, badRange],
  );
  const log = useQuery(auditQuery(filter));
  const filtered = action != null || actor != null || risk != null || from != null || to != null;
  const people = [...directory.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name));

  return (
    <section className="card" id="admin-audit" data-testid="admin-audit">
      <div className="card-head">
        <h2>Audit log</h2>
        <span className="muted">every security-sensitive action, newest first</span>
      </div>
      <div className="toolbar filters">
        <label className="sr-only" htmlFor="audit-action">
          Action
        </label>
        <select id="audit-action" value={action ?? ""} onChange={(e) => setAction((e.target.value || null) as AuditAction | null)} data-testid="audit-action">
          <option value="">Every action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {AUDIT_ACTION_LABELS[a]}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="audit-risk">
          Risk
        </label>
        <select id="audit-risk" value={risk ?? ""} onChange={(e) => setRisk((e.target.value || null) as Risk | null)} data-testid="audit-risk">
          <option value="">Any risk</option>
          <option value="high">High risk</option>
          <option value="medium">Medium risk</option>
          <option value="low">Low risk</option>
        </select>
        <label className="sr-only" htmlFor="audit-actor">
          Who
        </label>
        <select id="audit-actor" value={actor ?? ""} onChange={(e) => setActor(e.target.value || null)} data-testid="audit-actor">
          <option value="">Anyone</option>
          {people.map(([id, p]) => (
            <option key={id} value={id}>
              {p.name}
            </option>
          ))}
        </select>
        <DateRange
          idPrefix="audit"
          from={from}
          to={to}
          onChange={(f, t) => {
            setFrom(f);
            setTo(t);
          }}
        />
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setAction(null);
              setActor(null);
              setRisk(null);
              setFrom(null);
              setTo(null);
            }}
            data-testid="audit-clear"
          >
            Clear filters
          </button>
        )}
        {log.isFetching && log.data && <span className="muted small">Updating…</span>}
      </div>
      {log.isError ? (
        <CommunityError error={log.error} title="Could not load the audit log" onRetry={() => void log.refetch()} />
      ) : !log.data ? (
        <Loading />
      ) : log.data.length === 0 ? (
        <div className="empty-state" data-testid="audit-empty">
          <div className="empty-title">{filtered ? "No event matches" : offset > 0 ? "No older events" : "No events yet"}</div>
          <p>{filtered ? "Change or clear the filters." : "Role changes, invitations, removals and provider changes appear here."}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
                <th>Before → after</th>
                <th>Risk</th>
                <th>Address</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((e) => (
                <AuditRow key={e.id} e={e} directory={directory} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.data && (offset > 0 || log.data.length === LIMIT) && (
        <div className="toolbar pager">
          <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset((o) => Math.max(0, o - LIMIT))} data-testid="audit-newer">
            ← Newer
          </button>
          <span className="muted">
            Events {formatInteger(offset + 1)}–{formatInteger(offset + log.data.length)}
          </span>
          <button type="button" className="btn btn-small" disabled={log.data.length < LIMIT} onClick={() => setOffset((o) => o + LIMIT)} data-testid="audit-older">
            Older →
          </button>
        </div>
      )}
    </section>
  );
}

function person(id: string | null, directory: Directory): { label: string; title: string } {
  if (!id) return { label: "system", title: "No user (the system or the platform)" };
  const p = directory.get(id);
  return p ? { label: p.name, title: `${p.email} · ${id}` } : { label: `${id.slice(0, 8)}…`, title: id };
}

function AuditRow({ e, directory }: { e: AuditEventView; directory: Directory }) {
  const who = person(e.actor_id, directory);
  // Member actions target a user id; others (invitations, providers) an id of their own.
  const target = e.target && directory.has(e.target) ? person(e.target, directory) : e.target ? { label: `${e.target.slice(0, 8)}…`, title: e.target } : null;
  return (
    <tr data-testid="audit-row" data-action={e.action} data-risk={e.risk}>
      <td className="nowrap num" title={formatDateTime(e.created_at)}>
        {formatDateTime(e.created_at, false)}
      </td>
      <td title={who.title}>{who.label}</td>
      <td className="mono" data-testid="audit-action-text" title={AUDIT_ACTION_LABELS[e.action]}>
        {e.action}
      </td>
      <td title={target?.title}>{target?.label ?? <span className="muted">—</span>}</td>
      <td>
        <Change before={e.before} after={e.after} />
      </td>
      <td>
        <span className={`badge risk-${e.risk}`}>{e.risk}</span>
      </td>
      <td className="mono muted">{e.ip ?? "—"}</td>
    </tr>
  );
}

const show = (v: unknown): string => (v === undefined ? "—" : v === null ? "none" : typeof v === "string" ? v : JSON.stringify(v));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Before → after, field by field for objects ({"role": "trader"} → {"role": "moderator"}). */
function Change({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return <span className="muted">—</span>;
  if ((before == null || isRecord(before)) && (after == null || isRecord(after))) {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return (
      <div className="audit-change">
        {keys.map((k) => {
          const inB = k in b;
          const inA = k in a;
          const same = inB && inA && JSON.stringify(b[k]) === JSON.stringify(a[k]);
          return (
            <div key={k} className={same ? "muted" : undefined}>
              <span className="muted">{k}:</span>{" "}
              {same ? (
                show(a[k])
              ) : (
                <>
                  {inB && <span className="audit-before">{show(b[k])}</span>}
                  {inB && inA && " → "}
                  {inA && <span className="audit-after">{show(a[k])}</span>}
                  {inB && !inA && <span className="muted"> (removed)</span>}
                </>
              )}
            </div>
          );
        })}
      </div>
    );
  }
  return (
    <span>
      {show(before)} → {show(after)}
    </span>
  );
}
