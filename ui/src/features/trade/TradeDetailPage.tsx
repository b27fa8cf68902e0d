import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  accountsQuery,
  emptyFilter,
  tradeDetailQuery,
  tradesQuery,
  useResolveIncomplete,
  useSplitStrategy,
  type StrategyView,
  type Trade,
} from "../../lib/ipc";
import { strategyLabel } from "../../lib/strategies";
import { useOpenTrade } from "../../lib/nav";
import { ASSET_CLASS_LABELS, formatDateTime, formatDecimal, formatDuration, formatPrice, formatQty, pnlClass } from "../../lib/format";
import { isTypingTarget } from "../../lib/keys";
import { Fees, Money } from "../../components/Money";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { asAppError, fieldError } from "../../components/errors";
import { SideBadge } from "../trades/SideBadge";
import { FillChart } from "./FillChart";
import { FillsTable } from "./FillsTable";
import { AnnotationForm } from "./AnnotationForm";
import { Screenshots } from "./Screenshots";

const STATUS_LABEL = { closed: "Closed", open: "Open", incomplete: "Opening unknown" } as const;

/** One trade: header figures, a chart of its fills, the fills (editable), notes and screenshots. */
export function TradeDetailPage({ tradeId, onBack }: { tradeId: string; onBack: () => void }) {
  const detail = useQuery(tradeDetailQuery(tradeId));
  const accounts = useQuery(accountsQuery());
  const currency = accounts.data?.find((a) => a.id === detail.data?.trade.account_id)?.currency ?? null;
  const openTrade = useOpenTrade();

  // A trade's id comes from its opening fill: resolving an incomplete trade or editing
  // fills can rebuild it under a new id. Follow it to the trade with the same close.
  const last = useRef<Trade | null>(null);
  if (detail.data) last.current = detail.data.trade;
  const gone = detail.isError && asAppError(detail.error).kind === "NotFound" && last.current?.id === tradeId;
  const prev = last.current;
  const successors = useQuery({
    // Only the position's trades of that trading day (or its open ones): never the whole journal.
    ...tradesQuery({
      ...emptyFilter,
      account_id: prev?.account_id ?? null,
      symbol: prev?.symbol ?? null,
      from: prev?.trading_day ?? null,
      to: prev?.trading_day ?? null,
      status: prev != null && prev.closed_at == null ? "open" : null,
    }),
    enabled: gone && prev != null,
  });
  useEffect(() => {
    if (!gone || !prev || !successors.data) return;
    const next =
      successors.data.find((t) => prev.closed_at != null && t.closed_at === prev.closed_at) ??
      successors.data.find((t) => prev.closed_at == null && t.closed_at == null);
    if (next && next.id !== tradeId) openTrade(next.id);
  }, [gone, prev, successors.data, tradeId, openTrade]);

  // Esc (outside fields and dialogs) goes back.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented && !isTypingTarget(e.target) && !document.querySelector(".dialog")) onBack();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onBack]);

  const back = (
    <button type="button" className="btn btn-small" onClick={onBack} data-testid="trade-back">
      ← Back <kbd>Esc</kbd>
    </button>
  );

  if (detail.isPending) return <div className="page" data-testid="page-trade">{back}<Loading label="Loading trade…" /></div>;
  if (detail.isError) {
    const gone = asAppError(detail.error).kind === "NotFound";
    return (
      <div className="page" data-testid="page-trade">
        {back}
        <ErrorNotice
          error={detail.error}
          title={gone ? "This trade no longer exists" : "Could not load the trade"}
          onRetry={gone ? undefined : () => void detail.refetch()}
        >
          {gone && <div className="notice-advice">Its fills were edited or deleted, so the round trip was rebuilt under another id. Go back and open it from the list.</div>}
        </ErrorNotice>
      </div>
    );
  }
  const d = detail.data;
  const t = d.trade;
  return (
    <div className="page" data-testid="page-trade" data-trade-id={t.id}>
      <div className="detail-top">{back}</div>
      <TradeHeader trade={t} currency={currency} rMultiple={d.r_multiple} />
      {t.status === "incomplete" && <ResolveForm trade={t} />}
      {d.strategy && <StrategyCard strategy={d.strategy} tradeId={t.id} currency={currency} />}
      <section className="card">
        <div className="card-head">
          <h2>Entries and exits</h2>
          <span className="muted">
            <span className="pos">▲ buys</span> · <span className="neg">▼ sells</span> · times in this computer's zone
          </span>
        </div>
        <FillChart fills={d.fills} plannedStop={d.annotation.planned_stop} />
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Fills</h2>
          <span className="muted">fills are the source of truth: editing one rebuilds the round trips</span>
        </div>
        <FillsTable fills={d.fills} currency={currency} />
      </section>
      <AnnotationForm detail={d} currency={currency} />
      <Screenshots tradeId={t.id} screenshots={d.annotation.screenshots} />
    </div>
  );
}

