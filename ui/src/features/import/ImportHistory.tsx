import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { importsQuery, useUndoImport, type ImportBatch } from "../../lib/ipc";
import { formatDateTime, formatInteger } from "../../lib/format";
import { ErrorNotice } from "../../components/ErrorNotice";

/** Past imports with an undo per batch (confirmed inline: an undo removes the batch's fills and the trades built from them). */
export function ImportHistory() {
  const imports = useQuery(importsQuery());
  const undo = useUndoImport();
  const [confirming, setConfirming] = useState<string | null>(null);

  if (imports.isError) {
    return <ErrorNotice error={imports.error} title="Could not load the import history" onRetry={() => void imports.refetch()} />;
  }
  const batches = imports.data ?? [];
  return (
    <section className="card" data-testid="import-history">
      <div className="card-head">
        <h2>History</h2>
        <span className="muted">undo removes an import's fills and the trades built from them</span>
      </div>
      {batches.length === 0 ? (
        <div className="muted pad">No imports yet.</div>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th>Imported</th>
                <th>File</th>
                <th>Account</th>
                <th>Format</th>
                <th className="r">Fills added</th>
                <th className="r">Duplicates</th>
                <th className="r">Skipped</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {batches.map((b: ImportBatch) => (
                <tr key={b.batch_id} data-testid="import-history-row">
                  <td className="num nowrap">{formatDateTime(b.imported_at, false)}</td>
                  <td className="mono" title={b.file_name}>
                    {b.file_name}
                  </td>
                  <td>{b.account_name}</td>
                  <td className="muted">{b.format}</td>
                  <td className="r num">{formatInteger(b.fills_added)}</td>
                  <td className="r num">{formatInteger(b.duplicates)}</td>
                  <td className="r num">{formatInteger(b.skipped)}</td>
                  <td className="r nowrap">
                    {confirming === b.batch_id ? (
                      <>
                        <button
                          type="button"
                          className="btn btn-danger btn-small"
                          disabled={undo.isPending}
                          onClick={() => undo.mutate(b.batch_id, { onSettled: () => setConfirming(null) })}
                          data-testid="import-undo-confirm"
                        >
                          {undo.isPending ? "Removing…" : `Remove ${formatInteger(b.fills_added)} fills`}
                        </button>{" "}
                        <button type="button" className="btn btn-small" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </>
                    ) : (
                      <button type="button" className="btn btn-small" onClick={() => setConfirming(b.batch_id)} data-testid="import-undo">
                        Undo
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {undo.isError && <ErrorNotice error={undo.error} title="The undo did not complete">Nothing was removed.</ErrorNotice>}
    </section>
  );
}
