import { formatMoney, pnlClass } from "../lib/format";

type Props = {
  value: string | null | undefined;
  currency?: string | null;
  /** Colour green/red by sign. */
  pnl?: boolean;
  signed?: boolean;
  className?: string;
};

/** A money amount from a decimal string, in tabular figures. */
export function Money({ value, currency, pnl, signed, className }: Props) {
  const cls = ["num", pnl ? pnlClass(value) : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <span className={cls} data-value={value ?? ""}>
      {formatMoney(value, { currency, signed })}
    </span>
  );
}

/** Whether a fees amount is a net rebate (negative fees: the venue paid the trader). */
export const isRebate = (fees: string | null | undefined): boolean => fees != null && fees.trim().startsWith("-");

/**
 * Fees as a trader reads them: a cost as a plain amount, a net rebate (negative fees) as
 * "rebate" and the amount it paid, in the profit colour.
 */
export function Fees({ value, currency }: { value: string | null | undefined; currency?: string | null }) {
  if (!isRebate(value)) return <Money value={value} currency={currency} />;
  return (
    <span className="num pos fees-rebate" data-value={value ?? ""} title="Net rebate: the venue paid more than the fees cost">
      rebate {formatMoney(value!.trim().slice(1), { currency })}
    </span>
  );
}