/**
 * The multi-leg strategy this trade is a leg of: its kind, its legs' summed P&L (what the
 * statistics count, as one trade), the other legs to open, and Split, which gives the legs
 * back as trades of their own.
 */
function StrategyCard({ strategy: s, tradeId, currency }: { strategy: StrategyView; tradeId: string; currency: string | null }) {
  const openTrade = useOpenTrade();
  const split = useSplitStrategy();
  return (
    <section className="card" data-testid="trade-strategy-card" data-kind={s.kind} data-net={s.net_pnl}>
      <div className="card-head">
        <h2>
          {strategyLabel(s.kind)} on {s.underlying}
        </h2>
        <span className="muted">
          {s.legs.length} legs · {s.source === "user" ? "grouped by you" : "opened together"} · counted as one trade in the statistics
        </span>
      </div>
      <p>
        Net P&amp;L of the strategy <Money value={s.net_pnl} currency={currency} pnl signed /> (gross <Money value={s.gross_pnl} currency={currency} pnl />, fees{" "}
        <Fees value={s.fees} currency={currency} />) · {STATUS_LABEL[s.status]}
        {s.rolled_from && <span className="muted"> · rolled from an earlier strategy</span>}
      </p>
      <div className="toolbar">
        {s.legs
          .filter((id) => id !== tradeId)
          .map((id, i) => (
            <button key={id} type="button" className="btn btn-small" onClick={() => openTrade(id)} data-testid="strategy-leg">
              Other leg {i + 1} →
            </button>
          ))}
        <button
          type="button"
          className="btn btn-small btn-ghost"
          disabled={split.isPending}
          onClick={() => split.mutate(s.id)}
          data-testid="strategy-split"
          title="Count the legs as separate trades again (they will not be grouped automatically again)"
        >
          Split into {s.legs.length} trades
        </button>
      </div>
      {split.isError && <ErrorNotice error={split.error} title="The strategy was not split" />}
    </section>
  );
}

