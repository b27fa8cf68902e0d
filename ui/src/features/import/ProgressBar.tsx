import type { ImportProgress } from "../../lib/ipc";
import { formatBytes, formatInteger } from "../../lib/format";

export function ProgressBar({ progress }: { progress: ImportProgress | null }) {
  const total = progress?.total_bytes ?? 0;
  const read = progress?.bytes_read ?? 0;
  const ratio = progress && total > 0 ? Math.min(1, read / total) : null;
  return (
    <div className="progress-wrap" data-testid="import-progress">
      <div
        className={`progress${ratio == null ? " progress-indeterminate" : ""}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={ratio == null ? undefined : Math.round(ratio * 100)}
      >
        <div className="progress-fill" style={{ width: ratio == null ? undefined : `${(ratio * 100).toFixed(1)}%` }} />
      </div>
      <div className="progress-label muted num">
        {progress
          ? `${formatBytes(read)} of ${formatBytes(total)} · ${formatInteger(progress.rows_read)} rows`
          : "Starting…"}
      </div>
    </div>
  );
}
