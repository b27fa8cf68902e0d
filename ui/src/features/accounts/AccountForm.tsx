import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { referenceDataQuery, useCreateAccount, useUpdateAccount, type Account, type NewAccount } from "../../lib/ipc";
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

const fromAccount = (a: Account): NewAccount => ({
  name: a.name,
  platform: a.platform,
  broker_account_id: a.broker_account_id,
  currency: a.currency,
  timezone: a.timezone,
  starting_balance: a.starting_balance,
});

type Props = {
  /** Edit this account instead of adding one. */
  account?: Account;
  /** Called with the saved account (added or edited). */
  onCreated: (a: Account) => void;
  onCancel?: () => void;
};

/** Adds an account, or with `account` edits it (same fields, same validation). */
export function AccountForm({ account, onCreated, onCancel }: Props) {
  const refData = useQuery(referenceDataQuery());
  const createMutation = useCreateAccount();
  const updateMutation = useUpdateAccount();
  const create = account ? updateMutation : createMutation;
  const editing = account != null;
  // Ids and test ids differ between the add form and an edit form on the same page.
  const p = editing ? "acc-edit" : "acc";
  const tp = editing ? "account-edit" : "account";
  const [form, setForm] = useState<NewAccount>(() => (account ? fromAccount(account) : initial()));
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
    const input = { ...form, name: form.name.trim(), broker_account_id: form.broker_account_id?.trim() || null, currency: form.currency.trim().toUpperCase(), starting_balance: form.starting_balance.trim() || "0" };
    const onSuccess = (saved: Account) => {
      if (!editing) setForm(initial());
      onCreated(saved);
    };
    if (account) updateMutation.mutate({ id: account.id, input }, { onSuccess });
    else createMutation.mutate(input, { onSuccess });
  };

  // Errors not tied to one of the form's fields are shown above the button.
  const err = create.error ? asAppError(create.error) : null;
  const formLevel = err && !(err.kind === "Validation" && FIELDS.includes(err.data.field as keyof NewAccount));

  return (
    <form
      className={`form card${editing ? " account-edit" : ""}`}
      onSubmit={submit}
      noValidate
      data-testid={editing ? "account-edit-form" : "account-form"}
      onKeyDown={(e) => {
        if (e.key === "Escape" && onCancel) {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <div className="card-head">
        <h2>{editing ? `Edit “${account.name}”` : "Add account"}</h2>
        {editing && <span className="muted">changing the time zone or currency does not rewrite imported times or amounts</span>}
      </div>
      <div className="form-grid">
        <Field label="Name" htmlFor={`${p}-name`} error={errorFor("name")}>
          <input id={`${p}-name`} value={form.name} onChange={(e) => set("name", e.target.value)} autoComplete="off" data-testid={`${tp}-name`} />
        </Field>
        <Field label="Platform" htmlFor={`${p}-platform`} error={errorFor("platform")}>
          <select id={`${p}-platform`} value={form.platform} onChange={(e) => set("platform", e.target.value)} data-testid={`${tp}-platform`}>
            <option value="">Choose…</option>
            {(refData.data?.platforms ?? []).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Broker account id" htmlFor={`${p}-broker-id`} error={errorFor("broker_account_id")} hint="Optional; as it appears in exports.">
          <input id={`${p}-broker-id`} value={form.broker_account_id ?? ""} onChange={(e) => set("broker_account_id", e.target.value || null)} autoComplete="off" data-testid={`${tp}-broker-id`} />
        </Field>
        <Field label="Currency" htmlFor={`${p}-currency`} error={errorFor("currency")}>
          <input id={`${p}-currency`} value={form.currency} maxLength={8} onChange={(e) => set("currency", e.target.value)} autoComplete="off" data-testid={`${tp}-currency`} />
        </Field>
        <Field label="Time zone" htmlFor={`${p}-tz`} error={errorFor("timezone")} hint="The zone the broker writes export times in.">
          <input id={`${p}-tz`} list={`${p}-tz-list`} value={form.timezone} onChange={(e) => set("timezone", e.target.value)} autoComplete="off" data-testid={`${tp}-timezone`} />
          <datalist id={`${p}-tz-list`}>
            {COMMON_TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label="Starting balance" htmlFor={`${p}-balance`} error={errorFor("starting_balance")}>
          <input id={`${p}-balance`} inputMode="decimal" className="num" value={form.starting_balance} onChange={(e) => set("starting_balance", e.target.value)} autoComplete="off" data-testid={`${tp}-balance`} />
        </Field>
      </div>
      {refData.isError && <ErrorNotice error={refData.error} title="Could not load the list of platforms" onRetry={() => void refData.refetch()} />}
      {formLevel && <ErrorNotice error={create.error} title={editing ? "The account was not changed" : "Could not create the account"} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid={editing ? "account-edit-save" : "account-submit"}>
          {editing ? (create.isPending ? "Saving…" : "Save account") : create.isPending ? "Adding…" : "Add account"}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel} data-testid="account-edit-cancel">
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
