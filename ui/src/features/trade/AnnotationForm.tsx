import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { labelsQuery, useSaveAnnotation, type AnnotationEdit, type TradeDetail } from "../../lib/ipc";
import { formatDateTime, formatMoney, formatDecimal, pnlClass } from "../../lib/format";
import { Field } from "../../components/Field";
import { ChipsInput } from "../../components/ChipsInput";
import { MarkdownEditor } from "../../components/MarkdownEditor";
import { ErrorNotice } from "../../components/ErrorNotice";
import { asAppError, fieldError } from "../../components/errors";

const FIELDS: (keyof AnnotationEdit)[] = ["notes", "setup", "planned_stop", "tags", "mistakes"];

/** Common mistakes offered as suggestions (the trader may type any). */
const MISTAKE_SUGGESTIONS = ["chased entry", "no stop", "moved stop", "oversized", "early exit", "late exit", "revenge trade", "FOMO", "ignored plan", "overtraded"];

const fromDetail = (d: TradeDetail): AnnotationEdit => ({
  notes: d.annotation.notes,
  setup: d.annotation.setup,
  planned_stop: d.annotation.planned_stop,
  tags: d.annotation.tags,
  mistakes: d.annotation.mistakes,
});

/** Notes (markdown), tags, setup, mistakes and planned stop (→ initial risk and R) of one trade. */
export function AnnotationForm({ detail, currency }: { detail: TradeDetail; currency: string | null }) {
  const labels = useQuery(labelsQuery());
  const save = useSaveAnnotation();
  const [form, setForm] = useState<AnnotationEdit>(() => fromDetail(detail));
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);

  // Another trade, or a refetch while nothing is being edited: take the stored annotation.
  useEffect(() => {
    if (!dirty) setForm(fromDetail(detail));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [detail]);

  const set = <K extends keyof AnnotationEdit>(k: K, v: AnnotationEdit[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setDirty(true);
    setSavedAt(null);
    if (save.error) save.reset();
  };

  const submit = () =>
    save.mutate(
      { tradeId: detail.trade.id, edit: { ...form, setup: form.setup?.trim() || null, planned_stop: form.planned_stop?.trim() || null } },
      {
        onSuccess: () => {
          setDirty(false);
          setSavedAt(Date.now());
        },
      },
    );

  const err = save.error ? asAppError(save.error) : null;
  const formLevel = err && !(err.kind === "Validation" && FIELDS.includes(err.data.field as keyof AnnotationEdit));

  return (
    <form
      className="card form annotation-form"
      data-testid="annotation-form"
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
      <div className="card-head">
        <h2>Notes and labels</h2>
        {detail.annotation.updated_at && <span className="muted small">saved {formatDateTime(detail.annotation.updated_at, false)}</span>}
      </div>
      <div className="annotation-grid">
        <Field label="Notes" htmlFor="ann-notes" error={fieldError(save.error, "notes")} className="span-2">
          <MarkdownEditor id="ann-notes" value={form.notes} onChange={(v) => set("notes", v)} placeholder="Why you took it, how you managed it, what you'd do again…" testId="annotation-notes" />
        </Field>
        <Field label="Tags" htmlFor="ann-tags" error={fieldError(save.error, "tags")} hint="Enter or comma adds a tag.">
          <ChipsInput id="ann-tags" values={form.tags} onChange={(v) => set("tags", v)} suggestions={(labels.data?.tags ?? []).map((t) => t.tag)} placeholder="e.g. a+, news, scalp" testId="annotation-tags" />
        </Field>
        <Field label="Setup" htmlFor="ann-setup" error={fieldError(save.error, "setup")} hint="The playbook this trade followed.">
          <input id="ann-setup" list="ann-setup-list" value={form.setup ?? ""} onChange={(e) => set("setup", e.target.value || null)} autoComplete="off" data-testid="annotation-setup" />
          <datalist id="ann-setup-list">
            {(labels.data?.setups ?? []).map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </Field>
        <Field label="Mistakes" htmlFor="ann-mistakes" error={fieldError(save.error, "mistakes")}>
          <ChipsInput id="ann-mistakes" values={form.mistakes} onChange={(v) => set("mistakes", v)} suggestions={MISTAKE_SUGGESTIONS} placeholder="e.g. moved stop" testId="annotation-mistakes" />
        </Field>
        <Field
          label="Planned stop"
          htmlFor="ann-stop"
          error={fieldError(save.error, "planned_stop")}
          hint={detail.trade.status === "incomplete" ? "Enter the opening price first." : "The price where you planned to exit at a loss."}
        >
          <input id="ann-stop" className="num" inputMode="decimal" value={form.planned_stop ?? ""} onChange={(e) => set("planned_stop", e.target.value || null)} autoComplete="off" data-testid="annotation-stop" />
        </Field>
        <div className="risk-box" data-testid="annotation-risk">
          <div>
            <span className="muted">Initial risk </span>
            <span className="num strong" data-testid="initial-risk" data-value={detail.initial_risk ?? ""}>
              {formatMoney(detail.initial_risk, { currency })}
            </span>
          </div>
          <div>
            <span className="muted">R-multiple </span>
            <span className={`num strong ${pnlClass(detail.r_multiple)}`} data-testid="r-multiple" data-value={detail.r_multiple ?? ""}>
              {detail.r_multiple != null ? `${formatDecimal(detail.r_multiple, 2, 2)}R` : "—"}
            </span>
          </div>
          {dirty && form.planned_stop !== detail.annotation.planned_stop && <div className="muted small">Save to recompute.</div>}
        </div>
      </div>
      {formLevel && <ErrorNotice error={save.error} title="The notes were not saved" />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || !dirty} data-testid="annotation-save">
          {save.isPending ? "Saving…" : "Save notes"}
        </button>
        {dirty && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setForm(fromDetail(detail));
              setDirty(false);
            }}
            data-testid="annotation-revert"
          >
            Discard changes
          </button>
        )}
        {savedAt && (
          <span className="muted" role="status" data-testid="annotation-saved">
            Saved.
          </span>
        )}
        <span className="muted small form-actions-hint">Ctrl+Enter saves</span>
      </div>
    </form>
  );
}
