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
