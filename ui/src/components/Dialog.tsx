import { useEffect, useRef, type ReactNode } from "react";

type Props = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  /** Buttons at the bottom. */
  actions?: ReactNode;
};

/** A modal dialog: Esc or a click on the backdrop closes it; focus moves into it. */
export function Dialog({ title, onClose, children, testId, actions }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        closeRef.current();
      }
    };
    window.addEventListener("keydown", onKey, true);
    const box = boxRef.current;
    // A field if there is one; else the first action, which is the safe one ("Keep", "Cancel").
    const first = ["input, textarea, select", ".dialog-actions button"]
      .map((sel) => box?.querySelector<HTMLElement>(sel))
      .find((el) => el != null);
    first?.focus();
    return () => window.removeEventListener("keydown", onKey, true);
  }, []);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={boxRef} data-testid={testId}>
        <div className="dialog-head">
          <h2>{title}</h2>
          <button type="button" className="btn btn-icon btn-ghost" aria-label="Close" onClick={onClose} data-testid="dialog-close">
            ×
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        {actions && <div className="dialog-actions">{actions}</div>}
      </div>
    </div>
  );
}
