import { useEffect, useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { accountsQuery, emptyFilter, journalNotesQuery, statsQuery, tradesQuery, useSaveJournalNote, type DailyPnl, type TradeFilter } from "../../lib/ipc";
import { formatMoney, formatMoneyCompact, formatPrice, formatQty, formatShortDateTime, isoDate, pnlClass, sumDecimals } from "../../lib/format";
import { useOpenTrade } from "../../lib/nav";
import { PageHeader } from "../../components/PageHeader";
import { AccountFilter, currencyOf } from "../../components/FilterControls";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { MarkdownEditor } from "../../components/MarkdownEditor";
import { isRebate, Money } from "../../components/Money";
import { SideBadge } from "../trades/SideBadge";
import { TagChips } from "../trades/columns";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const pad2 = (n: number) => String(n).padStart(2, "0");

type Month = { y: number; m: number };
const monthOfDay = (day: string): Month => ({ y: Number(day.slice(0, 4)), m: Number(day.slice(5, 7)) - 1 });
const shift = ({ y, m }: Month, by: number): Month => {
  const t = y * 12 + m + by;
  return { y: Math.floor(t / 12), m: ((t % 12) + 12) % 12 };
};
const lastDayOf = ({ y, m }: Month) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** A note per trading day, next to the day's P&L and trades. */
export function JournalPage() {
  const [accountId, setAccountId] = useState<string | null>(null);
  const accounts = useQuery(accountsQuery());
  const filter = useMemo<TradeFilter>(() => ({ ...emptyFilter, account_id: accountId }), [accountId]);
  const stats = useQuery({ ...statsQuery(filter), placeholderData: keepPreviousData });
  const currency = currencyOf(accounts.data, accountId);
  const days = stats.data?.daily_pnl;
  const latest = useMemo(() => (days ?? []).reduce<string | null>((max, d) => (max == null || d.day > max ? d.day : max), null), [days]);

  const [day, setDay] = useState<string | null>(null);
  const [month, setMonth] = useState<Month | null>(null);
  // Opens on the latest trading day (or today) once the days are known.
  useEffect(() => {
    if (day == null && stats.data) {
      const start = latest ?? isoDate(new Date());
      setDay(start);
      setMonth(monthOfDay(start));
    }
  }, [day, latest, stats.data]);

  const byDay = useMemo(() => new Map((days ?? []).map((d) => [d.day, d])), [days]);
  const tradingDays = useMemo(() => [...byDay.keys()].sort(), [byDay]);

  const m = month ?? monthOfDay(isoDate(new Date()));
  const monthFrom = `${m.y}-${pad2(m.m + 1)}-01`;
  const monthTo = `${m.y}-${pad2(m.m + 1)}-${pad2(lastDayOf(m))}`;
  const notes = useQuery({ ...journalNotesQuery(monthFrom, monthTo), placeholderData: keepPreviousData });
  const notedDays = useMemo(() => new Set((notes.data ?? []).filter((n) => n.notes.trim()).map((n) => n.day)), [notes.data]);

  const pick = (d: string) => {
    setDay(d);
    setMonth(monthOfDay(d));
  };
  const stepTradingDay = (dir: 1 | -1) => {
    if (!day) return;
    const next = dir > 0 ? tradingDays.find((d) => d > day) : [...tradingDays].reverse().find((d) => d < day);
    if (next) pick(next);
  };

  return (
    <div className="page" data-testid="page-journal">
      <PageHeader title="Journal" subtitle="A note for each trading day: plan, mood, what went right and wrong.">
        <label className="sr-only" htmlFor="journal-account">
          Account
        </label>
        <AccountFilter id="journal-account" testId="journal-account" accounts={(accounts.data ?? []).filter((a) => !a.archived)} value={accountId} onChange={setAccountId} />
      </PageHeader>
      {stats.isError && <ErrorNotice error={stats.error} title="Could not load the trading days" onRetry={() => void stats.refetch()} />}
      {stats.isPending ? (
        <Loading />
      ) : (
        <div className="journal-layout">
          <section className="card">
            <MonthGrid
              month={m}
              onMonth={setMonth}
              byDay={byDay}
              notedDays={notedDays}
              selected={day}
              onPick={pick}
              currency={currency}
            />
            <div className="journal-legend muted small">
              <span className="note-dot" /> has a note · click a day to open it · {tradingDays.length} trading {tradingDays.length === 1 ? "day" : "days"} in total
            </div>
            {tradingDays.length === 0 && (
              <div className="muted pad">No trading days yet: import a broker export to see your days here. You can still write a note for any day.</div>
            )}
          </section>
          {day && (
            <DayPanel
              key={day}
              day={day}
              pnl={byDay.get(day)}
              accountId={accountId}
              currency={currency}
              onPrev={tradingDays.some((d) => d < day) ? () => stepTradingDay(-1) : undefined}
              onNext={tradingDays.some((d) => d > day) ? () => stepTradingDay(1) : undefined}
            />
          )}
        </div>
      )}
    </div>
  );
}

type GridProps = {
  month: Month;
  onMonth: (m: Month) => void;
  byDay: Map<string, DailyPnl>;
  notedDays: Set<string>;
  selected: string | null;
  onPick: (day: string) => void;
  currency: string | null;
};

function MonthGrid({ month, onMonth, byDay, notedDays, selected, onPick, currency }: GridProps) {
  const first = new Date(Date.UTC(month.y, month.m, 1));
  const offset = (first.getUTCDay() + 6) % 7;
  const dim = lastDayOf(month);
  const cells: (string | null)[] = [];
  for (let i = 0; i < offset; i++) cells.push(null);
  for (let d = 1; d <= dim; d++) cells.push(`${month.y}-${pad2(month.m + 1)}-${pad2(d)}`);
  while (cells.length % 7 !== 0) cells.push(null);
  const inMonth = cells.flatMap((c) => (c && byDay.get(c) ? [byDay.get(c)!] : []));
  const monthNet = inMonth.length ? sumDecimals(inMonth.map((d) => d.net_pnl)) : null;
  return (
    <div className="journal-cal" data-testid="journal-calendar">
      <div className="calendar-head">
        <button type="button" className="btn btn-icon" aria-label="Previous month" onClick={() => onMonth(shift(month, -1))} data-testid="journal-prev-month">
          ‹
        </button>
        <div className="calendar-title" data-testid="journal-month">
          {MONTHS[month.m]} {month.y}
        </div>
        <button type="button" className="btn btn-icon" aria-label="Next month" onClick={() => onMonth(shift(month, 1))} data-testid="journal-next-month">
          ›
        </button>
        <div className="calendar-summary">
          {monthNet != null ? (
            <span className={`num strong ${pnlClass(monthNet)}`}>{formatMoney(monthNet, { currency })}</span>
          ) : (
            <span className="muted">No trades this month</span>
          )}
        </div>
      </div>
      <div className="jgrid">
        {WEEKDAYS.map((w) => (
          <div key={w} className="jgrid-head">
            {w}
          </div>
        ))}
        {cells.map((c, i) => {
          if (!c) return <div key={i} className="jcell jcell-blank" />;
          const d = byDay.get(c);
          const cls = d ? pnlClass(d.net_pnl) : "";
          return (
            <button
              key={c}
              type="button"
              className={`jcell${d ? " jcell-has " + cls : ""}${selected === c ? " jcell-selected" : ""}`}
              onClick={() => onPick(c)}
              data-testid="journal-day"
              data-day={c}
              data-value={d?.net_pnl ?? ""}
              title={d ? `${c}: ${d.trades} trades, net ${formatMoney(d.net_pnl, { currency })}` : c}
            >
              <span className="jcell-day">
                {Number(c.slice(8))}
                {notedDays.has(c) && <span className="note-dot" aria-label="has a note" />}
              </span>
              {d && <span className="jcell-amount num">{formatMoneyCompact(d.net_pnl, currency)}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

type DayProps = {
  day: string;
  pnl: DailyPnl | undefined;
  accountId: string | null;
  currency: string | null;
  onPrev?: () => void;
  onNext?: () => void;
};

function DayPanel({ day, pnl, accountId, currency, onPrev, onNext }: DayProps) {
  const openTrade = useOpenTrade();
  const note = useQuery(journalNotesQuery(day, day));
  const trades = useQuery(tradesQuery({ ...emptyFilter, account_id: accountId, from: day, to: day }));
  const save = useSaveJournalNote();
  const stored = note.data?.[0]?.notes ?? "";
  const [text, setText] = useState<string | null>(null);
  const value = text ?? stored;
  const dirty = text != null && text !== stored;
  const weekday = WEEKDAYS[(new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7];

  const submit = () =>
    save.mutate(
      { day, notes: value },
      { onSuccess: () => setText(null) },
    );

  return (
    <div className="journal-day" data-testid="journal-day-panel" data-day={day}>
      <section className="card">
        <div className="card-head">
          <button type="button" className="btn btn-icon" aria-label="Previous trading day" disabled={!onPrev} onClick={onPrev} data-testid="journal-prev-day">
            ‹
          </button>
          <h2 className="journal-day-title" data-testid="journal-day-title">
            {weekday} {day}
          </h2>
          <button type="button" className="btn btn-icon" aria-label="Next trading day" disabled={!onNext} onClick={onNext} data-testid="journal-next-day">
            ›
          </button>
          <span className="journal-day-pnl" data-testid="journal-day-net" data-value={pnl?.net_pnl ?? ""}>
            {pnl ? (
              <>
                <Money value={pnl.net_pnl} currency={currency} pnl signed /> <span className="muted">· {pnl.trades} {pnl.trades === 1 ? "trade" : "trades"} · {isRebate(pnl.fees) ? `rebate ${formatMoney(pnl.fees.trim().slice(1), { currency })}` : `fees ${formatMoney(pnl.fees, { currency })}`}</span>
              </>
            ) : (
              <span className="muted">no closed trades</span>
            )}
          </span>
        </div>
        {note.isError ? (
          <ErrorNotice error={note.error} title="Could not load the note" onRetry={() => void note.refetch()} />
        ) : note.isPending ? (
          <Loading />
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
            onKeyDown={(e) => {
              if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
                e.preventDefault();
                submit();
              }
            }}
          >
            <MarkdownEditor id="journal-note" value={value} onChange={setText} placeholder="Plan for the day, market conditions, how you felt, lessons…" testId="journal-note" rows={10} />
            {save.isError && <ErrorNotice error={save.error} title="The note was not saved" />}
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="journal-save">
                {save.isPending ? "Saving…" : "Save note"}
              </button>
              {dirty && (
                <button type="button" className="btn btn-ghost" onClick={() => setText(null)}>
                  Discard changes
                </button>
              )}
              {save.isSuccess && !dirty && (
                <span className="muted" role="status" data-testid="journal-saved">
                  {save.data == null ? "Note removed (it was empty)." : "Saved."}
                </span>
              )}
              <span className="muted small form-actions-hint">Ctrl+Enter saves · an empty note is deleted</span>
            </div>
          </form>
        )}
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Trades of the day</h2>
        </div>
        {trades.isError ? (
          <ErrorNotice error={trades.error} title="Could not load the day's trades" onRetry={() => void trades.refetch()} />
        ) : !trades.data ? (
          <Loading />
        ) : trades.data.length === 0 ? (
          <div className="muted pad">No trades on this day.</div>
        ) : (
          <div className="table-wrap">
            <table className="table table-compact" data-testid="journal-trades">
              <thead>
                <tr>
                  <th>Closed</th>
                  <th>Symbol</th>
                  <th>Side</th>
                  <th className="r">Qty</th>
                  <th>Tags</th>
                  <th className="r">Net</th>
                </tr>
              </thead>
              <tbody>
                {trades.data.map((t) => (
                  <tr key={t.id} className="row-link" onClick={() => openTrade(t.id)} data-testid="journal-trade-row" data-trade-id={t.id}>
                    <td className="num nowrap">{t.closed_at ? formatShortDateTime(t.closed_at) : <span className="badge">open</span>}</td>
                    <td className="strong" title={`${formatPrice(t.entry_price)} → ${formatPrice(t.exit_price)}`}>{t.symbol}</td>
                    <td>
                      <SideBadge direction={t.direction} />
                    </td>
                    <td className="r num">{formatQty(t.quantity)}</td>
                    <td>
                      <TagChips trade={t} />
                    </td>
                    <td className="r">{t.status === "closed" ? <Money value={t.net_pnl} currency={currency} pnl /> : <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
