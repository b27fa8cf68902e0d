import type { PageId } from "../lib/nav";

const PATHS: Record<PageId, string> = {
  dashboard: "M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z",
  trades: "M3 5h18v2H3zm0 6h18v2H3zm0 6h18v2H3z",
  import: "M12 3v10.6l3.3-3.3 1.4 1.4L12 16.4l-4.7-4.7 1.4-1.4 3.3 3.3V3zM4 19h16v2H4z",
  accounts: "M4 6h16v12H4zm2 2v8h12V8zm2 2h5v2H8z",
  "add-trade": "M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z",
};

export function NavIcon({ page }: { page: PageId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path d={PATHS[page]} fill="currentColor" />
    </svg>
  );
}
