import type { PageId } from "../lib/nav";

const PATHS: Record<PageId, string> = {
  dashboard: "M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z",
  trades: "M3 5h18v2H3zm0 6h18v2H3zm0 6h18v2H3z",
  import: "M12 3v10.6l3.3-3.3 1.4 1.4L12 16.4l-4.7-4.7 1.4-1.4 3.3 3.3V3zM4 19h16v2H4z",
  accounts: "M4 6h16v12H4zm2 2v8h12V8zm2 2h5v2H8z",
  "add-trade": "M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z",
  reports: "M4 20V10h3v10zm6 0V4h3v16zm6 0v-7h3v7z",
  journal: "M6 3h11a2 2 0 0 1 2 2v16H6a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm0 2v14h11V5zm2 2h7v2H8zm0 4h7v2H8z",
  settings: "M12 8a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM11 2h2v3h-2zm0 17h2v3h-2zM2 11h3v2H2zm17 0h3v2h-3z",
  community: "M8 5a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm8 1a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zM2 19c0-3 3-5 6-5s6 2 6 5v1H2zm13.5-4.6c.6-.3 1.5-.4 2.5-.4 2.5 0 4 1.5 4 4v2h-6v-1c0-1.8-.2-3.4-.5-4.6z",
  admin: "M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5zm0 2.1L6 6.4V11c0 3.9 2.5 7.4 6 8.9 3.5-1.5 6-5 6-8.9V6.4zM11 8h2v5h-2zm0 6h2v2h-2z",
};

export function NavIcon({ page }: { page: PageId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path d={PATHS[page]} fill="currentColor" />
    </svg>
  );
}
