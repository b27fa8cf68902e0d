import { useMemo, useRef, type MouseEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Account, Trade } from "../../lib/ipc";
import { COLUMNS, type Sort, type SortKey } from "./columns";

/** Above this many rows only the rows in view are rendered. */
const VIRTUALIZE_ABOVE = 400;
const ROW_HEIGHT = 30;

type Props = {
  trades: Trade[];
  accounts: Account[];
  sort: Sort;
  onSort: (key: SortKey) => void;
  selected: ReadonlySet<string>;
  /** Checkbox toggled at `index`; `range` when Shift was held. */
  onToggle: (index: number, range: boolean) => void;
  onToggleAll: () => void;
  onOpen: (trade: Trade) => void;
};

export function TradeTable({ trades, accounts, sort, onSort, selected, onToggle, onToggleAll, onOpen }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = trades.length > VIRTUALIZE_ABOVE;
  const virtualizer = useVirtualizer({
    count: trades.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    enabled: virtual,
  });
  const currencyById = new Map(accounts.map((a) => [a.id, a.currency]));

  const items = virtual ? virtualizer.getVirtualItems() : null;
  const rows = items ? items.map((v) => ({ trade: trades[v.index]!, index: v.index })) : trades.map((trade, index) => ({ trade, index }));
  const padTop = items && items.length > 0 ? items[0]!.start : 0;
  const padBottom = items && items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  // Once per selection change, not on every scroll frame.
  const allSelected = useMemo(() => trades.length > 0 && selected.size >= trades.length && trades.every((t) => selected.has(t.id)), [trades, selected]);
  const someSelected = selected.size > 0 && !allSelected;
  const span = COLUMNS.length + 1;

  const onRowClick = (e: MouseEvent, trade: Trade, index: number) => {
    // Ctrl/Cmd- or Shift-click selects instead of opening.
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      e.preventDefault();
      onToggle(index, e.shiftKey);
      return;
    }
    onOpen(trade);
  };

  return (
    <div className="table-scroll" ref={scrollRef}>
      <table className="table trade-table" data-testid="trades-table">
        <colgroup>
          <col style={{ width: 28 }} />
          {COLUMNS.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th className="check-cell">
              <input
                type="checkbox"
                aria-label="Select all trades in the list"
                checked={allSelected}
                ref={(el) => {
                  if (el) el.indeterminate = someSelected;
                }}
                onChange={onToggleAll}
                data-testid="trades-select-all"
              />
            </th>
            {COLUMNS.map((c) => {
              const active = sort.key === c.key;
              return (
                <th
                  key={c.key}
                  className={c.numeric ? "r" : undefined}
                  aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
                >
                  <button type="button" className={`th-sort${active ? " active" : ""}`} onClick={() => onSort(c.key)} data-testid={`sort-${c.key}`}>
                    {c.label}
                    <span className="sort-arrow" aria-hidden="true">
                      {active ? (sort.dir === "asc" ? "▲" : "▼") : ""}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={span} style={{ height: padTop }} />
            </tr>
          )}
          {rows.map(({ trade, index }) => {
            const currency = currencyById.get(trade.account_id) ?? null;
            const isSelected = selected.has(trade.id);
            const cls = [trade.status === "closed" ? "" : `row-${trade.status}`, isSelected ? "row-selected" : "", "row-link"].filter(Boolean).join(" ");
            return (
              <tr
                key={trade.id}
                data-testid="trade-row"
                data-trade-id={trade.id}
                data-index={index}
                data-selected={isSelected ? "true" : "false"}
                className={cls}
                onClick={(e) => onRowClick(e, trade, index)}
              >
                <td className="check-cell" onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${trade.symbol} trade`}
                    checked={isSelected}
                    onChange={() => {}}
                    onClick={(e) => onToggle(index, e.shiftKey)}
                    data-testid="trade-select"
                  />
                </td>
                {COLUMNS.map((c) => (
                  <td key={c.key} className={c.numeric ? "r num" : c.key === "opened" || c.key === "closed" || c.key === "day" ? "num nowrap" : "nowrap"}>
                    {c.render(trade, currency)}
                  </td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={span} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
