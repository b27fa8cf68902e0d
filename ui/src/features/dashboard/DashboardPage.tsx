import { useEffect, useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { accountsQuery, emptyFilter, reportReady, statsQuery, tradesQuery, type TradeFilter } from "../../lib/ipc";
import { useNavigate } from "../../lib/nav";
import { formatMoney, formatPercent, pnlClass } from "../../lib/format";
import { PageHeader } from "../../components/PageHeader";
import { AccountFilter, DateRange, currencyOf } from "../../components/FilterControls";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { NoTradesYet } from "../../components/EmptyState";
import { StatGrid } from "./StatGrid";
import { EquityChart } from "./EquityChart";
import { PnlCalendar } from "./PnlCalendar";
import { RecentTrades } from "./RecentTrades";

export function DashboardPage() {
  const navigate = useNavigate();
  const [accountId, setAccountId] = useState<string | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const filter = useMemo<TradeFilter>(() => ({ ...emptyFilter, account_id: accountId, from, to }), [accountId, from, to]);
  const filtered = accountId != null || from != null || to != null;

  const accounts = useQuery(accountsQuery());
  const stats = useQuery({ ...statsQuery(filter), placeholderData: keepPreviousData });
  // Ten are shown: ask for ten (a 100k-trade journal would cross IPC whole otherwise).
  const trades = useQuery({ ...tradesQuery({ ...filter, limit: 10 }), placeholderData: keepPreviousData });
  const currency = currencyOf(accounts.data, accountId);

  // The statistics are on screen: the app is interactive (start-up benchmark; once per process).
  const statsShown = stats.data != null;
  useEffect(() => {
    if (statsShown) requestAnimationFrame(() => reportReady());
  }, [statsShown]);

  // "Nothing at all" (not just nothing in this filter) decides the empty state.
  const noTradesAtAll =
    accounts.data != null
      ? accounts.data.every((a) => a.trade_count === 0)
      : !filtered && stats.data != null && stats.data.trades + stats.data.open_trades + stats.data.incomplete_trades === 0;

  return (
    <div className="page" data-testid="page-dashboard">
      <PageHeader title="Dashboard">
        <div className="toolbar">
          <label className="sr-only" htmlFor="dash-account">
            Account
          </label>
          <AccountFilter id="dash-account" testId="dashboard-account" accounts={(accounts.data ?? []).filter((a) => !a.archived || a.id === accountId)} value={accountId} onChange={setAccountId} />
          <DateRange
            idPrefix="dash"
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
                setAccountId(null);
                setFrom(null);
                setTo(null);
              }}
            >
              Clear
            </button>
          )}
        </div>
      </PageHeader>

      {stats.isError && <ErrorNotice error={stats.error} title="Could not load statistics" onRetry={() => void stats.refetch()} />}
      {stats.isPending && !stats.isError && <Loading label="Loading statistics…" />}

      {noTradesAtAll && !stats.isError && <NoTradesYet />}

      {stats.data && (
        <>
          <StatGrid stats={stats.data} currency={currency} />
          {!noTradesAtAll && (
            <>
              <section className="card">
                <div className="card-head">
                  <h2>Equity curve</h2>
                  <span className="muted">cumulative net P&amp;L by close time; drawdown below</span>
                  <span className="card-head-end muted" data-testid="dashboard-drawdown" data-value={stats.data.max_drawdown}>
                    max drawdown{" "}
                    <span className={`num strong ${pnlClass(stats.data.max_drawdown) === "zero" ? "" : "neg"}`}>{formatMoney(stats.data.max_drawdown, { currency })}</span>
                    {stats.data.max_drawdown_pct != null && <> ({formatPercent(stats.data.max_drawdown_pct / 100)})</>}
                  </span>
                </div>
                <EquityChart points={stats.data.equity_curve} currency={currency} />
              </section>
              <div className="dash-columns">
                <section className="card">
                  <div className="card-head">
                    <h2>Daily P&amp;L</h2>
                    <span className="muted">by trading day</span>
                  </div>
                  <PnlCalendar days={stats.data.daily_pnl} currency={currency} />
                </section>
                <section className="card">
                  <div className="card-head">
                    <h2>Recent trades</h2>
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => navigate("trades")}>
                      All trades →
                    </button>
                  </div>
                  {trades.isError ? (
                    <ErrorNotice error={trades.error} title="Could not load trades" onRetry={() => void trades.refetch()} />
                  ) : trades.data ? (
                    <RecentTrades trades={trades.data} currency={currency} />
                  ) : (
                    <Loading />
                  )}
                </section>
              </div>
            </>
          )}
        </>
      )}
    </div>
  );
}
