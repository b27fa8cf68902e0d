import { useEffect, useMemo, useRef, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { accountsQuery, emptyFilter, labelsQuery, tradesQuery, useDeleteTrades, useTagTrades, type Trade, type TradeFilter } from "../../lib/ipc";
import { formatInteger, formatMoney, pnlClass, sumDecimals } from "../../lib/format";
import { useDebounced } from "../../lib/hooks";
import { isTypingTarget } from "../../lib/keys";
import { useNavigate, useOpenTrade } from "../../lib/nav";
import { PageHeader } from "../../components/PageHeader";
import { currencyOf } from "../../components/FilterControls";
import { TradeFilterBar } from "../../components/TradeFilterBar";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { NoTradesYet } from "../../components/EmptyState";
import { Dialog } from "../../components/Dialog";
import { TradeTable } from "./TradeTable";
import { sortTrades, type Sort, type SortKey } from "./columns";

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
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [bulkTag, setBulkTag] = useState("");
  const [bulkDone, setBulkDone] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const debouncedSearch = useDebounced(search.trim(), 200);

  const query = useMemo<TradeFilter>(() => ({ ...filter, search: debouncedSearch || null }), [filter, debouncedSearch]);
  const accounts = useQuery(accountsQuery());
  const labels = useQuery(labelsQuery());
  const trades = useQuery({ ...tradesQuery(query), placeholderData: keepPreviousData });
  const tagTrades = useTagTrades();
  const deleteTrades = useDeleteTrades();

  const rows = useMemo(() => sortTrades(trades.data ?? [], sort), [trades.data, sort]);
  const totalNet = useMemo(() => sumDecimals(rows.map((t) => t.net_pnl)), [rows]);
  // Only trades still in the list count as selected (a filter may hide some).
  const selectedIds = useMemo(() => (selected.size === 0 ? [] : rows.filter((t) => selected.has(t.id)).map((t) => t.id)), [rows, selected]);
  const currency = currencyOf(accounts.data, filter.account_id);
  const noTradesAtAll = accounts.data?.every((a) => a.trade_count === 0) && (trades.data?.length ?? 0) === 0;

  useEffect(() => {
    if (searchToken > 0) {
      searchRef.current?.focus();
      searchRef.current?.select();
    }
  }, [searchToken]);

  const toggle = (index: number, range: boolean) => {
    const trade = rows[index];
    if (!trade) return;
    setSelected((prev) => {
      const next = new Set(prev);
      if (range && anchor != null) {
        const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
        const on = !prev.has(trade.id) || prev.has(rows[anchor]?.id ?? "");
        for (let i = a; i <= b; i++) {
          const id = rows[i]!.id;
          if (on) next.add(id);
          else next.delete(id);
        }
      } else if (next.has(trade.id)) next.delete(trade.id);
      else next.add(trade.id);
      return next;
    });
    setAnchor(index);
    setBulkDone(null);
  };
  const selectAll = () => setSelected(new Set(rows.map((t) => t.id)));
  const clearSelection = () => {
    setSelected(new Set());
    setAnchor(null);
  };
  const toggleAll = () => (selectedIds.length === rows.length && rows.length > 0 ? clearSelection() : selectAll());

  // Ctrl/Cmd+A selects every trade in the list; Delete asks to delete the selection; Esc clears it.
  const keyState = useRef({ selectAll, clearSelection, count: selectedIds.length, active, confirmDelete });
  keyState.current = { selectAll, clearSelection, count: selectedIds.length, active, confirmDelete };
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

  const onSort = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: key === "symbol" || key === "account" || key === "side" || key === "tags" ? "asc" : "desc" }));

  const applyTag = (remove: boolean) => {
    const tag = bulkTag.trim();
    if (!tag || selectedIds.length === 0) return;
    setBulkDone(null);
    tagTrades.mutate(
      { ids: selectedIds, tag, remove },
      { onSuccess: (n) => setBulkDone(`${remove ? "Removed" : "Added"} “${tag}” ${remove ? "from" : "to"} ${formatInteger(n)} ${n === 1 ? "trade" : "trades"}.`) },
    );
  };

  const doDelete = () =>
    deleteTrades.mutate(selectedIds, {
      onSuccess: (fills) => {
        setConfirmDelete(false);
        clearSelection();
        setBulkDone(`Deleted ${formatInteger(selectedIds.length)} ${selectedIds.length === 1 ? "trade" : "trades"} (${formatInteger(fills)} fills).`);
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
          <div className="totals" data-testid="trades-total" data-value={totalNet} data-count={rows.length}>
            <span className="muted">{formatInteger(rows.length)} trades · net </span>
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

      {selectedIds.length === 0 ? (
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
          <span className="strong" data-testid="bulk-count" data-value={selectedIds.length}>
            {formatInteger(selectedIds.length)} selected
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

      {trades.isError ? (
        <ErrorNotice error={trades.error} title="Could not load trades" onRetry={() => void trades.refetch()} />
      ) : trades.isPending ? (
        <Loading label="Loading trades…" />
      ) : noTradesAtAll ? (
        <NoTradesYet />
      ) : rows.length === 0 ? (
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
          trades={rows}
          accounts={accounts.data ?? []}
          sort={sort}
          onSort={onSort}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onOpen={openRow}
        />
      )}

      {confirmDelete && (
        <Dialog
          title={`Delete ${formatInteger(selectedIds.length)} ${selectedIds.length === 1 ? "trade" : "trades"}?`}
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
