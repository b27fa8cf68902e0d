import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { referenceDataQuery, useCreateAccount, type Account, type NewAccount } from "../../lib/ipc";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/ErrorNotice";
import { asAppError, fieldError } from "../../components/errors";
import { COMMON_TIME_ZONES } from "./timezones";

const FIELDS: (keyof NewAccount)[] = ["name", "platform", "broker_account_id", "currency", "timezone", "starting_balance"];

const initial = (): NewAccount => ({
  name: "",
  platform: "",
  broker_account_id: null,
  currency: "USD",
  timezone: "America/New_York",
  starting_balance: "0",
});

export function AccountForm({ onCreated }: { onCreated: (a: Account) => void }) {
  const refData = useQuery(referenceDataQuery());
  const create = useCreateAccount();
  const [form, setForm] = useState<NewAccount>(initial);
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);

  const set = <K extends keyof NewAccount>(k: K, v: NewAccount[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setLocalError(null);
    if (create.error) create.reset();
  };

  const errorFor = (field: keyof NewAccount) =>
    (localError?.field === field ? localError.message : null) ?? fieldError(create.error, field);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return setLocalError({ field: "name", message: "Give the account a name, e.g. “Schwab IRA” or “Topstep 50K”." });
    if (!form.platform) return setLocalError({ field: "platform", message: "Choose the broker or platform (or “other”)." });
    create.mutate(
      { ...form, name: form.name.trim(), broker_account_id: form.broker_account_id?.trim() || null, currency: form.currency.trim().toUpperCase(), starting_balance: form.starting_balance.trim() || "0" },
      {
        onSuccess: (account) => {
          setForm(initial());
          onCreated(account);
        },
      },
    );
  };

  // Errors not tied to one of the form's fields are shown above the button.
  const err = create.error ? asAppError(create.error) : null;
  const formLevel = err && !(err.kind === "Validation" && FIELDS.includes(err.data.field as keyof NewAccount));

  return (
    <form className="form card" onSubmit={submit} noValidate data-testid="account-form">
      <div className="card-head">
        <h2>Add account</h2>
      </div>
      <div className="form-grid">
        <Field label="Name" htmlFor="acc-name" error={errorFor("name")}>
          <input id="acc-name" value={form.name} onChange={(e) => set("name", e.target.value)} autoComplete="off" data-testid="account-name" />
        </Field>
        <Field label="Platform" htmlFor="acc-platform" error={errorFor("platform")}>
          <select id="acc-platform" value={form.platform} onChange={(e) => set("platform", e.target.value)} data-testid="account-platform">
            <option value="">Choose…</option>
            {(refData.data?.platforms ?? []).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Broker account id" htmlFor="acc-broker-id" error={errorFor("broker_account_id")} hint="Optional; as it appears in exports.">
          <input id="acc-broker-id" value={form.broker_account_id ?? ""} onChange={(e) => set("broker_account_id", e.target.value || null)} autoComplete="off" />
        </Field>
        <Field label="Currency" htmlFor="acc-currency" error={errorFor("currency")}>
          <input id="acc-currency" value={form.currency} maxLength={8} onChange={(e) => set("currency", e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Time zone" htmlFor="acc-tz" error={errorFor("timezone")} hint="The zone the broker writes export times in.">
          <input id="acc-tz" list="acc-tz-list" value={form.timezone} onChange={(e) => set("timezone", e.target.value)} autoComplete="off" />
          <datalist id="acc-tz-list">
            {COMMON_TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label="Starting balance" htmlFor="acc-balance" error={errorFor("starting_balance")}>
          <input id="acc-balance" inputMode="decimal" className="num" value={form.starting_balance} onChange={(e) => set("starting_balance", e.target.value)} autoComplete="off" />
        </Field>
      </div>
      {refData.isError && <ErrorNotice error={refData.error} title="Could not load the list of platforms" onRetry={() => void refData.refetch()} />}
      {formLevel && <ErrorNotice error={create.error} title="Could not create the account" />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="account-submit">
          {create.isPending ? "Adding…" : "Add account"}
        </button>
      </div>
    </form>
  );
}
