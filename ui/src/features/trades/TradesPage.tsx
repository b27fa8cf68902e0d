import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import {
  accountsQuery,
  emptyFilter,
  fetchTradeIds,
  labelsQuery,
  tradePageQuery,
  useDeleteTrades,
  useMergeStrategy,
  useTagTrades,
  type Trade,
  type TradeFilter,
  type TradePageRequest,
  type TradeSelection,
  type TradeSort,
} from "../../lib/ipc";
import { formatInteger, formatMoney, pnlClass } from "../../lib/format";
import { useDebounced } from "../../lib/hooks";
import { isTypingTarget } from "../../lib/keys";
import { useNavigate, useOpenTrade } from "../../lib/nav";
import { strategyLabel } from "../../lib/strategies";
import { PageHeader } from "../../components/PageHeader";
import { currencyOf } from "../../components/FilterControls";
import { TradeFilterBar } from "../../components/TradeFilterBar";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { NoTradesYet } from "../../components/EmptyState";
import { Dialog } from "../../components/Dialog";
import { TradeTable, VIRTUALIZE_ABOVE } from "./TradeTable";
import { firstDirection, type Sort } from "./columns";

/** Rows read per request: a small list arrives whole, a long one a window at a time. */
const PAGE_SIZE = VIRTUALIZE_ABOVE;

/** Rows `offset..offset + limit` of the list in the table's order. */
const windowOf = (sort: Sort, offset: number, limit: number): TradePageRequest => ({
  sort: sort.key,
  descending: sort.dir === "desc",
  offset,
  limit,
});

/**
 * The rows of a trade list of any length, read from the store a page at a time: page 0
 * always (it carries the list's count and net P&L), and the pages of the rows in view.
 */
function useTradeWindow(filter: TradeFilter, sort: Sort) {
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const onVisibleRange = useCallback((first: number, last: number) => {
    setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
  }, []);
  const pageOf = (i: number) => Math.floor(i / PAGE_SIZE);
  const pages = useMemo(() => {
    const out = [0];
    for (let p = Math.max(1, pageOf(range[0])); p <= pageOf(range[1]); p++) out.push(p);
    return out;
  }, [range]);
  const results = useQueries({
    queries: pages.map((p) => ({ ...tradePageQuery(filter, windowOf(sort, p * PAGE_SIZE, PAGE_SIZE)), placeholderData: p === 0 ? keepPreviousData : undefined })),
  });
  const head = results[0]!;
  // Page 0 of the previous filter or sort stands in only for the count while the new one
  // loads: its rows belong to another list, so they show as loading, not as clickable rows.
  const byPage = new Map(pages.map((p, i) => [p, results[i]?.isPlaceholderData ? undefined : results[i]?.data]));
  const rowAt = (index: number): Trade | undefined => byPage.get(pageOf(index))?.trades[index % PAGE_SIZE];
  const failed = results.find((r) => r.isError);
  const retry = () => results.filter((r) => r.isError).forEach((r) => void r.refetch());
  return { head, rowAt, onVisibleRange, failed, retry };
}

/**
 * Which trades are selected: listed ids, or — after "select all" over a list too long to
 * load — every trade of the list but the listed ones.
 */
type Selection = { all: boolean; ids: ReadonlySet<string> };
const NOTHING: Selection = { all: false, ids: new Set() };

type Props = {
  /** Changes when "/" was pressed anywhere: focus the search box. */
  searchToken?: number;
  /** False while a trade detail covers the page (its keys must not act here). */
  active?: boolean;
};

