import type { ReactNode } from "react";
import type { ImportPreview } from "../../lib/ipc";
import { formatDateTime, formatInteger } from "../../lib/format";
import { useNavigate } from "../../lib/nav";

type Props = {
  preview: ImportPreview;
  stale: boolean;
  onRefresh: () => void;
  committing: boolean;
  onCommit: () => void;
  children?: ReactNode;
};

const MAX_SYMBOLS = 40;

export function PreviewPanel({ preview: p, stale, onRefresh, committing, onCommit, children }: Props) {
  const n = p.fills_to_add;
  const navigate = useNavigate();
  return (
    <section className="card" data-testid="import-preview">
      <div className="card-head">
        <h2>Preview</h2>
        <span className="muted mono ellipsis" title={p.path}>
          {p.path}
        </span>
      </div>
      {stale && (
        <div className="notice notice-warn">
          The path or options changed since this preview; it still shows the previous choice.{" "}
          <button type="button" className="btn btn-small" onClick={onRefresh}>
            Preview again
          </button>
        </div>
      )}
      <dl className="facts">
        <div>
          <dt>File</dt>
          <dd className="strong">{p.file_name}</dd>
        </div>
        <div>
          <dt>Format</dt>
          <dd data-testid="preview-format" data-value={p.format}>
            {p.format_name}
          </dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd data-testid="preview-account">
            {p.account_name}
            {!p.account_exists && <span className="badge badge-info">new account will be created</span>}
          </dd>
        </div>
        <div>
          <dt>Rows read</dt>
          <dd className="num" data-testid="preview-rows">
            {formatInteger(p.rows_read)}
          </dd>
        </div>
        <div>
          <dt>Fills to add</dt>
          <dd className="num strong" data-testid="preview-fills" data-value={p.fills_to_add}>
            {p.fills_to_add}
          </dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd className="num" data-testid="preview-duplicates" data-value={p.duplicates}>
            {p.duplicates}
          </dd>
        </div>
        {(p.cash_movements > 0 || p.balances > 0) && (
          <div>
            <dt>Cash</dt>
            <dd className="num" data-testid="preview-cash" data-value={p.cash_movements} title="Deposits, withdrawals, dividends, interest and fees outside trades go to the account's cash ledger; balances the file states are kept to reconcile the account">
              {formatInteger(p.cash_movements)} <span className="muted small">movements{p.balances > 0 ? ` · ${formatInteger(p.balances)} balances` : ""}</span>
            </dd>
          </div>
        )}
        <div>
          <dt>Skipped</dt>
          <dd className="num" title="Rows that are neither trades nor cash (summaries, headers, share movements)">
            {formatInteger(p.skipped)} <span className="muted small">non-trade rows</span>
          </dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd className={`num${p.rejected.length ? " neg" : ""}`} data-testid="preview-rejected" data-value={p.rejected.length}>
            {formatInteger(p.rejected.length)}
          </dd>
        </div>
        <div>
          <dt>First fill</dt>
          <dd className="num">{formatDateTime(p.first_fill_at)}</dd>
        </div>
        <div>
          <dt>Last fill</dt>
          <dd className="num">{formatDateTime(p.last_fill_at)}</dd>
        </div>
      </dl>
      {p.unknown_roots.length > 0 && (
        <div className="notice notice-warn" role="alert" data-testid="preview-unknown-roots" data-value={p.unknown_roots.join(",")}>
          <div className="notice-title">
            Unknown futures {p.unknown_roots.length === 1 ? "root" : "roots"}: {p.unknown_roots.join(", ")}
          </div>
          <div>Tradebook needs the point value to compute P&amp;L. Add {p.unknown_roots.length === 1 ? "it" : "them"} to the contract table, then preview again.</div>
          <div className="notice-actions">
            <button type="button" className="btn btn-small" onClick={() => navigate("settings")} data-testid="preview-open-contracts">
              Open the contract table
            </button>
          </div>
        </div>
      )}
      {p.symbols.length > 0 && (
        <div className="symbols">
          <span className="muted">Symbols ({p.symbols.length}): </span>
          {p.symbols.slice(0, MAX_SYMBOLS).map((s) => (
            <span key={s} className="chip">
              {s}
            </span>
          ))}
          {p.symbols.length > MAX_SYMBOLS && <span className="muted"> +{p.symbols.length - MAX_SYMBOLS} more</span>}
        </div>
      )}
      {p.rejected.length > 0 && (
        <div className="rejected">
          <div className="notice notice-warn">
            {p.rejected.length} {p.rejected.length === 1 ? "row was" : "rows were"} rejected and will not be imported. Fix them in
            the file and import it again (rows already imported are skipped as duplicates), or import now without them.
          </div>
          <div className="table-wrap rejected-scroll">
            <table className="table table-compact" data-testid="preview-rejected-table">
              <thead>
                <tr>
                  <th className="r" style={{ width: 64 }}>
                    Line
                  </th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {p.rejected.map((r, i) => (
                  <tr key={`${r.line}-${i}`}>
                    <td className="r num">{r.line}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {n === 0 && p.duplicates > 0 && (
        <div className="notice">Every fill in this file is already in Tradebook. Importing it again changes nothing.</div>
      )}
      {children}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={committing} onClick={onCommit} data-testid="import-commit-button">
          {committing
            ? "Importing…"
            : p.rejected.length > 0
              ? `Import the ${n} valid ${n === 1 ? "fill" : "fills"} (skip ${p.rejected.length} rejected)`
              : `Import ${n} ${n === 1 ? "fill" : "fills"}`}
        </button>
      </div>
    </section>
  );
}
