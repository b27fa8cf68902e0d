// State-based page switching (no router): App owns the current page and
// pages ask to go elsewhere through useNavigate().

import { createContext, useContext } from "react";

export type PageId = "dashboard" | "trades" | "import" | "accounts" | "add-trade";

export const PAGES: { id: PageId; label: string }[] = [
  { id: "dashboard", label: "Dashboard" },
  { id: "trades", label: "Trades" },
  { id: "import", label: "Import" },
  { id: "accounts", label: "Accounts" },
  { id: "add-trade", label: "Add trade" },
];

export const NavContext = createContext<(page: PageId) => void>(() => {});

export const useNavigate = () => useContext(NavContext);
