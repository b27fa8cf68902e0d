import { useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { accountsQuery, breakdownsQuery, emptyFilter, statsQuery, type BreakdownRow, type Breakdowns, type TradeFilter } from "../../lib/ipc";
import { ASSET_CLASS_LABELS, formatInteger, formatMoney, formatPercent, formatRatio, pnlClass } from "../../lib/format";
import { PageHeader } from "../../components/PageHeader";
import { currencyOf } from "../../components/FilterControls";
import { TradeFilterBar } from "../../components/TradeFilterBar";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { NoTradesYet } from "../../components/EmptyState";

type Key = keyof Breakdowns;

const GROUPS: { key: Key; title: string; note: string; label?: (k: string) => string; keepOrder?: boolean }[] = [
  { key: "by_symbol", title: "By symbol", note: "closed trades per symbol" },
  { key: "by_tag", title: "By tag", note: "a trade with several tags counts under each" },
  { key: "by_setup", title: "By setup", note: "the playbook of each trade" },
  { key: "by_weekday", title: "By weekday", note: "of the trading day", keepOrder: true },
  { key: "by_hour", title: "By hour of entry", note: "in the account's time zone", keepOrder: true },
  { key: "by_hold_time", title: "By hold time", note: "shortest first", keepOrder: true },
  { key: "by_direction", title: "Long vs short", note: "", label: (k) => (k === "long" ? "Long" : k === "short" ? "Short" : k), keepOrder: true },
  { key: "by_asset_class", title: "By asset class", note: "", label: (k) => ASSET_CLASS_LABELS[k] ?? k, keepOrder: true },
];

/** Above this many groups the chart shows the best and worst; the table has them all. */
const CHART_ROWS = 12;

export function ReportsPage() {
  const [filter, setFilter] = useState<TradeFilter>(emptyFilter);
  const accounts = useQuery(accountsQuery());
  const breakdowns = useQuery({ ...breakdownsQuery(filter), placeholderData: keepPreviousData });
  const stats = useQuery({ ...statsQuery(filter), placeholderData: keepPreviousData });
  const currency = currencyOf(accounts.data, filter.account_id);
  const noTradesAtAll = accounts.data?.every((a) => a.trade_count === 0) ?? false;

  return (
    <div className="page" data-testid="page-reports">
      <PageHeader title="Reports" subtitle="Where your P&L comes from: closed trades grouped by symbol, tag, setup, time and side." />
      <TradeFilterBar
        idPrefix="reports"
        filter={filter}
        onChange={setFilter}
        end={
          stats.data && (
            <div className="totals" data-testid="reports-total" data-value={stats.data.net_pnl} data-count={stats.data.trades}>
              <span className="muted">{formatInteger(stats.data.trades)} closed trades · net </span>
              <span className={`num strong ${pnlClass(stats.data.net_pnl)}`}>{formatMoney(stats.data.net_pnl, { currency })}</span>
            </div>
          )
        }
      />
      {breakdowns.isError ? (
        <ErrorNotice error={breakdowns.error} title="Could not load the reports" onRetry={() => void breakdowns.refetch()} />
      ) : breakdowns.isPending ? (
        <Loading label="Computing breakdowns…" />
      ) : noTradesAtAll ? (
        <NoTradesYet />
      ) : breakdowns.data.by_direction.length === 0 ? (
        <div className="empty-state" data-testid="reports-empty">
          <div className="empty-title">No closed trades match these filters</div>
          <p>Widen the date range or clear a filter. Open trades and trades with an unknown opening are not in the reports.</p>
          <div className="empty-actions">
            <button type="button" className="btn" onClick={() => setFilter(emptyFilter)}>
              Clear filters
            </button>
          </div>
        </div>
      ) : (
        <div className="report-grid">
          {GROUPS.map((g) => (
            <BreakdownCard key={g.key} id={g.key} title={g.title} note={g.note} rows={breakdowns.data[g.key]} currency={currency} label={g.label} keepOrder={g.keepOrder} />
          ))}
        </div>
      )}
    </div>
  );
}

type CardProps = {
  id: Key;
  title: string;
  note: string;
  rows: BreakdownRow[];
  currency: string | null;
  label?: (k: string) => string;
  keepOrder?: boolean;
};

function BreakdownCard({ id, title, note, rows, currency, label = (k) => k, keepOrder }: CardProps) {
  const [view, setView] = useState<"chart" | "table">("chart");
  const testId = `report-${id.replace(/^by_/, "").replace(/_/g, "-")}`;
  const chartRows = useMemo(() => {
    // Ordered groups (weekday, hour…) keep their order; others by net, best first.
    const sorted = keepOrder ? rows : [...rows].sort((a, b) => Number(b.net_pnl) - Number(a.net_pnl));
    if (keepOrder || sorted.length <= CHART_ROWS) return sorted;
    const half = CHART_ROWS / 2;
    return [...sorted.slice(0, half), ...sorted.slice(-half)];
  }, [rows, keepOrder]);
  // Float only for bar lengths; amounts are shown from the exact strings.
  const maxAbs = chartRows.reduce((m, r) => Math.max(m, Math.abs(Number(r.net_pnl)) || 0), 0);

  return (
    <section className="card report-card" data-testid={testId}>
      <div className="card-head">
        <h2>{title}</h2>
        <span className="muted small">{note}</span>
        <div className="segmented report-view" role="radiogroup" aria-label={`${title}: chart or table`}>
          {(["chart", "table"] as const).map((v) => (
            <button key={v} type="button" role="radio" aria-checked={view === v} className={view === v ? "active" : ""} onClick={() => setView(v)} data-testid={`${testId}-${v}`}>
              {v === "chart" ? "Chart" : "Table"}
            </button>
          ))}
        </div>
      </div>
      {rows.length === 0 ? (
        <div className="muted pad">{id === "by_tag" ? "No tagged trades. Tag trades on the Trades page or in a trade's detail." : id === "by_setup" ? "No trades with a setup yet. Set one in a trade's detail." : "No trades."}</div>
      ) : view === "chart" ? (
        <div className="bars" data-testid={`${testId}-bars`}>
          {rows.length > chartRows.length && <div className="muted small">best and worst {CHART_ROWS / 2} of {rows.length}; the table has all</div>}
          {chartRows.map((r) => {
            const v = Number(r.net_pnl) || 0;
            const pct = maxAbs > 0 ? (Math.abs(v) / maxAbs) * 50 : 0;
            const cls = pnlClass(r.net_pnl);
            return (
              <div className="bar-row" key={r.key} data-testid="report-bar" data-key={r.key} data-value={r.net_pnl} title={`${label(r.key)}: ${r.trades} trades, win rate ${formatPercent(r.win_rate)}, net ${formatMoney(r.net_pnl, { currency })}`}>
                <div className="bar-label ellipsis">{label(r.key)}</div>
                <div className="bar-track">
                  <div className="bar-axis" />
                  <div className={`bar-fill ${cls}`} style={v >= 0 ? { left: "50%", width: `${pct}%` } : { right: "50%", width: `${pct}%` }} />
                </div>
                <div className={`bar-value num ${cls}`}>{formatMoney(r.net_pnl, { currency })}</div>
              </div>
            );
          })}
        </div>
      ) : (
        <div className="table-wrap report-table-wrap">
          <table className="table table-compact" data-testid={`${testId}-table`}>
            <thead>
              <tr>
                <th>Group</th>
                <th className="r">Trades</th>
                <th className="r" title="Winners ÷ (winners + losers)">Win rate</th>
                <th className="r">Net</th>
                <th className="r">Avg</th>
                <th className="r" title="Net of winners ÷ |net of losers|">PF</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-testid="report-row" data-key={r.key}>
                  <td className="strong">{label(r.key)}</td>
                  <td className="r num">
                    {formatInteger(r.trades)} <span className="muted small">{r.winners}W {r.losers}L</span>
                  </td>
                  <td className="r num">{formatPercent(r.win_rate)}</td>
                  <td className={`r num ${pnlClass(r.net_pnl)}`} data-value={r.net_pnl}>
                    {formatMoney(r.net_pnl, { currency })}
                  </td>
                  <td className={`r num ${pnlClass(r.avg_net)}`}>{formatMoney(r.avg_net, { currency })}</td>
                  <td className="r num">{formatRatio(r.profit_factor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
