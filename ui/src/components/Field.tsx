import type { ReactNode } from "react";

type Props = {
  label: string;
  htmlFor: string;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
};

/** A labelled form control with its hint and its validation error below. */
export function Field({ label, htmlFor, error, hint, children, className }: Props) {
  return (
    <div className={`field${error ? " field-invalid" : ""}${className ? " " + className : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error ? (
        <div className="field-error" role="alert" id={`${htmlFor}-error`}>
          {error}
        </div>
      ) : hint ? (
        <div className="field-hint">{hint}</div>
      ) : null}
    </div>
  );
}
