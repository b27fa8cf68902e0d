import { useEffect, useRef, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  accountsQuery,
  cancelImport,
  onFileDrop,
  pickCsvFile,
  referenceDataQuery,
  useCommitImport,
  usePreviewImport,
  type ImportProgress,
  type ImportRequest,
} from "../../lib/ipc";
import { useNavigate } from "../../lib/nav";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { PreviewPanel } from "./PreviewPanel";
import { ProgressBar } from "./ProgressBar";
import { ResultPanel } from "./ResultPanel";
import { ImportHistory } from "./ImportHistory";

const sameRequest = (a: ImportRequest, b: ImportRequest) =>
  a.path === b.path && a.account_name === b.account_name && a.format === b.format;

export function ImportPage() {
  const navigate = useNavigate();
  const accounts = useQuery(accountsQuery());
  const refData = useQuery(referenceDataQuery());
  const preview = usePreviewImport();
  const commit = useCommitImport();

  const [path, setPath] = useState("");
  const [accountName, setAccountName] = useState("");
  const [format, setFormat] = useState("");
  const [hovering, setHovering] = useState(false);
  const [pathError, setPathError] = useState<string | null>(null);
  const [pickError, setPickError] = useState<unknown>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);

  const requestFor = (p: string): ImportRequest => ({
    path: p.trim(),
    account_name: accountName.trim() || null,
    format: format || null,
  });

  const runPreview = (p: string) => {
    setPickError(null);
    if (!p.trim()) {
      setPathError("Type the full path of a CSV export (e.g. /home/you/Downloads/trades.csv), or use “Choose file…”.");
      return;
    }
    setPathError(null);
    commit.reset();
    setProgress(null);
    preview.mutate(requestFor(p));
  };

  // Dropped files arrive through the window, not the DOM: keep the latest handler.
  const runPreviewRef = useRef(runPreview);
  runPreviewRef.current = runPreview;
  useEffect(
    () =>
      onFileDrop((e) => {
        if (e.type === "hover") setHovering(e.hovering);
        else {
          const file = e.paths.find((p) => /\.(csv|txt)$/i.test(p)) ?? e.paths[0];
          if (file) {
            setPath(file);
            runPreviewRef.current(file);
          }
        }
      }),
    [],
  );

  const choose = async () => {
    try {
      const file = await pickCsvFile();
      if (file) {
        setPath(file);
        runPreview(file);
      }
    } catch (e) {
      setPickError(e);
    }
  };

  const submitPath = (e: FormEvent) => {
    e.preventDefault();
    runPreview(path);
  };

  const startCommit = () => {
    const request = preview.variables;
    if (!request) return;
    setProgress(null);
    // With rejected rows, pressing "Import the valid rows" is the user's explicit choice to
    // skip them; otherwise the import is all or nothing (SPEC §10).
    const skipInvalid = (preview.data?.rejected.length ?? 0) > 0;
    commit.mutate({ request: { ...request, skip_invalid: skipInvalid }, onProgress: setProgress });
  };

  const reset = () => {
    preview.reset();
    commit.reset();
    setProgress(null);
    setPath("");
  };

  const previewed = preview.isSuccess ? preview.data : null;
  const stale = preview.variables != null && previewed != null && !sameRequest(preview.variables, requestFor(path));
  const formats = refData.data?.formats ?? [];
  const chosenFormat = formats.find((f) => f.id === format);

  return (
    <div className="page" data-testid="page-import">
      <PageHeader title="Import" subtitle="Broker CSV exports. Nothing is written until you confirm the preview; re-importing a file adds nothing twice." />

      {commit.isSuccess ? (
        <ResultPanel report={commit.data} onDashboard={() => navigate("dashboard")} onAnother={reset} />
      ) : (
        <>
          <section className={`dropzone${hovering ? " dropzone-hover" : ""}`} data-testid="import-dropzone">
            <svg viewBox="0 0 24 24" width="36" height="36" aria-hidden="true" className="dropzone-icon">
              <path fill="currentColor" d="M12 3v10.6l3.3-3.3 1.4 1.4L12 16.4l-4.7-4.7 1.4-1.4 3.3 3.3V3zM4 19h16v2H4z" />
            </svg>
            <div className="dropzone-title">{hovering ? "Drop to preview this file" : "Drop a broker CSV export anywhere on this window"}</div>
            <div className="dropzone-or">or</div>
            <button type="button" className="btn btn-primary" onClick={() => void choose()} data-testid="import-choose">
              Choose file…
            </button>
            <form className="path-row" onSubmit={submitPath}>
              <label htmlFor="import-path">or type the file's path</label>
              <div className="input-row">
                <input
                  id="import-path"
                  data-testid="import-path"
                  className="mono"
                  placeholder="/home/you/Downloads/export.csv"
                  value={path}
                  onChange={(e) => {
                    setPath(e.target.value);
                    setPathError(null);
                  }}
                  spellCheck={false}
                  autoComplete="off"
                />
                <button type="submit" className="btn" disabled={preview.isPending} data-testid="import-preview-button">
                  {preview.isPending ? "Reading…" : "Preview"}
                </button>
              </div>
              {pathError && <div className="field-error" role="alert">{pathError}</div>}
            </form>
          </section>
          {pickError != null && <ErrorNotice error={pickError} title="Could not open the file chooser">Type the file's path instead.</ErrorNotice>}

          <section className="card">
            <div className="card-head">
              <h2>Options</h2>
              <span className="muted">change them, then preview again</span>
            </div>
            <div className="form-grid">
              <Field
                label="Account"
                htmlFor="import-account"
                hint="Leave empty to use the account named in the file (or the format's default). A new name creates the account."
              >
                <input
                  id="import-account"
                  data-testid="import-account"
                  list="import-account-list"
                  value={accountName}
                  onChange={(e) => setAccountName(e.target.value)}
                  placeholder="From the file"
                  autoComplete="off"
                />
                <datalist id="import-account-list">
                  {(accounts.data ?? []).map((a) => (
                    <option key={a.id} value={a.name}>
                      {a.platform}
                    </option>
                  ))}
                </datalist>
              </Field>
              <Field label="Format" htmlFor="import-format" hint={chosenFormat?.description ?? "Detected from the file's header."}>
                <select id="import-format" data-testid="import-format" value={format} onChange={(e) => setFormat(e.target.value)}>
                  <option value="">Detect automatically</option>
                  {formats.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            {refData.isError && <ErrorNotice error={refData.error} title="Could not load the list of formats" onRetry={() => void refData.refetch()} />}
          </section>

          {preview.isError && <ErrorNotice error={preview.error} title="Could not preview this file" testId="import-error" />}

          {previewed && (
            <PreviewPanel
              preview={previewed}
              stale={stale}
              onRefresh={() => runPreview(path)}
              committing={commit.isPending}
              onCommit={startCommit}
            >
              {commit.isPending && (
                <div className="input-row">
                  <ProgressBar progress={progress} />
                  <button type="button" className="btn btn-small" onClick={() => void cancelImport()} data-testid="import-cancel">
                    Cancel
                  </button>
                </div>
              )}
              {commit.isError && (
                <ErrorNotice error={commit.error} title="The import did not complete" testId="import-error">
                  <div className="notice-advice">Nothing was written: an import is all or nothing. Fix the cause and press Import again.</div>
                </ErrorNotice>
              )}
            </PreviewPanel>
          )}
        </>
      )}
      <ImportHistory />
    </div>
  );
}
