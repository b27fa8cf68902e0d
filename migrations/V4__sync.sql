-- Schema 4: sync with a community (SPEC §7).
--
-- sync_meta (one row) holds the connection (server URL, community, device id — never a
-- token: tokens live in the OS keyring), the pull cookie and the next mutation id.
-- sync_outbox lists rows changed locally since they were last acknowledged. Triggers
-- (crates/store/src/sync_triggers.sql, created while the journal is connected) write an entry
-- in the same transaction as every change of a synced table, so a change and its entry commit
-- together or not at all. An entry names the row (entity, key) and which of
-- its fields changed (a bit mask); the mutation sent carries those fields as the row holds
-- them when it is sent. A row's newest entry that has no mutation id yet absorbs later
-- changes of the row (its mask grows); once a push numbers an entry (mutation_id) it is
-- frozen and later changes make a new entry. Entries are deleted when the server
-- acknowledges their mutation id.
--
-- The triggers exist only while sync is on (enabled = 1), and are quiet while pulled rows are
-- applied (applying = 1, set and cleared inside the applying transaction) and for rows of
-- private accounts.
--
-- Field bits. account: name 1, platform 2, broker_account_id 4, currency 8,
-- starting_balance 16, timezone 32. fill: account_id 1, symbol 2, asset_class 4, side 8,
-- quantity 16, price 32, fees 64, multiplier 128, executed_at 256, seq 512, detail 1024
-- (underlying, expiry, strike, option_right, source_tz, position_effect, dedupe_key,
-- execution_id). annotation: notes 1, tags 2, setup 4, planned_stop 8, mistakes 16,
-- provider_id 32. journal_note: body 1. A new annotation row claims only the fields it fills
-- (its empty notes must not blank another device's).

ALTER TABLE accounts ADD COLUMN private INTEGER NOT NULL DEFAULT 0; -- 1: never synced
ALTER TABLE annotations ADD COLUMN provider_id TEXT;               -- community signal provider followed

CREATE TABLE sync_meta (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    enabled           INTEGER NOT NULL DEFAULT 0,
    applying          INTEGER NOT NULL DEFAULT 0,
    server_url        TEXT,
    community_id      TEXT,                 -- UUID
    community_name    TEXT,
    user_id           TEXT,                 -- UUID
    email             TEXT,
    role              TEXT,                 -- admin, moderator, trader, viewer
    device_id         TEXT,                 -- UUID, new at each connect
    next_mutation_id  INTEGER NOT NULL DEFAULT 1,
    cookie            INTEGER NOT NULL DEFAULT 0,
    last_sync_at      TEXT,                 -- UTC instant of the last complete sync
    last_error        TEXT                  -- what the last attempt said, NULL after a success
);
INSERT INTO sync_meta (id) VALUES (1);

CREATE TABLE sync_outbox (
    id          INTEGER PRIMARY KEY,        -- local order of the changes
    entity      TEXT NOT NULL CHECK (entity IN ('account', 'fill', 'annotation', 'journal_note')),
    key         TEXT NOT NULL,              -- account/fill id, trade id, or YYYY-MM-DD
    op          TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    fields      INTEGER NOT NULL,           -- bit mask of changed fields (upserts)
    mutation_id INTEGER UNIQUE              -- set when a push numbers it; then frozen
);
CREATE INDEX sync_outbox_by_row ON sync_outbox (entity, key);
