-- Tradebook local store, schema 2: leaner writes for million-fill imports (issue 3).
--
-- * `trade_fills` goes. A round trip's fills are exactly the fills of its position
--   (account, symbol) from its opening fill to its closing fill in (executed_at, seq,
--   rowid) order: between them the position never returns to zero. `trades` records the
--   closing fill's id (NULL while open) so the range is one index range scan.
-- * `trades` becomes a WITHOUT ROWID table keyed by id (UUID v7, time-ordered): one B-tree
--   instead of a table plus its primary-key index.
-- * `fills_by_batch` goes: only undo reads fills by batch, and a scan there is cheaper than
--   an index entry for every imported fill.

CREATE TABLE trades_v2 (
    id              TEXT PRIMARY KEY,              -- the opening fill's id
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
    fill_count      INTEGER NOT NULL,
    closing_fill_id TEXT                           -- the fill that closed it; NULL while open
) WITHOUT ROWID;

INSERT INTO trades_v2
SELECT t.id, t.account_id, t.symbol, t.asset_class, t.underlying, t.multiplier, t.direction, t.status,
       t.quantity, t.closed_quantity, t.entry_price, t.exit_price, t.opened_at, t.closed_at, t.trading_day,
       t.source_tz, t.gross_pnl, t.fees, t.net_pnl, t.fill_count,
       CASE WHEN t.status = 'open' THEN NULL ELSE (
           SELECT f.id FROM trade_fills tf JOIN fills f ON f.id = tf.fill_id
           WHERE tf.trade_id = t.id
           ORDER BY f.executed_at DESC, f.seq DESC, f.rowid DESC LIMIT 1)
       END
FROM trades t;

DROP TABLE trade_fills;
DROP TABLE trades;
ALTER TABLE trades_v2 RENAME TO trades;
CREATE INDEX trades_by_position ON trades (account_id, symbol);
CREATE INDEX trades_by_close ON trades (closed_at);

DROP INDEX fills_by_batch;
