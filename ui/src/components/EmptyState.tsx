import { useNavigate } from "../lib/nav";

/** No trades at all: say what to do and offer both ways in. */
export function NoTradesYet() {
  const navigate = useNavigate();
  return (
    <div className="empty-state" data-testid="empty-state">
      <div className="empty-title">No trades yet</div>
      <p>Import a broker export or add a trade. Tradebook keeps everything in one file on this computer.</p>
      <div className="empty-actions">
        <button type="button" className="btn btn-primary" data-testid="empty-import" onClick={() => navigate("import")}>
          Import a broker export
        </button>
        <button type="button" className="btn" data-testid="empty-add-trade" onClick={() => navigate("add-trade")}>
          Add a trade
        </button>
      </div>
    </div>
  );
}
