// Names of the multi-leg strategy kinds (tradebook_core::StrategyKind::as_str).

const LABELS: Record<string, string> = {
  vertical: "Vertical",
  straddle: "Straddle",
  strangle: "Strangle",
  iron_condor: "Iron condor",
  iron_butterfly: "Iron butterfly",
  butterfly: "Butterfly",
  calendar: "Calendar",
  diagonal: "Diagonal",
  covered_call: "Covered call",
  custom: "Custom",
};

/** A strategy kind for people (`iron_condor` → "Iron condor"); an unknown kind as written. */
export const strategyLabel = (kind: string): string => LABELS[kind] ?? kind;
