import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { appInfoQuery, invalidateAll, onDataChanged, onSyncStatus, queryKeys, syncStatusQuery } from "./lib/ipc";
import { COMMUNITY_PAGES, NavContext, OpenTradeContext, PAGES, pageShortcutDigit, type PageId } from "./lib/nav";
import { isStaff } from "./lib/community";
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
const CommunityPage = lazy(() => import("./features/community/CommunityPage").then((m) => ({ default: m.CommunityPage })));
const AdminPage = lazy(() => import("./features/admin/AdminPage").then((m) => ({ default: m.AdminPage })));
const TradeDetailPage = lazy(() =>
  import("./features/trade/TradeDetailPage").then((m) => ({ default: m.TradeDetailPage })),
);
import { NavIcon } from "./components/NavIcon";
import { Dialog } from "./components/Dialog";
import { SyncIndicator } from "./components/SyncIndicator";

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

  // Rust says data changed (import, edit, another window, a sync's pulled rows): refetch everything.
  useEffect(() => onDataChanged(() => void invalidateAll(client)), [client]);

  // The community connection: every change arrives as an event (polled every 30 s as well).
  const sync = useQuery(syncStatusQuery());
  useEffect(() => onSyncStatus((s) => client.setQueryData(queryKeys.syncStatus, s)), [client]);
  const connected = sync.data?.connected === true;
  const staff = connected && isStaff(sync.data?.role);
  const shown = useCallback((id: PageId) => (id === "community" ? connected : id === "admin" ? staff : true), [connected, staff]);
  // Disconnected (or no longer staff) while on a community page: back to the dashboard.
  useEffect(() => {
    if (sync.data && COMMUNITY_PAGES.has(page) && !shown(page)) setPage("dashboard");
  }, [sync.data, page, shown, setPage]);

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

  // Alt+1…9, Alt+0 switch pages (the community pages only while they are shown).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || !/^[0-9]$/.test(e.key)) return;
      const i = (Number(e.key) + 9) % 10;
      const target = PAGES[i];
      if (target && shown(target.id)) {
        e.preventDefault();
        setPage(target.id);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setPage, shown]);

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
            {PAGES.map((p, i) =>
              !shown(p.id) ? null : (
              <button
                key={p.id}
                type="button"
                className={`nav-item${page === p.id ? " active" : ""}`}
                aria-current={page === p.id && !tradeId ? "page" : undefined}
                data-testid={`nav-${p.id}`}
                title={`${p.label} (Alt+${pageShortcutDigit(i)})`}
                onClick={() => setPage(p.id)}
              >
                <NavIcon page={p.id} />
                <span>{p.label}</span>
              </button>
              ),
            )}
          </nav>
          <div className="sidebar-footer">
            <SyncIndicator />
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
            {page === "community" && connected && <CommunityPage />}
            {page === "admin" && staff && <AdminPage />}
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
