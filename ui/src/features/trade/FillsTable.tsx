import { useState, type KeyboardEvent, type ReactNode } from "react";
import { useDeleteFills, useUpdateFill, type FillEdit, type FillRow, type Side } from "../../lib/ipc";
import { formatPrice, formatQty } from "../../lib/format";
import { Fees } from "../../components/Money";
import { ErrorNotice } from "../../components/ErrorNotice";
import { asAppError, fieldError } from "../../components/errors";
import { showWallClock, wallClock } from "./time";

const FIELDS: (keyof FillEdit)[] = ["side", "quantity", "price", "fees", "executed_at"];

/** The trade's fills; each can be corrected in place (validation shows under the field) or deleted. */
export function FillsTable({ fills, currency }: { fills: FillRow[]; currency: string | null }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const del = useDeleteFills();
  const sorted = [...fills].sort((a, b) => Date.parse(a.executed_at) - Date.parse(b.executed_at));
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact fills-table" data-testid="fills-table">
          <thead>
            <tr>
              <th>Time (source zone)</th>
              <th>Side</th>
              <th className="r">Qty</th>
              <th className="r">Price</th>
              <th className="r">Fees</th>
              <th>Source</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sorted.map((f) =>
              editing === f.id ? (
                <FillEditor key={f.id} fill={f} onDone={() => setEditing(null)} />
              ) : (
                <tr key={f.id} data-testid="fill-row" data-fill-id={f.id}>
                  <td className="num nowrap" title={`${f.executed_at} UTC`}>
                    {showWallClock(wallClock(f.executed_at, f.source_tz))} <span className="muted small">{f.source_tz}</span>
                  </td>
                  <td>
                    <span className={`side side-${f.side === "buy" ? "long" : "short"}`}>{f.side === "buy" ? "Buy" : "Sell"}</span>
                  </td>
                  <td className="r num" data-testid="fill-qty" data-value={f.quantity}>
                    {formatQty(f.quantity)}
                  </td>
                  <td className="r num" data-testid="fill-price" data-value={f.price}>
                    {formatPrice(f.price)}
                  </td>
                  <td className="r num" data-testid="fill-fees" data-value={f.fees}>
                    <Fees value={f.fees} currency={currency} />
                  </td>
                  <td className="muted small">{f.batch_id ? (f.execution_id ? `import · ${f.execution_id}` : "import") : "by hand"}</td>
                  <td className="r nowrap">
                    {confirming === f.id ? (
                      <>
                        <button
                          type="button"
                          className="btn btn-danger btn-small"
                          disabled={del.isPending}
                          onClick={() => del.mutate([f.id], { onSettled: () => setConfirming(null) })}
                          data-testid="fill-delete-confirm"
                        >
                          {del.isPending ? "Deleting…" : "Delete fill"}
                        </button>{" "}
                        <button type="button" className="btn btn-small" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </>
                    ) : (
                      <>
                        <button type="button" className="btn btn-small" onClick={() => setEditing(f.id)} data-testid="fill-edit">
                          Edit
                        </button>{" "}
                        <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(f.id)} data-testid="fill-delete">
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {del.isError && <ErrorNotice error={del.error} title="The fill was not deleted" />}
    </>
  );
}

function FillEditor({ fill, onDone }: { fill: FillRow; onDone: () => void }) {
  const update = useUpdateFill();
  const [form, setForm] = useState<FillEdit>(() => ({
    side: fill.side,
    quantity: fill.quantity,
    price: fill.price,
    fees: fill.fees,
    executed_at: wallClock(fill.executed_at, fill.source_tz),
  }));
  const set = <K extends keyof FillEdit>(k: K, v: FillEdit[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (update.error) update.reset();
  };
  const err = (k: keyof FillEdit) => fieldError(update.error, k);
  const save = () =>
    update.mutate(
      { fillId: fill.id, edit: { ...form, quantity: form.quantity.trim(), price: form.price.trim(), fees: form.fees.trim() || "0" } },
      { onSuccess: onDone },
    );
  const e = update.error ? asAppError(update.error) : null;
  const formLevel = e && !(e.kind === "Validation" && FIELDS.includes(e.data.field as keyof FillEdit));
  const cell = (k: keyof FillEdit, input: ReactNode) => (
    <div className={err(k) ? "field-invalid" : undefined}>
      {input}
      {err(k) && (
        <div className="field-error" role="alert" data-testid={`fill-error-${k}`}>
          {err(k)}
        </div>
      )}
    </div>
  );
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === "Enter") save();
    if (ev.key === "Escape") {
      ev.stopPropagation();
      onDone();
    }
  };
  return (
    <tr className="fill-editing" data-testid="fill-editor" onKeyDown={onKey}>
      <td>
        {cell(
          "executed_at",
          <input type="datetime-local" step={1} value={form.executed_at} onChange={(ev) => set("executed_at", ev.target.value)} aria-label={`Time in ${fill.source_tz}`} data-testid="fill-edit-time" />,
        )}
        <div className="muted small">{fill.source_tz}</div>
      </td>
      <td>
        {cell(
          "side",
          <select value={form.side} onChange={(ev) => set("side", ev.target.value as Side)} aria-label="Side" data-testid="fill-edit-side">
            <option value="buy">Buy</option>
            <option value="sell">Sell</option>
          </select>,
        )}
      </td>
      <td>{cell("quantity", <input className="num input-narrow" inputMode="decimal" value={form.quantity} onChange={(ev) => set("quantity", ev.target.value)} aria-label="Quantity" data-testid="fill-edit-qty" />)}</td>
      <td>{cell("price", <input className="num input-narrow" inputMode="decimal" value={form.price} onChange={(ev) => set("price", ev.target.value)} aria-label="Price" data-testid="fill-edit-price" />)}</td>
      <td>{cell("fees", <input className="num input-narrow" inputMode="decimal" value={form.fees} onChange={(ev) => set("fees", ev.target.value)} aria-label="Fees" data-testid="fill-edit-fees" />)}</td>
      <td colSpan={2} className="r nowrap">
        <button type="button" className="btn btn-primary btn-small" onClick={save} disabled={update.isPending} data-testid="fill-save">
          {update.isPending ? "Saving…" : "Save"}
        </button>{" "}
        <button type="button" className="btn btn-small" onClick={onDone} data-testid="fill-cancel">
          Cancel
        </button>
        {formLevel && <ErrorNotice error={update.error} title="The fill was not changed" />}
      </td>
    </tr>
  );
}
