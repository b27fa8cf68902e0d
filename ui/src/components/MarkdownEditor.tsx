import { useState } from "react";
import { Markdown } from "./Markdown";

type Props = {
  id: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  testId: string;
  rows?: number;
};

/** A markdown textarea with Write / Preview tabs. */
export function MarkdownEditor({ id, value, onChange, placeholder, testId, rows = 8 }: Props) {
  const [preview, setPreview] = useState(false);
  return (
    <div className="md-editor">
      <div className="segmented md-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={!preview} className={!preview ? "active" : ""} onClick={() => setPreview(false)} data-testid={`${testId}-write`}>
          Write
        </button>
        <button type="button" role="tab" aria-selected={preview} className={preview ? "active" : ""} onClick={() => setPreview(true)} data-testid={`${testId}-preview`}>
          Preview
        </button>
        <span className="muted small md-hint">Markdown: **bold**, *italic*, - lists, # headings</span>
      </div>
      {preview ? (
        <div className="md-preview">
          <Markdown text={value} testId={`${testId}-rendered`} />
        </div>
      ) : (
        <textarea id={id} rows={rows} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      )}
    </div>
  );
}
