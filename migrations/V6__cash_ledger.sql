-- Tradebook local store, schema 6: the cash ledger and the balances brokers state (issue 15).
--
-- Cash movements are money in or out of an account that is not a trade: deposits,
-- withdrawals, dividends, interest, fees outside trades, transfers. An account's balance at
-- an instant is its starting balance + the cash movements until then + the realized net P&L
-- of the trades closed until then. Broker balances are what a broker file states the
-- account's cash (or net liquidation value) was at an instant; the reconciliation report
-- compares the two. Both come from imports (a batch's undo removes them) or, for cash
-- movements, from the user (batch_id NULL). Neither is synced with a community.

CREATE TABLE cash_movements (
    id          TEXT PRIMARY KEY,                 -- UUID
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    batch_id    TEXT REFERENCES import_batches(id) ON DELETE CASCADE, -- NULL: entered by hand
    kind        TEXT NOT NULL CHECK (kind IN ('deposit', 'withdrawal', 'dividend', 'interest', 'fee', 'transfer', 'other')),
    amount      TEXT NOT NULL,                    -- signed decimal: > 0 into the account
    currency    TEXT NOT NULL,                    -- ISO 4217
    occurred_at TEXT NOT NULL,                    -- UTC instant (fixed-width, text order = time order)
    source_tz   TEXT NOT NULL,                    -- IANA zone the source wrote the time in
    description TEXT NOT NULL,
    dedupe_key  TEXT NOT NULL,                    -- row hash + occurrence (imports), UUID (by hand)
    UNIQUE (account_id, dedupe_key)
);
CREATE INDEX cash_movements_by_time ON cash_movements (account_id, occurred_at);
CREATE INDEX cash_movements_by_batch ON cash_movements (batch_id);

CREATE TABLE broker_balances (
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    batch_id    TEXT REFERENCES import_batches(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,                    -- UTC instant the balance is stated for
    kind        TEXT NOT NULL CHECK (kind IN ('cash', 'net_liquidation')),
    balance     TEXT NOT NULL,                    -- decimal
    currency    TEXT NOT NULL,                    -- ISO 4217
    dedupe_key  TEXT NOT NULL,
    PRIMARY KEY (account_id, dedupe_key)
);
CREATE INDEX broker_balances_by_time ON broker_balances (account_id, at);
CREATE INDEX broker_balances_by_batch ON broker_balances (batch_id);
