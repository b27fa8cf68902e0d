import type { Account } from "../lib/ipc";

type AccountSelectProps = {
  id: string;
  accounts: Account[];
  value: string | null;
  onChange: (id: string | null) => void;
  testId?: string;
};

/** "All accounts" plus each account. */
export function AccountFilter({ id, accounts, value, onChange, testId }: AccountSelectProps) {
  return (
    <select id={id} data-testid={testId} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">All accounts</option>
      {accounts.map((a) => (
        <option key={a.id} value={a.id}>
          {a.name}
        </option>
      ))}
    </select>
  );
}

type DateRangeProps = {
  idPrefix: string;
  from: string | null;
  to: string | null;
  onChange: (from: string | null, to: string | null) => void;
};

/** From / to trading days ("YYYY-MM-DD"), either may be empty. */
export function DateRange({ idPrefix, from, to, onChange }: DateRangeProps) {
  const invalid = from != null && to != null && from > to;
  return (
    <div className={`date-range${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={`${idPrefix}-from`}>From</label>
      <DateInput id={`${idPrefix}-from`} value={from} max={to} onChange={(v) => onChange(v, to)} />
      <label htmlFor={`${idPrefix}-to`}>to</label>
      <DateInput id={`${idPrefix}-to`} value={to} min={from} onChange={(v) => onChange(from, v)} />
      {invalid && <span className="field-error">“From” is after “to”: swap the dates.</span>}
    </div>
  );
}

type DateInputProps = {
  id: string;
  value: string | null;
  min?: string | null;
  max?: string | null;
  onChange: (value: string | null) => void;
};

/**
 * A date input that looks empty when it is. WebKitGTK draws an empty one as
 * today's date in grey, which reads as a set filter: while empty and not
 * focused its date fields are hidden (styles.css, `.date-empty`) under "Any".
 */
function DateInput({ id, value, min, max, onChange }: DateInputProps) {
  return (
    <span className="date-field">
      <input
        id={id}
        type="date"
        className={value ? undefined : "date-empty"}
        placeholder="YYYY-MM-DD"
        value={value ?? ""}
        min={min ?? undefined}
        max={max ?? undefined}
        onChange={(e) => onChange(e.target.value || null)}
      />
      {!value && (
        <span className="date-placeholder" aria-hidden="true">
          Any
        </span>
      )}
    </span>
  );
}

/** The currency to show for a selection: the account's, or the common one. */
export function currencyOf(accounts: Account[] | undefined, accountId: string | null): string | null {
  if (!accounts || accounts.length === 0) return "USD";
  if (accountId) return accounts.find((a) => a.id === accountId)?.currency ?? null;
  const set = new Set(accounts.map((a) => a.currency));
  return set.size === 1 ? accounts[0]!.currency : null;
}
