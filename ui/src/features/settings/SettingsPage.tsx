import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  dataLocationQuery,
  pickBackupFile,
  pickBackupTarget,
  pickExportTarget,
  useExportJournal,
  settingsQuery,
  useBackupJournal,
  useRestoreJournal,
  useSaveSettings,
  type Settings,
} from "../../lib/ipc";
import { formatBytes, formatInteger, isoDate } from "../../lib/format";
import { useTheme, type ThemeChoice } from "../../lib/theme";
import { PageHeader } from "../../components/PageHeader";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { Dialog } from "../../components/Dialog";
import { asAppError, fieldError } from "../../components/errors";
import { COMMON_TIME_ZONES } from "../accounts/timezones";
import { ContractTable } from "./ContractTable";
import { CommunitySettings } from "./CommunitySettings";

export function SettingsPage() {
  return (
    <div className="page" data-testid="page-settings">
      <PageHeader title="Settings" subtitle="Preferences, the community connection, the futures contract table, and your data." />
      <div className="settings-columns">
        <GeneralSettings />
        <ThemeSettings />
      </div>
      <CommunitySettings />
      <ContractTable />
      <DataSettings />
    </div>
  );
}

function GeneralSettings() {
  const settings = useQuery(settingsQuery());
  const save = useSaveSettings();
  const [form, setForm] = useState<Settings | null>(null);
  const [saved, setSaved] = useState(false);
  const [edited, setEdited] = useState(false);
  // Take the stored settings when they load or change (e.g. after a restore) unless the user is editing.
  useEffect(() => {
    if (settings.data && !edited) setForm(settings.data);
  }, [settings.data, edited]);

  if (settings.isError) return <ErrorNotice error={settings.error} title="Could not load the settings" onRetry={() => void settings.refetch()} />;
  if (!form) return <section className="card"><Loading /></section>;

  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => {
    setForm({ ...form, [k]: v });
    setEdited(true);
    setSaved(false);
    if (save.error) save.reset();
  };
  const err = save.error ? asAppError(save.error) : null;
  const formLevel = err && !(err.kind === "Validation" && (err.data.field === "timezone" || err.data.field === "break_even_band"));
  const dirty = settings.data != null && (form.timezone !== settings.data.timezone || form.break_even_band !== settings.data.break_even_band);

  return (
    <form
      className="card form"
      data-testid="settings-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { timezone: form.timezone.trim(), break_even_band: form.break_even_band.trim() || "0" },
          {
            onSuccess: (s) => {
              setForm(s);
              setEdited(false);
              setSaved(true);
            },
          },
        );
      }}
    >
      <div className="card-head">
        <h2>Journal</h2>
      </div>
      <div className="form-grid">
        <Field label="Time zone" htmlFor="set-tz" error={fieldError(save.error, "timezone")} hint="For new accounts and the journal's days (IANA name, e.g. America/New_York).">
          <input id="set-tz" list="set-tz-list" value={form.timezone} onChange={(e) => set("timezone", e.target.value)} autoComplete="off" data-testid="settings-timezone" />
          <datalist id="set-tz-list">
            {COMMON_TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field
          label="Break-even band"
          htmlFor="set-band"
          error={fieldError(save.error, "break_even_band")}
          hint="Trades whose net P&L is within ± this amount count as scratches, not wins or losses. 0 = exactly zero."
        >
          <input id="set-band" className="num" inputMode="decimal" value={form.break_even_band} onChange={(e) => set("break_even_band", e.target.value)} autoComplete="off" data-testid="settings-band" />
        </Field>
      </div>
      {formLevel && <ErrorNotice error={save.error} title="The settings were not saved" />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="settings-save">
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {saved && !dirty && (
          <span className="muted" role="status" data-testid="settings-saved">
            Saved. Statistics use the new band.
          </span>
        )}
      </div>
    </form>
  );
}

function ThemeSettings() {
  const { choice, setChoice } = useTheme();
  const options: { id: ThemeChoice; label: string }[] = [
    { id: "system", label: "System" },
    { id: "light", label: "Light" },
    { id: "dark", label: "Dark" },
  ];
  return (
    <section className="card">
      <div className="card-head">
        <h2>Theme</h2>
      </div>
      <div className="segmented segmented-wide" role="radiogroup" aria-label="Theme">
        {options.map((o) => (
          <button key={o.id} type="button" role="radio" aria-checked={choice === o.id} className={choice === o.id ? "active" : ""} onClick={() => setChoice(o.id)} data-testid={`settings-theme-${o.id}`}>
            {o.label}
          </button>
        ))}
      </div>
      <p className="muted small">Also in the sidebar. Kept on this computer.</p>
    </section>
  );
}