function TradeHeader({ trade: t, currency, rMultiple }: { trade: Trade; currency: string | null; rMultiple: string | null }) {
  return (
    <header className="card trade-header" data-testid="trade-header">
      <div className="trade-title">
        <h1 data-testid="trade-symbol">{t.symbol}</h1>
        <SideBadge direction={t.direction} />
        <span className={`badge status-${t.status}`} data-testid="trade-status" data-value={t.status}>
          {STATUS_LABEL[t.status]}
        </span>
        <span className="muted">
          {ASSET_CLASS_LABELS[t.asset_class] ?? t.asset_class} · {t.account_name}
          {t.trading_day && <> · trading day {t.trading_day}</>}
        </span>
      </div>
      <dl className="facts trade-facts">
        <div>
          <dt>Net P&amp;L</dt>
          <dd className={`num strong big ${t.status === "closed" ? pnlClass(t.net_pnl) : ""}`} data-testid="trade-net" data-value={t.net_pnl}>
            {t.status === "incomplete" ? "—" : <Money value={t.net_pnl} currency={currency} signed />}
          </dd>
        </div>
        <div>
          <dt>Gross</dt>
          <dd data-testid="trade-gross" data-value={t.gross_pnl}>
            <Money value={t.gross_pnl} currency={currency} pnl />
          </dd>
        </div>
        <div>
          <dt>Fees</dt>
          <dd data-testid="trade-fees" data-value={t.fees}>
            <Fees value={t.fees} currency={currency} />
          </dd>
        </div>
        <div>
          <dt>R</dt>
          <dd className={`num ${pnlClass(rMultiple)}`} data-testid="trade-r" data-value={rMultiple ?? ""}>
            {rMultiple != null ? `${formatDecimal(rMultiple, 2, 2)}R` : <span className="muted" title="Set a planned stop below">—</span>}
          </dd>
        </div>
        <div>
          <dt>Quantity</dt>
          <dd className="num">{formatQty(t.quantity)}</dd>
        </div>
        <div>
          <dt>Entry → exit</dt>
          <dd className="num">
            {t.status === "incomplete" ? "unknown" : formatPrice(t.entry_price)} → {formatPrice(t.exit_price)}
          </dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd className="num">{formatDateTime(t.opened_at)}</dd>
        </div>
        <div>
          <dt>Closed</dt>
          <dd className="num">{t.closed_at ? formatDateTime(t.closed_at) : "still open"}</dd>
        </div>
        <div>
          <dt>Hold time</dt>
          <dd className="num" data-testid="trade-hold" data-value={t.hold_seconds ?? ""}>
            {formatDuration(t.hold_seconds)}
          </dd>
        </div>
      </dl>
    </header>
  );
}

/** "Opening position unknown": the trader enters the opening price (and optionally when). */
function ResolveForm({ trade }: { trade: Trade }) {
  const resolve = useResolveIncomplete();
  const [price, setPrice] = useState("");
  const [openedAt, setOpenedAt] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const err = resolve.error ? asAppError(resolve.error) : null;
  const priceErr = localError ?? fieldError(resolve.error, "open_price") ?? fieldError(resolve.error, "openPrice");
  const timeErr = fieldError(resolve.error, "opened_at") ?? fieldError(resolve.error, "openedAt");
  const formLevel = err && !priceErr && !timeErr;
  return (
    <form
      className="card notice-warn resolve-form"
      data-testid="resolve-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!price.trim()) return setLocalError("Enter the price the position was opened at.");
        resolve.mutate({ tradeId: trade.id, openPrice: price.trim(), openedAt: openedAt || null });
      }}
    >
      <div className="card-head">
        <h2>Opening position unknown</h2>
      </div>
      <p className="muted">
        The file starts after this position was opened, so its entry is missing and the trade is left out of the statistics. Enter the opening price
        (from your broker's statement) to measure it.
      </p>
      <div className="form-grid">
        <Field label="Opening price" htmlFor="resolve-price" error={priceErr}>
          <input
            id="resolve-price"
            className="num"
            inputMode="decimal"
            value={price}
            onChange={(e) => {
              setPrice(e.target.value);
              setLocalError(null);
              resolve.reset();
            }}
            data-testid="resolve-price"
          />
        </Field>
        <Field label="Opened at (optional)" htmlFor="resolve-time" error={timeErr} hint="In the account's time zone; empty = one second before the close.">
          <input id="resolve-time" type="datetime-local" step={1} value={openedAt} onChange={(e) => setOpenedAt(e.target.value)} data-testid="resolve-time" />
        </Field>
      </div>
      {formLevel && <ErrorNotice error={resolve.error} title="The opening was not saved" />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={resolve.isPending} data-testid="resolve-submit">
          {resolve.isPending ? "Saving…" : "Save opening"}
        </button>
      </div>
    </form>
  );
}
