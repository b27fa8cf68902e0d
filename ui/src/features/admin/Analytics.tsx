import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { analyticsQuery } from "../../lib/community";
import type { CommunityAnalytics } from "../../lib/ipc";
import { formatDateTime, formatInteger, formatMoney, formatPercent, pnlClass } from "../../lib/format";
import { Loading } from "../../components/Loading";
import { CommunityError } from "../../components/CommunityError";
import { DailyChart, type DailyPane } from "../../components/DailyChart";
import { StatCard } from "../dashboard/StatCard";

const PERIODS = [7, 30, 90] as const;
type Period = (typeof PERIODS)[number];

const money = (v: number) => formatMoney(v.toFixed(2), { places: Math.abs(v) >= 1000 ? 0 : 2 });

/** Community analytics over 7, 30 or 90 days: totals and the daily series (trades, net P&L, win rate). */
export function Analytics() {
  const [days, setDays] = useState<Period>(30);
  const analytics = useQuery(analyticsQuery(days));
  return (
    <section className="card" id="admin-analytics" data-testid="admin-analytics">
      <div className="card-head">
        <h2>Analytics</h2>
        <span className="muted">closed trades of every member, by trading day</span>
        <div className="segmented card-head-end" role="radiogroup" aria-label="Period">
          {PERIODS.map((d) => (
            <button key={d} type="button" role="radio" aria-checked={days === d} className={days === d ? "active" : ""} onClick={() => setDays(d)} data-testid={`admin-analytics-${d}`}>
              {d} days
            </button>
          ))}
        </div>
      </div>
      {analytics.isError ? (
        <CommunityError error={analytics.error} title="Could not load the analytics" onRetry={() => void analytics.refetch()} />
      ) : !analytics.data ? (
        <Loading />
      ) : (
        <AnalyticsView a={analytics.data} />
      )}
    </section>
  );
}

function AnalyticsView({ a }: { a: CommunityAnalytics }) {
  const panes = useMemo<DailyPane[]>(
    () => [
      { title: "Net P&L per day", kind: "histogram", signed: true, points: a.daily.map((d) => ({ day: d.day, value: Number(d.net_pnl) })), format: money, stretch: 2 },
      { title: "Closed trades per day", kind: "histogram", points: a.daily.map((d) => ({ day: d.day, value: d.trades })), format: (v) => formatInteger(v) },
      {
        title: "Win rate per day",
        kind: "line",
        points: a.daily.filter((d) => d.win_rate != null).map((d) => ({ day: d.day, value: (d.win_rate ?? 0) * 100 })),
        format: (v) => `${v.toFixed(0)}%`,
      },
    ],
    [a],
  );
  return (
    <>
      <div className="stat-grid">
        <StatCard label={`Trades, ${a.days} days`} value={formatInteger(a.trades)} testId="admin-analytics-trades" dataValue={String(a.trades)} />
        <StatCard label={`Net P&L, ${a.days} days`} value={formatMoney(a.net_pnl, { signed: true })} tone={pnlClass(a.net_pnl)} testId="admin-analytics-net" dataValue={a.net_pnl} />
        <StatCard label="Win rate" title="Winners ÷ (winners + losers)" value={formatPercent(a.win_rate)} sub="of decided trades" testId="admin-analytics-win-rate" dataValue={a.win_rate == null ? "" : String(a.win_rate)} />
        <StatCard label="Trading days" value={formatInteger(a.daily.length)} sub={`as of ${formatDateTime(a.computed_at, false)}`} />
      </div>
      <DailyChart panes={panes} height={360} testId="admin-analytics-chart" emptyText={`No closed trades in the last ${a.days} days.`} />
    </>
  );
}
