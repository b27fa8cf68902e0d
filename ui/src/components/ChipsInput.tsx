import { useId, useState, type KeyboardEvent } from "react";

type Props = {
  id: string;
  values: string[];
  onChange: (v: string[]) => void;
  suggestions: string[];
  placeholder?: string;
  testId: string;
};

/** A list of short labels as removable chips; Enter or comma adds, with suggestions from a datalist. */
export function ChipsInput({ id, values, onChange, suggestions, placeholder, testId }: Props) {
  const [draft, setDraft] = useState("");
  const listId = useId();
  const add = (raw: string) => {
    const v = raw.trim().replace(/,$/, "").trim();
    if (v && !values.includes(v)) onChange([...values, v]);
    setDraft("");
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      add(draft);
    } else if (e.key === "Backspace" && draft === "" && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };
  const offered = suggestions.filter((s) => !values.includes(s));
  return (
    <div className="chips-input">
      {values.map((v) => (
        <span key={v} className="chip chip-removable" data-testid={`${testId}-chip`} data-value={v}>
          {v}
          <button type="button" aria-label={`Remove ${v}`} onClick={() => onChange(values.filter((x) => x !== v))} data-testid={`${testId}-remove`}>
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        list={listId}
        value={draft}
        placeholder={values.length === 0 ? placeholder : "Add…"}
        onChange={(e) => {
          const v = e.target.value;
          // Picking a datalist suggestion fills the whole value at once: take it as a chip.
          if (offered.includes(v) && v.length - draft.length > 1) add(v);
          else setDraft(v);
        }}
        onKeyDown={onKey}
        onBlur={() => draft.trim() && add(draft)}
        autoComplete="off"
        data-testid={testId}
      />
      <datalist id={listId}>
        {offered.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </div>
  );
}
