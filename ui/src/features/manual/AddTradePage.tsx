import { useEffect, useMemo, useState, type FormEvent } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  accountsQuery,
  manualPreviewQuery,
  useAddManualTrade,
  type AssetClass,
  type Direction,
  type ManualTrade,
  type Trade,
} from "../../lib/ipc";
import { useDebounced } from "../../lib/hooks";
import { useNavigate } from "../../lib/nav";
import { ASSET_CLASS_LABELS, formatMoney, formatPrice, formatQty } from "../../lib/format";
import { PageHeader } from "../../components/PageHeader";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Loading } from "../../components/Loading";
import { asAppError, fieldError, fieldLabel } from "../../components/errors";
import { PnlPreview } from "./PnlPreview";

type Form = {
  account_id: string;
  symbol: string;
  asset_class: AssetClass;
  direction: Direction;
  quantity: string;
  entry_price: string;
  entry_time: string;
  exit_price: string;
  exit_time: string;
  fees: string;
};
type FieldName = keyof Form;

const FIELDS: FieldName[] = ["account_id", "symbol", "asset_class", "direction", "quantity", "entry_price", "entry_time", "exit_price", "exit_time", "fees"];
const ASSET_CLASSES: AssetClass[] = ["stock", "option", "future"];

const blank = (account_id: string, keep?: Partial<Form>): Form => ({
  account_id,
  symbol: "",
  asset_class: keep?.asset_class ?? "stock",
  direction: keep?.direction ?? "long",
  quantity: "",
  entry_price: "",
  entry_time: "",
  exit_price: "",
  exit_time: "",
  fees: "",
});

function toInput(f: Form): ManualTrade {
  return {
    account_id: f.account_id,
    symbol: f.symbol.trim(),
    asset_class: f.asset_class,
    direction: f.direction,
    quantity: f.quantity.trim(),
    entry_price: f.entry_price.trim(),
    entry_time: f.entry_time,
    exit_price: f.exit_price.trim() || null,
    exit_time: f.exit_time || null,
    fees: f.fees.trim() || "0",
  };
}

const SYMBOL_HINTS: Partial<Record<AssetClass, string>> = {
  stock: "Ticker, e.g. AAPL or SPY.",
  option: "Option symbol; the multiplier is 100 unless the contract says otherwise.",
  future: "Contract, e.g. ES, MNQ or ESH6; P&L uses the root's point value.",
};

