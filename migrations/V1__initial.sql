-- Tradebook local store, schema 1.
-- Money, prices and quantities are exact decimal TEXT (rust_decimal's canonical form).
-- Instants are UTC TEXT in the fixed-width form YYYY-MM-DDTHH:MM:SS.ffffffZ, so text order
-- is time order.

CREATE TABLE accounts (
    id                TEXT PRIMARY KEY,            -- UUID
    name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    platform          TEXT NOT NULL,
    broker_account_id TEXT,
    currency          TEXT NOT NULL DEFAULT 'USD', -- ISO 4217
    timezone          TEXT NOT NULL DEFAULT 'America/New_York', -- IANA zone of its exports
    starting_balance  TEXT NOT NULL DEFAULT '0',
    archived          INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL
);

CREATE TABLE import_batches (
    id          TEXT PRIMARY KEY,                  -- UUID
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    format      TEXT NOT NULL,
    rows_read   INTEGER NOT NULL DEFAULT 0,
    fills_added INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL
);

-- Fills are the source of truth; trades below are derived from them.
CREATE TABLE fills (
    id           TEXT PRIMARY KEY,                 -- UUID
    account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    batch_id     TEXT REFERENCES import_batches(id) ON DELETE CASCADE, -- NULL: entered by hand
    dedupe_key   TEXT NOT NULL,                    -- broker execution id, else row hash + occurrence
    execution_id TEXT,
    asset_class  TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    underlying   TEXT,
    expiry       TEXT,                             -- YYYY-MM-DD
    strike       TEXT,
    option_right TEXT CHECK (option_right IN ('call', 'put')),
    multiplier   TEXT NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity     TEXT NOT NULL,
    price        TEXT NOT NULL,
    fees         TEXT NOT NULL,
    executed_at  TEXT NOT NULL,
    source_tz    TEXT NOT NULL,
    seq          INTEGER NOT NULL DEFAULT 0,       -- order among equal timestamps (file order, oldest first)
    position_effect TEXT CHECK (position_effect IN ('open', 'close')), -- when the source states it
    UNIQUE (account_id, dedupe_key)
);
CREATE INDEX fills_by_position ON fills (account_id, symbol, executed_at, seq);
CREATE INDEX fills_by_batch ON fills (batch_id);

-- Round-trip trades, recomputed from fills per (account, symbol). A trade's id is its
-- opening fill's id: stable across recomputation.
CREATE TABLE trades (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    symbol          TEXT NOT NULL,
    asset_class     TEXT NOT NULL,
    underlying      TEXT,
    multiplier      TEXT NOT NULL,
    direction       TEXT NOT NULL CHECK (direction IN ('long', 'short')),
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed', 'incomplete')),
    quantity        TEXT NOT NULL,
    closed_quantity TEXT NOT NULL,
    entry_price     TEXT NOT NULL,
    exit_price      TEXT,
    opened_at       TEXT NOT NULL,
    closed_at       TEXT,
    trading_day     TEXT,
    source_tz       TEXT NOT NULL,
    gross_pnl       TEXT NOT NULL,
    fees            TEXT NOT NULL,
    net_pnl         TEXT NOT NULL,
    fill_count      INTEGER NOT NULL
);
CREATE INDEX trades_by_position ON trades (account_id, symbol);
CREATE INDEX trades_by_close ON trades (closed_at);

CREATE TABLE trade_fills (
    trade_id TEXT NOT NULL REFERENCES trades(id) ON DELETE CASCADE,
    fill_id  TEXT NOT NULL REFERENCES fills(id) ON DELETE CASCADE,
    quantity TEXT NOT NULL,
    fees     TEXT NOT NULL,
    opening  INTEGER NOT NULL,
    PRIMARY KEY (trade_id, fill_id)
);
CREATE INDEX trade_fills_by_fill ON trade_fills (fill_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
