import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { contractsQuery, useDeleteContract, useSaveContract, type Contract } from "../../lib/ipc";
import { formatDecimal } from "../../lib/format";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { asAppError, fieldError } from "../../components/errors";
import { COMMON_TIME_ZONES } from "../accounts/timezones";

const FIELDS: (keyof Contract)[] = ["root", "name", "point_value", "tick_size", "exchange_tz", "currency"];

const blank = (): Contract => ({ root: "", name: "", point_value: "", tick_size: "", exchange_tz: "America/Chicago", currency: "USD", custom: true });

/** The futures contracts imports use: built-in ones read-only (override to change), the user's editable. */
export function ContractTable() {
  const contracts = useQuery(contractsQuery());
  const del = useDeleteContract();
  const [editing, setEditing] = useState<{ contract: Contract; isNew: boolean } | null>(null);
  const [filter, setFilter] = useState("");
  const [confirm, setConfirm] = useState<string | null>(null);

  const q = filter.trim().toUpperCase();
  const rows = (contracts.data ?? []).filter((c) => !q || c.root.includes(q) || c.name.toUpperCase().includes(q));

  return (
    <section className="card" data-testid="contracts">
      <div className="card-head">
        <h2>Futures contracts</h2>
        <span className="muted">point value and tick size per root; an unknown root stops an import until you add it here</span>
        <button type="button" className="btn btn-small" onClick={() => setEditing({ contract: blank(), isNew: true })} data-testid="contract-add">
          Add contract
        </button>
      </div>
      {editing && <ContractForm key={editing.contract.root || "new"} initial={editing.contract} isNew={editing.isNew} onDone={() => setEditing(null)} />}
      <div className="toolbar contracts-toolbar">
        <input type="search" placeholder="Find a root or name" aria-label="Find a contract" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="contract-search" />
      </div>
      {contracts.isError ? (
        <ErrorNotice error={contracts.error} title="Could not load the contract table" onRetry={() => void contracts.refetch()} />
      ) : contracts.isPending ? (
        <Loading />
      ) : (
        <div className="table-wrap contracts-wrap">
          <table className="table table-compact" data-testid="contracts-table">
            <thead>
              <tr>
                <th>Root</th>
                <th>Name</th>
                <th className="r">Point value</th>
                <th className="r">Tick size</th>
                <th>Exchange zone</th>
                <th>Currency</th>
                <th>Source</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.root} data-testid="contract-row" data-root={c.root} data-custom={c.custom ? "true" : "false"}>
                  <td className="strong mono">{c.root}</td>
                  <td>{c.name}</td>
                  <td className="r num">{formatDecimal(c.point_value)}</td>
                  <td className="r num">{formatDecimal(c.tick_size)}</td>
                  <td className="muted">{c.exchange_tz}</td>
                  <td>{c.currency}</td>
                  <td>{c.custom ? <span className="badge badge-info">yours</span> : <span className="muted small">built in</span>}</td>
                  <td className="r nowrap">
                    <button type="button" className="btn btn-small" onClick={() => setEditing({ contract: { ...c, custom: true }, isNew: false })} data-testid="contract-edit">
                      {c.custom ? "Edit" : "Override"}
                    </button>{" "}
                    {c.custom &&
                      (confirm === c.root ? (
                        <button
                          type="button"
                          className="btn btn-danger btn-small"
                          disabled={del.isPending}
                          onClick={() => del.mutate(c.root, { onSettled: () => setConfirm(null) })}
                          data-testid="contract-delete-confirm"
                        >
                          Delete {c.root}
                        </button>
                      ) : (
                        <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirm(c.root)} data-testid="contract-delete">
                          Delete
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={8} className="muted">
                    No contract matches “{filter}”. Add it with “Add contract”.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {del.isError && <ErrorNotice error={del.error} title="The contract was not deleted" />}
    </section>
  );
}

function ContractForm({ initial, isNew, onDone }: { initial: Contract; isNew: boolean; onDone: () => void }) {
  const save = useSaveContract();
  const [form, setForm] = useState<Contract>(initial);
  const [localErr, setLocalErr] = useState<{ field: string; message: string } | null>(null);
  const set = <K extends keyof Contract>(k: K, v: Contract[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setLocalErr(null);
    if (save.error) save.reset();
  };
  const errorFor = (k: keyof Contract) => (localErr?.field === k ? localErr.message : null) ?? fieldError(save.error, k);
  const err = save.error ? asAppError(save.error) : null;
  const formLevel = err && !(err.kind === "Validation" && FIELDS.includes(err.data.field as keyof Contract));
  return (
    <form
      className="contract-form"
      data-testid="contract-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!form.root.trim()) return setLocalErr({ field: "root", message: "Enter the root symbol, e.g. MES or 6E." });
        save.mutate(
          { ...form, root: form.root.trim().toUpperCase(), name: form.name.trim(), point_value: form.point_value.trim(), tick_size: form.tick_size.trim(), currency: form.currency.trim().toUpperCase(), custom: true },
          { onSuccess: onDone },
        );
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <div className="form-grid">
        <Field label="Root" htmlFor="ct-root" error={errorFor("root")}>
          <input id="ct-root" value={form.root} disabled={!isNew} onChange={(e) => set("root", e.target.value.toUpperCase())} autoComplete="off" data-testid="contract-root" />
        </Field>
        <Field label="Name" htmlFor="ct-name" error={errorFor("name")}>
          <input id="ct-name" value={form.name} onChange={(e) => set("name", e.target.value)} autoComplete="off" data-testid="contract-name" />
        </Field>
        <Field label="Point value" htmlFor="ct-pv" error={errorFor("point_value")} hint="Currency per 1.0 of price per contract (ES: 50).">
          <input id="ct-pv" className="num" inputMode="decimal" value={form.point_value} onChange={(e) => set("point_value", e.target.value)} autoComplete="off" data-testid="contract-point-value" />
        </Field>
        <Field label="Tick size" htmlFor="ct-tick" error={errorFor("tick_size")} hint="Smallest price step (ES: 0.25).">
          <input id="ct-tick" className="num" inputMode="decimal" value={form.tick_size} onChange={(e) => set("tick_size", e.target.value)} autoComplete="off" data-testid="contract-tick-size" />
        </Field>
        <Field label="Exchange time zone" htmlFor="ct-tz" error={errorFor("exchange_tz")}>
          <input id="ct-tz" list="ct-tz-list" value={form.exchange_tz} onChange={(e) => set("exchange_tz", e.target.value)} autoComplete="off" data-testid="contract-tz" />
          <datalist id="ct-tz-list">
            {COMMON_TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label="Currency" htmlFor="ct-cur" error={errorFor("currency")}>
          <input id="ct-cur" value={form.currency} maxLength={8} onChange={(e) => set("currency", e.target.value)} autoComplete="off" data-testid="contract-currency" />
        </Field>
      </div>
      {formLevel && <ErrorNotice error={save.error} title="The contract was not saved" />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="contract-save">
          {save.isPending ? "Saving…" : isNew ? "Add contract" : "Save contract"}
        </button>
        <button type="button" className="btn" onClick={onDone} data-testid="contract-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
