import { useEffect, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { accountsQuery, emptyFilter, labelsQuery, type AssetClass, type Direction, type TradeFilter, type TradeStatus } from "../lib/ipc";
import { ASSET_CLASS_LABELS } from "../lib/format";
import { useDebounced } from "../lib/hooks";
import { AccountFilter, DateRange } from "./FilterControls";

const ASSET_CLASSES: AssetClass[] = ["stock", "option", "future", "future_option", "crypto", "forex"];

type Props = {
  /** Prefix of ids and data-testids, e.g. "trades" → trades-account, trades-tag… */
  idPrefix: string;
  filter: TradeFilter;
  onChange: (f: TradeFilter) => void;
  /** Show the status control (Trades only: statistics are over closed trades). */
  withStatus?: boolean;
  /** Extra controls at the start (e.g. the search box). */
  children?: ReactNode;
  /** Content at the far right (totals). */
  end?: ReactNode;
};

/** Whether any filter (other than the free-text search) is set. */
export function isFiltered(f: TradeFilter): boolean {
  return (Object.keys(emptyFilter) as (keyof TradeFilter)[]).some((k) => f[k] != null && f[k] !== "");
}

/** The filters every trade list and report shares: account, days, symbol, status, tag, setup, side, asset class. */
export function TradeFilterBar({ idPrefix, filter, onChange, withStatus, children, end }: Props) {
  const accounts = useQuery(accountsQuery());
  const labels = useQuery(labelsQuery());
  const set = <K extends keyof TradeFilter>(k: K, v: TradeFilter[K]) => onChange({ ...filter, [k]: v });

  // The symbol box types freely; the filter follows once typing pauses.
  const [symbol, setSymbol] = useState(filter.symbol ?? "");
  const debouncedSymbol = useDebounced(symbol.trim().toUpperCase(), 250);
  useEffect(() => {
    const next = debouncedSymbol || null;
    if (next !== filter.symbol) onChange({ ...filter, symbol: next });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedSymbol]);
  useEffect(() => {
    if (filter.symbol == null) setSymbol("");
  }, [filter.symbol]);

  const visibleAccounts = (accounts.data ?? []).filter((a) => !a.archived || a.id === filter.account_id);
  const tags = labels.data?.tags ?? [];
  const setups = labels.data?.setups ?? [];

  return (
    <div className="toolbar filters" data-testid={`${idPrefix}-filters`}>
      {children}
      <label className="sr-only" htmlFor={`${idPrefix}-account`}>
        Account
      </label>
      <AccountFilter id={`${idPrefix}-account`} testId={`${idPrefix}-account`} accounts={visibleAccounts} value={filter.account_id} onChange={(v) => set("account_id", v)} />
      <input
        className="input-symbol"
        placeholder="Symbol"
        aria-label="Symbol (exact)"
        title="Exact symbol, e.g. AAPL or MESM6"
        value={symbol}
        onChange={(e) => setSymbol(e.target.value)}
        data-testid={`${idPrefix}-symbol`}
        spellCheck={false}
      />
      {withStatus && (
        <select aria-label="Status" value={filter.status ?? ""} onChange={(e) => set("status", (e.target.value || null) as TradeStatus | null)} data-testid={`${idPrefix}-status`}>
          <option value="">Any status</option>
          <option value="closed">Closed</option>
          <option value="open">Open</option>
          <option value="incomplete">Opening unknown</option>
        </select>
      )}
      <select aria-label="Tag" value={filter.tag ?? ""} onChange={(e) => set("tag", e.target.value || null)} data-testid={`${idPrefix}-tag`}>
        <option value="">Any tag</option>
        {tags.map((t) => (
          <option key={t.tag} value={t.tag}>
            {t.tag} ({t.trades})
          </option>
        ))}
      </select>
      <select aria-label="Setup" value={filter.setup ?? ""} onChange={(e) => set("setup", e.target.value || null)} data-testid={`${idPrefix}-setup`}>
        <option value="">Any setup</option>
        {setups.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select aria-label="Side" value={filter.direction ?? ""} onChange={(e) => set("direction", (e.target.value || null) as Direction | null)} data-testid={`${idPrefix}-side`}>
        <option value="">Long and short</option>
        <option value="long">Long</option>
        <option value="short">Short</option>
      </select>
      <select aria-label="Asset class" value={filter.asset_class ?? ""} onChange={(e) => set("asset_class", (e.target.value || null) as AssetClass | null)} data-testid={`${idPrefix}-asset-class`}>
        <option value="">All assets</option>
        {ASSET_CLASSES.map((c) => (
          <option key={c} value={c}>
            {ASSET_CLASS_LABELS[c]}
          </option>
        ))}
      </select>
      <DateRange idPrefix={idPrefix} from={filter.from} to={filter.to} onChange={(from, to) => onChange({ ...filter, from, to })} />
      {isFiltered(filter) && (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            setSymbol("");
            onChange({ ...emptyFilter });
          }}
          data-testid={`${idPrefix}-clear`}
        >
          Clear filters
        </button>
      )}
      {end && (
        <>
          <div className="toolbar-spacer" />
          {end}
        </>
      )}
    </div>
  );
}
