import type { ReactNode } from "react";
import type { Trade } from "../../lib/ipc";
import { formatDateTime, formatDuration, formatPrice, formatQty, formatShortDateTime } from "../../lib/format";
import { Money } from "../../components/Money";
import { SideBadge } from "./SideBadge";

export type SortKey =
  | "day" | "symbol" | "tags" | "account" | "side" | "qty" | "entry" | "exit"
  | "opened" | "closed" | "hold" | "gross" | "fees" | "net";

export type Column = {
  key: SortKey;
  label: string;
  numeric: boolean;
  /** Sort value; null sorts last in both directions. Number() only orders. */
  value: (t: Trade) => string | number | null;
  render: (t: Trade, currency: string | null) => ReactNode;
  width?: number;
};

const num = (s: string | null) => (s == null ? null : Number(s));
const time = (s: string | null) => (s == null ? null : Date.parse(s));

export const COLUMNS: Column[] = [
  { key: "day", label: "Day", numeric: false, width: 88, value: (t) => t.trading_day, render: (t) => t.trading_day ?? <span className="badge">open</span> },
  { key: "symbol", label: "Symbol", numeric: false, width: 86, value: (t) => t.symbol, render: (t) => (
      <span className="strong" title={t.has_notes ? `${t.symbol} · has notes` : t.symbol}>
        {t.symbol}
        {t.has_notes && <span className="note-dot" aria-label="has notes" data-testid="trade-has-notes" />}
      </span>
    ) },
  { key: "side", label: "Side", numeric: false, width: 58, value: (t) => t.direction, render: (t) => <SideBadge direction={t.direction} /> },
  { key: "qty", label: "Qty", numeric: true, width: 48, value: (t) => num(t.quantity), render: (t) => formatQty(t.quantity) },
  { key: "entry", label: "Entry", numeric: true, width: 92, value: (t) => num(t.entry_price), render: (t) =>
      t.status === "incomplete" ? (
        <span className="badge" title="The opening of this position is not in the journal (opened before the imported file's range). Enter the opening fill to measure this trade.">
          opening unknown
        </span>
      ) : (
        formatPrice(t.entry_price)
      ) },
  { key: "exit", label: "Exit", numeric: true, width: 92, value: (t) => num(t.exit_price), render: (t) => formatPrice(t.exit_price) },
  { key: "net", label: "Net", numeric: true, width: 90, value: (t) => num(t.net_pnl), render: (t, c) => <Money value={t.net_pnl} currency={c} pnl /> },
  { key: "gross", label: "Gross", numeric: true, width: 84, value: (t) => num(t.gross_pnl), render: (t, c) => <Money value={t.gross_pnl} currency={c} pnl /> },
  { key: "fees", label: "Fees", numeric: true, width: 64, value: (t) => num(t.fees), render: (t, c) => <Money value={t.fees} currency={c} /> },
  { key: "hold", label: "Hold", numeric: true, width: 72, value: (t) => t.hold_seconds, render: (t) => formatDuration(t.hold_seconds) },
  { key: "tags", label: "Tags", numeric: false, width: 140, value: (t) => (t.tags.length ? t.tags.join(",") : t.setup), render: (t) => <TagChips trade={t} /> },
  { key: "closed", label: "Closed", numeric: false, width: 92, value: (t) => time(t.closed_at), render: (t) => <span title={formatDateTime(t.closed_at)}>{formatShortDateTime(t.closed_at)}</span> },
  { key: "opened", label: "Opened", numeric: false, width: 92, value: (t) => time(t.opened_at), render: (t) => <span title={formatDateTime(t.opened_at)}>{formatShortDateTime(t.opened_at)}</span> },
  { key: "account", label: "Account", numeric: false, width: 100, value: (t) => t.account_name, render: (t) => <span title={t.account_name}>{t.account_name}</span> },
];

/** Tags as chips (and the setup, in its own style), as compact as the row allows. */
export function TagChips({ trade }: { trade: Trade }) {
  if (trade.tags.length === 0 && !trade.setup) return null;
  const title = [trade.setup ? `setup: ${trade.setup}` : null, ...trade.tags].filter(Boolean).join(" · ");
  return (
    <span className="chip-row" title={title}>
      {trade.setup && <span className="chip chip-setup">{trade.setup}</span>}
      {trade.tags.map((tag) => (
        <span key={tag} className="chip" data-testid="trade-tag">
          {tag}
        </span>
      ))}
    </span>
  );
}

export type Sort = { key: SortKey; dir: "asc" | "desc" };

export function sortTrades(trades: Trade[], sort: Sort): Trade[] {
  const col = COLUMNS.find((c) => c.key === sort.key);
  if (!col) return trades;
  const factor = sort.dir === "asc" ? 1 : -1;
  const keyed = trades.map((t, i) => ({ t, i, v: col.value(t) }));
  keyed.sort((a, b) => {
    if (a.v == null || (typeof a.v === "number" && Number.isNaN(a.v))) return b.v == null ? a.i - b.i : 1;
    if (b.v == null || (typeof b.v === "number" && Number.isNaN(b.v))) return -1;
    const c = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : String(a.v).localeCompare(String(b.v));
    return c !== 0 ? c * factor : a.i - b.i;
  });
  return keyed.map((k) => k.t);
}
