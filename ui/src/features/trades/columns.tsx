import type { ReactNode } from "react";
import type { Trade, TradeSort } from "../../lib/ipc";
import { formatDateTime, formatDuration, formatPrice, formatQty, formatShortDateTime, pnlClass } from "../../lib/format";
import { Fees, Money } from "../../components/Money";
import { SideBadge } from "./SideBadge";
import { strategyLabel } from "../../lib/strategies";

export type Column = {
  /** The column the store sorts by when this header is clicked. */
  key: TradeSort;
  label: string;
  numeric: boolean;
  render: (t: Trade, currency: string | null) => ReactNode;
  width?: number;
};

export const COLUMNS: Column[] = [
  { key: "day", label: "Day", numeric: false, width: 88, render: (t) => t.trading_day ?? <span className="badge">open</span> },
  { key: "symbol", label: "Symbol", numeric: false, width: 150, render: (t) => (
      <span className="strong" title={t.has_notes ? `${t.symbol} · has notes` : t.symbol}>
        {t.symbol}
        {t.has_notes && <span className="note-dot" aria-label="has notes" data-testid="trade-has-notes" />}
        {t.strategy && (
          <span className="badge badge-strategy" title={`A leg of a ${strategyLabel(t.strategy.kind).toLowerCase()}: the statistics count the strategy as one trade`} data-testid="trade-strategy">
            {strategyLabel(t.strategy.kind)}
          </span>
        )}
      </span>
    ) },
  { key: "direction", label: "Side", numeric: false, width: 58, render: (t) => <SideBadge direction={t.direction} /> },
  { key: "quantity", label: "Qty", numeric: true, width: 48, render: (t) => formatQty(t.quantity) },
  { key: "entry", label: "Entry", numeric: true, width: 92, render: (t) =>
      t.status === "incomplete" ? (
        <span className="badge" title="The opening of this position is not in the journal (opened before the imported file's range). Enter the opening fill to measure this trade.">
          opening unknown
        </span>
      ) : (
        formatPrice(t.entry_price)
      ) },
  { key: "exit", label: "Exit", numeric: true, width: 92, render: (t) => formatPrice(t.exit_price) },
  { key: "net", label: "Net", numeric: true, width: 90, render: (t, c) => <Money value={t.net_pnl} currency={c} pnl /> },
  { key: "gross", label: "Gross", numeric: true, width: 84, render: (t, c) => <Money value={t.gross_pnl} currency={c} pnl /> },
  { key: "fees", label: "Fees", numeric: true, width: 64, render: (t, c) => <Fees value={t.fees} currency={c} /> },
  { key: "hold", label: "Hold", numeric: true, width: 72, render: (t) => formatDuration(t.hold_seconds) },
  { key: "r", label: "R", numeric: true, width: 56, render: (t) => (t.r_multiple == null ? "" : <span className={pnlClass(t.r_multiple)} title="Net P&L ÷ initial risk (planned stop)">{t.r_multiple}R</span>) },
  { key: "tags", label: "Tags", numeric: false, width: 140, render: (t) => <TagChips trade={t} /> },
  { key: "closed", label: "Closed", numeric: false, width: 92, render: (t) => <span title={formatDateTime(t.closed_at)}>{formatShortDateTime(t.closed_at)}</span> },
  { key: "opened", label: "Opened", numeric: false, width: 92, render: (t) => <span title={formatDateTime(t.opened_at)}>{formatShortDateTime(t.opened_at)}</span> },
  { key: "account", label: "Account", numeric: false, width: 100, render: (t) => <span title={t.account_name}>{t.account_name}</span> },
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

/** The table's order: a column and a direction (rows without a value come last). */
export type Sort = { key: TradeSort; dir: "asc" | "desc" };

/** Text columns start A→Z on their first click; figures and times start largest first. */
export const firstDirection = (key: TradeSort): Sort["dir"] =>
  key === "symbol" || key === "account" || key === "direction" || key === "tags" ? "asc" : "desc";
