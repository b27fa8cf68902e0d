-- Tradebook local store, schema 5: two indexes of `trades` no query reads (issue 3).
--
-- Trade lists filter on COALESCE(trading_day, date of opened_at) and order by closed_at
-- expressions, so SQLite never picks `trades_by_close` or `trades_by_day` (EXPLAIN QUERY
-- PLAN scans `trades` or `trades_by_position`). Each still cost an index entry per trade on
-- every write: a million-fill import wrote half a million into each.

DROP INDEX trades_by_close;
DROP INDEX trades_by_day;
