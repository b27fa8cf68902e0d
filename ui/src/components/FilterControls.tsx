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
      <input
        id={`${idPrefix}-from`}
        type="date"
        placeholder="YYYY-MM-DD"
        value={from ?? ""}
        max={to ?? undefined}
        onChange={(e) => onChange(e.target.value || null, to)}
      />
      <label htmlFor={`${idPrefix}-to`}>to</label>
      <input
        id={`${idPrefix}-to`}
        type="date"
        placeholder="YYYY-MM-DD"
        value={to ?? ""}
        min={from ?? undefined}
        onChange={(e) => onChange(from, e.target.value || null)}
      />
      {invalid && <span className="field-error">“From” is after “to”: swap the dates.</span>}
    </div>
  );
}

/** The currency to show for a selection: the account's, or the common one. */
export function currencyOf(accounts: Account[] | undefined, accountId: string | null): string | null {
  if (!accounts || accounts.length === 0) return "USD";
  if (accountId) return accounts.find((a) => a.id === accountId)?.currency ?? null;
  const set = new Set(accounts.map((a) => a.currency));
  return set.size === 1 ? accounts[0]!.currency : null;
}
