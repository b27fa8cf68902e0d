// State-based page switching (no router): App owns the current page and
// pages ask to go elsewhere through useNavigate() / useOpenTrade().

import { createContext, useContext } from "react";

/** Pages in the sidebar, in Alt+1…9 order (new pages are appended so old shortcuts keep their numbers). */
export type PageId =
  | "dashboard"
  | "trades"
  | "import"
  | "accounts"
  | "add-trade"
  | "reports"
  | "journal"
  | "settings"
  | "community"
  | "admin";

export const PAGES: { id: PageId; label: string }[] = [
  { id: "dashboard", label: "Dashboard" },
  { id: "trades", label: "Trades" },
  { id: "import", label: "Import" },
  { id: "accounts", label: "Accounts" },
  { id: "add-trade", label: "Add trade" },
  { id: "reports", label: "Reports" },
  { id: "journal", label: "Journal" },
  { id: "settings", label: "Settings" },
  // Shown only when connected to a community (Admin: for its admins and moderators).
  { id: "community", label: "Community" },
  { id: "admin", label: "Admin" },
];

/** Pages that exist only with a community connection. */
export const COMMUNITY_PAGES: ReadonlySet<PageId> = new Set<PageId>(["community", "admin"]);

/** The Alt+digit of the page at `index` in PAGES (Alt+1 … Alt+9, then Alt+0). */
export const pageShortcutDigit = (index: number): string => String((index + 1) % 10);

export const NavContext = createContext<(page: PageId) => void>(() => {});

export const useNavigate = () => useContext(NavContext);

/** Opens the Trade detail of a trade; Back returns to the page it was opened from. */
export const OpenTradeContext = createContext<(tradeId: string) => void>(() => {});

export const useOpenTrade = () => useContext(OpenTradeContext);

/**
 * Brings the element with `id` into view and focus once it is on screen (the page it is on
 * may still be loading after a page switch). Gives up after about three seconds.
 */
export function revealWhenShown(id: string): void {
  const started = performance.now();
  const attempt = () => {
    const el = document.getElementById(id);
    if (el) {
      el.scrollIntoView({ block: "start", behavior: "smooth" });
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus({ preventScroll: true });
    } else if (performance.now() - started < 3000) {
      requestAnimationFrame(attempt);
    }
  };
  requestAnimationFrame(attempt);
}
