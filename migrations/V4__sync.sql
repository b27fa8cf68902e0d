-- Schema 4: sync with a community (SPEC §7).
--
-- sync_meta (one row) holds the connection (server URL, community, device id — never a
-- token: tokens live in the OS keyring), the pull cookie and the next mutation id.
-- sync_outbox lists rows changed locally since they were last acknowledged. Triggers below
-- write an entry in the same transaction as every change of a synced table, so a change and
-- its entry commit together or not at all. An entry names the row (entity, key) and which of
-- its fields changed (a bit mask); the mutation sent carries those fields as the row holds
-- them when it is sent. A row's newest entry that has no mutation id yet absorbs later
-- changes of the row (its mask grows); once a push numbers an entry (mutation_id) it is
-- frozen and later changes make a new entry. Entries are deleted when the server
-- acknowledges their mutation id.
--
-- The triggers are quiet while sync is off (enabled = 0), while pulled rows are applied
-- (applying = 1, set and cleared inside the applying transaction), and for rows of private
-- accounts.
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


CREATE TRIGGER sync_account_insert AFTER INSERT ON accounts
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT NEW.private
BEGIN
    UPDATE sync_outbox SET fields = fields | (63)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'account' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'account', NEW.id, 'upsert', (63)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'account' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_account_update AFTER UPDATE ON accounts
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT NEW.private AND ((NEW.name IS NOT OLD.name) * 1 + (NEW.platform IS NOT OLD.platform) * 2
      + (NEW.broker_account_id IS NOT OLD.broker_account_id) * 4 + (NEW.currency IS NOT OLD.currency) * 8
      + (NEW.starting_balance IS NOT OLD.starting_balance) * 16 + (NEW.timezone IS NOT OLD.timezone) * 32) != 0
BEGIN
    UPDATE sync_outbox SET fields = fields | ((NEW.name IS NOT OLD.name) * 1 + (NEW.platform IS NOT OLD.platform) * 2
      + (NEW.broker_account_id IS NOT OLD.broker_account_id) * 4 + (NEW.currency IS NOT OLD.currency) * 8
      + (NEW.starting_balance IS NOT OLD.starting_balance) * 16 + (NEW.timezone IS NOT OLD.timezone) * 32)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'account' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'account', NEW.id, 'upsert', ((NEW.name IS NOT OLD.name) * 1 + (NEW.platform IS NOT OLD.platform) * 2
      + (NEW.broker_account_id IS NOT OLD.broker_account_id) * 4 + (NEW.currency IS NOT OLD.currency) * 8
      + (NEW.starting_balance IS NOT OLD.starting_balance) * 16 + (NEW.timezone IS NOT OLD.timezone) * 32)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'account' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_account_delete AFTER DELETE ON accounts
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT OLD.private
BEGIN
    INSERT INTO sync_outbox (entity, key, op, fields) VALUES ('account', OLD.id, 'delete', 0);
END;

CREATE TRIGGER sync_fill_insert AFTER INSERT ON fills
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT private FROM accounts WHERE id = NEW.account_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (2047)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'fill' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'fill', NEW.id, 'upsert', (2047)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'fill' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_fill_update AFTER UPDATE ON fills
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT private FROM accounts WHERE id = NEW.account_id), 0) AND ((NEW.account_id IS NOT OLD.account_id) * 1 + (NEW.symbol IS NOT OLD.symbol) * 2
      + (NEW.asset_class IS NOT OLD.asset_class) * 4 + (NEW.side IS NOT OLD.side) * 8
      + (NEW.quantity IS NOT OLD.quantity) * 16 + (NEW.price IS NOT OLD.price) * 32 + (NEW.fees IS NOT OLD.fees) * 64
      + (NEW.multiplier IS NOT OLD.multiplier) * 128 + (NEW.executed_at IS NOT OLD.executed_at) * 256
      + (NEW.seq IS NOT OLD.seq) * 512
      + (NEW.underlying IS NOT OLD.underlying OR NEW.expiry IS NOT OLD.expiry OR NEW.strike IS NOT OLD.strike
         OR NEW.option_right IS NOT OLD.option_right OR NEW.source_tz IS NOT OLD.source_tz
         OR NEW.position_effect IS NOT OLD.position_effect OR NEW.dedupe_key IS NOT OLD.dedupe_key
         OR NEW.execution_id IS NOT OLD.execution_id) * 1024) != 0
