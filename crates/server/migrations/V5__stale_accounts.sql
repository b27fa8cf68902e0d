-- Schema 5: accounts whose trades wait for recomputation. A run of pushes marked `more`
-- (a large upload) recomputes the member's trades once, at its last push; until then the
-- touched accounts are listed here (and a run cut short is finished by the member's next push).
ALTER TABLE memberships ADD COLUMN stale_accounts uuid[] NOT NULL DEFAULT '{}';
