import type { Trade } from "../../lib/ipc";
import { formatDateTime, formatPrice, formatQty, formatShortDateTime } from "../../lib/format";
import { Money } from "../../components/Money";
import { SideBadge } from "../trades/SideBadge";
import { useOpenTrade } from "../../lib/nav";

const activity = (t: Trade) => t.closed_at ?? t.opened_at;

/** The ten trades with the latest activity (close, or open when still open). */
export function RecentTrades({ trades, currency }: { trades: Trade[]; currency: string | null }) {
  const openTrade = useOpenTrade();
  const recent = [...trades].sort((a, b) => Date.parse(activity(b)) - Date.parse(activity(a))).slice(0, 10);
  if (recent.length === 0) return <div className="muted pad">No trades in this selection.</div>;
  return (
    <div className="table-wrap">
    <table className="table table-compact">
      <thead>
        <tr>
          <th>Closed</th>
          <th>Symbol</th>
          <th>Side</th>
          <th className="r">Qty</th>
          <th className="r">Net</th>
        </tr>
      </thead>
      <tbody>
        {recent.map((t) => (
          <tr key={t.id} data-testid="recent-trade-row" data-trade-id={t.id} className="row-link" onClick={() => openTrade(t.id)} title="Open the trade">
            <td className="num nowrap" title={formatDateTime(t.closed_at ?? t.opened_at)}>
              {t.closed_at ? formatShortDateTime(t.closed_at) : <span className="badge">open</span>}
            </td>
            <td className="strong" title={`${t.account_name} · entry ${formatPrice(t.entry_price)} · exit ${formatPrice(t.exit_price)}`}>
              {t.symbol}
            </td>
            <td>
              <SideBadge direction={t.direction} />
            </td>
            <td className="r num">{formatQty(t.quantity)}</td>
            <td className="r">
              {t.status === "closed" ? <Money value={t.net_pnl} currency={currency} pnl /> : <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
