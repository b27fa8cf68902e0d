-- Tradebook local store, schema 3: what the trader adds to the journal (issue 4).
--
-- Annotations are keyed by trade id, which is the id of the trade's opening fill: stable
-- across recomputation, and (imported fill ids derive from account + dedupe key) across an
-- undo and re-import of the same file. They are deliberately not foreign keys of `trades`,
-- which is rewritten on every recomputation; an annotation whose trade is gone waits for it.

CREATE TABLE annotations (
    trade_id     TEXT PRIMARY KEY,
    notes        TEXT NOT NULL DEFAULT '',          -- markdown
    setup        TEXT COLLATE NOCASE,               -- setup / playbook name
    planned_stop TEXT,                              -- price: initial risk = |entry − stop| × qty × multiplier
    updated_at   TEXT NOT NULL
);
CREATE INDEX annotations_by_setup ON annotations (setup) WHERE setup IS NOT NULL;

CREATE TABLE trade_tags (
    trade_id TEXT NOT NULL,
    tag      TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (trade_id, tag)
) WITHOUT ROWID;
CREATE INDEX trade_tags_by_tag ON trade_tags (tag, trade_id);

CREATE TABLE trade_mistakes (
    trade_id TEXT NOT NULL,
    mistake  TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (trade_id, mistake)
) WITHOUT ROWID;

-- Screenshots: files copied into the data folder's `screenshots/`, named by id.
CREATE TABLE screenshots (
    id         TEXT PRIMARY KEY,                    -- UUID; the stored file is <id>.<ext>
    trade_id   TEXT NOT NULL,
    file_name  TEXT NOT NULL,                       -- the original name, for display
    stored_as  TEXT NOT NULL,                       -- path relative to the data folder
    added_at   TEXT NOT NULL
);
CREATE INDEX screenshots_by_trade ON screenshots (trade_id);

-- One note per trading day (markdown).
CREATE TABLE journal_notes (
    day        TEXT PRIMARY KEY,                    -- YYYY-MM-DD
    notes      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The user's futures contracts: added roots, or built-in roots with other values.
CREATE TABLE contracts (
    root        TEXT PRIMARY KEY COLLATE NOCASE,
    name        TEXT NOT NULL DEFAULT '',
    point_value TEXT NOT NULL,                      -- currency per 1.0 of price
    tick_size   TEXT NOT NULL,
    exchange_tz TEXT NOT NULL DEFAULT 'America/Chicago', -- IANA zone of the exchange (trading day)
    currency    TEXT NOT NULL DEFAULT 'USD'
);

CREATE INDEX trades_by_day ON trades (trading_day);