export function TradesPage({ searchToken = 0, active = true }: Props) {
  const navigate = useNavigate();
  const openTrade = useOpenTrade();
  const [filter, setFilter] = useState<TradeFilter>(emptyFilter);
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<Sort>({ key: "closed", dir: "desc" });
  const [selection, setSelection] = useState<Selection>(NOTHING);
  const [anchor, setAnchor] = useState<{ index: number; id: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [bulkTag, setBulkTag] = useState("");
  const [bulkDone, setBulkDone] = useState<string | null>(null);
  const [rangeError, setRangeError] = useState<unknown>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const debouncedSearch = useDebounced(search.trim(), 200);

  const query = useMemo<TradeFilter>(() => ({ ...filter, search: debouncedSearch || null }), [filter, debouncedSearch]);
  const accounts = useQuery(accountsQuery());
  const labels = useQuery(labelsQuery());
  const { head, rowAt, onVisibleRange, failed, retry } = useTradeWindow(query, sort);
  // What the rows on screen are a list of: a Shift-click range fetched for one list is
  // dropped if the list changed before its ids arrived.
  const listKey = JSON.stringify([query, sort, head.dataUpdatedAt]);
  const currentList = useRef(listKey);
  currentList.current = listKey;
  const tagTrades = useTagTrades();
  const deleteTrades = useDeleteTrades();
  const mergeStrategy = useMergeStrategy();

  const total = head.data?.total ?? 0;
  const totalNet = head.data?.net_pnl ?? "0";
  const currency = currencyOf(accounts.data, filter.account_id);
  const noTradesAtAll = accounts.data?.every((a) => a.trade_count === 0) && total === 0;

  // A new filter or search is a new list: the selection was made in the old one.
  useEffect(() => {
    setSelection(NOTHING);
    setAnchor(null);
  }, [query]);

  useEffect(() => {
    if (searchToken > 0) {
      searchRef.current?.focus();
      searchRef.current?.select();
    }
  }, [searchToken]);

  const selectedCount = selection.all ? Math.max(0, total - selection.ids.size) : selection.ids.size;
  const isSelected = (id: string) => selection.all !== selection.ids.has(id);
  const allSelected = total > 0 && selection.all && selection.ids.size === 0;
  const asCommand = (s: Selection): TradeSelection =>
    s.all ? { kind: "filter", filter: query, except: [...s.ids], expected: selectedCount } : { kind: "ids", ids: [...s.ids] };

  /** Sets `ids` selected (`on`) or not. */
  const mark = (ids: string[], on: boolean) =>
    setSelection((prev) => {
      const next = new Set(prev.ids);
      // In "all" mode the set lists the trades left out.
      for (const id of ids) if (on !== prev.all) next.add(id);
      else next.delete(id);
      return { all: prev.all, ids: next };
    });

  const toggle = (index: number, trade: Trade, range: boolean) => {
    setBulkDone(null);
    setRangeError(null);
    // A range needs its anchor where it was: the same trade at the same row of this list.
    if (range && anchor != null && rowAt(anchor.index)?.id === anchor.id) {
      const [a, b] = anchor.index < index ? [anchor.index, index] : [index, anchor.index];
      const on = !isSelected(trade.id) || isSelected(anchor.id);
      const list = listKey;
      // The rows between may not be loaded: their ids come from the store in this order.
      fetchTradeIds(query, windowOf(sort, a, b - a + 1)).then(
        (ids) => {
          if (currentList.current === list) mark(ids, on);
        },
        (e: unknown) => setRangeError(e),
      );
    } else {
      mark([trade.id], !isSelected(trade.id));
    }
    setAnchor({ index, id: trade.id });
  };
  const selectAll = () => setSelection({ all: true, ids: new Set() });
  const clearSelection = () => {
    setSelection(NOTHING);
    setAnchor(null);
  };
  const toggleAll = () => (allSelected ? clearSelection() : selectAll());

  // Ctrl/Cmd+A selects every trade in the list; Delete asks to delete the selection; Esc clears it.
  const keyState = useRef({ selectAll, clearSelection, count: selectedCount, active, confirmDelete });
  keyState.current = { selectAll, clearSelection, count: selectedCount, active, confirmDelete };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keyState.current;
      if (!k.active || k.confirmDelete || isTypingTarget(e.target)) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "a") {
        e.preventDefault();
        k.selectAll();
      } else if (e.key === "Delete" && k.count > 0) {
        e.preventDefault();
        setConfirmDelete(true);
      } else if (e.key === "Escape" && k.count > 0) {
        k.clearSelection();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const onSort = (key: TradeSort) => {
    setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: firstDirection(key) }));
    setAnchor(null);
  };

  const applyTag = (remove: boolean) => {
    const tag = bulkTag.trim();
    if (!tag || selectedCount === 0) return;
    setBulkDone(null);
    tagTrades.mutate(
      { selection: asCommand(selection), tag, remove },
      { onSuccess: (n) => setBulkDone(`${remove ? "Removed" : "Added"} “${tag}” ${remove ? "from" : "to"} ${formatInteger(n)} ${n === 1 ? "trade" : "trades"}.`) },
    );
  };

  const doDelete = () =>
    deleteTrades.mutate(asCommand(selection), {
      onSuccess: ({ trades, fills }) => {
        setConfirmDelete(false);
        clearSelection();
        setBulkDone(`Deleted ${formatInteger(trades)} ${trades === 1 ? "trade" : "trades"} (${formatInteger(fills)} fills).`);
      },
    });

  // Two to eight trades picked one by one can be grouped into a strategy (legs of one order).
  const canGroup = !selection.all && selection.ids.size >= 2 && selection.ids.size <= 8;
  const doGroup = () =>
    mergeStrategy.mutate([...selection.ids], {
      onSuccess: (s) => {
        clearSelection();
        setBulkDone(`Grouped ${formatInteger(s.legs.length)} trades into a ${strategyLabel(s.kind).toLowerCase()} on ${s.underlying}: the statistics count it as one trade.`);
      },
    });

  const openRow = (t: Trade) => openTrade(t.id);

  return (
    <div className="page page-fill" data-testid="page-trades">
      <PageHeader title="Trades" subtitle="Round trips built from your fills (FIFO). Click a row to open it; Shift-click or the boxes select several.">
        <button type="button" className="btn" onClick={() => navigate("add-trade")} data-testid="trades-add">
          Add trade <kbd>n</kbd>
        </button>
      </PageHeader>
      <TradeFilterBar
        idPrefix="trades"
        filter={filter}
        onChange={(f) => {
          setFilter(f);
          setAnchor(null);
        }}
        withStatus
        end={
          <div className="totals" data-testid="trades-total" data-value={totalNet} data-count={total}>
            <span className="muted">{formatInteger(total)} trades · net </span>
            <span className={`num strong ${pnlClass(totalNet)}`}>{formatMoney(totalNet, { currency })}</span>
          </div>
        }
      >
        <input
          ref={searchRef}
          type="search"
          className="input-search"
          placeholder="Search  /"
          aria-label="Search symbol, tag, setup or notes"
          title="Symbol prefix, tag, setup or words of the notes (press / to focus)"
          data-testid="trades-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              setSearch("");
              e.currentTarget.blur();
            }
          }}
        />
      </TradeFilterBar>

      {selectedCount === 0 ? (
        <div className="bulk-bar bulk-bar-idle muted" data-testid="bulk-hint">
          Select trades with the boxes (Shift-click for a range, Ctrl+A for all) to tag or delete them together.
          {bulkDone && (
            <span className="bulk-done" role="status" data-testid="bulk-done">
              {bulkDone}
            </span>
          )}
        </div>
      ) : (
        <div className="bulk-bar" data-testid="bulk-bar">
          <span className="strong" data-testid="bulk-count" data-value={selectedCount}>
            {formatInteger(selectedCount)} selected
          </span>
          <input
            list="bulk-tag-list"
            placeholder="Tag"
            aria-label="Tag to add or remove"
            value={bulkTag}
            onChange={(e) => setBulkTag(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && applyTag(false)}
            data-testid="bulk-tag-input"
          />
          <datalist id="bulk-tag-list">
            {(labels.data?.tags ?? []).map((t) => (
              <option key={t.tag} value={t.tag} />
            ))}
          </datalist>
          <button type="button" className="btn btn-small" disabled={!bulkTag.trim() || tagTrades.isPending} onClick={() => applyTag(false)} data-testid="bulk-tag-add">
            Add tag
          </button>
          <button type="button" className="btn btn-small" disabled={!bulkTag.trim() || tagTrades.isPending} onClick={() => applyTag(true)} data-testid="bulk-tag-remove">
            Remove tag
          </button>
          {tagTrades.isPending && <span className="spinner" aria-label="Tagging…" data-testid="bulk-progress" />}
          {canGroup && (
            <button
              type="button"
              className="btn btn-small"
              disabled={mergeStrategy.isPending}
              onClick={doGroup}
              data-testid="bulk-group-strategy"
              title="Group the selected trades (legs of one multi-leg order) into one strategy, counted as one trade in the statistics"
            >
              Group as strategy
            </button>
          )}
          <button type="button" className="btn btn-small btn-danger-outline" onClick={() => setConfirmDelete(true)} data-testid="bulk-delete">
            Delete… <kbd>Del</kbd>
          </button>
          {bulkDone && (
            <span className="bulk-done" role="status" data-testid="bulk-done">
              {bulkDone}
            </span>
          )}
          <div className="toolbar-spacer" />
          <button type="button" className="btn btn-small btn-ghost" onClick={clearSelection} data-testid="bulk-clear">
            Clear selection
          </button>
        </div>
      )}
      {tagTrades.isError && <ErrorNotice error={tagTrades.error} title="The tag was not changed" testId="bulk-error" />}
      {mergeStrategy.isError && <ErrorNotice error={mergeStrategy.error} title="The trades were not grouped" testId="bulk-group-error" />}
      {rangeError != null && <ErrorNotice error={rangeError} title="Could not select that range" onRetry={() => setRangeError(null)} />}

      {failed && !head.isError && <ErrorNotice error={failed.error} title="Some rows could not be loaded" onRetry={retry} />}
      {head.isError ? (
        <ErrorNotice error={head.error} title="Could not load trades" onRetry={() => void head.refetch()} />
      ) : head.isPending ? (
        <Loading label="Loading trades…" />
      ) : noTradesAtAll ? (
        <NoTradesYet />
      ) : total === 0 ? (
        <div className="empty-state" data-testid="trades-empty-filtered">
          <div className="empty-title">No trades match these filters</div>
          <p>Widen the date range, choose another account, tag or status, or clear the search.</p>
          <div className="empty-actions">
            <button
              type="button"
              className="btn"
              onClick={() => {
                setFilter(emptyFilter);
                setSearch("");
              }}
            >
              Clear filters and search
            </button>
          </div>
        </div>
      ) : (
        <TradeTable
          key={JSON.stringify([query, sort])}
          count={total}
          rowAt={rowAt}
          onVisibleRange={onVisibleRange}
          accounts={accounts.data ?? []}
          sort={sort}
          onSort={onSort}
          isSelected={isSelected}
          allSelected={allSelected}
          someSelected={selectedCount > 0 && !allSelected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onOpen={openRow}
        />
      )}

      {confirmDelete && (
        <Dialog
          title={`Delete ${formatInteger(selectedCount)} ${selectedCount === 1 ? "trade" : "trades"}?`}
          onClose={() => !deleteTrades.isPending && setConfirmDelete(false)}
          testId="delete-confirm"
          actions={
            <>
              <button type="button" className="btn" onClick={() => setConfirmDelete(false)} disabled={deleteTrades.isPending} data-testid="delete-cancel">
                Keep them
              </button>
              <button type="button" className="btn btn-danger" onClick={doDelete} disabled={deleteTrades.isPending} data-testid="delete-confirm-button">
                {deleteTrades.isPending ? "Deleting…" : "Delete trades and their fills"}
              </button>
            </>
          }
        >
          <p>
            This deletes the fills behind the selected trades, with their notes and tags. Re-importing the broker file brings the fills back (without the notes).
          </p>
          {deleteTrades.isPending && <div className="progress progress-indeterminate"><div className="progress-fill" /></div>}
          {deleteTrades.isError && <ErrorNotice error={deleteTrades.error} title="Nothing was deleted" />}
        </Dialog>
      )}
    </div>
  );
}
