import type { ReactNode } from "react";
import { asAppError, errorAdvice, errorTitle } from "./errors";

type Props = {
  error: unknown;
  /** Replaces the generic title, e.g. "Could not load trades". */
  title?: string;
  onRetry?: () => void;
  children?: ReactNode;
  testId?: string;
  /** Replaces the generic advice of the error's kind. */
  advice?: string;
};

/** An error with what to do next; Import errors also show file and line. */
export function ErrorNotice({ error, title, onRetry, children, testId, advice }: Props) {
  const err = asAppError(error);
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-error-kind={err.kind}>
      <div className="notice-title">{title ?? errorTitle(err)}</div>
      {err.kind === "Import" ? (
        <div className="notice-body">
          <div className="mono">
            {err.data.file}
            {err.data.line != null ? `:${err.data.line}` : ""}
          </div>
          <div>{err.data.message}</div>
        </div>
      ) : (
        <div className="notice-body">{err.data.message}</div>
      )}
      <div className="notice-advice">{advice ?? errorAdvice(err)}</div>
      {children}
      {onRetry && (
        <div className="notice-actions">
          <button type="button" className="btn btn-small" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
