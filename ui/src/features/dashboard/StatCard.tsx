import type { ReactNode } from "react";

type Props = {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  testId?: string;
  /** Raw value for tests and tooling (e.g. the exact decimal string). */
  dataValue?: string;
  /** "pos", "neg", "zero" or "" (colours the value). */
  tone?: string;
  title?: string;
};

export function StatCard({ label, value, sub, testId, dataValue, tone, title }: Props) {
  return (
    <div className="stat-card" title={title}>
      <div className="stat-label">{label}</div>
      <div className={`stat-value num ${tone ?? ""}`} data-testid={testId} data-value={dataValue}>
        {value}
      </div>
      {sub != null && <div className="stat-sub">{sub}</div>}
    </div>
  );
}
