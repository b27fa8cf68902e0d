/** Whether a key event comes from a place where the user is typing (single-key shortcuts stay off there). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
  }
  return false;
}

/** A plain key press (no Ctrl/Cmd/Alt) outside text fields. */
export function isPlainKey(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target);
}

/** The shortcuts, as the "?" overlay lists them. */
export const SHORTCUTS: { keys: string; action: string }[] = [
  { keys: "Alt+1 … Alt+8", action: "Switch page (Dashboard, Trades, Import, Accounts, Add trade, Reports, Journal, Settings)" },
  { keys: "Alt+9, Alt+0", action: "Community, Admin (when connected to a community; Admin for admins and moderators)" },
  { keys: "/", action: "Search trades" },
  { keys: "n", action: "Add a trade" },
  { keys: "i", action: "Import a broker export" },
  { keys: "Ctrl/Cmd+A", action: "Select all trades in the list (Trades)" },
  { keys: "Shift+click", action: "Select a range of trades (Trades)" },
  { keys: "Delete", action: "Delete the selected trades (asks first)" },
  { keys: "Esc", action: "Close a dialog, clear the selection, or go back from a trade" },
  { keys: "?", action: "Show this list" },
];
