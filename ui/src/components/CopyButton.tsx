import { useEffect, useState } from "react";

/** Copies text to the clipboard; falls back to a hidden textarea and `copy` where the Clipboard API is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the older way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

type Props = { text: string; label?: string; testId?: string };

/** A "Copy" button that says "Copied" for a moment, or asks to copy by hand when the clipboard refuses. */
export function CopyButton({ text, label = "Copy", testId }: Props) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = window.setTimeout(() => setState("idle"), 2500);
    return () => window.clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => void copyText(text).then((ok) => setState(ok ? "copied" : "failed"))}
      title={state === "failed" ? "The clipboard refused: select the text and copy it by hand" : `Copy ${text}`}
      data-testid={testId}
      data-state={state}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy by hand" : label}
    </button>
  );
}
