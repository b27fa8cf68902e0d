import { useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { appInfoQuery, invalidateAll, onDataChanged } from "./lib/ipc";
import { NavContext, PAGES, type PageId } from "./lib/nav";
import { useTheme, type ThemeChoice } from "./lib/theme";
import { DashboardPage } from "./features/dashboard/DashboardPage";
import { TradesPage } from "./features/trades/TradesPage";
import { ImportPage } from "./features/import/ImportPage";
import { AccountsPage } from "./features/accounts/AccountsPage";
import { AddTradePage } from "./features/manual/AddTradePage";
import { NavIcon } from "./components/NavIcon";

export function App() {
  const [page, setPage] = useState<PageId>("dashboard");
  const client = useQueryClient();

  // Rust says data changed (import, edit, another window): refetch everything.
  useEffect(() => onDataChanged(() => void invalidateAll(client)), [client]);

  // Alt+1…5 switch pages.
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
  }, []);

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
                aria-current={page === p.id ? "page" : undefined}
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
            <ThemeSwitch />
            <DataFileStatus />
          </div>
        </aside>
        <main className="content">
          {page === "dashboard" && <DashboardPage />}
          {page === "trades" && <TradesPage />}
          {page === "import" && <ImportPage />}
          {page === "accounts" && <AccountsPage />}
          {page === "add-trade" && <AddTradePage />}
        </main>
      </div>
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
