-- Tradebook local store, schema 7: multi-leg strategies (issue 15).
--
-- A strategy groups round-trip trades opened together on one underlying (a vertical, an
-- iron condor, a covered call ...): the statistics count it as one trade, its legs stay
-- trades of their own. Legs are keyed by trade id, which is stable across recomputation
-- (a trade's id is its opening fill's id), like annotations; a leg whose trade no longer
-- exists is ignored and pruned. Detected strategies come from imports (`source` detected);
-- the user can merge trades into one (`user`) or split one, and a split leg is never
-- grouped automatically again (`strategy_opt_outs`). `rolled_from` links a strategy opened
-- at the instant another one on the same underlying closed.

CREATE TABLE strategies (
    id          TEXT PRIMARY KEY,                 -- UUID
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('vertical', 'straddle', 'strangle', 'iron_condor', 'iron_butterfly',
                                              'butterfly', 'calendar', 'diagonal', 'covered_call', 'custom')),
    underlying  TEXT NOT NULL,
    opened_at   TEXT NOT NULL,                    -- UTC instant of its legs' opening
    source      TEXT NOT NULL CHECK (source IN ('detected', 'user')),
    rolled_from TEXT REFERENCES strategies(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX strategies_by_account ON strategies (account_id, opened_at);

CREATE TABLE strategy_legs (
    trade_id    TEXT PRIMARY KEY,                 -- a trade's id (its opening fill's id)
    strategy_id TEXT NOT NULL REFERENCES strategies(id) ON DELETE CASCADE
);
CREATE INDEX strategy_legs_by_strategy ON strategy_legs (strategy_id);

CREATE TABLE strategy_opt_outs (
    trade_id    TEXT PRIMARY KEY                  -- split off by the user: not grouped again
);
