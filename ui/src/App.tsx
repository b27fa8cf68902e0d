import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { appInfoQuery, invalidateAll, onDataChanged } from "./lib/ipc";
import { NavContext, OpenTradeContext, PAGES, type PageId } from "./lib/nav";
import { isPlainKey, SHORTCUTS } from "./lib/keys";
import { useTheme, type ThemeChoice } from "./lib/theme";
import { DashboardPage } from "./features/dashboard/DashboardPage";
import { Loading } from "./components/Loading";

// The dashboard is what opens; every other page loads when first shown, so the window
// becomes interactive without parsing the whole UI (markdown, tables, forms) first.
const TradesPage = lazy(() => import("./features/trades/TradesPage").then((m) => ({ default: m.TradesPage })));
const ImportPage = lazy(() => import("./features/import/ImportPage").then((m) => ({ default: m.ImportPage })));
const AccountsPage = lazy(() => import("./features/accounts/AccountsPage").then((m) => ({ default: m.AccountsPage })));
const AddTradePage = lazy(() => import("./features/manual/AddTradePage").then((m) => ({ default: m.AddTradePage })));
const ReportsPage = lazy(() => import("./features/reports/ReportsPage").then((m) => ({ default: m.ReportsPage })));
const JournalPage = lazy(() => import("./features/journal/JournalPage").then((m) => ({ default: m.JournalPage })));
const SettingsPage = lazy(() => import("./features/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })));
const TradeDetailPage = lazy(() =>
  import("./features/trade/TradeDetailPage").then((m) => ({ default: m.TradeDetailPage })),
);
import { NavIcon } from "./components/NavIcon";
import { Dialog } from "./components/Dialog";

export function App() {
  const [page, setPageState] = useState<PageId>("dashboard");
  // The Trade detail shows over the page it was opened from; Back (or a page switch) closes it.
  const [tradeId, setTradeId] = useState<string | null>(null);
  const [showKeys, setShowKeys] = useState(false);
  // Bumped by "/" so the Trades page focuses its search box.
  const [searchToken, setSearchToken] = useState(0);
  const client = useQueryClient();
  const setPage = useCallback((p: PageId) => {
    setTradeId(null);
    setPageState(p);
  }, []);
  const openTrade = useCallback((id: string) => setTradeId(id), []);

  // Rust says data changed (import, edit, another window): refetch everything.
  useEffect(() => onDataChanged(() => void invalidateAll(client)), [client]);

  // Single-key shortcuts outside text fields: "/" search, "n" add trade, "i" import, "?" help.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPlainKey(e) || e.defaultPrevented) return;
      if (e.key === "?") {
        e.preventDefault();
        setShowKeys(true);
      } else if (e.key === "/") {
        e.preventDefault();
        setPage("trades");
        setSearchToken((n) => n + 1);
      } else if (e.key === "n") {
        e.preventDefault();
        setPage("add-trade");
      } else if (e.key === "i") {
        e.preventDefault();
        setPage("import");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setPage]);

  // Alt+1…8 switch pages.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const i = Number(e.key) - 1;
      const target = PAGES[i];
      if (target) {
        e.preventDefault();
        setPage(target.id);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setPage]);

  // A file dropped outside the drop zone must not make the webview navigate to it.
  useEffect(() => {
    const prevent = (e: DragEvent) => e.preventDefault();
    window.addEventListener("dragover", prevent);
    window.addEventListener("drop", prevent);
    return () => {
      window.removeEventListener("dragover", prevent);
      window.removeEventListener("drop", prevent);
    };
  }, []);

  return (
    <NavContext.Provider value={setPage}>
    <OpenTradeContext.Provider value={openTrade}>
      <div className="app">
        <aside className="sidebar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Tradebook
          </div>
          <nav className="nav" aria-label="Pages">
            {PAGES.map((p, i) => (
              <button
                key={p.id}
                type="button"
                className={`nav-item${page === p.id ? " active" : ""}`}
                aria-current={page === p.id && !tradeId ? "page" : undefined}
                data-testid={`nav-${p.id}`}
                title={`${p.label} (Alt+${i + 1})`}
                onClick={() => setPage(p.id)}
              >
                <NavIcon page={p.id} />
                <span>{p.label}</span>
              </button>
            ))}
          </nav>
          <div className="sidebar-footer">
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setShowKeys(true)} data-testid="shortcuts-open" title="Keyboard shortcuts (?)">
              Keyboard shortcuts <kbd>?</kbd>
            </button>
            <ThemeSwitch />
            <DataFileStatus />
          </div>
        </aside>
        <main className="content">
          <Suspense fallback={<Loading />}>
          {tradeId && <TradeDetailPage tradeId={tradeId} onBack={() => setTradeId(null)} />}
          {/* The page under a trade detail stays mounted (hidden) so Back keeps its filters, selection and scroll. */}
          <div hidden={tradeId != null} className="page-host">
            {page === "dashboard" && <DashboardPage />}
            {page === "trades" && <TradesPage searchToken={searchToken} active={tradeId == null} />}
            {page === "import" && <ImportPage />}
            {page === "accounts" && <AccountsPage />}
            {page === "add-trade" && <AddTradePage />}
            {page === "reports" && <ReportsPage />}
            {page === "journal" && <JournalPage />}
            {page === "settings" && <SettingsPage />}
          </div>
          </Suspense>
        </main>
      </div>
      {showKeys && (
        <Dialog title="Keyboard shortcuts" onClose={() => setShowKeys(false)} testId="shortcuts-overlay">
          <table className="table table-compact">
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.keys}>
                  <td className="nowrap">
                    <kbd>{s.keys}</kbd>
                  </td>
                  <td>{s.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Dialog>
      )}
    </OpenTradeContext.Provider>
    </NavContext.Provider>
  );
}

function ThemeSwitch() {
  const { choice, setChoice } = useTheme();
  const options: { id: ThemeChoice; label: string }[] = [
    { id: "system", label: "Auto" },
    { id: "light", label: "Light" },
    { id: "dark", label: "Dark" },
  ];
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {options.map((o) => (
        <button
          key={o.id}
          type="button"
          role="radio"
          aria-checked={choice === o.id}
          className={choice === o.id ? "active" : ""}
          onClick={() => setChoice(o.id)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

function DataFileStatus() {
  const info = useQuery(appInfoQuery());
  if (info.isPending) return <div className="status-line">Connecting…</div>;
  if (info.isError)
    return (
      <div className="status-line status-error" title={info.error.message} data-testid="app-status">
        Not connected to the data file. Restart Tradebook; if that fails, check the data folder is writable.
      </div>
    );
  return (
    <div className="status-line" data-testid="app-status">
      <div className="status-label">
        Data file <span className="status-version">v{info.data.version}</span>
      </div>
      <div className="status-path mono" title={info.data.db_path}>
        {info.data.db_path}
      </div>
    </div>
  );
}
