import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  cashMovementsQuery,
  reconciliationQuery,
  useAddCashMovement,
  type Account,
  type CashKind,
  type LikelyCause,
} from "../../lib/ipc";
import { formatDateTime, formatInteger } from "../../lib/format";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { Money } from "../../components/Money";

/** What each cash kind is called, keyed by the generated `CashKind` (a new kind fails tsc). */
export const CASH_KIND_LABELS: Record<CashKind, string> = {
  deposit: "Deposit",
  withdrawal: "Withdrawal",
  dividend: "Dividend",
  interest: "Interest",
  fee: "Fee",
  transfer: "Transfer",
  other: "Other",
};

const CAUSE_LABELS: Record<LikelyCause, string> = {
  open_positions: "Open positions",
  starting_balance: "Starting balance",
  missing_activity: "Missing activity",
};

/** `YYYY-MM-DDTHH:MM` of now, for the date-time input. */
function nowLocal(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * An account's cash and balance: starting balance + cash movements + realized net P&L,
 * each day the broker's stated balance differs from it (by how much and why), the cash
 * movements (imported or typed), and a form to add one.
 */
export function CashPanel({ account, onClose }: { account: Account; onClose: () => void }) {
  const rec = useQuery(reconciliationQuery(account.id));
  const cash = useQuery(cashMovementsQuery(account.id));
  const add = useAddCashMovement();
  const [kind, setKind] = useState<CashKind>("deposit");
  const [amount, setAmount] = useState("");
  const [at, setAt] = useState(nowLocal);
  const [description, setDescription] = useState("");
  const c = account.currency;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    add.mutate(
      { accountId: account.id, input: { kind, amount, occurred_at: at, description } },
      {
        onSuccess: () => {
          setAmount("");
          setDescription("");
        },
      },
    );
  };

  return (
    <section className="card" data-testid="cash-panel">
      <div className="card-head">
        <h2>Cash and balance · {account.name}</h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose} data-testid="cash-close">
          Close
        </button>
      </div>
      {rec.isError ? (
        <ErrorNotice error={rec.error} title="Could not reconcile the account" onRetry={() => void rec.refetch()} />
      ) : !rec.data ? (
        <Loading />
      ) : (
        <>
          <p data-testid="cash-balance-formula">
            Balance <strong><Money value={rec.data.balance} currency={c} /></strong> = starting balance{" "}
            <Money value={rec.data.starting_balance} currency={c} /> + cash <Money value={rec.data.cash_total} currency={c} /> + realized net{" "}
            <Money value={rec.data.realized_net} currency={c} pnl />
            {rec.data.foreign_cash_movements > 0 && (
              <span className="muted"> · {formatInteger(rec.data.foreign_cash_movements)} movement(s) in another currency left out</span>
            )}
          </p>
          {rec.data.days_checked === 0 ? (
            <p className="muted" data-testid="reconcile-none">
              No broker balance to compare with yet: import a file that states the account's balance (a thinkorswim Account Statement).
            </p>
          ) : rec.data.days.length === 0 ? (
            <div className="notice notice-ok" data-testid="reconcile-ok">
              The broker's balance matches the journal to the cent on all {formatInteger(rec.data.days_checked)} day(s) it states one.
            </div>
          ) : (
            <>
              <p className="muted" data-testid="reconcile-summary">
                {formatInteger(rec.data.days_matching)} of {formatInteger(rec.data.days_checked)} day(s) match the broker's balance to the cent; these differ:
              </p>
              <div className="table-wrap">
                <table className="table" data-testid="reconcile-table">
                  <thead>
                    <tr>
                      <th>Day</th>
                      <th className="r">Broker</th>
                      <th className="r">Journal</th>
                      <th className="r">Difference</th>
                      <th>Likely cause</th>
                      <th>What it is</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rec.data.days.map((d) => (
                      <tr key={d.at} data-testid="reconcile-row" data-cause={d.likely_cause} data-difference={d.difference}>
                        <td className="nowrap" title={formatDateTime(d.at)}>
                          {d.day}
                        </td>
                        <td className="r">
                          <Money value={d.theirs} currency={c} />
                        </td>
                        <td className="r">
                          <Money value={d.ours} currency={c} />
                        </td>
                        <td className="r">
                          <Money value={d.difference} currency={c} pnl signed />
                        </td>
                        <td>
                          <span className="badge">{CAUSE_LABELS[d.likely_cause]}</span>
                        </td>
                        <td className="small">{d.explanation}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
      <h3>Cash movements</h3>
      {cash.isError ? (
        <ErrorNotice error={cash.error} title="Could not load the cash movements" onRetry={() => void cash.refetch()} />
      ) : !cash.data ? (
        <Loading />
      ) : cash.data.length === 0 ? (
        <p className="muted" data-testid="cash-empty">
          None yet. Imports of broker files with cash activity (deposits, dividends, interest, fees) add them; add one by hand below.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="cash-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Kind</th>
                <th className="r">Amount</th>
                <th>Description</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {cash.data.map((m) => (
                <tr key={m.id} data-testid="cash-row" data-kind={m.kind} data-amount={m.amount}>
                  <td className="nowrap">{formatDateTime(m.occurred_at, false)}</td>
                  <td>{CASH_KIND_LABELS[m.kind]}</td>
                  <td className="r">
                    <Money value={m.amount} currency={m.currency} pnl signed />
                  </td>
                  <td className="small">{m.description}</td>
                  <td className="muted small">{m.imported ? "import" : "by hand"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="toolbar filters" onSubmit={submit} data-testid="cash-form">
        <label className="sr-only" htmlFor="cash-kind">
          Kind
        </label>
        <select id="cash-kind" value={kind} onChange={(e) => setKind(e.target.value as CashKind)} data-testid="cash-kind">
          {(Object.keys(CASH_KIND_LABELS) as CashKind[]).map((k) => (
            <option key={k} value={k}>
              {CASH_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="cash-amount">
          Amount
        </label>
        <input
          id="cash-amount"
          className="num input-narrow"
          inputMode="decimal"
          placeholder={kind === "withdrawal" || kind === "fee" ? "-100.00" : "100.00"}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          data-testid="cash-amount"
          title="Money into the account is positive; a withdrawal or a fee is negative"
        />
        <label className="sr-only" htmlFor="cash-at">
          When
        </label>
        <input
          id="cash-at"
          type="datetime-local"
          value={at}
          onChange={(e) => setAt(e.target.value)}
          data-testid="cash-at"
          title={`Date and time in the account's zone (${account.timezone})`}
        />
        <label className="sr-only" htmlFor="cash-description">
          Description
        </label>
        <input id="cash-description" placeholder="What it is (ACH deposit)" value={description} onChange={(e) => setDescription(e.target.value)} data-testid="cash-description" />
        <button type="submit" className="btn btn-small" disabled={add.isPending} data-testid="cash-add">
          Add
        </button>
      </form>
      {add.isError && <ErrorNotice error={add.error} title="The cash movement was not added" testId="cash-error" />}
    </section>
  );
}
