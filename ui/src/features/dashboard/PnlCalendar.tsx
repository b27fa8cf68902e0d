import { useEffect, useMemo, useState } from "react";
import type { DailyPnl } from "../../lib/ipc";
import { formatMoney, formatMoneyCompact, pnlClass, sumDecimals } from "../../lib/format";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

type Month = { y: number; m: number }; // m: 0–11

const pad2 = (n: number) => String(n).padStart(2, "0");
const dayKey = (y: number, m: number, d: number) => `${y}-${pad2(m + 1)}-${pad2(d)}`;

function monthOf(day: string | null): Month {
  if (day && /^\d{4}-\d{2}/.test(day)) return { y: Number(day.slice(0, 4)), m: Number(day.slice(5, 7)) - 1 };
  const now = new Date();
  return { y: now.getFullYear(), m: now.getMonth() };
}

function shift({ y, m }: Month, by: number): Month {
  const t = y * 12 + m + by;
  return { y: Math.floor(t / 12), m: ((t % 12) + 12) % 12 };
}


type Cell = { key: string; day: number; data: DailyPnl | undefined } | null;

/** Daily net P&L for one month (Mon–Sun), coloured by intensity, with week totals. */
export function PnlCalendar({ days, currency }: { days: DailyPnl[]; currency: string | null }) {
  const byDay = useMemo(() => new Map(days.map((d) => [d.day, d])), [days]);
  const latest = useMemo(() => days.reduce<string | null>((max, d) => (max == null || d.day > max ? d.day : max), null), [days]);
  const [month, setMonth] = useState<Month>(() => monthOf(latest));

  // Opens on the month of the latest trading day whenever the data changes.
  useEffect(() => setMonth(monthOf(latest)), [latest]);

  const { weeks, monthNet, monthTrades, monthDays, maxAbs } = useMemo(() => {
    const first = new Date(Date.UTC(month.y, month.m, 1));
    const offset = (first.getUTCDay() + 6) % 7;
    const dim = new Date(Date.UTC(month.y, month.m + 1, 0)).getUTCDate();
    const cells: Cell[] = [];
    for (let i = 0; i < offset; i++) cells.push(null);
    for (let d = 1; d <= dim; d++) {
      const key = dayKey(month.y, month.m, d);
      cells.push({ key, day: d, data: byDay.get(key) });
    }
    while (cells.length % 7 !== 0) cells.push(null);
    const weeks: Cell[][] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    const inMonth = cells.flatMap((c) => (c?.data ? [c.data] : []));
    // Float only to scale colour intensity, never for displayed amounts.
    const maxAbs = inMonth.reduce((m, d) => Math.max(m, Math.abs(Number(d.net_pnl)) || 0), 0);
    return {
      weeks,
      monthNet: sumDecimals(inMonth.map((d) => d.net_pnl)),
      monthTrades: inMonth.reduce((n, d) => n + d.trades, 0),
      monthDays: inMonth.length,
      maxAbs,
    };
  }, [month, byDay]);

  return (
    <div className="calendar" data-testid="pnl-calendar">
      <div className="calendar-head">
        <button type="button" className="btn btn-icon" aria-label="Previous month" onClick={() => setMonth((m) => shift(m, -1))}>
          ‹
        </button>
        <div className="calendar-title">
          {MONTHS[month.m]} {month.y}
        </div>
        <button type="button" className="btn btn-icon" aria-label="Next month" onClick={() => setMonth((m) => shift(m, 1))}>
          ›
        </button>
        <div className="calendar-summary">
          {monthDays > 0 ? (
            <>
              <span className={`num ${pnlClass(monthNet)}`}>{formatMoney(monthNet, { currency })}</span>
              <span className="muted">
                {" "}· {monthTrades} {monthTrades === 1 ? "trade" : "trades"} · {monthDays} {monthDays === 1 ? "day" : "days"}
              </span>
            </>
          ) : (
            <span className="muted">No trades this month</span>
          )}
        </div>
      </div>
      <table className="calendar-grid">
        <thead>
          <tr>
            {WEEKDAYS.map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
            <th scope="col" className="calendar-week">
              Week
            </th>
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, wi) => {
            const data = week.flatMap((c) => (c?.data ? [c.data] : []));
            const weekNet = data.length ? sumDecimals(data.map((d) => d.net_pnl)) : null;
            return (
              <tr key={wi}>
                {week.map((cell, ci) => {
                  if (!cell) return <td key={ci} className="cal-cell cal-blank" />;
                  const d = cell.data;
                  const cls = d ? pnlClass(d.net_pnl) : "";
                  const strength = d && maxAbs > 0 ? Math.abs(Number(d.net_pnl)) / maxAbs : 0;
                  const pct = d ? Math.round(12 + 48 * strength) : 0;
                  const style =
                    d && cls !== "zero"
                      ? { background: `color-mix(in srgb, var(--${cls}) ${pct}%, var(--surface))` }
                      : undefined;
                  return (
                    <td
                      key={ci}
                      className={`cal-cell${d ? " cal-has " + cls : ""}`}
                      style={style}
                      data-day={cell.key}
                      data-value={d?.net_pnl}
                      title={d ? `${cell.key}: net ${formatMoney(d.net_pnl, { currency })}, gross ${formatMoney(d.gross_pnl, { currency })}, fees ${formatMoney(d.fees, { currency })}` : cell.key}
                    >
                      <div className="cal-day">{cell.day}</div>
                      {d && (
                        <>
                          <div className="cal-amount num">{formatMoneyCompact(d.net_pnl, currency)}</div>
                          <div className="cal-trades">
                            {d.trades} {d.trades === 1 ? "trade" : "trades"}
                          </div>
                        </>
                      )}
                    </td>
                  );
                })}
                <td className="cal-cell calendar-week" title={weekNet != null ? `Week: ${formatMoney(weekNet, { currency })}` : undefined}>
                  {weekNet != null && <div className={`cal-amount num ${pnlClass(weekNet)}`}>{formatMoneyCompact(weekNet, currency)}</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
