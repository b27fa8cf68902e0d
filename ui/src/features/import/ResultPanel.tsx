import type { ImportReport } from "../../lib/ipc";
import { formatInteger } from "../../lib/format";

type Props = { report: ImportReport; onDashboard: () => void; onAnother: () => void };

export function ResultPanel({ report: r, onDashboard, onAnother }: Props) {
  return (
    <section className="card result" data-testid="import-result" data-fills-added={r.fills_added} data-duplicates={r.duplicates}>
      <div className="result-title">
        Imported {r.fills_added} {r.fills_added === 1 ? "fill" : "fills"} ({r.duplicates} {r.duplicates === 1 ? "duplicate" : "duplicates"} skipped)
      </div>
      <div className="muted">
        {formatInteger(r.rows_read)} rows read
        {r.cash_movements > 0 && ` · ${formatInteger(r.cash_movements)} cash movements`}
        {r.balances > 0 && ` · ${formatInteger(r.balances)} broker balances (Accounts → click the balance to reconcile them)`} · {formatInteger(r.skipped)} rows skipped
        {r.rejected.length > 0 && ` · ${r.rejected.length} rows rejected`}. Trades and statistics are up to date.
      </div>
      {r.rejected.length > 0 && (
        <div className="notice notice-warn">
          Rejected rows were not imported: {r.rejected.slice(0, 5).map((x) => `line ${x.line} (${x.reason})`).join("; ")}
          {r.rejected.length > 5 ? "; …" : ""}. Fix them in the file and import it again; nothing is added twice.
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onDashboard} data-testid="import-view-dashboard">
          View dashboard
        </button>
        <button type="button" className="btn" onClick={onAnother}>
          Import another file
        </button>
      </div>
    </section>
  );
}
