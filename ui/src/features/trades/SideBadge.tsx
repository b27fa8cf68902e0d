import type { Direction } from "../../lib/ipc";

export function SideBadge({ direction }: { direction: Direction }) {
  return <span className={`side side-${direction}`}>{direction === "long" ? "Long" : "Short"}</span>;
}