function DataSettings() {
  const location = useQuery(dataLocationQuery());
  const backup = useBackupJournal();
  const restore = useRestoreJournal();
  const exporter = useExportJournal();
  const [pickError, setPickError] = useState<unknown>(null);
  const [restorePath, setRestorePath] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  // Results appear under the buttons: bring them into view.
  useEffect(() => {
    if (backup.isSuccess || restored || backup.isError || restore.isError || exporter.isSuccess || exporter.isError)
      resultRef.current?.scrollIntoView({ block: "nearest" });
  }, [backup.isSuccess, restored, backup.isError, restore.isError, exporter.isSuccess, exporter.isError]);

  const doBackup = async () => {
    setPickError(null);
    backup.reset();
    try {
      const path = await pickBackupTarget(`tradebook-backup-${isoDate(new Date())}.db`);
      if (path) backup.mutate(path);
    } catch (e) {
      setPickError(e);
    }
  };
  const doExport = async () => {
    setPickError(null);
    exporter.reset();
    try {
      const path = await pickExportTarget(`tradebook-export-${isoDate(new Date())}.csv`);
      if (path) exporter.mutate(path);
    } catch (e) {
      setPickError(e);
    }
  };
  const chooseRestore = async () => {
    setPickError(null);
    setRestored(null);
    restore.reset();
    backup.reset();
    try {
      const path = await pickBackupFile();
      if (path) setRestorePath(path);
    } catch (e) {
      setPickError(e);
    }
  };

  return (
    <section className="card" data-testid="settings-data">
      <div className="card-head">
        <h2>Data</h2>
        <span className="muted">everything lives in one file on this computer</span>
      </div>
      {location.isError ? (
        <ErrorNotice error={location.error} title="Could not find the data folder" />
      ) : location.data ? (
        <dl className="facts data-facts">
          <div>
            <dt>Journal file</dt>
            <dd className="mono" data-testid="settings-db-path">
              {location.data.db_path}
            </dd>
          </div>
          <div>
            <dt>Data folder</dt>
            <dd className="mono" data-testid="settings-data-dir">
              {location.data.data_dir}
            </dd>
          </div>
          <div>
            <dt>Screenshots</dt>
            <dd className="mono">{location.data.screenshots_dir}</dd>
          </div>
        </dl>
      ) : (
        <Loading />
      )}
      <div className="data-actions">
        <div>
          <button type="button" className="btn btn-primary" onClick={() => void doBackup()} disabled={backup.isPending || restore.isPending} data-testid="settings-backup">
            {backup.isPending ? "Backing up…" : "Back up…"}
          </button>
          <span className="muted"> One file with all accounts, fills, notes and settings (screenshots stay in the data folder).</span>
        </div>
        <div>
          <button type="button" className="btn" onClick={() => void doExport()} disabled={exporter.isPending || restore.isPending} data-testid="settings-export">
            {exporter.isPending ? "Exporting…" : "Export CSV…"}
          </button>
          <span className="muted"> Every fill in Tradebook's own CSV format; importing it into another journal gives the same trades.</span>
        </div>
        <div>
          <button type="button" className="btn" onClick={() => void chooseRestore()} disabled={backup.isPending || restore.isPending} data-testid="settings-restore">
            {restore.isPending ? "Restoring…" : "Restore from a backup…"}
          </button>
          <span className="muted"> Replaces the whole journal with the backup.</span>
        </div>
      </div>
      {(backup.isPending || restore.isPending || exporter.isPending) && (
        <div className="progress-wrap" data-testid="settings-progress">
          <div className="progress progress-indeterminate" role="progressbar">
            <div className="progress-fill" />
          </div>
          <div className="progress-label muted">{backup.isPending ? "Writing the backup…" : exporter.isPending ? "Writing the CSV…" : "Checking and restoring the backup…"}</div>
        </div>
      )}
      {backup.isSuccess && (
        <div className="notice notice-ok" role="status" data-testid="settings-backup-done" data-path={backup.data.path} data-bytes={backup.data.bytes ?? ""}>
          <div className="notice-title">Backup written</div>
          <div className="mono">{backup.data.path}</div>
          {backup.data.bytes != null && <div className="muted">{formatBytes(backup.data.bytes)}</div>}
        </div>
      )}
      {exporter.isSuccess && (
        <div className="notice notice-ok" role="status" data-testid="settings-export-done" data-count={exporter.data}>
          <div className="notice-title">Exported {formatInteger(exporter.data)} fills</div>
          <div className="mono">{exporter.variables}</div>
        </div>
      )}
      {exporter.isError && <ErrorNotice error={exporter.error} title="The CSV was not written" testId="settings-export-error" />}
      {restored && (
        <div className="notice notice-ok" role="status" data-testid="settings-restore-done">
          <div className="notice-title">Journal restored</div>
          <div>
            From <span className="mono">{restored}</span>. Every page now shows the restored data.
          </div>
        </div>
      )}
      {pickError != null && <ErrorNotice error={pickError} title="The file dialog did not open" />}
      {backup.isError && <ErrorNotice error={backup.error} title="The backup was not written" testId="settings-backup-error" />}
      {restore.isError && (
        <ErrorNotice error={restore.error} title="Nothing was restored" testId="settings-restore-error">
          <div className="notice-advice">Your journal is unchanged. Check that the file is a Tradebook backup.</div>
        </ErrorNotice>
      )}
      <div ref={resultRef} />
      {restorePath && (
        <Dialog
          title="Restore this backup?"
          onClose={() => !restore.isPending && setRestorePath(null)}
          testId="restore-confirm"
          actions={
            <>
              <button type="button" className="btn" onClick={() => setRestorePath(null)} disabled={restore.isPending} data-testid="restore-cancel">
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-danger"
                disabled={restore.isPending}
                onClick={() =>
                  restore.mutate(restorePath, {
                    onSuccess: () => {
                      setRestored(restorePath);
                      setRestorePath(null);
                    },
                    onError: () => setRestorePath(null),
                  })
                }
                data-testid="restore-confirm-button"
              >
                {restore.isPending ? "Restoring…" : "Replace my journal"}
              </button>
            </>
          }
        >
          <p>
            <strong>This replaces your whole journal</strong> — accounts, trades, notes and settings — with the contents of:
          </p>
          <p className="mono">{restorePath}</p>
          <p className="muted">Back up first if you may want today's journal again.</p>
          {restore.isPending && (
            <div className="progress progress-indeterminate">
              <div className="progress-fill" />
            </div>
          )}
        </Dialog>
      )}
    </section>
  );
}
