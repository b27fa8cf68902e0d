import type { ManualPnl } from "../../lib/ipc";
import { formatDecimal } from "../../lib/format";
import { Fees, Money } from "../../components/Money";
import { ErrorNotice } from "../../components/ErrorNotice";

type Props = {
  pnl: ManualPnl | null;
  loading: boolean;
  currency: string | null;
  /** What to fill in next, when the form is incomplete. */
  prompt: string | null;
  error: unknown;
  /** A field is invalid (shown next to it); the figures are from the last valid input. */
  invalid: boolean;
};

/** Gross / fees / net as computed by Rust for the trade being typed. */
export function PnlPreview({ pnl, loading, currency, prompt, error, invalid }: Props) {
  return (
    <aside className="card pnl-preview" data-testid="manual-preview" aria-live="polite">
      <div className="card-head">
        <h2>P&amp;L</h2>
        {loading && <span className="spinner" aria-label="Calculating" />}
      </div>
      {error != null ? (
        <ErrorNotice error={error} title="Could not calculate the P&L" />
      ) : prompt ? (
        <div className="muted">{prompt}</div>
      ) : !pnl ? (
        <div className="muted">{invalid ? "Correct the highlighted field to see the P&L." : "Fill in the trade to see its P&L."}</div>
      ) : (
        <div className={invalid ? "dimmed" : undefined}>
          <dl className="pnl-lines">
            <div>
              <dt>Gross</dt>
              <dd data-testid="manual-gross" data-value={pnl.gross_pnl ?? ""}>{pnl.gross_pnl == null ? <span className="muted">open</span> : <Money value={pnl.gross_pnl} currency={currency} pnl />}</dd>
            </div>
            <div>
              <dt>Fees</dt>
              <dd data-testid="manual-fees-total">
                <Fees value={pnl.fees} currency={currency} />
              </dd>
            </div>
            <div className="pnl-net">
              <dt>Net</dt>
              <dd data-testid="manual-net" data-value={pnl.net_pnl ?? ""}>{pnl.net_pnl == null ? <span className="muted">open</span> : <Money value={pnl.net_pnl} currency={currency} pnl />}</dd>
            </div>
          </dl>
          <div className="muted small">
            Multiplier × {formatDecimal(pnl.multiplier)}
            {pnl.gross_pnl == null && " · open trade: P&L is realized when you add the exit."}
          </div>
          {invalid && <div className="muted small">Correct the highlighted field to update these figures.</div>}
        </div>
      )}
    </aside>
  );
}