export function AddTradePage() {
  const navigate = useNavigate();
  const accounts = useQuery(accountsQuery());
  const save = useAddManualTrade();
  const [form, setForm] = useState<Form>(() => blank(""));
  const [touched, setTouched] = useState<Set<FieldName>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState<Trade | null>(null);

  // Default to the first account once accounts are known.
  useEffect(() => {
    const list = accounts.data?.filter((a) => !a.archived);
    if (list && list.length > 0 && !list.some((a) => a.id === form.account_id)) {
      setForm((f) => ({ ...f, account_id: list[0]!.id }));
    }
  }, [accounts.data, form.account_id]);

  const input = useMemo(() => toInput(form), [form]);
  const debounced = useDebounced(input, 200);
  const preview = useQuery({
    ...manualPreviewQuery(debounced),
    enabled: debounced.account_id !== "",
    placeholderData: keepPreviousData,
  });

  const set = <K extends FieldName>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((t) => (t.has(k) ? t : new Set(t).add(k)));
    if (save.error) save.reset();
  };
  const touch = (k: FieldName) => setTouched((t) => (t.has(k) ? t : new Set(t).add(k)));

  /** Save errors first; preview errors once the field was edited (or Save pressed). */
  const errorFor = (k: FieldName): string | null =>
    fieldError(save.error, k) ?? (touched.has(k) || submitted ? fieldError(preview.error, k) : null);

  const account = accounts.data?.find((a) => a.id === form.account_id);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    save.mutate(input, {
      onSuccess: (trade) => {
        setSaved(trade);
        setForm((f) => blank(f.account_id, f));
        setTouched(new Set());
        setSubmitted(false);
      },
    });
  };

  if (accounts.isPending) return <div className="page" data-testid="page-add-trade"><Loading /></div>;

  const saveErr = save.error ? asAppError(save.error) : null;
  const saveFormLevel = saveErr && !(saveErr.kind === "Validation" && FIELDS.includes(saveErr.data.field as FieldName));
  const previewErr = preview.error ? asAppError(preview.error) : null;
  const previewFieldErr = previewErr?.kind === "Validation" && FIELDS.includes(previewErr.data.field as FieldName) ? previewErr.data.field : null;
  // A preview Validation error on a field not yet edited becomes a prompt, not an error.
  const pending =
    previewFieldErr != null && !touched.has(previewFieldErr as FieldName) && !submitted
      ? `Enter the ${fieldLabel(previewFieldErr).toLowerCase()} to see the P&L.`
      : null;

  return (
    <div className="page" data-testid="page-add-trade">
      <PageHeader title="Add trade" subtitle="Enter a trade by hand. Tradebook creates the fills behind it, like an import." />

      {accounts.isError && <ErrorNotice error={accounts.error} title="Could not load accounts" onRetry={() => void accounts.refetch()} />}

      {accounts.data && accounts.data.length === 0 && (
        <div className="empty-state">
          <div className="empty-title">Add an account first</div>
          <p>A trade belongs to an account. Create one, or import a broker export and Tradebook creates it.</p>
          <div className="empty-actions">
            <button type="button" className="btn btn-primary" onClick={() => navigate("accounts")}>
              Add an account
            </button>
            <button type="button" className="btn" onClick={() => navigate("import")}>
              Import a broker export
            </button>
          </div>
        </div>
      )}

      {saved && (
        <div className="notice notice-ok" role="status" data-testid="manual-saved" data-trade-id={saved.id}>
          <div className="notice-title">Trade saved</div>
          <div>
            {saved.direction === "long" ? "Long" : "Short"} {formatQty(saved.quantity)} {saved.symbol} @ {formatPrice(saved.entry_price)}
            {saved.exit_price != null ? ` → ${formatPrice(saved.exit_price)}` : " (open)"} in {saved.account_name}
            {saved.status === "closed" && (
              <>
                {" "}· net <strong>{formatMoney(saved.net_pnl, { currency: account?.currency })}</strong>
                {saved.trading_day && <> · trading day {saved.trading_day}</>}
              </>
            )}
          </div>
          <div className="notice-actions">
            <button type="button" className="btn btn-small" onClick={() => navigate("trades")}>
              View trades
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setSaved(null)}>
              Dismiss
            </button>
          </div>
        </div>
      )}

      {accounts.data && accounts.data.length > 0 && (
        <div className="manual-layout">
          <form className="card form" onSubmit={submit} noValidate data-testid="manual-form">
            <div className="form-grid">
              <Field label="Account" htmlFor="mt-account" error={errorFor("account_id")}>
                <select id="mt-account" data-testid="manual-account" value={form.account_id} onChange={(e) => set("account_id", e.target.value)}>
                  {accounts.data.filter((a) => !a.archived || a.id === form.account_id).map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Asset class" htmlFor="mt-asset" error={errorFor("asset_class")}>
                <select id="mt-asset" data-testid="manual-asset-class" value={form.asset_class} onChange={(e) => set("asset_class", e.target.value as AssetClass)}>
                  {ASSET_CLASSES.map((c) => (
                    <option key={c} value={c}>
                      {ASSET_CLASS_LABELS[c]}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Symbol" htmlFor="mt-symbol" error={errorFor("symbol")} hint={SYMBOL_HINTS[form.asset_class]}>
                <input
                  id="mt-symbol"
                  data-testid="manual-symbol"
                  value={form.symbol}
                  onChange={(e) => set("symbol", e.target.value.toUpperCase())}
                  onBlur={() => touch("symbol")}
                  autoComplete="off"
                  spellCheck={false}
                />
              </Field>
              <Field label="Direction" htmlFor="mt-direction" error={errorFor("direction")}>
                <div className="segmented segmented-wide" role="radiogroup" id="mt-direction" aria-label="Direction">
                  {(["long", "short"] as const).map((d) => (
                    <button
                      key={d}
                      type="button"
                      role="radio"
                      aria-checked={form.direction === d}
                      className={form.direction === d ? `active side-${d}` : ""}
                      onClick={() => set("direction", d)}
                      data-testid={`manual-direction-${d}`}
                    >
                      {d === "long" ? "Long (buy first)" : "Short (sell first)"}
                    </button>
                  ))}
                </div>
              </Field>
              <Field label="Quantity" htmlFor="mt-qty" error={errorFor("quantity")} hint="Shares or contracts.">
                <input id="mt-qty" data-testid="manual-quantity" className="num" inputMode="decimal" value={form.quantity} onChange={(e) => set("quantity", e.target.value)} onBlur={() => touch("quantity")} autoComplete="off" />
              </Field>
              <Field label="Fees" htmlFor="mt-fees" error={errorFor("fees")} hint="Commissions and fees, both sides; negative for a net rebate. Empty means 0.">
                <input id="mt-fees" data-testid="manual-fees" className="num" inputMode="decimal" value={form.fees} placeholder="0" onChange={(e) => set("fees", e.target.value)} onBlur={() => touch("fees")} autoComplete="off" />
              </Field>
              <Field label="Entry price" htmlFor="mt-entry-price" error={errorFor("entry_price")}>
                <input id="mt-entry-price" data-testid="manual-entry-price" className="num" inputMode="decimal" value={form.entry_price} onChange={(e) => set("entry_price", e.target.value)} onBlur={() => touch("entry_price")} autoComplete="off" />
              </Field>
              <Field label="Entry time" htmlFor="mt-entry-time" error={errorFor("entry_time")} hint={account ? `In ${account.timezone} (the account's time zone).` : undefined}>
                <input id="mt-entry-time" data-testid="manual-entry-time" type="datetime-local" placeholder="YYYY-MM-DDTHH:MM" value={form.entry_time} onChange={(e) => set("entry_time", e.target.value)} onBlur={() => touch("entry_time")} />
              </Field>
              <Field label="Exit price" htmlFor="mt-exit-price" error={errorFor("exit_price")} hint="Leave empty for an open trade.">
                <input id="mt-exit-price" data-testid="manual-exit-price" className="num" inputMode="decimal" value={form.exit_price} onChange={(e) => set("exit_price", e.target.value)} onBlur={() => touch("exit_price")} autoComplete="off" />
              </Field>
              <Field label="Exit time" htmlFor="mt-exit-time" error={errorFor("exit_time")} hint="Leave empty for an open trade.">
                <input id="mt-exit-time" data-testid="manual-exit-time" type="datetime-local" placeholder="YYYY-MM-DDTHH:MM" value={form.exit_time} onChange={(e) => set("exit_time", e.target.value)} onBlur={() => touch("exit_time")} />
              </Field>
            </div>
            {saveFormLevel && <ErrorNotice error={save.error} title="The trade was not saved" />}
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="manual-save">
                {save.isPending ? "Saving…" : "Save trade"}
              </button>
            </div>
          </form>
          <PnlPreview
            pnl={preview.data ?? null}
            loading={preview.isFetching}
            currency={account?.currency ?? null}
            prompt={pending}
            error={previewErr && previewFieldErr == null ? preview.error : null}
            invalid={previewFieldErr != null && !pending}
          />
        </div>
      )}
    </div>
  );
}
