-- The outbox triggers of community sync (see migrations/V4__sync.sql for the tables and the
-- field bits). tradebook-store creates them when a journal connects to a community and drops
-- them when it disconnects, in the same transactions, so a journal that does not sync pays
-- nothing for them on its writes (an import of a million fills runs about 40 % faster).
-- Each writes an outbox entry in the transaction of the change it follows; all are quiet while
-- pulled rows are applied (sync_meta.applying) and for rows of private accounts.
CREATE TRIGGER IF NOT EXISTS sync_account_insert AFTER INSERT ON accounts
WHEN (SELECT NOT applying FROM sync_meta) AND NOT NEW.private
BEGIN
    UPDATE sync_outbox SET fields = fields | (63)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'account' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'account', NEW.id, 'upsert', (63)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'account' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_account_update AFTER UPDATE ON accounts
WHEN (SELECT NOT applying FROM sync_meta) AND NOT NEW.private AND ((NEW.name IS NOT OLD.name) * 1 + (NEW.platform IS NOT OLD.platform) * 2
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

CREATE TRIGGER IF NOT EXISTS sync_account_delete AFTER DELETE ON accounts
WHEN (SELECT NOT applying FROM sync_meta) AND NOT OLD.private
BEGIN
    INSERT INTO sync_outbox (entity, key, op, fields) VALUES ('account', OLD.id, 'delete', 0);
END;

CREATE TRIGGER IF NOT EXISTS sync_fill_insert AFTER INSERT ON fills
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT private FROM accounts WHERE id = NEW.account_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (2047)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'fill' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'fill', NEW.id, 'upsert', (2047)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'fill' AND key = NEW.id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_fill_update AFTER UPDATE ON fills
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT private FROM accounts WHERE id = NEW.account_id), 0) AND ((NEW.account_id IS NOT OLD.account_id) * 1 + (NEW.symbol IS NOT OLD.symbol) * 2
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

CREATE TRIGGER IF NOT EXISTS sync_fill_delete AFTER DELETE ON fills
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT private FROM accounts WHERE id = OLD.account_id), 0)
BEGIN
    INSERT INTO sync_outbox (entity, key, op, fields) VALUES ('fill', OLD.id, 'delete', 0);
END;

CREATE TRIGGER IF NOT EXISTS sync_annotation_insert AFTER INSERT ON annotations
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
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

CREATE TRIGGER IF NOT EXISTS sync_annotation_update AFTER UPDATE ON annotations
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
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

CREATE TRIGGER IF NOT EXISTS sync_annotation_delete AFTER DELETE ON annotations
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = OLD.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (45)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', OLD.trade_id, 'upsert', (45)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_tag_insert AFTER INSERT ON trade_tags
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = NEW.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (2)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', NEW.trade_id, 'upsert', (2)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_tag_delete AFTER DELETE ON trade_tags
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = OLD.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (2)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', OLD.trade_id, 'upsert', (2)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_mistake_insert AFTER INSERT ON trade_mistakes
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = NEW.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (16)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', NEW.trade_id, 'upsert', (16)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = NEW.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_mistake_delete AFTER DELETE ON trade_mistakes
WHEN (SELECT NOT applying FROM sync_meta) AND NOT COALESCE((SELECT a.private FROM fills f JOIN accounts a ON a.id = f.account_id
                      WHERE f.id = OLD.trade_id), 0)
BEGIN
    UPDATE sync_outbox SET fields = fields | (16)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'annotation', OLD.trade_id, 'upsert', (16)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'annotation' AND key = OLD.trade_id) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_journal_note_insert AFTER INSERT ON journal_notes
WHEN (SELECT NOT applying FROM sync_meta) AND 1
BEGIN
    UPDATE sync_outbox SET fields = fields | (1)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'journal_note', NEW.day, 'upsert', (1)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_journal_note_update AFTER UPDATE ON journal_notes
WHEN (SELECT NOT applying FROM sync_meta) AND NEW.notes IS NOT OLD.notes
BEGIN
    UPDATE sync_outbox SET fields = fields | (1)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'journal_note', NEW.day, 'upsert', (1)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = NEW.day) AND op = 'upsert' AND mutation_id IS NULL);
END;

CREATE TRIGGER IF NOT EXISTS sync_journal_note_delete AFTER DELETE ON journal_notes
WHEN (SELECT NOT applying FROM sync_meta) AND 1
BEGIN
    UPDATE sync_outbox SET fields = fields | (1)
     WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = OLD.day) AND op = 'upsert' AND mutation_id IS NULL;
    INSERT INTO sync_outbox (entity, key, op, fields)
    SELECT 'journal_note', OLD.day, 'upsert', (1)
     WHERE NOT EXISTS (SELECT 1 FROM sync_outbox
                        WHERE id = (SELECT max(id) FROM sync_outbox WHERE entity = 'journal_note' AND key = OLD.day) AND op = 'upsert' AND mutation_id IS NULL);
END;
