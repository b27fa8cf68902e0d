// State-based page switching (no router): App owns the current page and
// pages ask to go elsewhere through useNavigate() / useOpenTrade().

import { createContext, useContext } from "react";

/** Pages in the sidebar, in Alt+1…9 order (new pages are appended so old shortcuts keep their numbers). */
export type PageId = "dashboard" | "trades" | "import" | "accounts" | "add-trade" | "reports" | "journal" | "settings";

export const PAGES: { id: PageId; label: string }[] = [
  { id: "dashboard", label: "Dashboard" },
  { id: "trades", label: "Trades" },
  { id: "import", label: "Import" },
  { id: "accounts", label: "Accounts" },
  { id: "add-trade", label: "Add trade" },
  { id: "reports", label: "Reports" },
  { id: "journal", label: "Journal" },
  { id: "settings", label: "Settings" },
];

export const NavContext = createContext<(page: PageId) => void>(() => {});

export const useNavigate = () => useContext(NavContext);

/** Opens the Trade detail of a trade; Back returns to the page it was opened from. */
export const OpenTradeContext = createContext<(tradeId: string) => void>(() => {});

export const useOpenTrade = () => useContext(OpenTradeContext);
