-- Schema 4: the parts of a fill a second device needs to rebuild the same journal
-- (tradebook-sync `FillDetail`): instrument details, the source's zone, the stated position
-- effect and the provenance that makes a re-import a duplicate. All optional: older clients
-- send none, and the trades computed here fall back to the account's zone.
ALTER TABLE fills
    ADD COLUMN underlying      text,
    ADD COLUMN expiry          date,
    ADD COLUMN strike          numeric,
    ADD COLUMN option_right    text CHECK (option_right IN ('call', 'put')),
    ADD COLUMN source_tz       text,
    ADD COLUMN position_effect text CHECK (position_effect IN ('open', 'close')),
    ADD COLUMN dedupe_key      text,
    ADD COLUMN execution_id    text;