BEGIN
    UPDATE sync_outbox SET fields = fields | ((NEW.account_id IS NOT OLD.account_id) * 1 + (NEW.symbol IS NOT OLD.symbol) * 2
      + (NEW.asset_class IS NOT OLD.asset_class) * 4 + (NEW.side IS NOT OLD.side) * 8
      + (NEW.quantity IS NOT OLD.quantity) * 16 + (NEW.price IS NOT OLD.price) * 32 + (NEW.fees IS NOT OLD.fees) * 64
      + (NEW.multiplier IS NOT OLD.multiplier) * 128 + (NEW.executed_at IS NOT OLD.executed_at) * 256
      + (NEW.seq IS NOT OLD.seq) * 512
      + (NEW.underlying IS NOT OLD.underlying OR NEW.expiry IS NOT OLD.expiry OR NEW.strike IS NOT OLD.strike
         OR NEW.option_right IS NOT OLD.option_right OR NEW.source_tz IS NOT OLD.source_tz
         OR NEW.position_effect IS NOT OLD.position_effect OR NEW.dedupe_key IS NOT OLD.dedupe_key
         OR NEW.execution_id IS NOT OLD.execution_id) * 1024)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'fill' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'fill', NEW.id, 'upsert', ((NEW.account_id IS NOT OLD.account_id) * 1 + (NEW.symbol IS NOT OLD.symbol) * 2
      + (NEW.asset_class IS NOT OLD.asset_class) * 4 + (NEW.side IS NOT OLD.side) * 8
      + (NEW.quantity IS NOT OLD.quantity) * 16 + (NEW.price IS NOT OLD.price) * 32 + (NEW.fees IS NOT OLD.fees) * 64
      + (NEW.multiplier IS NOT OLD.multiplier) * 128 + (NEW.executed_at IS NOT OLD.executed_at) * 256
      + (NEW.seq IS NOT OLD.seq) * 512
      + (NEW.underlying IS NOT OLD.underlying OR NEW.expiry IS NOT OLD.expiry OR NEW.strike IS NOT OLD.strike
         OR NEW.option_right IS NOT OLD.option_right OR NEW.source_tz IS NOT OLD.source_tz
         OR NEW.position_effect IS NOT OLD.position_effect OR NEW.dedupe_key IS NOT OLD.dedupe_key
         OR NEW.execution_id IS NOT OLD.execution_id) * 1024)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'fill' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_fill_delete AFTER DELETE ON fills
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT private FROM accounts WHERE id = OLD.account_id), 0)
BEGIN
    INSERT INTO sync_outbox (entity, key, op, fields) VALUES ('fill', OLD.id, 'delete', 0);
END;

CREATE TRIGGER sync_annotation_insert AFTER INSERT ON annotations
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = NEW.trade_id), 0)
     AND ((NEW.notes != '') * 1 + (NEW.setup IS NOT NULL) * 4 + (NEW.planned_stop IS NOT NULL) * 8 + (NEW.provider_id IS NOT NULL) * 32) != 0
BEGIN
    UPDATE sync_outbox SET fields = fields | ((NEW.notes != '') * 1 + (NEW.setup IS NOT NULL) * 4 + (NEW.planned_stop IS NOT NULL) * 8 + (NEW.provider_id IS NOT NULL) * 32)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', NEW.trade_id, 'upsert', ((NEW.notes != '') * 1 + (NEW.setup IS NOT NULL) * 4 + (NEW.planned_stop IS NOT NULL) * 8 + (NEW.provider_id IS NOT NULL) * 32)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_annotation_update AFTER UPDATE ON annotations
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = NEW.trade_id), 0) AND ((NEW.notes IS NOT OLD.notes) * 1 + (NEW.setup IS NOT OLD.setup) * 4
      + (NEW.planned_stop IS NOT OLD.planned_stop) * 8 + (NEW.provider_id IS NOT OLD.provider_id) * 32) != 0
BEGIN
    UPDATE sync_outbox SET fields = fields | ((NEW.notes IS NOT OLD.notes) * 1 + (NEW.setup IS NOT OLD.setup) * 4
      + (NEW.planned_stop IS NOT OLD.planned_stop) * 8 + (NEW.provider_id IS NOT OLD.provider_id) * 32)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', NEW.trade_id, 'upsert', ((NEW.notes IS NOT OLD.notes) * 1 + (NEW.setup IS NOT OLD.setup) * 4
      + (NEW.planned_stop IS NOT OLD.planned_stop) * 8 + (NEW.provider_id IS NOT OLD.provider_id) * 32)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_annotation_delete AFTER DELETE ON annotations
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = OLD.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (45)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', OLD.trade_id, 'upsert', (45)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_tag_insert AFTER INSERT ON trade_tags
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = NEW.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (2)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', NEW.trade_id, 'upsert', (2)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_tag_delete AFTER DELETE ON trade_tags
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = OLD.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (2)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', OLD.trade_id, 'upsert', (2)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_mistake_insert AFTER INSERT ON trade_mistakes
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = NEW.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (16)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', NEW.trade_id, 'upsert', (16)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_mistake_delete AFTER DELETE ON trade_mistakes
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = OLD.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (16)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', OLD.trade_id, 'upsert', (16)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_journal_note_insert AFTER INSERT ON journal_notes
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND 1
BEGIN
    UPDATE sync_outbox SET fields = fields | (1)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'journal_note', NEW.day, 'upsert', (1)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_journal_note_update AFTER UPDATE ON journal_notes
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND NEW.notes IS NOT OLD.notes
BEGIN
    UPDATE sync_outbox SET fields = fields | (1)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'journal_note', NEW.day, 'upsert', (1)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER sync_journal_note_delete AFTER DELETE ON journal_notes
WHEN (SELECT enabled AND NOT applying FROM sync_meta) AND 1
BEGIN
    UPDATE sync_outbox SET fields = fields | (1)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = OLD.day) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'journal_note', OLD.day, 'upsert', (1)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = OLD.day) AND op = 'upsert' AND mutation_id IS NULL);
END;
