import { useEffect, useRef, type MouseEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Account, Trade, TradeSort } from "../../lib/ipc";
import { COLUMNS, type Sort } from "./columns";

/** Up to this many rows every row is rendered; above it, only the rows in view. */
export const VIRTUALIZE_ABOVE = 400;
const ROW_HEIGHT = 30;
const OVERSCAN = 20;

type Props = {
  /** Rows in the whole list (all pages). */
  count: number;
  /** The trade at `index`, or undefined while its page loads. */
  rowAt: (index: number) => Trade | undefined;
  /** Told which rows are in view (first and last index), so their pages load. */
  onVisibleRange: (first: number, last: number) => void;
  accounts: Account[];
  sort: Sort;
  onSort: (key: TradeSort) => void;
  isSelected: (id: string) => boolean;
  /** Every row selected / some but not all. */
  allSelected: boolean;
  someSelected: boolean;
  /** Checkbox toggled at `index`; `range` when Shift was held. */
  onToggle: (index: number, trade: Trade, range: boolean) => void;
  onToggleAll: () => void;
  onOpen: (trade: Trade) => void;
};

/**
 * The Trades table over a list of any length: it renders the rows in view (all of them up
 * to {@link VIRTUALIZE_ABOVE}) and asks for the pages they fall in; a row whose page is
 * still loading shows as a placeholder of the same height.
 */
export function TradeTable({ count, rowAt, onVisibleRange, accounts, sort, onSort, isSelected, allSelected, someSelected, onToggle, onToggleAll, onOpen }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = count > VIRTUALIZE_ABOVE;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    enabled: virtual,
  });
  const currencyById = new Map(accounts.map((a) => [a.id, a.currency]));

  const items = virtual ? virtualizer.getVirtualItems() : null;
  const indexes = items ? items.map((v) => v.index) : Array.from({ length: count }, (_, i) => i);
  const first = indexes.length > 0 ? indexes[0]! : 0;
  const last = indexes.length > 0 ? indexes[indexes.length - 1]! : -1;
  useEffect(() => {
    if (last >= first) onVisibleRange(first, last);
  }, [first, last, onVisibleRange]);

  const padTop = items && items.length > 0 ? items[0]!.start : 0;
  const padBottom = items && items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const span = COLUMNS.length + 1;

  const onRowClick = (e: MouseEvent, trade: Trade, index: number) => {
    // Ctrl/Cmd- or Shift-click selects instead of opening.
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      e.preventDefault();
      onToggle(index, trade, e.shiftKey);
      return;
    }
    onOpen(trade);
  };

  return (
    <div className="table-scroll" ref={scrollRef} data-testid="trades-scroll">
      <table className="table trade-table" data-testid="trades-table" data-count={count}>
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
          {indexes.map((index) => {
            const trade = rowAt(index);
            if (!trade) {
              return (
                <tr key={`loading-${index}`} className="row-loading" data-testid="trade-row-loading" data-index={index} aria-busy="true">
                  <td colSpan={span} style={{ height: ROW_HEIGHT }} />
                </tr>
              );
            }
            const currency = currencyById.get(trade.account_id) ?? null;
            const selected = isSelected(trade.id);
            const cls = [trade.status === "closed" ? "" : `row-${trade.status}`, selected ? "row-selected" : "", "row-link"].filter(Boolean).join(" ");
            return (
              <tr
                key={trade.id}
                data-testid="trade-row"
                data-trade-id={trade.id}
                data-index={index}
                data-selected={selected ? "true" : "false"}
                className={cls}
                onClick={(e) => onRowClick(e, trade, index)}
              >
                <td className="check-cell" onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${trade.symbol} trade`}
                    checked={selected}
                    onChange={() => {}}
                    onClick={(e) => onToggle(index, trade, e.shiftKey)}
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
