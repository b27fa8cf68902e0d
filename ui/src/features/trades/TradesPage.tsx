import { useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { accountsQuery, emptyFilter, tradesQuery, type TradeFilter, type TradeStatus } from "../../lib/ipc";
import { formatInteger, formatMoney, pnlClass, sumDecimals } from "../../lib/format";
import { useDebounced } from "../../lib/hooks";
import { useNavigate } from "../../lib/nav";
import { PageHeader } from "../../components/PageHeader";
import { AccountFilter, DateRange, currencyOf } from "../../components/FilterControls";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { NoTradesYet } from "../../components/EmptyState";
import { TradeTable } from "./TradeTable";
import { sortTrades, type Sort, type SortKey } from "./columns";

export function TradesPage() {
  const navigate = useNavigate();
  const [accountId, setAccountId] = useState<string | null>(null);
  const [status, setStatus] = useState<TradeStatus | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<Sort>({ key: "closed", dir: "desc" });
  const query = useDebounced(search.trim().toUpperCase(), 120);

  const filter = useMemo<TradeFilter>(() => ({ ...emptyFilter, account_id: accountId, status, from, to }), [accountId, status, from, to]);
  const accounts = useQuery(accountsQuery());
  const trades = useQuery({ ...tradesQuery(filter), placeholderData: keepPreviousData });

  // Symbol search runs here (substring, case-insensitive), as does sorting.
  const rows = useMemo(() => {
    const all = trades.data ?? [];
    const matched = query ? all.filter((t) => t.symbol.toUpperCase().includes(query)) : all;
    return sortTrades(matched, sort);
  }, [trades.data, query, sort]);
  const totalNet = useMemo(() => sumDecimals(rows.map((t) => t.net_pnl)), [rows]);
  const currency = currencyOf(accounts.data, accountId);
  const filtered = accountId != null || status != null || from != null || to != null || query !== "";
  const noTradesAtAll = accounts.data?.every((a) => a.trade_count === 0) ?? false;

  const onSort = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: key === "symbol" || key === "account" || key === "side" ? "asc" : "desc" }));

  return (
    <div className="page page-fill" data-testid="page-trades">
      <PageHeader title="Trades" subtitle="Round trips built from your fills (FIFO). Click a column to sort.">
        <button type="button" className="btn" onClick={() => navigate("add-trade")}>
          Add trade
        </button>
      </PageHeader>
      <div className="toolbar filters">
        <label className="sr-only" htmlFor="trades-account">
          Account
        </label>
        <AccountFilter id="trades-account" testId="trades-account" accounts={accounts.data ?? []} value={accountId} onChange={setAccountId} />
        <input
          type="search"
          className="input-search"
          placeholder="Search symbol"
          aria-label="Search symbol"
          data-testid="trades-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <div className="segmented" role="radiogroup" aria-label="Status">
          {([null, "closed", "open", "incomplete"] as const).map((s) => (
            <button key={s ?? "all"} type="button" role="radio" aria-checked={status === s} className={status === s ? "active" : ""} onClick={() => setStatus(s)}>
              {s == null ? "All" : s === "closed" ? "Closed" : s === "open" ? "Open" : "Incomplete"}
            </button>
          ))}
        </div>
        <DateRange
          idPrefix="trades"
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
              setStatus(null);
              setFrom(null);
              setTo(null);
              setSearch("");
            }}
          >
            Clear filters
          </button>
        )}
        <div className="toolbar-spacer" />
        <div className="totals" data-testid="trades-total" data-value={totalNet} data-count={rows.length}>
          <span className="muted">{formatInteger(rows.length)} trades · net </span>
          <span className={`num strong ${pnlClass(totalNet)}`}>{formatMoney(totalNet, { currency })}</span>
        </div>
      </div>

      {trades.isError ? (
        <ErrorNotice error={trades.error} title="Could not load trades" onRetry={() => void trades.refetch()} />
      ) : trades.isPending ? (
        <Loading label="Loading trades…" />
      ) : noTradesAtAll ? (
        <NoTradesYet />
      ) : rows.length === 0 ? (
        <div className="empty-state">
          <div className="empty-title">No trades match these filters</div>
          <p>Widen the date range, choose another account or status, or clear the search.</p>
        </div>
      ) : (
        <TradeTable trades={rows} accounts={accounts.data ?? []} sort={sort} onSort={onSort} />
      )}
    </div>
  );
}
