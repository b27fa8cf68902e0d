import { useQuery } from "@tanstack/react-query";
import { syncStatusQuery, type SyncStatus } from "../lib/ipc";
import { formatDateTime, formatInteger, formatRelativeTime } from "../lib/format";
import { useNow } from "../lib/hooks";
import { revealWhenShown, useNavigate } from "../lib/nav";

type State = "syncing" | "error" | "pending" | "synced";

/** What the chip says, most urgent first: a running sync, then an error, then waiting changes. */
export function syncState(s: SyncStatus): State {
  if (s.syncing) return "syncing";
  if (s.last_error) return "error";
  if (s.pending > 0) return "pending";
  return "synced";
}

export function pendingLabel(n: number): string {
  return n === 1 ? "1 change waiting" : `${formatInteger(n)} changes waiting`;
}

/**
 * The sidebar's sync chip: hidden without a community connection; otherwise "Synced 2 min
 * ago", "Syncing…", "3 changes waiting" or "Sync error". A click opens Settings → Community.
 */
export function SyncIndicator() {
  const status = useQuery(syncStatusQuery());
  const navigate = useNavigate();
  const now = useNow(30_000);
  const s = status.data;
  if (!s || !s.connected) return null;

  const state = syncState(s);
  const label =
    state === "syncing"
      ? "Syncing…"
      : state === "error"
        ? "Sync error"
        : state === "pending"
          ? pendingLabel(s.pending)
          : s.last_sync_at
            ? `Synced ${formatRelativeTime(s.last_sync_at, now)}`
            : "Not synced yet";
  const detail = [
    `${s.community_name ?? "Community"} on ${s.server_url ?? "?"}`,
    s.last_sync_at ? `Last sync ${formatDateTime(s.last_sync_at)}` : "Not synced yet",
    s.pending > 0 ? pendingLabel(s.pending) : null,
    s.last_error ? `Last error: ${s.last_error}` : null,
    "Open Settings → Community",
  ]
    .filter(Boolean)
    .join("\n");

  return (
    <button
      type="button"
      className={`sync-chip sync-${state}`}
      data-testid="sync-indicator"
      data-state={state}
      data-pending={s.pending}
      title={detail}
      aria-label={`${label}. Open Settings, Community.`}
      onClick={() => {
        navigate("settings");
        revealWhenShown("settings-community");
      }}
    >
      <span className={`sync-dot${state === "syncing" ? " sync-dot-spin" : ""}`} aria-hidden="true" />
      <span className="sync-label">{label}</span>
    </button>
  );
}
